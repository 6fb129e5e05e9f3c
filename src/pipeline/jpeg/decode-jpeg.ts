/**
 * A small baseline-JPEG decoder that reproduces libjpeg-turbo's output bit for bit (accurate
 * integer IDCT, "fancy" triangular chroma upsampling with edge replication, fixed-point
 * YCbCr → RGB) for the common cases: 8-bit baseline/extended Huffman, one interleaved scan,
 * gray or YCbCr at 4:4:4, 4:2:2 or 4:2:0. It exists because sharp's per-call overhead is
 * several times the whole 7-step pipeline for a 51×73 thumbnail.
 *
 * It returns null for anything else *and for anything libjpeg would warn about* (truncated
 * data, stray bytes, bad restart markers…): the caller then decodes with sharp, which
 * applies libjpeg's own rules and reports the file's problem the way ImageMagick would.
 */
import { SAFE_ABS_SUM, idctIslow } from './idct.js';
import { type Huffman, BitReader, buildHuffman } from './huffman.js';
import { crop, toRgb } from './color.js';
import { Unsupported, bail } from './unsupported.js';

export interface DecodedJpeg {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB) */
  channels: 1 | 3;
  data: Uint8Array;
}

const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

export interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  dc: Huffman | null;
  ac: Huffman | null;
  blocksPerLine: number;
  blocksPerColumn: number;
  plane: Uint8Array;
  pred: number;
}

function extend(v: number, n: number): number {
  return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
}

const coef = new Int32Array(64);

function decodeBlock(
  r: BitReader,
  c: Component,
  q: Uint16Array,
  out: Uint8Array,
  offset: number,
  stride: number,
): void {
  coef.fill(0);
  const t = r.decode(c.dc!);
  if (t > 11) bail('bad DC magnitude');
  c.pred += t === 0 ? 0 : extend(r.get(t), t);
  // dequantize while decoding (natural order), and keep Σ|value| for the IDCT's range test
  let v = c.pred * q[0];
  coef[0] = v;
  let sumAbs = v < 0 ? -v : v;
  for (let k = 1; k < 64;) {
    const rs = r.decode(c.ac!);
    const s = rs & 15;
    const run = rs >> 4;
    if (s === 0) {
      if (run !== 15) break;
      k += 16;
      continue;
    }
    k += run;
    if (k > 63) bail('AC index out of range');
    const z = ZIGZAG[k];
    v = extend(r.get(s), s) * q[z];
    coef[z] = v;
    sumAbs += v < 0 ? -v : v;
    k++;
  }
  if (!idctIslow(coef, out, offset, stride, sumAbs > SAFE_ABS_SUM))
    bail('coefficients outside the range where libjpeg-turbo C and SIMD agree');
}

/** Decodes `buf`, or returns null when libjpeg-turbo/sharp should handle it. */
export function decodeJpeg(buf: Uint8Array): DecodedJpeg | null {
  try {
    return decodeOrBail(buf);
  } catch (err) {
    if (err instanceof Unsupported || err instanceof RangeError) return null;
    throw err;
  }
}

