/**
 * libjpeg-turbo's output stage for YCbCr: "fancy" (triangular) chroma upsampling from
 * jdsample.c and the fixed-point YCbCr → RGB conversion from jdcolor.c.
 */
import type { Component } from './decode-jpeg.js';
import { bail } from './unsupported.js';

/** A full-resolution plane: rows of `stride` samples (the image's width or more). */
interface Plane {
  data: Uint8Array;
  stride: number;
}

/**
 * jdsample.c's fancy upsampling of one chroma plane to full resolution: triangular weights
 * (3·near + far), edge samples replicated, over the downsampled_width real columns only.
 */
function upsample(c: Component, width: number, height: number, hmax: number, vmax: number): Plane {
  const stride = c.blocksPerLine * 8;
  const p = c.plane;
  if (hmax === 1 && vmax === 1) return { data: p, stride };
  const dw = Math.ceil(width / hmax); // downsampled_width
  const dh = Math.ceil(height / vmax);
  if (dw <= 2) bail('narrow chroma (libjpeg uses plain replication)');
  const outW = dw * 2;
  const out = new Uint8Array(outW * height);
  if (vmax === 1) {
    // h2v1: (3·near + far + 1 or 2) >> 2
    for (let y = 0; y < height; y++) {
      const s = y * stride;
      const o = y * outW;
      out[o] = p[s];
      out[o + 1] = (p[s] * 3 + p[s + 1] + 2) >> 2;
      for (let x = 1; x < dw - 1; x++) {
        const v = p[s + x] * 3;
        out[o + 2 * x] = (v + p[s + x - 1] + 1) >> 2;
        out[o + 2 * x + 1] = (v + p[s + x + 1] + 2) >> 2;
      }
      const last = p[s + dw - 1];
      out[o + 2 * dw - 2] = (last * 3 + p[s + dw - 2] + 1) >> 2;
      out[o + 2 * dw - 1] = last;
    }
    return { data: out, stride: outW };
  }
  // h2v2: vertical 3:1 column sums, then horizontal (3·this + other + 8 or 7) >> 4
  const sums = new Int32Array(dw);
  for (let oy = 0; oy < height; oy++) {
    const iy = oy >> 1;
    const near = iy * stride;
    const farRow = oy & 1 ? Math.min(iy + 1, dh - 1) : Math.max(iy - 1, 0);
    const far = farRow * stride;
    for (let x = 0; x < dw; x++) sums[x] = p[near + x] * 3 + p[far + x];
    const o = oy * outW;
    out[o] = (sums[0] * 4 + 8) >> 4;
    out[o + 1] = (sums[0] * 3 + sums[1] + 7) >> 4;
    for (let x = 1; x < dw - 1; x++) {
      const v = sums[x] * 3;
      out[o + 2 * x] = (v + sums[x - 1] + 8) >> 4;
      out[o + 2 * x + 1] = (v + sums[x + 1] + 7) >> 4;
    }
    out[o + 2 * dw - 2] = (sums[dw - 1] * 3 + sums[dw - 2] + 8) >> 4;
    out[o + 2 * dw - 1] = (sums[dw - 1] * 4 + 7) >> 4;
  }
  return { data: out, stride: outW };
}

export function crop(c: Component, width: number, height: number): Uint8Array {
  const stride = c.blocksPerLine * 8;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0, s = y * stride, o = y * width; x < width; x++) out[o + x] = c.plane[s + x];
  }
  return out;
}

// jdcolor.c's fixed-point YCbCr → RGB tables (SCALEBITS 16, rounding folded in); the green
// terms fit in 32 bits, so >> is libjpeg's RIGHT_SHIFT (an arithmetic shift).
/** x + 256 → clamp(x, 0, 255) for x in [−256, 511] (every Y + chroma offset fits). */
const RANGE = Uint8Array.from({ length: 768 }, (_, i) => Math.min(255, Math.max(0, i - 256)));
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
{
  const FIX = (x: number) => Math.floor(x * 65536 + 0.5);
  for (let i = 0; i < 256; i++) {
    const x = i - 128;
    CR_R[i] = (FIX(1.402) * x + 32768) >> 16;
    CB_B[i] = (FIX(1.772) * x + 32768) >> 16;
    CR_G[i] = -FIX(0.71414) * x;
    CB_G[i] = -FIX(0.34414) * x + 32768;
  }
}

export function toRgb(
  components: Component[],
  width: number,
  height: number,
  hmax: number,
  vmax: number,
): Uint8Array {
  const yPlane = components[0].plane;
  const yStride = components[0].blocksPerLine * 8;
  const cb = upsample(components[1], width, height, hmax, vmax);
  const cr = upsample(components[2], width, height, hmax, vmax);
  const out = new Uint8Array(width * height * 3);
  const cbData = cb.data;
  const crData = cr.data;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const ys = y * yStride;
    const bs = y * cb.stride;
    const rs = y * cr.stride;
    for (let x = 0; x < width; x++, o += 3) {
      const l = yPlane[ys + x];
      const b = cbData[bs + x];
      const r = crData[rs + x];
      // clamp to [0, 255]: libjpeg's range_limit
      out[o] = RANGE[l + CR_R[r] + 256];
      out[o + 1] = RANGE[l + ((CB_G[b] + CR_G[r]) >> 16) + 256];
      out[o + 2] = RANGE[l + CB_B[b] + 256];
    }
  }
  return out;
}
