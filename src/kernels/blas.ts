/** Level-1 BLAS on float32 vectors, in WASM SIMD: dot and axpy. */
import { localKernels, withBorrowedSync } from './local.js';

/** Σ x[i]·y[i] (float32 accumulation in four SIMD lanes). */
export function dot(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length)
    throw new RangeError(`dot: x has ${x.length} values but y has ${y.length}.`);
  return withBorrowedSync([x, y], ([px, py]) => localKernels().dot(px, py, x.length));
}

/** y += a·x, in place. */
export function axpy(a: number, x: Float32Array, y: Float32Array): void {
  if (x.length !== y.length)
    throw new RangeError(`axpy: x has ${x.length} values but y has ${y.length}.`);
  withBorrowedSync([x, y], ([px, py], arena) => {
    localKernels().axpy(a, px, py, x.length);
    // y was copied in unless it lives in the arena: copy the result back.
    if (!arena.owns(y)) y.set(new Float32Array(arena.buffer(), py, y.length));
  });
}
