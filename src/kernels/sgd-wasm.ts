/**
 * The SGD row operations of sgd.ts on the WASM SIMD kernels (assembly/sgd.ts). Same
 * signatures, so trainSgdProblems runs on either; here the arrays must be views of the
 * kernels' memory (the shared arena), since only their byte offsets are passed on.
 */
import type { SgdRowOps } from './sgd.js';

/** The kernels' SGD exports; pointers are byte offsets into the shared memory. */
export interface SgdKernels {
  sgdDot(w: number, x: number, d: number): number;
  sgdAdd(w: number, x: number, d: number, c: number): void;
  sgdAddDotNext(w: number, x: number, xNext: number, d: number, c: number): number;
  sgdTruncateDot(w: number, q: number, wscale: number, u: number, x: number, d: number): number;
  sgdAddTruncate(
    w: number,
    q: number,
    wscale: number,
    u: number,
    x: number,
    d: number,
    c: number,
  ): void;
  sgdAddTruncateDotNext(
    w: number,
    q: number,
    wscale: number,
    u: number,
    x: number,
    xNext: number,
    d: number,
    c: number,
  ): number;
  sgdPeekTruncatedDot(w: number, q: number, u: number, x: number, d: number): number;
  sgdCatchUpAddTruncate(
    w: number,
    q: number,
    uBefore: number,
    u: number,
    x: number,
    d: number,
    c: number,
  ): void;
}

export function wasmRowOps(k: SgdKernels): SgdRowOps {
  // Row o of X starts at X.byteOffset + 4·o (o is an element offset).
  const row = (X: Float32Array, o: number): number => X.byteOffset + o * 4;
  return {
    dotRow: (w, X, o, d) => k.sgdDot(w.byteOffset, row(X, o), d),
    addRow: (w, X, o, d, c) => k.sgdAdd(w.byteOffset, row(X, o), d, c),
    addRowDotNext: (w, X, o, oNext, d, c) =>
      k.sgdAddDotNext(w.byteOffset, row(X, o), row(X, oNext), d, c),
    truncateDotRow: (w, q, wscale, u, X, o, d) =>
      k.sgdTruncateDot(w.byteOffset, q.byteOffset, wscale, u, row(X, o), d),
    addRowTruncate: (w, q, wscale, u, X, o, d, c) =>
      k.sgdAddTruncate(w.byteOffset, q.byteOffset, wscale, u, row(X, o), d, c),
    addRowTruncateDotNext: (w, q, wscale, u, X, o, oNext, d, c) =>
      k.sgdAddTruncateDotNext(
        w.byteOffset,
        q.byteOffset,
        wscale,
        u,
        row(X, o),
        row(X, oNext),
        d,
        c,
      ),
    peekTruncatedDotRow: (w, q, u, X, o, d) =>
      k.sgdPeekTruncatedDot(w.byteOffset, q.byteOffset, u, row(X, o), d),
    catchUpAddRowTruncate: (w, q, uBefore, u, X, o, d, c) =>
      k.sgdCatchUpAddTruncate(w.byteOffset, q.byteOffset, uBefore, u, row(X, o), d, c),
  };
}