function decodeOrBail(buf: Uint8Array): DecodedJpeg {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) bail('not a JPEG');
  const quant: Array<Uint16Array | undefined> = [];
  const dcTables: Array<Huffman | undefined> = [];
  const acTables: Array<Huffman | undefined> = [];
  let frame: { width: number; height: number; components: Component[] } | null = null;
  let restartInterval = 0;
  let adobe = false;
  let pos = 2;
  const u16 = (p: number) => (buf[p] << 8) | buf[p + 1];
  for (;;) {
    if (pos + 4 > buf.length) bail('truncated header');
    if (buf[pos] !== 0xff) bail('stray bytes between markers');
    const marker = buf[pos + 1];
    if (marker === 0xff) bail('fill bytes');
    const len = u16(pos + 2);
    const seg = pos + 4;
    const end = pos + 2 + len;
    if (end > buf.length) bail('truncated segment');
    if (marker === 0xdb) {
      for (let p = seg; p < end;) {
        const pq = buf[p] >> 4;
        const tq = buf[p] & 15;
        if (tq > 3 || pq > 1) bail('bad DQT');
        if (p + 1 + 64 * (pq + 1) > end) bail('bad DQT length');
        const table = new Uint16Array(64);
        for (let k = 0; k < 64; k++) table[ZIGZAG[k]] = pq ? u16(p + 1 + 2 * k) : buf[p + 1 + k];
        if (table.includes(0)) bail('zero quantiser');
        quant[tq] = table;
        p += 1 + 64 * (pq + 1);
      }
    } else if (marker === 0xc4) {
      for (let p = seg; p < end;) {
        const tc = buf[p] >> 4;
        const th = buf[p] & 15;
        if (tc > 1 || th > 3 || p + 17 > end) bail('bad DHT');
        const counts = buf.subarray(p + 1, p + 17);
        let total = 0;
        for (let i = 0; i < 16; i++) total += counts[i];
        if (p + 17 + total > end || total > 256) bail('bad DHT length');
        const table = buildHuffman(counts, buf.slice(p + 17, p + 17 + total));
        (tc === 0 ? dcTables : acTables)[th] = table;
        p += 17 + total;
      }
    } else if (marker === 0xc0 || marker === 0xc1) {
      if (frame) bail('second frame');
      if (len !== 8 + 3 * buf[seg + 5]) bail('bad SOF length');
      if (buf[seg] !== 8) bail('not 8-bit');
      const height = u16(seg + 1);
      const width = u16(seg + 3);
      const n = buf[seg + 5];
      if (width === 0 || height === 0 || (n !== 1 && n !== 3)) bail('unsupported frame');
      const components: Component[] = [];
      for (let i = 0; i < n; i++) {
        const p = seg + 6 + 3 * i;
        if (components.some((c) => c.id === buf[p])) bail('duplicate component id');
        const hv = buf[p + 1];
        if (hv >> 4 < 1 || hv >> 4 > 4 || (hv & 15) < 1 || (hv & 15) > 4 || buf[p + 2] > 3)
          bail('bogus sampling or table');
        components.push({
          id: buf[p],
          h: buf[p + 1] >> 4,
          v: buf[p + 1] & 15,
          tq: buf[p + 2],
          dc: null,
          ac: null,
          blocksPerLine: 0,
          blocksPerColumn: 0,
          plane: new Uint8Array(0),
          pred: 0,
        });
      }
      frame = { width, height, components };
    } else if (
      marker >= 0xc2 &&
      marker <= 0xcf &&
      marker !== 0xc4 &&
      marker !== 0xc8 &&
      marker !== 0xcc
    ) {
      bail('progressive, lossless or arithmetic');
    } else if (marker === 0xdd) {
      if (len !== 4) bail('bad DRI length');
      restartInterval = u16(seg);
    } else if (marker === 0xee) {
      adobe = true;
    } else if (marker === 0xda) {
      if (!frame) bail('scan before frame');
      return decodeScan(buf, seg, end, frame!, quant, dcTables, acTables, restartInterval, adobe);
    } else if (marker === 0xd9 || marker === 0xdc) {
      bail('no scan');
    }
    pos = end;
  }
}

