/**
 * Pairwise distance blocks between the rows of A (m×d) and B (n×d), in WASM SIMD on the
 * calling thread: squared row norms, squared Euclidean distances (by the GEMM identity
 * ‖a‖² + ‖b‖² − 2a·b, clamped at 0), Manhattan distances (direct |a − b| sums).
 */
import { checkShape, localKernels, withBorrowedSync } from './local.js';

/** Σ_j a[i,j]² for each row. */
export function rowSqNorms(a: Float32Array, rows: number, cols: number): Float32Array {
  checkShape('rowSqNorms', 'A', a, rows, cols);
  return withBorrowedSync([a], ([pa], arena) => {
    const out = arena.allocF32(rows);
    try {
      localKernels().rowSqNorms(pa, rows, cols, out.byteOffset);
      return out.slice();
    } finally {
      arena.releaseView(out);
    }
  });
}

/** Squared Euclidean distances, m×n. */
export function sqEuclideanDistances(
  a: Float32Array,
  m: number,
  b: Float32Array,
  n: number,
  d: number,
): Float32Array {
  checkShape('sqEuclideanDistances', 'A', a, m, d);
  checkShape('sqEuclideanDistances', 'B', b, n, d);
  return withBorrowedSync([a, b], ([pa, pb], arena) => {
    const k = localKernels();
    const an = arena.allocF32(m);
    const bn = arena.allocF32(n);
    const c = arena.allocF32(m * n);
    try {
      k.rowSqNorms(pa, m, d, an.byteOffset);
      k.rowSqNorms(pb, n, d, bn.byteOffset);
      k.sqEuclideanBlock(pa, m, an.byteOffset, pb, n, bn.byteOffset, d, c.byteOffset, n);
      return c.slice();
    } finally {
      arena.releaseView(c);
      arena.releaseView(bn);
      arena.releaseView(an);
    }
  });
}

/** Manhattan (L1) distances, m×n. */
export function manhattanDistances(
  a: Float32Array,
  m: number,
  b: Float32Array,
  n: number,
  d: number,
): Float32Array {
  checkShape('manhattanDistances', 'A', a, m, d);
  checkShape('manhattanDistances', 'B', b, n, d);
  return withBorrowedSync([a, b], ([pa, pb], arena) => {
    const c = arena.allocF32(m * n);
    try {
      localKernels().manhattanBlock(pa, m, pb, n, d, c.byteOffset, n);
      return c.slice();
    } finally {
      arena.releaseView(c);
    }
  });
}
