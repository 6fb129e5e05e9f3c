/** Small synthetic data for the SGD family's tests: Gaussian blobs, one per class. */
import type { Matrix } from '../matrix.js';
import { Rng } from '../random.js';

/**
 * n rows, d features, k classes (labels given by `labelOf`, default 0..k-1): class c's
 * centre is `separation` along feature c mod d, plus unit Gaussian noise everywhere.
 */
export function blobs(
  n: number,
  d: number,
  k: number,
  seed: number,
  separation = 3,
  labelOf: (c: number) => number = (c) => c,
): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    y[i] = labelOf(c);
    for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal() + (j === c % d ? separation : 0);
  }
  return { X: { data, rows: n, cols: d }, y };
}
