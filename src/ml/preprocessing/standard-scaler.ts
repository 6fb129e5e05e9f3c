/**
 * StandardScaler as scikit-learn defines it: z = (x − mean) / std with the population
 * std of the training data; a zero-variance feature gets scale 1 (so it maps to 0).
 * Output goes to shared memory so worker threads can read it without a copy.
 */
import { NotFittedError, ShapeMismatchError } from '../../errors.js';
import { affineColumns, columnMeanVar } from '../../kernels/columns.js';
import { checkMatrix } from '../estimator.js';
import { matrix, sharedFloat32, type Matrix } from '../matrix.js';
import { validateParams, type Schema } from '../params.js';

export interface StandardScalerParams {
  /** Subtract the mean. @default true */
  with_mean: boolean;
  /** Divide by the standard deviation. @default true */
  with_std: boolean;
}

const SCHEMA: Schema<StandardScalerParams> = {
  with_mean: [{ kind: 'bool' }],
  with_std: [{ kind: 'bool' }],
};

export class StandardScaler {
  readonly params: Readonly<StandardScalerParams>;
  /** Per-feature mean of the training data (0 when with_mean is false). */
  mean: Float64Array | null = null;
  /** Per-feature scale: population std, or 1 where the std is 0 (or with_std is false). */
  scale: Float64Array | null = null;

  constructor(params?: Partial<StandardScalerParams>) {
    this.params = validateParams(
      'StandardScaler',
      SCHEMA,
      { with_mean: true, with_std: true },
      params,
    );
  }

  fit(X: Matrix): this {
    checkMatrix('StandardScaler', X, 'X');
    const { mean, variance } = columnMeanVar(X.data, X.rows, X.cols);
    this.mean = this.params.with_mean ? mean : new Float64Array(X.cols);
    this.scale = variance.map((v) => (this.params.with_std && v > 0 ? Math.sqrt(v) : 1));
    return this;
  }

  transform(X: Matrix): Matrix {
    if (this.mean === null || this.scale === null) throw new NotFittedError('StandardScaler');
    checkMatrix('StandardScaler', X, 'X');
    if (X.cols !== this.mean.length) {
      throw new ShapeMismatchError(
        `X has ${X.cols} features, but StandardScaler is expecting ${this.mean.length} features as input.`,
      );
    }
    const out = sharedFloat32(X.rows * X.cols);
    affineColumns(
      X.data,
      X.rows,
      X.cols,
      this.mean,
      this.scale.map((s) => 1 / s),
      out,
    );
    return matrix(out, X.rows, X.cols);
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }
}
