/**
 * Dual coordinate descent for the L2-regularised SVM (Hsieh et al. 2008, liblinear's
 * solve_l2r_l1l2_svc), one binary ±1 problem:
 *   min_α ½ αᵀ(Q + D)α − eᵀα,  0 ≤ α_i ≤ U,  Q_ij = y_i y_j x_i·x_j,  w = Σ α_i y_i x_i
 * hinge (L1 loss): U = C, D = 0;  squared hinge (L2 loss): U = ∞, D_ii = 1/(2C).
 * Each pass visits the active rows in a fresh random order; rows whose projected gradient
 * says they will stay at a bound are shrunk away, and everything is re-checked before
 * stopping (max PG − min PG ≤ eps over all rows), exactly as liblinear does.
 */
import { rowSquaredNorms } from '../../kernels/liblinear.js';
import type { LinearProblem } from './liblinear-problem.js';
import { weightSize } from './liblinear-problem.js';

export type SvmLoss = 'hinge' | 'squared_hinge';

/** Where each pass's visiting order comes from: fmnist's Rng, or a replica of another's stream. */
export interface IndexStream {
  /** A uniform integer in [0, n). */
  nextInt(n: number): number;
}

export interface DualCdResult {
  w: Float64Array;
  alpha: Float64Array;
  /** Passes over the (active) data; equals maxIter when it did not converge. */
  iterations: number;
}

export function solveSvmDual(
  p: LinearProblem,
  y: Int8Array,
  C: number,
  loss: SvmLoss,
  eps: number,
  maxIter: number,
  rng: IndexStream,
  /** The row order before the first pass's shuffle (liblinear's: rows grouped by class). */
  initialOrder: Int32Array | null = null,
): DualCdResult {
  const { data, rows: l, cols, biasValue, ops } = p;
  const diag = loss === 'hinge' ? 0 : 0.5 / C;
  const upper = loss === 'hinge' ? C : Infinity;
  const w = ops.f64(weightSize(p));
  const alpha = new Float64Array(l);
  const QD = rowSquaredNorms(data, l, cols, biasValue);
  const index = new Int32Array(l);
  for (let i = 0; i < l; i++) {
    QD[i] += diag;
    index[i] = initialOrder === null ? i : initialOrder[i];
  }
  let activeSize = l;
  let PGmaxOld = Infinity;
  let PGminOld = -Infinity;
  let iter = 0;

  while (iter < maxIter) {
    let PGmaxNew = -Infinity;
    let PGminNew = Infinity;
    for (let i = 0; i < activeSize; i++) {
      const j = i + rng.nextInt(activeSize - i);
      const t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    for (let s = 0; s < activeSize; s++) {
      const i = index[s];
      const yi = y[i];
      const offset = i * cols;
      const G = ops.rowDot(data, offset, cols, w, 0, biasValue) * yi - 1 + alpha[i] * diag;
      let PG = 0;
      if (alpha[i] === 0) {
        if (G > PGmaxOld) {
          activeSize--;
          index[s] = index[activeSize];
          index[activeSize] = i;
          s--;
          continue;
        } else if (G < 0) PG = G;
      } else if (alpha[i] === upper) {
        if (G < PGminOld) {
          activeSize--;
          index[s] = index[activeSize];
          index[activeSize] = i;
          s--;
          continue;
        } else if (G > 0) PG = G;
      } else PG = G;
      if (PG > PGmaxNew) PGmaxNew = PG;
      if (PG < PGminNew) PGminNew = PG;
      if (Math.abs(PG) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.min(Math.max(old - G / QD[i], 0), upper);
        ops.rowAxpy(data, offset, cols, (alpha[i] - old) * yi, w, 0, biasValue);
      }
    }
    iter++;
    if (PGmaxNew - PGminNew <= eps) {
      if (activeSize === l) break;
      // Converged on the shrunk set: re-check every row before declaring victory.
      activeSize = l;
      PGmaxOld = Infinity;
      PGminOld = -Infinity;
      continue;
    }
    PGmaxOld = PGmaxNew <= 0 ? Infinity : PGmaxNew;
    PGminOld = PGminNew >= 0 ? -Infinity : PGminNew;
  }
  return { w, alpha, iterations: iter };
}

/** The dual objective ½‖w‖² + ½ Σ D_ii α_i² − Σ α_i (lower is better). */
export function svmDualObjective(
  w: Float64Array,
  alpha: Float64Array,
  C: number,
  loss: SvmLoss,
): number {
  const diag = loss === 'hinge' ? 0 : 0.5 / C;
  let v = 0;
  for (let j = 0; j < w.length; j++) v += w[j] * w[j];
  for (let i = 0; i < alpha.length; i++) v += alpha[i] * (alpha[i] * diag - 2);
  return v / 2;
}
