/**
 * The paper's Figure 1 for one input: the image after each step, side by side, every step
 * scaled by nearest neighbour to one height so the 28-pixel steps stay legible.
 */
import { type Raster } from './raster.js';
import type { StepImage } from './convert-image.js';
import { encodePng } from './png.js';

const CELL_HEIGHT = 112;
const GAP = 4;
const GAP_SHADE = 160;

/** An RGB 8-bit strip of all steps. */
export function renderStrip(steps: readonly StepImage[]): {
  width: number;
  height: number;
  rgb: Uint8Array;
} {
  const widths = steps.map((s) =>
    Math.max(1, Math.round((s.raster.width * CELL_HEIGHT) / s.raster.height)),
  );
  const width = widths.reduce((a, b) => a + b, 0) + GAP * (steps.length + 1);
  const height = CELL_HEIGHT + 2 * GAP;
  const rgb = new Uint8Array(width * height * 3).fill(GAP_SHADE);
  let left = GAP;
  steps.forEach((step, k) => {
    blit(step.raster, rgb, width, left, GAP, widths[k], CELL_HEIGHT);
    left += widths[k] + GAP;
  });
  return { width, height, rgb };
}

function blit(
  src: Raster,
  dst: Uint8Array,
  dstWidth: number,
  left: number,
  top: number,
  w: number,
  h: number,
): void {
  for (let y = 0; y < h; y++) {
    const sy = Math.min(src.height - 1, Math.floor((y * src.height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(src.width - 1, Math.floor((x * src.width) / w));
      const s = (sy * src.width + sx) * 3;
      const d = ((top + y) * dstWidth + left + x) * 3;
      for (let c = 0; c < 3; c++) dst[d + c] = Math.floor((src.data[s + c] + 128) / 257);
    }
  }
}

export function encodeStripPng(steps: readonly StepImage[]): Buffer {
  const { width, height, rgb } = renderStrip(steps);
  return encodePng(rgb, width, height, 3);
}
