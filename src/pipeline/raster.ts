/**
 * The raster every pipeline step works on: interleaved RGB in 16-bit quanta (ImageMagick
 * Q16: an 8-bit sample v is stored as v × 257), row-major, no alpha (alpha is flattened
 * onto white when decoding, as the reference command's `-alpha remove` does).
 */
export interface Raster {
  readonly width: number;
  readonly height: number;
  /** Always 3 (R, G, B) inside the pipeline. */
  readonly channels: 3;
  readonly data: Uint16Array;
  /**
   * The source had an alpha channel. ImageMagick keeps it (all opaque) after `-alpha
   * remove`, and that changes `-adaptive-sharpen`'s edge map (see adaptive-sharpen.ts).
   */
  readonly matte?: boolean;
}

/** ImageMagick's QuantumRange at Q16. */
export const QUANTUM_RANGE = 65535;

export function createRaster(width: number, height: number): Raster {
  return { width, height, channels: 3, data: new Uint16Array(width * height * 3) };
}

/** An 8-bit RGB buffer lifted to Q16 (v × 257, exactly what ImageMagick does on read). */
export function rasterFromRgb8(width: number, height: number, rgb: Uint8Array): Raster {
  const raster = createRaster(width, height);
  const out = raster.data;
  for (let i = 0; i < out.length; i++) out[i] = rgb[i] * 257;
  return raster;
}

/** Q16 → 8 bit with rounding (ImageMagick's ScaleQuantumToChar), for pictures of steps. */
export function rasterToRgb8(raster: Raster): Uint8Array {
  const out = new Uint8Array(raster.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor((raster.data[i] + 128) / 257);
  return out;
}
