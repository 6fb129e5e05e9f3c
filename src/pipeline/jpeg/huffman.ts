/**
 * Huffman tables and the entropy-coded-segment bit reader of a baseline JPEG, with
 * libjpeg's semantics: byte stuffing, and a marker ends the data (zeros are fed after it,
 * and using them is what libjpeg warns about as a premature end).
 */
import { bail } from './unsupported.js';

export interface Huffman {
  /** 9-bit lookahead: (length << 8) | value, 0 when longer than 9 bits. */
  fast: Uint16Array;
  maxcode: Int32Array;
  valoffset: Int32Array;
  values: Uint8Array;
}

export function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxcode = new Int32Array(18).fill(-1);
  const valoffset = new Int32Array(17);
  const fast = new Uint16Array(512);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    if (n > 0) {
      valoffset[len] = k - code;
      for (let i = 0; i < n; i++, k++, code++) {
        if (len <= 9) {
          const shift = 9 - len;
          const base = code << shift;
          for (let j = 0; j < 1 << shift; j++) fast[base + j] = (len << 8) | values[k];
        }
      }
      maxcode[len] = code - 1;
    }
    if (code > 1 << len) bail('bad Huffman table');
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  return { fast, maxcode, valoffset, values };
}

/** Entropy-coded data reader: byte stuffing, markers stop the stream (libjpeg semantics). */
export class BitReader {
  private bits = 0;
  private count = 0;
  /** How many of the buffered low bits are zeros fed after a marker / the end of data. */
  private zeroBits = 0;
  /** Set when bits past a marker (or the end of data) were needed: libjpeg would warn. */
  overrun = false;
  constructor(
    private readonly buf: Uint8Array,
    public pos: number,
  ) {}

  private fill(): void {
    while (this.count <= 24) {
      let byte: number;
      const b = this.buf;
      if (this.pos < b.length && b[this.pos] !== 0xff) byte = b[this.pos++];
      else if (this.pos + 1 < b.length && b[this.pos] === 0xff && b[this.pos + 1] === 0x00) {
        byte = 0xff;
        this.pos += 2;
      } else {
        // a marker or the end: feed zeros, remember if they get used
        this.bits = (this.bits << 8) >>> 0;
        this.count += 8;
        this.zeroBits += 8;
        continue;
      }
      this.bits = ((this.bits << 8) | byte) >>> 0;
      this.count += 8;
    }
  }

  private checkOverrun(): void {
    if (this.zeroBits > 0 && this.count < this.zeroBits) this.overrun = true;
  }

  peek9(): number {
    if (this.count < 9) this.fill();
    return (this.bits >>> (this.count - 9)) & 0x1ff;
  }

  skip(n: number): void {
    this.count -= n;
    this.checkOverrun();
  }

  get(n: number): number {
    if (n === 0) return 0;
    if (this.count < n) this.fill();
    this.count -= n;
    this.checkOverrun();
    return (this.bits >>> this.count) & ((1 << n) - 1);
  }

  decode(h: Huffman): number {
    const look = h.fast[this.peek9()];
    if (look !== 0) {
      this.skip(look >> 8);
      return look & 0xff;
    }
    let code = this.get(9);
    let len = 9;
    while (code > h.maxcode[len]) {
      if (len >= 16) bail('bad Huffman code');
      code = (code << 1) | this.get(1);
      len++;
    }
    return h.values[code + h.valoffset[len]];
  }

  /**
   * Discards the buffered bits (an encoder pads to a byte boundary before a marker); true
   * when a whole real byte was buffered and unused, i.e. stray data libjpeg would warn about.
   */
  reset(): boolean {
    const strayWholeBytes = this.count - this.zeroBits >= 8;
    this.bits = 0;
    this.count = 0;
    this.zeroBits = 0;
    return strayWholeBytes;
  }
}
