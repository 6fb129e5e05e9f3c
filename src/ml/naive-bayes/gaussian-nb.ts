/**
 * Gaussian naive Bayes with scikit-learn 0.19's semantics: per-class feature means and
 * population variances, every variance widened by epsilon = var_smoothing × the largest
 * feature variance of the whole training set, class priors from the data unless given.
 */
import {
  classColumnMeanVar,
  gaussianJointLogLikelihood,
  pooledColumnVariance,
} from '../../kernels/columns.js';
import { BaseClassifier } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import type { Schema } from '../params.js';

export interface GaussianNBParams {
  /**
   * Prior probability of each class, in the order of the sorted class labels; they must
   * sum to 1. `null` estimates them from the training labels.
   * @default null
   */
  priors: number[] | null;
  /**
   * Fraction of the largest feature variance added to every variance, for stability
   * (0.19 hard-coded this as 1e-9; 0.20 named it var_smoothing).
   * @default 1e-9
   */
  var_smoothing: number;
}

const SCHEMA: Schema<GaussianNBParams> = {
  priors: [{ kind: 'null' }, { kind: 'number-array', min: 0, max: 1, minLength: 1 }],
  var_smoothing: [{ kind: 'float', min: 0 }],
};
const DEFAULTS: GaussianNBParams = { priors: null, var_smoothing: 1e-9 };

export class GaussianNB extends BaseClassifier<GaussianNBParams> {
  /** Per-class feature means, K×d. */
  theta: Float64Array | null = null;
  /** Per-class feature variances (smoothed), K×d. */
  sigma: Float64Array | null = null;
  /** log prior − ½ Σ log(2π σ²) per class: the part of the likelihood that does not depend on x. */
  private bias: Float64Array | null = null;

  constructor(params?: Partial<GaussianNBParams>) {
    super('GaussianNB', SCHEMA, DEFAULTS, params);
  }

  protected fitEncoded(X: Matrix, y: Int32Array, nClasses: number): void {
    const { priors, var_smoothing } = this.params;
    if (priors !== null) {
      if (priors.length !== nClasses) {
        throw new RangeError(
          `The 'priors' parameter of GaussianNB has ${priors.length} entries but the training labels have ${nClasses} classes.`,
        );
      }
      const sum = priors.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-8) {
        throw new RangeError(
          `The 'priors' parameter of GaussianNB must sum to 1. Got a sum of ${sum}.`,
        );
      }
    }
    const { mean, variance, counts } = classColumnMeanVar(X.data, X.rows, X.cols, y, nClasses);
    const epsilon =
      var_smoothing * Math.max(...pooledColumnVariance(mean, variance, counts, X.cols));
    const bias = new Float64Array(nClasses);
    for (let k = 0; k < nClasses; k++) {
      let logDet = 0;
      for (let j = 0; j < X.cols; j++) {
        variance[k * X.cols + j] += epsilon;
        logDet += Math.log(2 * Math.PI * variance[k * X.cols + j]);
      }
      const prior = priors !== null ? priors[k] : counts[k] / X.rows;
      bias[k] = Math.log(prior) - 0.5 * logDet;
    }
    this.theta = mean;
    this.sigma = variance;
    this.bias = bias;
  }

  /** Unnormalised log posterior per row and class (n×K), as scikit-learn's _joint_log_likelihood. */
  private jointLogLikelihood(X: Matrix): Float64Array {
    return gaussianJointLogLikelihood(
      X.data,
      X.rows,
      X.cols,
      this.theta as Float64Array,
      this.sigma as Float64Array,
      this.bias as Float64Array,
    );
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const K = (this.bias as Float64Array).length;
    const jll = this.jointLogLikelihood(X);
    const out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (jll[i * K + k] > jll[i * K + best]) best = k;
      out[i] = best;
    }
    return out;
  }

  async predictProba(X: Matrix): Promise<Matrix> {
    this.checkFitted(X);
    const K = (this.bias as Float64Array).length;
    const jll = this.jointLogLikelihood(X);
    const out = new Float32Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, jll[i * K + k]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(jll[i * K + k] - max);
      for (let k = 0; k < K; k++) out[i * K + k] = Math.exp(jll[i * K + k] - max) / sum;
    }
    return { data: out, rows: X.rows, cols: K };
  }
}
