/**
 * An orthonormal basis of a dataset's leading principal directions, by subspace
 * iteration on the covariance of a sample of rows. k-NN uses it for lower bounds:
 * for orthonormal rows V and any x, ‖x − y‖² ≥ ‖V(x − y)‖² + (ρ(x) − ρ(y))², where
 * ρ(x)² = ‖x‖² − ‖Vx‖² is the energy outside the basis. Any orthonormal V gives a valid
 * bound; a better one (closer to the principal directions) gives a tighter one, so the
 * iteration needs no convergence test, only orthonormal output.
 */
import { gemmAbt } from './gemm.js';

export interface BasisOptions {
  /** Rows sampled (evenly spaced) to estimate the covariance. @default 4096 */
  sampleRows?: number;
  /** Subspace iterations. @default 8 */
  iterations?: number;
}

/** r orthonormal rows of length `cols` (r×cols, float32), spanning approximately the top-r principal directions. */
export function principalBasis(
  data: Float32Array,
  rows: number,
  cols: number,
  r: number,
  options: BasisOptions = {},
): Float32Array {
  r = Math.min(r, cols);
  const s = Math.min(rows, options.sampleRows ?? 4096);
  const iterations = options.iterations ?? 8;
  // Centered sample, transposed (cols×s), so that C = St·Stᵀ is the scatter matrix.
  const step = rows / s;
  const mean = new Float64Array(cols);
  for (let t = 0; t < s; t++) {
    const o = Math.floor(t * step) * cols;
    for (let j = 0; j < cols; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= s;
  const st = new Float32Array(cols * s);
  for (let t = 0; t < s; t++) {
    const o = Math.floor(t * step) * cols;
    for (let j = 0; j < cols; j++) st[j * s + t] = data[o + j] - mean[j];
  }
  const c = gemmAbt(st, cols, st, cols, s);
  // Start from the coordinate axes of the r largest variances.
  const byVariance = Array.from({ length: cols }, (_, j) => j).sort(
    (a, b) => c[b * cols + b] - c[a * cols + a] || a - b,
  );
  let v: Float32Array = new Float32Array(r * cols);
  for (let t = 0; t < r; t++) v[t * cols + byVariance[t]] = 1;
  for (let it = 0; it < iterations; it++) {
    // C is symmetric, so V·C = V·Cᵀ.
    v = orthonormalRows(gemmAbt(v, r, c, cols, cols), r, cols);
  }
  return v;
}

/** Modified Gram–Schmidt in float64, run twice for orthogonality to float32 precision; dependent rows become 0. */
export function orthonormalRows(a: Float32Array, rows: number, cols: number): Float32Array {
  const w = Float64Array.from(a);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < rows; i++) {
      const oi = i * cols;
      let before = 0;
      for (let j = 0; j < cols; j++) before += w[oi + j] * w[oi + j];
      for (let p = 0; p < i; p++) {
        const op = p * cols;
        let dotp = 0;
        for (let j = 0; j < cols; j++) dotp += w[oi + j] * w[op + j];
        for (let j = 0; j < cols; j++) w[oi + j] -= dotp * w[op + j];
      }
      let norm = 0;
      for (let j = 0; j < cols; j++) norm += w[oi + j] * w[oi + j];
      norm = Math.sqrt(norm);
      // A row with (almost) nothing left is dependent on the earlier ones: drop it.
      const scale = norm > 1e-6 * Math.sqrt(before) && norm > 0 ? 1 / norm : 0;
      for (let j = 0; j < cols; j++) w[oi + j] *= scale;
    }
  }
  return Float32Array.from(w);
}
