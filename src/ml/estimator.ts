/**
 * The one estimator contract every family implements (see DESIGN.md):
 * `new X(params)` validates and stores params only; `await fit(X, y)` resolves to the
 * estimator itself; `predict`, `score`, optional `predictProba`. Methods are async
 * because estimators may fan their work out to worker threads.
 */
import { NotFittedError, ShapeMismatchError } from '../errors.js';
import type { Labels, Matrix } from './matrix.js';
import { accuracy } from './metrics.js';
import { validateParams, type Schema } from './params.js';

export interface Classifier {
  /** scikit-learn's class name, e.g. 'GaussianNB'. */
  readonly estimatorName: string;
  /** The validated parameters (defaults filled in). */
  readonly params: Readonly<object>;
  fit(X: Matrix, y: Labels): Promise<this>;
  predict(X: Matrix): Promise<Int32Array>;
  score(X: Matrix, y: Labels): Promise<number>;
  predictProba?(X: Matrix): Promise<Matrix>;
  /** What a benchmark should record about the last fit/predict, e.g. work it reused. */
  readonly benchmarkNote?: string | null;
  /**
   * Seconds of the last predict/score that were really fitting: an estimator whose fit
   * waits until predict (to share one fit between benchmark rows) reports them here, so
   * the benchmark books them as fit time, not prediction time.
   */
  readonly benchmarkDeferredFitSeconds?: number;
  /** Frees what the fitted model holds outside the JS heap (e.g. shared WASM memory). */
  dispose?(): void;
}

/**
 * Shared plumbing: parameter validation, input checks, mapping labels to 0..K-1 and
 * back, the not-fitted error. A family implements `fitEncoded` and `predictEncoded`.
 */
export abstract class BaseClassifier<P extends object> implements Classifier {
  readonly estimatorName: string;
  readonly params: Readonly<P>;
  /** The distinct training labels, sorted; index k is what encoded class k means. */
  classes: Int32Array | null = null;
  /** Number of features seen in fit. */
  nFeatures = 0;

  protected constructor(
    name: string,
    schema: Schema<P>,
    defaults: P,
    given: Partial<P> | undefined,
  ) {
    this.estimatorName = name;
    this.params = validateParams(name, schema, defaults, given);
  }

  async fit(X: Matrix, y: Labels): Promise<this> {
    checkMatrix(this.estimatorName, X, 'X');
    if (y.length !== X.rows) {
      throw new ShapeMismatchError(
        `${this.estimatorName}.fit: X has ${X.rows} rows but y has ${y.length} labels.`,
      );
    }
    if (X.rows === 0) throw new RangeError(`${this.estimatorName}.fit: X has no rows.`);
    const { classes, encoded } = encodeLabels(y);
    this.classes = classes;
    this.nFeatures = X.cols;
    await this.fitEncoded(X, encoded, classes.length);
    return this;
  }

  async predict(X: Matrix): Promise<Int32Array> {
    const classes = this.checkFitted(X);
    const encoded = await this.predictEncoded(X);
    const out = new Int32Array(encoded.length);
    for (let i = 0; i < encoded.length; i++) out[i] = classes[encoded[i]];
    return out;
  }

  async score(X: Matrix, y: Labels): Promise<number> {
    return accuracy(y, await this.predict(X));
  }

  /** Throws the not-fitted or wrong-width error; returns the classes otherwise. */
  protected checkFitted(X: Matrix): Int32Array {
    if (this.classes === null) throw new NotFittedError(this.estimatorName);
    checkMatrix(this.estimatorName, X, 'X');
    if (X.cols !== this.nFeatures) {
      throw new ShapeMismatchError(
        `X has ${X.cols} features, but ${this.estimatorName} is expecting ${this.nFeatures} features as input.`,
      );
    }
    return this.classes;
  }

  /** Fits on labels already mapped to 0..nClasses-1. */
  protected abstract fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> | void;
  /** Returns encoded class indices (0..nClasses-1) for each row. */
  protected abstract predictEncoded(X: Matrix): Promise<Int32Array> | Int32Array;
}

export function checkMatrix(estimator: string, X: Matrix, name: string): void {
  if (!(X?.data instanceof Float32Array)) {
    throw new TypeError(`${estimator}: ${name} must be a Matrix over a Float32Array.`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new ShapeMismatchError(
      `${estimator}: ${name} claims ${X.rows}×${X.cols} but holds ${X.data.length} values.`,
    );
  }
}

/** Sorted distinct labels and each label's index among them. */
export function encodeLabels(y: Labels): { classes: Int32Array; encoded: Int32Array } {
  const distinct = Int32Array.from(new Set(y)).sort();
  const index = new Map<number, number>();
  distinct.forEach((c, i) => index.set(c, i));
  const encoded = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) encoded[i] = index.get(y[i]) as number;
  return { classes: distinct, encoded };
}
