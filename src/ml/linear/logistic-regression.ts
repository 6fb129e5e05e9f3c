/**
 * LogisticRegression as scikit-learn 0.19 ran it by default (solver 'liblinear',
 * multi_class 'ovr'): one binary problem per class, each
 *   l2:  min ½‖w‖² + C Σ log(1 + e^(−y w·x))   by trust-region Newton (TRON)
 *   l1:  min  ‖w‖₁ + C Σ log(1 + e^(−y w·x))   by newGLMNET
 * with the intercept as a constant extra feature (intercept_scaling) whose weight is
 * penalised like the others, and liblinear's stopping rules (tol = liblinear's eps).
 */
import { rowDot } from '../../kernels/liblinear.js';
import { BaseClassifier } from '../estimator.js';
import { matrix, type Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import { type RandomState, toRng } from '../random.js';
import type { BinarySolver } from './liblinear-binary.js';
import { predictLinear, trainOneVsRest } from './liblinear-ovr.js';
import { OvrFitParts } from './class-parts.js';
import type { FitParts, ResumedParts } from '../fit-parts.js';
import { withWasmProblem } from './liblinear-wasm-problem.js';

export interface LogisticRegressionParams {
  /** 'l2' (TRON) or 'l1' (newGLMNET). @default 'l2' */
  penalty: 'l1' | 'l2';
  /** Solve the dual instead; fmnist implements only the primal (dual=False). @default false */
  dual: boolean;
  /** liblinear's eps; scaled by the smaller class's share for each problem. @default 1e-4 */
  tol: number;
  /** Inverse regularisation strength. @default 1.0 */
  C: number;
  /** Append the constant feature that plays the intercept. @default true */
  fit_intercept: boolean;
  /** Value of that constant feature (a larger one penalises the intercept less). @default 1 */
  intercept_scaling: number;
  /** Seed for the coordinate-descent order of the l1 solver. @default null (seed 0) */
  random_state: RandomState | null;
  /** Only liblinear, the 0.19 default. @default 'liblinear' */
  solver: 'liblinear';
  /** Newton iterations per binary problem. @default 100 */
  max_iter: number;
  /** Only one-vs-rest, the 0.19 default. @default 'ovr' */
  multi_class: 'ovr';
  /** Worker threads for the one-vs-rest problems (null = 1, −1 = all cores). @default null */
  n_jobs: number | null;
}

const SCHEMA: Schema<LogisticRegressionParams> = {
  penalty: [{ kind: 'enum', values: ['l1', 'l2'] }],
  dual: [{ kind: 'bool' }],
  tol: [{ kind: 'float', min: 0, closed: 'neither' }],
  C: [{ kind: 'float', min: 0, closed: 'neither' }],
  fit_intercept: [{ kind: 'bool' }],
  intercept_scaling: [{ kind: 'float', min: 0, closed: 'neither' }],
  random_state: [{ kind: 'null' }, { kind: 'random-state' }],
  solver: [{ kind: 'enum', values: ['liblinear'] }],
  max_iter: [{ kind: 'int', min: 1 }],
  multi_class: [{ kind: 'enum', values: ['ovr'] }],
  n_jobs: [{ kind: 'null' }, { kind: 'int', min: 1 }, { kind: 'int', min: -1, max: -1 }],
};

const DEFAULTS: LogisticRegressionParams = {
  penalty: 'l2',
  dual: false,
  tol: 1e-4,
  C: 1.0,
  fit_intercept: true,
  intercept_scaling: 1,
  random_state: null,
  solver: 'liblinear',
  max_iter: 100,
  multi_class: 'ovr',
  n_jobs: null,
};

export class LogisticRegression extends BaseClassifier<LogisticRegressionParams> {
  /** Weights, nW × n_features (nW = 1 for two classes), row-major like scikit-learn's coef_. */
  coef: Float64Array | null = null;
  /** One intercept per weight vector (intercept_scaling × the constant feature's weight). */
  intercept: Float64Array | null = null;
  /** Newton iterations per binary problem (scikit-learn's n_iter_). */
  nIter: number[] = [];
  private model: { coef: Float64Array; nW: number; biasValue: number } | null = null;
  private readonly ovrParts = new OvrFitParts();

  /**
   * Keeps each one-vs-rest problem in `parts` as soon as it is solved, and takes the ones
   * found there instead of solving them: a fit of hours that is killed resumes (the
   * benchmark hands every repeat its own parts in the results store).
   */
  useFitParts(parts: FitParts | null): void {
    this.ovrParts.parts = parts;
  }

  /** What the last fit restored from its FitParts (see useFitParts), or null. */
  get resumedParts(): ResumedParts | null {
    return this.ovrParts.resumed;
  }

  get benchmarkNote(): string | null {
    return this.ovrParts.note;
  }

  constructor(params?: Partial<LogisticRegressionParams>) {
    super('LogisticRegression', SCHEMA, DEFAULTS, params);
    if (this.params.dual) {
      // scikit-learn would use liblinear's L2R_LR_DUAL (or reject l1); fmnist has only the primal.
      throw new RangeError(
        `LogisticRegression: dual=true is not implemented in fmnist (scikit-learn 0.19's default and the paper's rows use dual=false). Got penalty='${this.params.penalty}', dual=true.`,
      );
    }
  }

  protected async fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> {
    const { C, tol, max_iter, fit_intercept, intercept_scaling, penalty, n_jobs, random_state } =
      this.params;
    if (nClasses < 2) {
      throw new RangeError(
        `LogisticRegression.fit: this solver needs samples of at least 2 classes in the data, but the data contains only one class.`,
      );
    }
    const solver: BinarySolver = penalty === 'l2' ? 'l2r_lr' : 'l1r_lr';
    const biasValue = fit_intercept ? intercept_scaling : 0;
    const keeper = this.ovrParts.startFit(nClasses);
    const m = await withWasmProblem(X, fit_intercept, intercept_scaling, (p) =>
      trainOneVsRest(
        p,
        y,
        nClasses,
        { solver, C, eps: tol, maxIter: max_iter },
        toRng(random_state),
        n_jobs ?? 1,
        keeper,
      ),
    );
    this.ovrParts.endFit();
    this.model = { coef: m.coef, nW: m.nW, biasValue };
    this.nIter = m.iterations;
    [this.coef, this.intercept] = splitIntercept(m.coef, m.nW, X.cols, biasValue);
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const m = this.model as NonNullable<typeof this.model>;
    return predictLinear(X.data, X.rows, X.cols, m.coef, m.nW, m.biasValue, rowDot);
  }

  /**
   * One-vs-rest probabilities as scikit-learn 0.19 computes them: the logistic function of
   * each class's decision value, normalised over classes (two classes: [1 − p, p]).
   */
  async predictProba(X: Matrix): Promise<Matrix> {
    const classes = this.checkFitted(X);
    const m = this.model as NonNullable<typeof this.model>;
    const K = classes.length;
    const size = X.cols + (m.biasValue > 0 ? 1 : 0);
    const out = new Float32Array(X.rows * K);
    const p = new Float64Array(m.nW);
    for (let i = 0; i < X.rows; i++) {
      let sum = 0;
      for (let k = 0; k < m.nW; k++) {
        p[k] =
          1 / (1 + Math.exp(-rowDot(X.data, i * X.cols, X.cols, m.coef, k * size, m.biasValue)));
        sum += p[k];
      }
      if (m.nW === 1) {
        out[i * 2] = 1 - p[0];
        out[i * 2 + 1] = p[0];
      } else for (let k = 0; k < K; k++) out[i * K + k] = p[k] / sum;
    }
    return matrix(out, X.rows, K);
  }
}

/** Splits liblinear's weights (constant feature last) into coef_ and intercept_. */
export function splitIntercept(
  w: Float64Array,
  nW: number,
  cols: number,
  biasValue: number,
): [Float64Array, Float64Array] {
  const size = cols + (biasValue > 0 ? 1 : 0);
  const coef = new Float64Array(nW * cols);
  const intercept = new Float64Array(nW);
  for (let k = 0; k < nW; k++) {
    coef.set(w.subarray(k * size, k * size + cols), k * cols);
    intercept[k] = biasValue > 0 ? w[k * size + cols] * biasValue : 0;
  }
  return [coef, intercept];
}
