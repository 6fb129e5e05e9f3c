/**
 * Step 5, `-gravity center -background white -extent 28x28 +repage`: centre the image on a
 * white canvas. IM places it at x = W/2 − floor(w/2) (integer halves), so an odd leftover
 * column goes to the left and an odd leftover row to the top.
 */
import { type Raster, QUANTUM_RANGE, createRaster } from '../raster.js';

export function extentCentered(raster: Raster, width: number, height: number): Raster {
  const out = createRaster(width, height);
  out.data.fill(QUANTUM_RANGE);
  const ox = Math.floor(width / 2) - Math.floor(raster.width / 2);
  const oy = Math.floor(height / 2) - Math.floor(raster.height / 2);
  for (let y = 0; y < raster.height; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= height) continue;
    for (let x = 0; x < raster.width; x++) {
      const tx = x + ox;
      if (tx < 0 || tx >= width) continue;
      const s = (y * raster.width + x) * 3;
      const d = (ty * width + tx) * 3;
      out.data[d] = raster.data[s];
      out.data[d + 1] = raster.data[s + 1];
      out.data[d + 2] = raster.data[s + 2];
    }
  }
  return out;
}
