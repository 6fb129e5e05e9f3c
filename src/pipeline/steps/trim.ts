/**
 * Step 2, `-fuzz 5% -trim +repage`: crop away the border that matches the corner colours,
 * with ImageMagick 6.9's GetImageBoundingBox rules (see pipeline-spec.md): left/top edges
 * compare with the top-left pixel, the right edge with the top-right pixel, the bottom edge
 * with the bottom-left pixel; the bottom-right pixel is never used.
 */
import { type Raster, createRaster } from '../raster.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** `-fuzz 5%`: ImageMagick scales percentages of fuzz by QuantumRange + 1. */
export const DEFAULT_FUZZ = 0.05 * 65536;

/** The trim box, or null when nothing differs from the corners (IM warns and gives up). */
export function trimBox(raster: Raster, fuzz: number = DEFAULT_FUZZ): Box | null {
  const { width, height, data } = raster;
  // IM compares squared distance against fuzz² per channel summed over 3 channels.
  const limit = 3 * fuzz * fuzz;
  const tl = 0;
  const tr = (width - 1) * 3;
  const bl = (height - 1) * width * 3;
  const r0 = data[tl],
    g0 = data[tl + 1],
    b0 = data[tl + 2];
  const r1 = data[tr],
    g1 = data[tr + 1],
    b1 = data[tr + 2];
  const r2 = data[bl],
    g2 = data[bl + 1],
    b2 = data[bl + 2];
  let left = width;
  let top = height;
  let right = 0;
  let bottom = 0;
  // Each test only matters while it can still move its bound, so most are skipped.
  for (let y = 0; y < height; y++) {
    let i = y * width * 3;
    for (let x = 0; x < width; x++, i += 3) {
      const r = data[i];
      const g = data[i + 1];
      const b = data[i + 2];
      if (x < left || y < top) {
        const d = r - r0;
        const e = g - g0;
        const f = b - b0;
        if (d * d + e * e + f * f > limit) {
          if (x < left) left = x;
          if (y < top) top = y;
        }
      }
      if (x > right) {
        const d = r - r1;
        const e = g - g1;
        const f = b - b1;
        if (d * d + e * e + f * f > limit) right = x;
      }
      if (y > bottom) {
        const d = r - r2;
        const e = g - g2;
        const f = b - b2;
        if (d * d + e * e + f * f > limit) bottom = y;
      }
    }
  }
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  // Nothing differs from the corners: IM warns and yields an empty image.
  if (boxWidth <= 0 || boxHeight <= 0) return null;
  return { x: left, y: top, width: boxWidth, height: boxHeight };
}

/** Copies the box out as a new raster (the `+repage` makes its origin 0,0). */
export function crop(raster: Raster, box: Box): Raster {
  const out = createRaster(box.width, box.height);
  const rowLen = box.width * 3;
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * raster.width + box.x) * 3;
    out.data.set(raster.data.subarray(from, from + rowLen), y * rowLen);
  }
  return out;
}

/** Trim, or null when the image is all border. */
export function trim(raster: Raster, fuzz: number = DEFAULT_FUZZ): Raster | null {
  const box = trimBox(raster, fuzz);
  return box === null ? null : crop(raster, box);
}
