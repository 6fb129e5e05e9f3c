/**
 * Step 3, `-sample 28x28`: point-sample to fit inside the target box, keeping the aspect
 * ratio (ImageMagick's geometry rounding and SampleImage's pixel-centre index formula).
 * No averaging; images smaller than the box are enlarged by replication.
 */
import { type Raster, createRaster } from '../raster.js';

/** The size `-sample WxH` gives: scale to fit, each side max(1, round-half-up). */
export function fitSize(
  width: number,
  height: number,
  boxWidth: number,
  boxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(boxWidth / width, boxHeight / height);
  return {
    width: Math.max(1, Math.floor(scale * width + 0.5)),
    height: Math.max(1, Math.floor(scale * height + 0.5)),
  };
}

/** IM 6.9 samples at pixel centres less MagickEpsilon (1e-12) so exact halves round down. */
const SAMPLE_OFFSET = 0.5 - 1e-12;

/** Source index for each output index: trunc((i + 0.5 − 1e-12) · n_in / n_out), as IM 6.9. */
export function sampleOffsets(nIn: number, nOut: number): Int32Array {
  const offsets = new Int32Array(nOut);
  for (let i = 0; i < nOut; i++) offsets[i] = Math.trunc(((i + SAMPLE_OFFSET) * nIn) / nOut);
  return offsets;
}

export function sample(raster: Raster, outWidth: number, outHeight: number): Raster {
  if (outWidth === raster.width && outHeight === raster.height) return raster;
  const out = createRaster(outWidth, outHeight);
  const xs = sampleOffsets(raster.width, outWidth);
  const ys = sampleOffsets(raster.height, outHeight);
  const src = raster.data;
  const dst = out.data;
  let o = 0;
  for (let y = 0; y < outHeight; y++) {
    const row = ys[y] * raster.width;
    for (let x = 0; x < outWidth; x++) {
      const i = (row + xs[x]) * 3;
      dst[o++] = src[i];
      dst[o++] = src[i + 1];
      dst[o++] = src[i + 2];
    }
  }
  return out;
}

/** `-sample 28x28` as the pipeline uses it. */
export function sampleToFit(raster: Raster, boxWidth: number, boxHeight: number): Raster {
  const size = fitSize(raster.width, raster.height, boxWidth, boxHeight);
  return sample(raster, size.width, size.height);
}
