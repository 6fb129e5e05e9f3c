/** Step 6, `-negate`: 65535 − v on every channel. */
import { type Raster, QUANTUM_RANGE, createRaster } from '../raster.js';

export function negate(raster: Raster): Raster {
  const out = createRaster(raster.width, raster.height);
  for (let i = 0; i < raster.data.length; i++) out.data[i] = QUANTUM_RANGE - raster.data[i];
  return out;
}
