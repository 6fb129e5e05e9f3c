/**
 * Reads 8-bit grayscale, non-interlaced PNGs (what `fmnist convert` writes, and what most
 * tools write for 28×28 gray images) without sharp's per-call overhead. Returns null for any
 * other PNG flavour so the caller can fall back to sharp.
 */
import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodeGrayPng(
  buf: Uint8Array,
): { width: number; height: number; data: Uint8Array } | null {
  if (buf.length < 45) return null;
  for (let i = 0; i < 8; i++) if (buf[i] !== SIGNATURE[i]) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (pos + 12 <= buf.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(buf[pos + 4], buf[pos + 5], buf[pos + 6], buf[pos + 7]);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (pos + 12 + len > buf.length) return null;
    if (crc32(buf.subarray(pos + 4, pos + 8 + len)) !== view.getUint32(pos + 8 + len)) return null;
    if (type === 'IHDR') {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      // bit depth 8, colour type 0 (gray), compression 0, filter 0, no interlace
      if (
        len !== 13 ||
        body[8] !== 8 ||
        body[9] !== 0 ||
        body[10] !== 0 ||
        body[11] !== 0 ||
        body[12] !== 0
      )
        return null;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    else if (type === 'tRNS') return null; // transparency: flattening is sharp's job
    pos += 12 + len;
  }
  if (width === 0 || height === 0 || idat.length === 0) return null;
  let raw: Uint8Array;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat));
  } catch {
    return null;
  }
  if (raw.length !== (width + 1) * height) return null;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    const src = y * (width + 1) + 1;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = x > 0 ? out[o + x - 1] : 0;
      const b = y > 0 ? out[o - width + x] : 0;
      const c = x > 0 && y > 0 ? out[o - width + x - 1] : 0;
      const v = raw[src + x];
      let pred: number;
      if (filter === 0) pred = 0;
      else if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) pred = paeth(a, b, c);
      else return null;
      out[o + x] = (v + pred) & 255;
    }
  }
  return { width, height, data: out };
}
