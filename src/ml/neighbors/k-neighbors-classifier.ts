/**
 * k-nearest-neighbours classification with scikit-learn's semantics, by exact search
 * over the WASM SIMD kernels (both cores through the kernel pool): Euclidean (p=2)
 * or Manhattan (p=1) distance, neighbours ordered by (distance, training index), votes as
 * in ./vote.ts. The training matrix is copied once into the shared kernel arena at fit.
 */
import { KnnIndex, type Metric, type Neighbours, type SearchStats } from '../../kernels/knn.js';
import { BaseClassifier, checkMatrix } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import { argmaxRows, classWeights, type Weights } from './vote.js';

export interface KNeighborsClassifierParams {
  /**
   * Number of neighbours that vote.
   * @default 5
   */
  n_neighbors: number;
  /**
   * 'uniform': every neighbour votes 1; 'distance': votes weigh 1/distance (neighbours at
   * distance 0, if any, take the whole vote).
   * @default 'uniform'
   */
  weights: Weights;
  /**
   * Minkowski power: 1 = Manhattan, 2 = Euclidean (the only two implemented).
   * @default 2
   */
  p: number;
  /**
   * Neighbour search; both return the same neighbours. 'brute' computes every distance;
   * 'auto' lets large training sets (≥ 1024 rows, n_neighbors ≤ 32) use the bounded
   * search of kernels/knn.ts: cheap lower bounds (a 64-column projection for p=2, 4×4
   * pixel-block sums for p=1) rule out most rows, and true distances are computed for
   * about a thousand rows per query instead of every row.
   * @default 'auto'
   */
  algorithm: 'auto' | 'brute';
}

const SCHEMA: Schema<KNeighborsClassifierParams> = {
  n_neighbors: [{ kind: 'int', min: 1 }],
  weights: [{ kind: 'enum', values: ['uniform', 'distance'] }],
  p: [{ kind: 'int', min: 1 }],
  algorithm: [{ kind: 'enum', values: ['auto', 'brute'] }],
};
const DEFAULTS: KNeighborsClassifierParams = {
  n_neighbors: 5,
  weights: 'uniform',
  p: 2,
  algorithm: 'auto',
};

/** Below this many distance terms (queries × training rows × features) threads cost more than they save. */
const POOL_THRESHOLD = 2e7;

export class KNeighborsClassifier extends BaseClassifier<KNeighborsClassifierParams> {
  /** Number of training rows seen in fit (scikit-learn's n_samples_fit_). */
  nSamplesFit = 0;
  /** How the last neighbour search ran (brute or bounded, and its brute-force fallbacks). */
  lastSearch: SearchStats | null = null;
  private index: KnnIndex | null = null;
  private y: Int32Array | null = null;

  constructor(params?: Partial<KNeighborsClassifierParams>) {
    super('KNeighborsClassifier', SCHEMA, DEFAULTS, params);
    if (this.params.p !== 1 && this.params.p !== 2) {
      throw new RangeError(
        `The 'p' parameter of KNeighborsClassifier: only p=1 (Manhattan) and p=2 (Euclidean) are implemented. Got ${this.params.p}.`,
      );
    }
  }

  /**
   * Frees the training data's copy in the shared kernel memory now (it is otherwise freed
   * when the estimator is garbage-collected); the estimator is unfitted afterwards.
   */
  dispose(): void {
    this.index?.dispose();
    this.index = null;
    this.y = null;
    this.classes = null;
  }

  protected fitEncoded(X: Matrix, y: Int32Array): void {
    checkFinite(X);
    this.index?.dispose();
    this.index = new KnnIndex(X.data, X.rows, X.cols);
    this.y = y;
    this.nSamplesFit = X.rows;
  }

  /**
   * The `k` nearest training rows of each row of X (default n_neighbors), ascending by
   * (distance, training index): n×k distances and training-row indices.
   */
  async kneighbors(X: Matrix, k: number = this.params.n_neighbors): Promise<Neighbours> {
    this.checkFitted(X);
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(
        `KNeighborsClassifier.kneighbors: n_neighbors must be an int in [1, inf). Got ${k}.`,
      );
    }
    if (k > this.nSamplesFit) {
      throw new RangeError(
        `Expected n_neighbors <= n_samples, but n_samples = ${this.nSamplesFit}, n_neighbors = ${k}`,
      );
    }
    checkFinite(X);
    const index = this.index as KnnIndex;
    const metric: Metric = this.params.p === 1 ? 'manhattan' : 'euclidean';
    const small = X.rows * index.rows * index.cols < POOL_THRESHOLD;
    const search = this.params.algorithm === 'brute' ? 'brute' : 'auto';
    const result = await index.query(X.data, X.rows, k, metric, {
      mode: small ? 'local' : 'pool',
      search,
    });
    this.lastSearch = index.lastSearch;
    return result;
  }

  protected async predictEncoded(X: Matrix): Promise<Int32Array> {
    const w = await this.voteWeights(X);
    return argmaxRows(w, X.rows, (this.classes as Int32Array).length);
  }

  /** Class probabilities: each row's vote weights, normalised to sum to 1. */
  async predictProba(X: Matrix): Promise<Matrix> {
    checkMatrix(this.estimatorName, X, 'X');
    const w = await this.voteWeights(X);
    const K = (this.classes as Int32Array).length;
    const out = new Float32Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let c = 0; c < K; c++) s += w[i * K + c];
      for (let c = 0; c < K; c++) out[i * K + c] = w[i * K + c] / s;
    }
    return { data: out, rows: X.rows, cols: K };
  }

  private async voteWeights(X: Matrix): Promise<Float64Array> {
    const k = this.params.n_neighbors;
    const neighbours = await this.kneighbors(X, k);
    return classWeights(
      neighbours,
      this.y as Int32Array,
      (this.classes as Int32Array).length,
      k,
      this.params.weights,
    );
  }
}

/** Distances to NaN or ±Inf rows order nothing: reject them as scikit-learn does. */
function checkFinite(X: Matrix): void {
  const a = X.data;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      const what = Number.isNaN(a[i])
        ? 'NaN'
        : "infinity or a value too large for dtype('float32')";
      throw new RangeError(
        `Input X contains ${what} (row ${Math.floor(i / X.cols)}, column ${i % X.cols}).`,
      );
    }
  }
}
