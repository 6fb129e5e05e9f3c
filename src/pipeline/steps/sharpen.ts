/**
 * Step 4, plain variant, `-sharpen 1x1`: one 3×3 convolution with ImageMagick's sharpen
 * kernel (negative Gaussian, centre −2 × the sum, normalised to sum 1).
 */
import type { Raster } from '../raster.js';
import { convolve3x3 } from './convolve.js';

/**
 * IM's unnormalised sharpen kernel for radius 1: −exp(−(u²+v²)/2σ²)/(2πσ²) around, the
 * centre replaced by −2 × the sum of all nine.
 */
export function rawSharpenKernel(sigma = 1): Float64Array {
  const k = new Float64Array(9);
  let sum = 0;
  let i = 0;
  for (let v = -1; v <= 1; v++) {
    for (let u = -1; u <= 1; u++) {
      k[i] = -Math.exp(-(u * u + v * v) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
      sum += k[i];
      i++;
    }
  }
  k[4] = -2 * sum;
  return k;
}

/** The sharpen kernel scaled to sum 1 (multiplied by the reciprocal of its sum, as IM). */
export function sharpenKernel(sigma = 1): Float64Array {
  const k = rawSharpenKernel(sigma);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += k[i];
  const gamma = 1 / sum;
  for (let i = 0; i < 9; i++) k[i] *= gamma;
  return k;
}

const KERNEL = sharpenKernel(1);

export function sharpen(raster: Raster): Raster {
  return convolve3x3(raster, KERNEL);
}
