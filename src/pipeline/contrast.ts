/**
 * Low-contrast detection ("white products are not included" in the paper): a converted
 * image whose 99th-percentile intensity is below the threshold is mostly background.
 */

/** Ordinary products measure ≥ 54 (median 175); near-white ones fall below this. */
export const DEFAULT_MIN_P99 = 40;

/** 99th percentile by nearest rank: the ceil(0.99·n)-th smallest value. */
export function percentile99(pixels: Uint8Array): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < pixels.length; i++) histogram[pixels[i]]++;
  const rank = Math.ceil(0.99 * pixels.length);
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen >= rank) return v;
  }
  return 255;
}
