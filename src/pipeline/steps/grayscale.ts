/**
 * Step 7, `-colorspace Gray -depth 8`: Rec709 luma on the gamma-encoded Q16 values,
 * rounded half up, then 8 bits by truncation (floor(q / 257)), as measured on IM 6.9.11.
 */
import { type Raster, QUANTUM_RANGE } from '../raster.js';

/** Q16 gray per pixel (the `-colorspace Gray` result before the depth change). */
export function grayQ16(raster: Raster): Uint16Array {
  const n = raster.width * raster.height;
  const out = new Uint16Array(n);
  const d = raster.data;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const v = 0.212656 * d[i] + 0.715158 * d[i + 1] + 0.072186 * d[i + 2];
    out[p] = v >= QUANTUM_RANGE ? QUANTUM_RANGE : Math.floor(v + 0.5);
  }
  return out;
}

export function toGray8(raster: Raster): Uint8Array {
  const q = grayQ16(raster);
  const out = new Uint8Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = Math.floor(q[i] / 257);
  return out;
}