function decodeScan(
  buf: Uint8Array,
  seg: number,
  headerEnd: number,
  frame: { width: number; height: number; components: Component[] },
  quant: Array<Uint16Array | undefined>,
  dcTables: Array<Huffman | undefined>,
  acTables: Array<Huffman | undefined>,
  restartInterval: number,
  adobe: boolean,
): DecodedJpeg {
  const { width, height, components } = frame;
  const ns = buf[seg];
  if (ns !== components.length) bail('non-interleaved scans');
  if (headerEnd - seg !== 1 + 2 * ns + 3) bail('bad SOS length');
  for (let i = 0; i < ns; i++) {
    const c = components[i];
    if (buf[seg + 1 + 2 * i] !== c.id) bail('scan component order');
    const t = buf[seg + 2 + 2 * i];
    c.dc = dcTables[t >> 4] ?? bail('missing DC table');
    c.ac = acTables[t & 15] ?? bail('missing AC table');
    if (!quant[c.tq]) bail('missing quantisation table');
  }
  const ssEnd = seg + 1 + 2 * ns;
  if (buf[ssEnd] !== 0 || buf[ssEnd + 1] !== 63 || buf[ssEnd + 2] !== 0)
    bail('not a sequential scan');
  // Colour interpretation as libjpeg guesses it; leave Adobe/RGB-labelled files to libjpeg.
  if (
    components.length === 3 &&
    (adobe || (components[0].id === 82 && components[1].id === 71 && components[2].id === 66))
  )
    bail('RGB or Adobe JPEG');
  const hmax = Math.max(...components.map((c) => c.h));
  const vmax = Math.max(...components.map((c) => c.v));
  if (components.length === 1) {
    components[0].h = components[0].v = 1; // a single-component scan is never interleaved
  } else {
    const [y, cb, cr] = components;
    const ok =
      cb.h === 1 &&
      cb.v === 1 &&
      cr.h === 1 &&
      cr.v === 1 &&
      ((y.h === 1 && y.v === 1) || (y.h === 2 && y.v === 1) || (y.h === 2 && y.v === 2));
    if (!ok) bail('unsupported sampling');
  }
  const mcuW = 8 * (components.length === 1 ? 1 : hmax);
  const mcuH = 8 * (components.length === 1 ? 1 : vmax);
  const mcusX = Math.ceil(width / mcuW);
  const mcusY = Math.ceil(height / mcuH);
  for (const c of components) {
    c.blocksPerLine = mcusX * c.h;
    c.blocksPerColumn = mcusY * c.v;
    c.plane = new Uint8Array(c.blocksPerLine * 8 * c.blocksPerColumn * 8);
    c.pred = 0;
  }
  const r = new BitReader(buf, headerEnd);
  const total = mcusX * mcusY;
  let expectedRst = 0;
  for (let m = 0; m < total; m++) {
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      if (r.reset()) bail('stray bytes before restart marker');
      if (buf[r.pos] !== 0xff || buf[r.pos + 1] !== 0xd0 + expectedRst) bail('bad restart marker');
      r.pos += 2;
      expectedRst = (expectedRst + 1) & 7;
      for (const c of components) c.pred = 0;
    }
    const mx = m % mcusX;
    const my = (m - mx) / mcusX;
    for (const c of components) {
      const stride = c.blocksPerLine * 8;
      const q = quant[c.tq]!;
      if (components.length === 1) {
        decodeBlock(r, c, q, c.plane, my * 8 * stride + mx * 8, stride);
        continue;
      }
      for (let v = 0; v < c.v; v++) {
        for (let h = 0; h < c.h; h++) {
          const by = my * c.v + v;
          const bx = mx * c.h + h;
          decodeBlock(r, c, q, c.plane, by * 8 * stride + bx * 8, stride);
        }
      }
    }
    if (r.overrun) bail('premature end of data');
  }
  if (r.reset()) bail('stray bytes after scan');
  // After the scan only more markers up to EOI are fine; libjpeg warns about anything else.
  let pos = r.pos;
  for (;;) {
    if (pos + 1 >= buf.length || buf[pos] !== 0xff) bail('premature end or stray bytes');
    const marker = buf[pos + 1];
    if (marker === 0xd9) break;
    if (!((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe))
      bail('unexpected marker after the scan');
    if (pos + 4 > buf.length) bail('truncated trailer');
    pos += 2 + ((buf[pos + 2] << 8) | buf[pos + 3]);
  }
  if (components.length === 1)
    return { width, height, channels: 1, data: crop(components[0], width, height) };
  return { width, height, channels: 3, data: toRgb(components, width, height, hmax, vmax) };
}
