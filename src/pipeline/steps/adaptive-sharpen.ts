/**
 * Step 4, default variant, `-adaptive-sharpen 1x1` (the paper's "sharpen with increasing
 * effect near outlines"). ImageMagick 6.9 builds an edge map (3×3 Laplacian, auto-levelled,
 * Gaussian-blurred in two rounded passes, auto-levelled again) and, per pixel, picks a kernel
 * size from the map's luma: the full 3×3 sharpen kernel where the edge strength e ≥ 0.5,
 * a 1×1 kernel (the pixel itself) elsewhere.
 */
import { type Raster, QUANTUM_RANGE, createRaster } from '../raster.js';
import { clampToQuantum, convolveColumns3, convolveRows3, laplacianClamped } from './convolve.js';
import { rawSharpenKernel } from './sharpen.js';

/**
 * IM's 1-D "blur" kernel for radius 1, sigma 1: a Gaussian sampled at 3× the resolution
 * (σ' = 3σ over u = −4..4) and binned into 3 taps, then normalised to sum 1.
 */
export function blurKernel(sigma = 1): Float64Array {
  const rank = 3;
  const k = new Float64Array(3);
  const s = sigma * rank;
  const v = (3 * rank - 1) / 2;
  for (let u = -v; u <= v; u++) k[Math.trunc((u + v) / rank)] += Math.exp(-(u * u) / (2 * s * s));
  const sum = k[0] + k[1] + k[2];
  for (let i = 0; i < 3; i++) k[i] /= sum;
  return k;
}

const BLUR = blurKernel(1);

/** `-auto-level` with one min/max over R, G and B together, in place. */
export function autoLevel(raster: Raster): void {
  const data = raster.data;
  let min = QUANTUM_RANGE;
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min < 1e-12) return;
  const scale = 1 / (max - min);
  for (let i = 0; i < data.length; i++)
    data[i] = clampToQuantum(QUANTUM_RANGE * (scale * (data[i] - min)));
}

/**
 * The edge map whose luma steers the kernel size. `matte`: the image carries an (opaque)
 * alpha channel. IM's convolution then weights by alpha and divides by Σ kernel·alpha,
 * which is 0 for the Laplacian, so PerceptibleReciprocal(0) = 1e12 turns every edge value
 * into 0 or QuantumRange by its sign (measured: binary edge map for RGBA PNG inputs).
 */
export function edgeMap(raster: Raster, matte = false): Raster {
  const edges = laplacianClamped(raster);
  if (matte) {
    const e = edges.data;
    for (let i = 0; i < e.length; i++) e[i] = e[i] > 0 ? QUANTUM_RANGE : 0;
  }
  autoLevel(edges);
  const blurred = convolveColumns3(convolveRows3(edges, BLUR), BLUR);
  autoLevel(blurred);
  return blurred;
}

const RAW = rawSharpenKernel(1);
const QUANTUM_SCALE = 1 / QUANTUM_RANGE;

/** `matte` defaults to the raster's own flag (see edgeMap). */
export function adaptiveSharpen(raster: Raster, matte: boolean = raster.matte === true): Raster {
  const { width, height, data } = raster;
  const edges = edgeMap(raster, matte).data;
  const out = createRaster(width, height);
  const dst = out.data;
  let kernelSum = 0;
  for (let i = 0; i < 9; i++) kernelSum += RAW[i];
  const gamma = 1 / kernelSum;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = (y * width + x) * 3;
      const luma = 0.212656 * edges[c] + 0.715158 * edges[c + 1] + 0.072186 * edges[c + 2];
      // IM: j = ceil(3·(1 − luma/QuantumRange) − 0.5), clamped, made even; j = 0 → 3×3.
      let j = Math.ceil(3 * (1 - QUANTUM_SCALE * luma) - 0.5);
      if (j < 0) j = 0;
      else if (j > 3) j = 3;
      if (j & 1) j--;
      if (j !== 0) {
        dst[c] = data[c];
        dst[c + 1] = data[c + 1];
        dst[c + 2] = data[c + 2];
        continue;
      }
      for (let ch = 0; ch < 3; ch++) {
        let sum = 0;
        let k = 0;
        for (let v = -1; v <= 1; v++) {
          const yy = y + v < 0 ? 0 : y + v >= height ? height - 1 : y + v;
          for (let u = -1; u <= 1; u++) {
            const xx = x + u < 0 ? 0 : x + u >= width ? width - 1 : x + u;
            sum += RAW[k++] * data[(yy * width + xx) * 3 + ch];
          }
        }
        dst[c + ch] = clampToQuantum(gamma * sum);
      }
    }
  }
  return out;
}
