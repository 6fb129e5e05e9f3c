/**
 * The smooth primal objectives liblinear hands to TRON, for one binary ±1 problem:
 *   logistic:       ½‖w‖² + C Σ log(1 + e^(−y_i w·x_i))          (L2R_LR)
 *   squared hinge:  ½‖w‖² + C Σ max(0, 1 − y_i w·x_i)²            (L2R_L2LOSS_SVC)
 * w includes the constant feature's weight, so the intercept is regularised too.
 */
import type { LinearProblem } from './liblinear-problem.js';
import { weightSize } from './liblinear-problem.js';
import type { TronObjective } from './liblinear-tron.js';

export class LogisticObjective implements TronObjective {
  readonly size: number;
  /** Margins X·w of the last `value` call, then reused as scratch by `gradient`. */
  private readonly z: Float64Array;
  /** C·σ(1−σ) per row: the Hessian's diagonal weights, set by `gradient`. */
  private readonly D: Float64Array;

  constructor(
    private readonly p: LinearProblem,
    private readonly y: Int8Array,
    private readonly C: number,
  ) {
    this.size = weightSize(p);
    this.z = p.ops.f64(p.rows);
    this.D = p.ops.f64(p.rows);
  }

  value(w: Float64Array): number {
    const { p, y, C, z } = this;
    p.ops.matVec(p.data, p.rows, p.cols, w, p.biasValue, z);
    let f = 0;
    for (let j = 0; j < w.length; j++) f += w[j] * w[j];
    f /= 2;
    for (let i = 0; i < p.rows; i++) {
      const yz = y[i] * z[i];
      // log(1+e^(−t)) evaluated without overflow on either side.
      f += yz >= 0 ? C * Math.log1p(Math.exp(-yz)) : C * (-yz + Math.log1p(Math.exp(yz)));
    }
    return f;
  }

  gradient(w: Float64Array, g: Float64Array): void {
    const { p, y, C, z, D } = this;
    for (let i = 0; i < p.rows; i++) {
      const sigma = 1 / (1 + Math.exp(-y[i] * z[i]));
      D[i] = C * sigma * (1 - sigma);
      z[i] = C * (sigma - 1) * y[i];
    }
    p.ops.matTVec(p.data, p.rows, p.cols, z, p.biasValue, g);
    for (let j = 0; j < g.length; j++) g[j] += w[j];
  }

  hessianTimes(s: Float64Array, out: Float64Array): void {
    const { p, D } = this;
    p.ops.weightedGramVec(p.data, p.rows, p.cols, s, D, p.biasValue, out);
    for (let j = 0; j < out.length; j++) out[j] += s[j];
  }
}

export class SquaredHingeObjective implements TronObjective {
  readonly size: number;
  private readonly z: Float64Array;
  /** Rows with margin < 1 at the last gradient: the only ones in the generalised Hessian. */
  private readonly active: Int32Array;
  private activeCount = 0;

  constructor(
    private readonly p: LinearProblem,
    private readonly y: Int8Array,
    private readonly C: number,
  ) {
    this.size = weightSize(p);
    this.z = p.ops.f64(p.rows);
    this.active = p.ops.i32(p.rows);
  }

  value(w: Float64Array): number {
    const { p, y, C, z } = this;
    p.ops.matVec(p.data, p.rows, p.cols, w, p.biasValue, z);
    let f = 0;
    for (let j = 0; j < w.length; j++) f += w[j] * w[j];
    f /= 2;
    for (let i = 0; i < p.rows; i++) {
      z[i] *= y[i];
      const d = 1 - z[i];
      if (d > 0) f += C * d * d;
    }
    return f;
  }

  gradient(w: Float64Array, g: Float64Array): void {
    const { p, y, C, z, active } = this;
    let count = 0;
    for (let i = 0; i < p.rows; i++) {
      if (z[i] < 1) {
        z[count] = C * y[i] * (z[i] - 1);
        active[count++] = i;
      }
    }
    this.activeCount = count;
    p.ops.subMatTVec(p.data, p.cols, active, count, z, p.biasValue, g);
    for (let j = 0; j < g.length; j++) g[j] = w[j] + 2 * g[j];
  }

  hessianTimes(s: Float64Array, out: Float64Array): void {
    const { p, C, active, activeCount } = this;
    p.ops.subWeightedGramVec(p.data, p.cols, active, activeCount, s, C, p.biasValue, out);
    for (let j = 0; j < out.length; j++) out[j] = s[j] + 2 * out[j];
  }
}
