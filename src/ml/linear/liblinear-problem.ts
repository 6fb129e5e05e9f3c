/**
 * What every liblinear solver here trains on: a dense row-major float32 matrix plus,
 * like liblinear's `bias` ≥ 0, an optional constant feature appended to every row.
 * That feature gets a weight of its own which the L2 (or L1) penalty shrinks too:
 * liblinear's intercept is regularised, unlike a textbook one.
 */
import { tsLinearOps, type LinearOps } from '../../kernels/linear-ops.js';
import type { Matrix } from '../matrix.js';

export interface LinearProblem {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** The constant feature's value (scikit-learn's intercept_scaling); 0 means none. */
  readonly biasValue: number;
  /** The kernels the solvers run on; with the WASM ops, `data` lives in their memory. */
  readonly ops: LinearOps;
  /**
   * A column-major copy of the data with the constant feature as a last column, in the
   * ops' memory, for solvers that walk features (newGLMNET); built on demand if absent.
   */
  readonly columns?: Float32Array;
}

/** A problem over X as it is, solved with the plain TypeScript kernels. */
export function linearProblem(
  X: Matrix,
  fitIntercept: boolean,
  interceptScaling: number,
  ops: LinearOps = tsLinearOps,
): LinearProblem {
  return {
    data: X.data,
    rows: X.rows,
    cols: X.cols,
    biasValue: fitIntercept ? interceptScaling : 0,
    ops,
  };
}

/** Number of weights: one per feature, plus one for the constant feature. */
export function weightSize(p: LinearProblem): number {
  return p.cols + (p.biasValue > 0 ? 1 : 0);
}

/** ±1 labels for the one-vs-rest problem of class k (class k is +1). */
export function oneVsRestLabels(y: Int32Array, k: number): Int8Array {
  const out = new Int8Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] === k ? 1 : -1;
  return out;
}

/** liblinear's primal tolerance: eps scaled by the smaller class's share, eps·max(min(pos,neg),1)/l. */
export function primalTolerance(eps: number, y: Int8Array): number {
  let pos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] > 0) pos++;
  const neg = y.length - pos;
  return (eps * Math.max(Math.min(pos, neg), 1)) / y.length;
}
