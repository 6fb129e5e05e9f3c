/**
 * The SVM family's kernels (src/kernels/assembly/svm.ts): kernel rows K(x_r, x_c) for a
 * few query rows against an index set of data rows, and the dot-product → kernel
 * transform applied to GEMM blocks at prediction. Plus plain-TS references the tests
 * compare them with.
 */
import { checkShape, localKernels, withBorrowedSync } from './local.js';
import type { KernelExports } from './wasm.js';

/** libsvm's kernel codes, as the WASM kernels take them. */
export const KERNEL_CODES = { linear: 0, poly: 1, rbf: 2, sigmoid: 3 } as const;
export type KernelName = keyof typeof KERNEL_CODES;

/** A kernel and its parameters (gamma already resolved to a number). */
export interface KernelSpec {
  readonly kernel: KernelName;
  readonly gamma: number;
  readonly coef0: number;
  readonly degree: number;
}

/** The SVM exports of the kernels module (same module, same instance as KernelExports). */
export interface SvmKernelExports extends KernelExports {
  svmKernelsVersion(): number;
  svmKernelRows(
    x: number,
    d: number,
    sqNorms: number,
    rows: number,
    nRows: number,
    cols: number,
    nCols: number,
    kind: number,
    gamma: number,
    coef0: number,
    degree: number,
    out: number,
    ldOut: number,
  ): void;
  svmKernelFromDots(
    c: number,
    m: number,
    n: number,
    ldc: number,
    aNorms: number,
    bNorms: number,
    kind: number,
    gamma: number,
    coef0: number,
    degree: number,
  ): void;
}

/** The kernels' SVM view of an instance (the module exports everything at once). */
export function asSvmKernels(k: KernelExports): SvmKernelExports {
  return k as SvmKernelExports;
}

/** K(a, b) from a·b and the squared norms, in float64 (the scalar reference). */
export function kernelValue(spec: KernelSpec, dot: number, na: number, nb: number): number {
  switch (spec.kernel) {
    case 'linear':
      return dot;
    case 'poly':
      return (spec.gamma * dot + spec.coef0) ** spec.degree;
    case 'rbf':
      return Math.exp(-spec.gamma * Math.max(0, na + nb - 2 * dot));
    case 'sigmoid':
      return Math.tanh(spec.gamma * dot + spec.coef0);
  }
}

/**
 * Kernel rows on this thread: out[q·cols.length + c] = K(x[rows[q]], x[cols[c]]) for an
 * n×d matrix x. The convenience form (copies x into the arena unless it lives there).
 */
export function kernelRows(
  x: Float32Array,
  n: number,
  d: number,
  rows: Int32Array,
  cols: Int32Array,
  spec: KernelSpec,
): Float32Array {
  checkShape('kernelRows', 'x', x, n, d);
  for (const idx of [rows, cols]) {
    for (const r of idx) {
      if (!Number.isInteger(r) || r < 0 || r >= n)
        throw new RangeError(`kernelRows: row index ${r} is outside [0, ${n}).`);
    }
  }
  const k = asSvmKernels(localKernels());
  return withBorrowedSync([x], ([px], arena) => {
    const norms = arena.allocF32(n);
    const ri = arena.allocI32(rows.length);
    const ci = arena.allocI32(cols.length);
    const out = arena.allocF32(rows.length * cols.length);
    try {
      k.rowSqNorms(px, n, d, norms.byteOffset);
      ri.set(rows);
      ci.set(cols);
      k.svmKernelRows(
        px,
        d,
        norms.byteOffset,
        ri.byteOffset,
        rows.length,
        ci.byteOffset,
        cols.length,
        KERNEL_CODES[spec.kernel],
        spec.gamma,
        spec.coef0,
        spec.degree,
        out.byteOffset,
        cols.length,
      );
      return out.slice();
    } finally {
      for (const v of [norms, ri, ci, out]) arena.releaseView(v);
    }
  });
}

/** The plain-TS reference of `kernelRows` (float64 sums). */
export function kernelRowsRef(
  x: Float32Array,
  d: number,
  rows: Int32Array,
  cols: Int32Array,
  spec: KernelSpec,
): Float32Array {
  const out = new Float32Array(rows.length * cols.length);
  const sq = (r: number): number => {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[r * d + k] * x[r * d + k];
    return s;
  };
  rows.forEach((r, q) => {
    cols.forEach((c, j) => {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += x[r * d + k] * x[c * d + k];
      out[q * cols.length + j] = kernelValue(spec, dot, sq(r), sq(c));
    });
  });
  return out;
}
