/**
 * What SGDClassifier, Perceptron and PassiveAggressiveClassifier share (scikit-learn 0.19's
 * BaseSGDClassifier): one-vs-rest over the classes, each class's ±1 problem fitted by plain
 * SGD (kernels/sgd-train.ts; sgd-ovr.ts runs the problems, optionally on worker threads);
 * prediction by the largest decision value w_k·x + b_k (two classes: one weight vector,
 * the second class when the decision is positive).
 */
import { dotRow, rowSquaredNorms } from '../../kernels/sgd.js';
import { SCHEDULE_PA1, SCHEDULE_PA2, type BinarySgdConfig } from '../../kernels/sgd-train.js';
import { BaseClassifier } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import type { Constraint, Schema } from '../params.js';
import { toRng, type RandomState } from '../random.js';
import { fitOneVsRest, resolveSgdJobs, type SgdKernelsChoice } from './sgd-ovr.js';

/** Parameters every member of the family has, with scikit-learn's names. */
export interface SgdCommonParams {
  /**
   * Whether to fit an intercept b (otherwise the data are assumed centred).
   * @default true
   */
  fit_intercept: boolean;
  /**
   * Passes over the training data (epochs). scikit-learn 0.19's default: 5 (its n_iter);
   * ≥ 0.21 defaults to 1000 with tol = 1e-3.
   * @default 5
   */
  max_iter: number;
  /**
   * Stopping criterion. null (0.19's default): run exactly max_iter epochs. A number:
   * stop as scikit-learn ≥ 0.21 does, once n_iter_no_change epochs in a row failed to
   * bring the summed training loss below (best so far − tol·n_samples).
   * @default null
   */
  tol: number | null;
  /**
   * Epochs without improvement tolerated before stopping; used only when tol is a number.
   * @default 5
   */
  n_iter_no_change: number;
  /**
   * Whether to reshuffle the training rows before every epoch.
   * @default true
   */
  shuffle: boolean;
  /**
   * Seed (or Rng) for the shuffles. null means seed 0: fmnist has no global generator.
   * @default null
   */
  random_state: RandomState | null;
  /**
   * Threads for the one-vs-rest problems (scikit-learn's n_jobs): null → 1, −1 → every
   * core. The result does not depend on it.
   * @default null
   */
  n_jobs: number | null;
}

export const COMMON_SCHEMA: Schema<SgdCommonParams> = {
  fit_intercept: [{ kind: 'bool' }],
  max_iter: [{ kind: 'int', min: 1 }],
  tol: [{ kind: 'null' }, { kind: 'float', min: 0 }],
  n_iter_no_change: [{ kind: 'int', min: 1 }],
  shuffle: [{ kind: 'bool' }],
  random_state: [{ kind: 'null' }, { kind: 'random-state' }],
  n_jobs: [{ kind: 'null' }, { kind: 'int', min: 1 }, { kind: 'int', min: -64, max: -1 }],
};

export const COMMON_DEFAULTS: SgdCommonParams = {
  fit_intercept: true,
  max_iter: 5,
  tol: null,
  n_iter_no_change: 5,
  shuffle: true,
  random_state: null,
  n_jobs: null,
};

export const PENALTY_CONSTRAINT: readonly Constraint[] = [
  { kind: 'null' },
  { kind: 'enum', values: ['none', 'l2', 'l1', 'elasticnet'] },
];

export abstract class BaseSgdClassifier<P extends SgdCommonParams> extends BaseClassifier<P> {
  /** One weight row per binary problem (1 row for two classes, K rows otherwise), row-major. */
  coef: Float64Array | null = null;
  /** One intercept per binary problem. */
  intercept: Float64Array | null = null;
  /** Epochs run: the most any binary problem needed. */
  nIter = 0;
  /**
   * The row operations' implementation: the WASM SIMD kernels, or the TypeScript reference
   * (for tests and benchmarks). Not a scikit-learn parameter; the model is the same.
   */
  kernels: SgdKernelsChoice = 'wasm';

  /** The kernel settings this estimator's params stand for. */
  protected abstract binaryConfig(): BinarySgdConfig;

  protected async fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> {
    if (nClasses < 2) {
      throw new RangeError(
        `${this.estimatorName}: the number of classes has to be greater than one; got ${nClasses} class.`,
      );
    }
    const cfg = this.binaryConfig();
    const pa = cfg.schedule === SCHEDULE_PA1 || cfg.schedule === SCHEDULE_PA2;
    const data = {
      X: X.data,
      rows: X.rows,
      cols: X.cols,
      labels: y,
      rowSqNorms: pa ? rowSquaredNorms(X.data, X.rows, X.cols) : undefined,
    };
    const jobs = resolveSgdJobs(this.params.n_jobs);
    const model = await fitOneVsRest(
      data,
      nClasses,
      cfg,
      toRng(this.params.random_state),
      jobs,
      this.kernels,
    );
    this.coef = model.coef;
    this.intercept = model.intercept;
    this.nIter = model.nIter;
  }

  /**
   * The decision values w_k·x + b_k, rows × problems (one column for two classes, where
   * a positive value means the second class).
   */
  async decisionFunction(X: Matrix): Promise<Matrix> {
    this.checkFitted(X);
    return { data: Float32Array.from(this.decisions(X)), rows: X.rows, cols: this.problemCount() };
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const scores = this.decisions(X);
    const m = this.problemCount();
    const out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      if (m === 1) {
        out[i] = scores[i] > 0 ? 1 : 0;
        continue;
      }
      let best = 0;
      for (let k = 1; k < m; k++) if (scores[i * m + k] > scores[i * m + best]) best = k;
      out[i] = best;
    }
    return out;
  }

  private problemCount(): number {
    return (this.intercept as Float64Array).length;
  }

  private decisions(X: Matrix): Float64Array {
    const coef = this.coef as Float64Array;
    const intercept = this.intercept as Float64Array;
    const m = intercept.length;
    const d = X.cols;
    const out = new Float64Array(X.rows * m);
    for (let k = 0; k < m; k++) {
      const w = coef.subarray(k * d, (k + 1) * d);
      for (let i = 0; i < X.rows; i++) out[i * m + k] = dotRow(w, X.data, i * d, d) + intercept[k];
    }
    return out;
  }
}
