/**
 * A minimal PNG encoder for 8-bit gray and RGB (filter 0). The outputs are 28×28, where
 * sharp's per-call overhead would cost more than the whole pipeline. Small images are
 * stored in uncompressed deflate blocks: a 28×28 file is then ~880 bytes instead of ~450,
 * which still fits the same 4 KiB filesystem block, and encoding skips zlib's setup cost
 * (the largest single item in a converted image's CPU time). Larger images (the --steps
 * strips) are compressed.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Up to this many filtered bytes are stored rather than compressed. */
const STORE_LIMIT = 4096;

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

const IEND = chunk('IEND', new Uint8Array(0));

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a += data[i];
    if (a >= 65521) a -= 65521;
    b += a;
    if (b >= 65521) b -= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream of stored (uncompressed) deflate blocks; `data.length` ≤ 65535. */
function zlibStored(data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(2 + 5 + data.length + 4);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // no dictionary, fastest; (0x78 << 8 | 0x01) % 31 === 0
  out[2] = 0x01; // BFINAL, BTYPE = stored
  out.writeUInt16LE(data.length, 3);
  out.writeUInt16LE(~data.length & 0xffff, 5);
  out.set(data, 7);
  out.writeUInt32BE(adler32(data), 7 + data.length);
  return out;
}

/** Encodes 8-bit samples; `channels` 1 (gray) or 3 (RGB). */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3,
): Buffer {
  if (pixels.length !== width * height * channels) {
    throw new RangeError(
      `encodePng: expected ${width * height * channels} samples for ${width}×${height}×${channels}, got ${pixels.length}.`,
    );
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = channels === 1 ? 0 : 2;
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++)
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const idat = raw.length <= STORE_LIMIT ? zlibStored(raw) : deflateSync(raw, { level: 6 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), IEND]);
}

export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Buffer {
  return encodePng(pixels, width, height, 1);
}
