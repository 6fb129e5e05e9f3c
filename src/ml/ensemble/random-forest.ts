/**
 * RandomForestClassifier (scikit-learn 0.19): n_estimators trees, each on a bootstrap
 * sample (as integer sample weights) with max_features ('auto' = √d) features drawn per
 * node and the best splitter; predicts by averaging the trees' class probabilities.
 * The data is binned once; trees grow in parallel on worker threads reading one shared
 * copy of the bin codes. Each tree's seed is drawn up front from random_state, so the
 * forest is the same whatever n_jobs is.
 */
import { REUSED_BINS_NOTE } from '../tree/training-bins.js';
import { fitOnBins } from '../tree/binned-fit.js';
import { BaseClassifier } from '../estimator.js';
import { matrix, type Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import { toRng, type RandomState } from '../random.js';
import { accumulateProba, argmaxRows, type FlatTree } from '../tree/flat-tree.js';
import {
  CRITERION,
  MAX_DEPTH,
  MAX_FEATURES,
  MIN_SAMPLES_LEAF,
  MIN_SAMPLES_SPLIT,
  RANDOM_STATE,
  resolveCount,
  resolveMaxFeatures,
  type MaxFeatures,
} from '../tree/tree-params.js';
import { forestTree, type ForestJob } from '../tree/tree-jobs.js';
import { resolveJobs } from '../tree/tree-pool.js';

export interface RandomForestParams {
  /** Number of trees. @default 10 (scikit-learn 0.19) */
  n_estimators: number;
  /** @default 'gini' */
  criterion: 'gini' | 'entropy';
  /** @default null */
  max_depth: number | null;
  /** @default 2 */
  min_samples_split: number;
  /** @default 1 */
  min_samples_leaf: number;
  /** Features drawn per split. @default 'auto' (√d) */
  max_features: MaxFeatures;
  /** Grow each tree on a bootstrap sample (else on all rows). @default true */
  bootstrap: boolean;
  /** Seed of the bootstrap samples and feature draws; null means seed 0. @default null */
  random_state: RandomState | null;
  /**
   * Worker threads (−1 = every core, 1 = the main thread only). fmnist defaults to every
   * core (scikit-learn defaults to 1); the result does not depend on it. @default -1
   */
  n_jobs: number | null;
}

const SCHEMA: Schema<RandomForestParams> = {
  n_estimators: [{ kind: 'int', min: 1 }],
  criterion: CRITERION,
  max_depth: MAX_DEPTH,
  min_samples_split: MIN_SAMPLES_SPLIT,
  min_samples_leaf: MIN_SAMPLES_LEAF,
  max_features: MAX_FEATURES,
  bootstrap: [{ kind: 'bool' }],
  random_state: RANDOM_STATE,
  n_jobs: [{ kind: 'int', min: -64, max: 64 }, { kind: 'null' }],
};

const DEFAULTS: RandomForestParams = {
  n_estimators: 10,
  criterion: 'gini',
  max_depth: null,
  min_samples_split: 2,
  min_samples_leaf: 1,
  max_features: 'auto',
  bootstrap: true,
  random_state: null,
  n_jobs: -1,
};

export class RandomForestClassifier extends BaseClassifier<RandomForestParams> {
  /** The fitted trees. */
  estimators: FlatTree[] = [];
  /** Set by fit: whether the bins came from an earlier fit on the same training set. */
  private binsReused = false;

  get benchmarkNote(): string | null {
    return this.binsReused ? REUSED_BINS_NOTE : null;
  }

  constructor(params?: Partial<RandomForestParams>) {
    super('RandomForestClassifier', SCHEMA, DEFAULTS, params);
    if (this.params.n_jobs === 0) {
      throw new RangeError(
        `The 'n_jobs' parameter of RandomForestClassifier must not be 0. Got 0.`,
      );
    }
  }

  protected async fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> {
    const p = this.params;
    const rng = toRng(p.random_state);
    const jobs: ForestJob[] = [];
    const spec = {
      criterion: p.criterion,
      bootstrap: p.bootstrap,
      maxDepth: p.max_depth ?? Infinity,
      minSamplesSplit: resolveCount(p.min_samples_split, X.rows, 2),
      minSamplesLeaf: resolveCount(p.min_samples_leaf, X.rows, 1),
      maxFeatures: resolveMaxFeatures(this.estimatorName, p.max_features, X.cols),
      splitter: 'best' as const,
    };
    for (let t = 0; t < p.n_estimators; t++) jobs.push({ ...spec, seed: rng.nextUint32() | 0 });
    const workers = resolveJobs(p.n_jobs, jobs.length);
    this.binsReused = await fitOnBins(X, workers, { y, nClasses }, async (binned, pool) => {
      this.estimators =
        pool === null
          ? jobs.map((job) => forestTree(binned, y, nClasses, job))
          : await Promise.all(jobs.map((job) => pool.forest(job)));
    });
  }

  /** The mean of the trees' class probabilities. */
  async predictProba(X: Matrix): Promise<Matrix> {
    const classes = this.checkFitted(X);
    return matrix(Float32Array.from(this.meanProba(X, classes.length)), X.rows, classes.length);
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const K = (this.classes as Int32Array).length;
    return argmaxRows(this.meanProba(X, K), X.rows, K);
  }

  private meanProba(X: Matrix, K: number): Float64Array {
    const proba = new Float64Array(X.rows * K);
    for (const tree of this.estimators) accumulateProba(tree, X, proba, 1 / this.estimators.length);
    return proba;
  }
}
