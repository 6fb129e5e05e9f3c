/**
 * C = A·Bᵀ for row-major float32 A (m×d) and B (n×d), C m×n: the product behind the
 * Euclidean distance identity and the SVM kernels. WASM SIMD, blocked for cache; on the
 * calling thread (`gemmAbt`) or split by blocks of A's rows over the worker pool
 * (`parallelGemm`).
 */
import { checkShape, localKernels, withBorrowed, withBorrowedSync } from './local.js';
import { kernelPool, type KernelPool, type KernelTask } from './pool.js';

/** Rows of A per pool task: large enough to amortise a message, small enough to balance. */
const ROWS_PER_TASK = 64;

/** A·Bᵀ on this thread. */
export function gemmAbt(
  a: Float32Array,
  m: number,
  b: Float32Array,
  n: number,
  d: number,
): Float32Array {
  checkShape('gemmAbt', 'A', a, m, d);
  checkShape('gemmAbt', 'B', b, n, d);
  return withBorrowedSync([a, b], ([pa, pb], arena) => {
    const c = arena.allocF32(m * n);
    try {
      localKernels().gemmAbt(pa, m, pb, n, d, c.byteOffset, n);
      return c.slice();
    } finally {
      arena.releaseView(c);
    }
  });
}

/** A·Bᵀ with A's rows split over the worker pool. */
export async function parallelGemm(
  a: Float32Array,
  m: number,
  b: Float32Array,
  n: number,
  d: number,
  pool: KernelPool = kernelPool(),
): Promise<Float32Array> {
  checkShape('parallelGemm', 'A', a, m, d);
  checkShape('parallelGemm', 'B', b, n, d);
  return withBorrowed([a, b], async ([pa, pb], arena) => {
    const c = arena.allocF32(m * n);
    try {
      const tasks: KernelTask[] = [];
      for (let r = 0; r < m; r += ROWS_PER_TASK) {
        const rows = Math.min(ROWS_PER_TASK, m - r);
        tasks.push({
          fn: 'gemmAbt',
          batches: [[pa + r * d * 4, rows, pb, n, d, c.byteOffset + r * n * 4, n]],
        });
      }
      await pool.runAll(tasks);
      return c.slice();
    } finally {
      arena.releaseView(c);
    }
  });
}
