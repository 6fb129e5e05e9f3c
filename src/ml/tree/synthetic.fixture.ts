/**
 * Small integer-valued data for the tree tests: 3 classes, feature j shifted up for the
 * rows of class j, so trees have real splits to find.
 */
import { Rng } from '../random.js';

export function syntheticClasses(
  n: number,
  d: number,
  seed: number,
): { X: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextInt(3);
    for (let j = 0; j < d; j++) X[i * d + j] = rng.nextInt(8) + (j === y[i] ? 3 : 0);
  }
  return { X, y };
}
