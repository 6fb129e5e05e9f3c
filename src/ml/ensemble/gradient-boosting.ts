/**
 * GradientBoostingClassifier (scikit-learn 0.19, loss 'deviance'). With K > 2 classes,
 * the raw score starts at the log class priors; each stage fits, per class k, a
 * friedman_mse regression tree to the residuals y_k − softmax_k(raw) and sets each leaf
 * to the Newton step (K−1)/K · Σr / Σ p(1−p); raw += learning_rate × leaf. With 2 classes
 * one tree per stage fits y − sigmoid(raw) from the log odds (binomial deviance).
 * Predicts the argmax raw score. The K trees of a stage grow in parallel on worker threads
 * that share the bin codes, residuals and raw scores through SharedArrayBuffers.
 */
import { REUSED_BINS_NOTE } from '../tree/training-bins.js';
import { fitOnBins } from '../tree/binned-fit.js';
import { BaseClassifier } from '../estimator.js';
import { matrix, type Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import { toRng, type RandomState } from '../random.js';
import { applyTree, argmaxRows, type FlatTree } from '../tree/flat-tree.js';
import {
  MAX_DEPTH,
  MAX_FEATURES,
  MIN_SAMPLES_LEAF,
  MIN_SAMPLES_SPLIT,
  RANDOM_STATE,
  resolveCount,
  resolveMaxFeatures,
  type MaxFeatures,
} from '../tree/tree-params.js';
import { boostTree, type BoostJob } from '../tree/tree-jobs.js';
import { resolveJobs } from '../tree/tree-pool.js';

export interface GradientBoostingParams {
  /** Only 'deviance' (log loss), the paper's. @default 'deviance' */
  loss: 'deviance';
  /** Shrinks each tree's contribution. @default 0.1 */
  learning_rate: number;
  /** Boosting stages. @default 100 */
  n_estimators: number;
  /** Depth of each regression tree. @default 3 */
  max_depth: number | null;
  /** Split quality of the regression trees: only 'friedman_mse'. @default 'friedman_mse' */
  criterion: 'friedman_mse';
  /** Fraction of rows per stage: only 1.0 (the paper's) is implemented. @default 1.0 */
  subsample: number;
  /** @default 2 */
  min_samples_split: number;
  /** @default 1 */
  min_samples_leaf: number;
  /** Features examined per split. @default null (all) */
  max_features: MaxFeatures;
  /** Seed of the feature order (ties); null means seed 0. @default null */
  random_state: RandomState | null;
  /**
   * Worker threads for the K trees of a stage (−1 = every core, 1 = main thread only);
   * an fmnist addition (scikit-learn's GradientBoosting is serial). @default -1
   */
  n_jobs: number | null;
}

const SCHEMA: Schema<GradientBoostingParams> = {
  loss: [{ kind: 'enum', values: ['deviance'] }],
  learning_rate: [{ kind: 'float', min: 0, closed: 'neither' }],
  n_estimators: [{ kind: 'int', min: 1 }],
  max_depth: MAX_DEPTH,
  criterion: [{ kind: 'enum', values: ['friedman_mse'] }],
  subsample: [{ kind: 'float', min: 1, max: 1 }],
  min_samples_split: MIN_SAMPLES_SPLIT,
  min_samples_leaf: MIN_SAMPLES_LEAF,
  max_features: MAX_FEATURES,
  random_state: RANDOM_STATE,
  n_jobs: [{ kind: 'int', min: -64, max: 64 }, { kind: 'null' }],
};

const DEFAULTS: GradientBoostingParams = {
  loss: 'deviance',
  learning_rate: 0.1,
  n_estimators: 100,
  max_depth: 3,
  criterion: 'friedman_mse',
  subsample: 1,
  min_samples_split: 2,
  min_samples_leaf: 1,
  max_features: null,
  random_state: null,
  n_jobs: -1,
};

export class GradientBoostingClassifier extends BaseClassifier<GradientBoostingParams> {
  /** Initial raw score per column (log priors, or the log odds for 2 classes). */
  init: Float64Array | null = null;
  /** estimators[stage][column]. */
  estimators: FlatTree[][] = [];
  /** Set by fit: whether the bins came from an earlier fit on the same training set. */
  private binsReused = false;

  get benchmarkNote(): string | null {
    return this.binsReused ? REUSED_BINS_NOTE : null;
  }
  /** Training raw scores after the last stage (n×columns), for inspection and tests. */
  trainRaw: Float64Array | null = null;

  constructor(params?: Partial<GradientBoostingParams>) {
    super('GradientBoostingClassifier', SCHEMA, DEFAULTS, params);
    if (this.params.n_jobs === 0) {
      throw new RangeError(
        `The 'n_jobs' parameter of GradientBoostingClassifier must not be 0. Got 0.`,
      );
    }
  }

  protected async fitEncoded(X: Matrix, y: Int32Array, K: number): Promise<void> {
    if (K < 2) {
      throw new RangeError(`GradientBoostingClassifier needs at least 2 classes in y. Got ${K}.`);
    }
    const p = this.params;
    const n = X.rows;
    const cols = K === 2 ? 1 : K;
    const counts = new Float64Array(K);
    for (let i = 0; i < n; i++) counts[y[i]]++;
    const init = new Float64Array(cols);
    if (K === 2) init[0] = Math.log(counts[1] / counts[0]);
    else for (let k = 0; k < K; k++) init[k] = Math.log(counts[k] / n);
    this.init = init;

    const workers = resolveJobs(p.n_jobs, cols);
    const shared = workers > 1;
    const maxFeatures = resolveMaxFeatures(this.estimatorName, p.max_features, X.cols, false);
    const residual = newFloat64(n * cols, shared);
    const raw = newFloat64(n * cols, shared);
    for (let i = 0; i < n; i++) raw.set(init, i * cols);
    const rng = toRng(p.random_state);
    const spec = {
      maxDepth: p.max_depth ?? Infinity,
      minSamplesSplit: resolveCount(p.min_samples_split, n, 2),
      minSamplesLeaf: resolveCount(p.min_samples_leaf, n, 1),
      maxFeatures,
      splitter: 'best' as const,
      stride: cols,
      factor: K === 2 ? 1 : (K - 1) / K,
      learningRate: p.learning_rate,
    };
    this.estimators = [];
    const forWorkers = { y, nClasses: K, residual, raw };
    this.binsReused = await fitOnBins(X, workers, forWorkers, async (binned, pool) => {
      for (let stage = 0; stage < p.n_estimators; stage++) {
        computeResiduals(raw, y, n, cols, residual);
        const jobs: BoostJob[] = [];
        for (let k = 0; k < cols; k++) jobs.push({ ...spec, k, seed: rng.nextUint32() | 0 });
        const trees =
          pool === null
            ? jobs.map((job) => boostTree(binned, y, residual, raw, job))
            : await Promise.all(jobs.map((job) => pool.boost(job)));
        this.estimators.push(trees);
      }
    });
    this.trainRaw = Float64Array.from(raw);
  }

  /** Raw scores (n × columns): init + learning_rate × Σ tree outputs. */
  decisionFunction(X: Matrix): Float64Array {
    this.checkFitted(X);
    const init = this.init as Float64Array;
    const cols = init.length;
    const out = new Float64Array(X.rows * cols);
    for (let i = 0; i < X.rows; i++) out.set(init, i * cols);
    const lr = this.params.learning_rate;
    for (const stage of this.estimators) {
      for (let k = 0; k < cols; k++) {
        const tree = stage[k];
        const leaves = applyTree(tree, X);
        for (let i = 0; i < X.rows; i++) out[i * cols + k] += lr * tree.value[leaves[i]];
      }
    }
    return out;
  }

  /** Class probabilities: softmax of the raw scores (sigmoid for 2 classes). */
  async predictProba(X: Matrix): Promise<Matrix> {
    const raw = this.decisionFunction(X);
    const K = (this.classes as Int32Array).length;
    const proba = new Float32Array(X.rows * K);
    if (K === 2) {
      for (let i = 0; i < X.rows; i++) {
        const p1 = 1 / (1 + Math.exp(-raw[i]));
        proba[2 * i] = 1 - p1;
        proba[2 * i + 1] = p1;
      }
    } else {
      const row = new Float64Array(K);
      for (let i = 0; i < X.rows; i++) {
        softmax(raw, i * K, K, row);
        for (let k = 0; k < K; k++) proba[i * K + k] = row[k];
      }
    }
    return matrix(proba, X.rows, K);
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const raw = this.decisionFunction(X);
    const cols = (this.init as Float64Array).length;
    if (cols === 1) return Int32Array.from(raw, (v) => (v > 0 ? 1 : 0));
    return argmaxRows(raw, X.rows, cols);
  }
}

function newFloat64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** residual[i,k] = y_ik − softmax_k(raw_i) (or y − sigmoid(raw) with one column). */
export function computeResiduals(
  raw: Float64Array,
  y: Int32Array,
  n: number,
  cols: number,
  residual: Float64Array,
): void {
  if (cols === 1) {
    for (let i = 0; i < n; i++) residual[i] = (y[i] === 1 ? 1 : 0) - 1 / (1 + Math.exp(-raw[i]));
    return;
  }
  const row = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    softmax(raw, i * cols, cols, row);
    for (let k = 0; k < cols; k++) residual[i * cols + k] = (y[i] === k ? 1 : 0) - row[k];
  }
}

function softmax(raw: Float64Array, offset: number, K: number, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, raw[offset + k]);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    out[k] = Math.exp(raw[offset + k] - max);
    sum += out[k];
  }
  for (let k = 0; k < K; k++) out[k] /= sum;
}
