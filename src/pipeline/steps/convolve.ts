/**
 * Small convolutions with ImageMagick's conventions, shared by the sharpen variants:
 * "edge" virtual pixels (out-of-range coordinates clamp to the border), per channel,
 * ClampToQuantum (clamp to [0, 65535], then round half up).
 */
import { type Raster, createRaster, QUANTUM_RANGE } from '../raster.js';

export function clampToQuantum(value: number): number {
  if (value <= 0) return 0;
  if (value >= QUANTUM_RANGE) return QUANTUM_RANGE;
  return Math.floor(value + 0.5);
}

/** 3×3 convolution of every channel with `kernel` (row-major, 9 weights). */
export function convolve3x3(raster: Raster, kernel: Float64Array): Raster {
  const { width, height, data } = raster;
  const out = createRaster(width, height);
  const dst = out.data;
  const k0 = kernel[0],
    k1 = kernel[1],
    k2 = kernel[2];
  const k3 = kernel[3],
    k4 = kernel[4],
    k5 = kernel[5];
  const k6 = kernel[6],
    k7 = kernel[7],
    k8 = kernel[8];
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * width;
    const mid = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) {
      const l = x > 0 ? x - 1 : 0;
      const r = x < width - 1 ? x + 1 : x;
      const a = (up + l) * 3,
        b = (up + x) * 3,
        c = (up + r) * 3;
      const d = (mid + l) * 3,
        e = (mid + x) * 3,
        f = (mid + r) * 3;
      const g = (down + l) * 3,
        h = (down + x) * 3,
        i = (down + r) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const sum =
          k0 * data[a + ch] +
          k1 * data[b + ch] +
          k2 * data[c + ch] +
          k3 * data[d + ch] +
          k4 * data[e + ch] +
          k5 * data[f + ch] +
          k6 * data[g + ch] +
          k7 * data[h + ch] +
          k8 * data[i + ch];
        dst[e + ch] = clampToQuantum(sum);
      }
    }
  }
  return out;
}

/**
 * The 3×3 Laplacian (−1 around, 8 in the centre) per channel, clamped to Q16. On integer
 * samples the sum is an exact integer, so integer arithmetic gives IM's result exactly.
 */
export function laplacianClamped(raster: Raster): Raster {
  const { width, height, data } = raster;
  const out = createRaster(width, height);
  const dst = out.data;
  const row = width * 3;
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * row;
    const mid = y * row;
    const down = (y < height - 1 ? y + 1 : y) * row;
    for (let x = 0; x < width; x++) {
      const l = (x > 0 ? x - 1 : 0) * 3;
      const c = x * 3;
      const r = (x < width - 1 ? x + 1 : x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const centre = data[mid + c + ch];
        const around =
          data[up + l + ch] +
          data[up + c + ch] +
          data[up + r + ch] +
          data[mid + l + ch] +
          data[mid + r + ch] +
          data[down + l + ch] +
          data[down + c + ch] +
          data[down + r + ch];
        const v = 8 * centre - around;
        dst[mid + c + ch] = v < 0 ? 0 : v > QUANTUM_RANGE ? QUANTUM_RANGE : v;
      }
    }
  }
  return out;
}

/** 3-tap convolution along rows, edge pixels extended, rounded to Q16. */
export function convolveRows3(raster: Raster, kernel: Float64Array): Raster {
  const { width, height, data } = raster;
  const out = createRaster(width, height);
  const dst = out.data;
  const k0 = kernel[0],
    k1 = kernel[1],
    k2 = kernel[2];
  for (let y = 0; y < height; y++) {
    const base = y * width * 3;
    for (let x = 0; x < width; x++) {
      const c = base + x * 3;
      const p = base + (x > 0 ? x - 1 : 0) * 3;
      const n = base + (x < width - 1 ? x + 1 : x) * 3;
      dst[c] = clampToQuantum(k0 * data[p] + k1 * data[c] + k2 * data[n]);
      dst[c + 1] = clampToQuantum(k0 * data[p + 1] + k1 * data[c + 1] + k2 * data[n + 1]);
      dst[c + 2] = clampToQuantum(k0 * data[p + 2] + k1 * data[c + 2] + k2 * data[n + 2]);
    }
  }
  return out;
}

/** 3-tap convolution along columns, edge pixels extended, rounded to Q16. */
export function convolveColumns3(raster: Raster, kernel: Float64Array): Raster {
  const { width, height, data } = raster;
  const out = createRaster(width, height);
  const dst = out.data;
  const k0 = kernel[0],
    k1 = kernel[1],
    k2 = kernel[2];
  const row = width * 3;
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * row;
    const mid = y * row;
    const down = (y < height - 1 ? y + 1 : y) * row;
    for (let i = 0; i < row; i++) {
      dst[mid + i] = clampToQuantum(k0 * data[up + i] + k1 * data[mid + i] + k2 * data[down + i]);
    }
  }
  return out;
}
