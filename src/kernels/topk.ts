/**
 * Per-row top-k selection in WASM: the k smallest values of each row with their column
 * indices, ascending; among equal values the lower column index comes first.
 */
import { checkShape, localKernels, withBorrowedSync } from './local.js';

export interface TopK {
  /** rows×k values, each row ascending. */
  values: Float32Array;
  /** rows×k column indices matching `values`. */
  indices: Int32Array;
}

export function topkSmallest(values: Float32Array, rows: number, cols: number, k: number): TopK {
  checkShape('topkSmallest', 'values', values, rows, cols);
  if (!Number.isInteger(k) || k < 1 || k > cols) {
    throw new RangeError(
      `topkSmallest: k must be an int in [1, ${cols}] (the row length). Got ${k}.`,
    );
  }
  return withBorrowedSync([values], ([pv], arena) => {
    const kern = localKernels();
    const dist = arena.allocF32(rows * k);
    const idx = arena.allocI32(rows * k);
    try {
      kern.topkInit(dist.byteOffset, idx.byteOffset, rows, k);
      kern.topkUpdate(pv, rows, cols, cols, 0, k, dist.byteOffset, idx.byteOffset);
      return { values: dist.slice(), indices: idx.slice() };
    } finally {
      arena.releaseView(idx);
      arena.releaseView(dist);
    }
  });
}
