/**
 * DecisionTreeClassifier and ExtraTreeClassifier (scikit-learn 0.19): one histogram tree
 * grown on the exact binning of the training data; thresholds live in the input space,
 * so prediction walks raw float rows. The two differ only in their defaults:
 * ExtraTree draws sqrt(d) features per node ('auto') with the random splitter.
 *
 * The tree grows in parts (see grow-in-parts.ts): the top 3 levels here, the 8 subtrees
 * under them (on worker threads when every node examines every feature), each with its
 * own seed. That changes only which random
 * feature order breaks ties (and, for ExtraTree, that a subtree starts with no remembered
 * constant features), not what a split is; n_jobs does not change the tree.
 */
import { REUSED_BINS_NOTE } from './training-bins.js';
import { fitOnBins } from './binned-fit.js';
import { growTree, treeKernelMode } from './grower.js';
import { growRandomTree, rawColumns, releaseRaw } from './random-grower.js';
import { BaseClassifier } from '../estimator.js';
import { matrix, type Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import { Rng, toRng, type RandomState } from '../random.js';
import { accumulateProba, argmaxRows, type FlatTree } from './flat-tree.js';
import { TOP_DEPTH, growTreeInParts } from './grow-in-parts.js';
import { subtree } from './tree-jobs.js';
import { resolveJobs } from './tree-pool.js';
import {
  CRITERION,
  MAX_DEPTH,
  MAX_FEATURES,
  MIN_SAMPLES_LEAF,
  MIN_SAMPLES_SPLIT,
  N_JOBS,
  RANDOM_STATE,
  SPLITTER,
  resolveCount,
  resolveMaxFeatures,
  type MaxFeatures,
} from './tree-params.js';

export interface DecisionTreeParams {
  /** Split quality: 'gini' impurity or 'entropy' (information gain). @default 'gini' */
  criterion: 'gini' | 'entropy';
  /**
   * 'best': the best threshold of each visited feature; 'random': one threshold per visited
   * feature drawn uniformly between the node's min and max of it.
   * @default 'best' (DecisionTree), 'random' (ExtraTree)
   */
  splitter: 'best' | 'random';
  /** Maximum depth; null grows until leaves are pure or too small. @default null */
  max_depth: number | null;
  /** Fewest samples a node needs to be split (int, or a fraction of n). @default 2 */
  min_samples_split: number;
  /** Fewest samples each child must keep (int, or a fraction of n). @default 1 */
  min_samples_leaf: number;
  /**
   * Features examined per split: int, fraction of d, 'auto'/'sqrt' (√d), 'log2', null (all).
   * @default null (DecisionTree), 'auto' (ExtraTree)
   */
  max_features: MaxFeatures;
  /** Seed of the feature order and random thresholds. null means seed 0. @default null */
  random_state: RandomState | null;
  /**
   * Worker threads for the subtrees below depth 3 (−1 = every core, 1 = the main thread
   * only); an fmnist addition, the tree is the same whatever it is. @default -1
   */
  n_jobs: number | null;
}

const SCHEMA: Schema<DecisionTreeParams> = {
  criterion: CRITERION,
  splitter: SPLITTER,
  max_depth: MAX_DEPTH,
  min_samples_split: MIN_SAMPLES_SPLIT,
  min_samples_leaf: MIN_SAMPLES_LEAF,
  max_features: MAX_FEATURES,
  random_state: RANDOM_STATE,
  n_jobs: N_JOBS,
};

const COMMON = {
  criterion: 'gini',
  max_depth: null,
  min_samples_split: 2,
  min_samples_leaf: 1,
  random_state: null,
  n_jobs: -1,
} as const;

abstract class BaseTreeClassifier extends BaseClassifier<DecisionTreeParams> {
  /** The fitted tree. */
  tree: FlatTree | null = null;
  /** Set by fit: whether the bins came from an earlier fit on the same training set. */
  private binsReused = false;

  get benchmarkNote(): string | null {
    return this.binsReused ? REUSED_BINS_NOTE : null;
  }

  protected constructor(
    name: string,
    defaults: DecisionTreeParams,
    params: Partial<DecisionTreeParams> | undefined,
  ) {
    super(name, SCHEMA, defaults, params);
    if (this.params.n_jobs === 0) {
      throw new RangeError(`The 'n_jobs' parameter of ${name} must not be 0. Got 0.`);
    }
  }

  protected async fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> {
    const p = this.params;
    this.binsReused = false; // the random splitter works on the raw floats, without bins
    const maxFeatures = resolveMaxFeatures(this.estimatorName, p.max_features, X.cols);
    const maxDepth = p.max_depth ?? Infinity;
    const spec = {
      maxDepth,
      minSamplesSplit: resolveCount(p.min_samples_split, X.rows, 2),
      minSamplesLeaf: resolveCount(p.min_samples_leaf, X.rows, 1),
      maxFeatures,
      splitter: p.splitter,
    };
    const target = { kind: 'class', criterion: p.criterion, y, nClasses, weights: null } as const;
    if (p.splitter === 'random' && maxFeatures < X.cols) {
      // The random splitter needs no bins (see random-grower.ts): with a few features per
      // node (ExtraTree) binning costs more than the whole growth, so this path grows the
      // same tree without it. Subtrees run here, in order. (With every feature per node,
      // growth dominates and the binned kernels on both cores are faster.)
      const raw = rawColumns(X.data, X.rows, X.cols, treeKernelMode() === 'wasm');
      try {
        this.tree = await growTreeInParts(
          (options) => growRandomTree(raw, target, options),
          spec,
          toRng(p.random_state),
          (samples, depthOffset, seed) =>
            Promise.resolve(
              growRandomTree(raw, target, { ...spec, samples, depthOffset, rng: new Rng(seed) }),
            ),
        );
      } finally {
        releaseRaw(raw);
      }
      return;
    }
    // Worker threads only pay when every node examines every feature (DecisionTree's
    // default): an ExtraTree (√d features per node) grows in less time than the pool
    // takes to start and hand out its subtrees. Either way the tree is the same.
    const workers =
      maxDepth > TOP_DEPTH && maxFeatures >= X.cols ? resolveJobs(p.n_jobs, 2 ** TOP_DEPTH) : 1;
    const job = (samples: Int32Array, depthOffset: number, seed: number) => ({
      ...spec,
      criterion: p.criterion,
      samples,
      depthOffset,
      seed,
    });
    // Row-major codes too: small nodes and subtrees copy their rows from them.
    this.binsReused = await fitOnBins(X, workers, { y, nClasses }, async (binned, pool) => {
      this.tree = await growTreeInParts(
        (options) => growTree(binned, target, options),
        spec,
        toRng(p.random_state),
        (samples, depthOffset, seed) =>
          pool === null
            ? Promise.resolve(subtree(binned, y, nClasses, job(samples, depthOffset, seed)))
            : pool.subtree(job(samples, depthOffset, seed)),
      );
    });
  }

  /** Class probabilities: each leaf's class distribution. */
  async predictProba(X: Matrix): Promise<Matrix> {
    const classes = this.checkFitted(X);
    const K = classes.length;
    const proba = new Float64Array(X.rows * K);
    accumulateProba(this.tree as FlatTree, X, proba, 1);
    return matrix(Float32Array.from(proba), X.rows, K);
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const K = (this.classes as Int32Array).length;
    const proba = new Float64Array(X.rows * K);
    accumulateProba(this.tree as FlatTree, X, proba, 1);
    return argmaxRows(proba, X.rows, K);
  }
}

export class DecisionTreeClassifier extends BaseTreeClassifier {
  constructor(params?: Partial<DecisionTreeParams>) {
    super('DecisionTreeClassifier', { ...COMMON, splitter: 'best', max_features: null }, params);
  }
}

export class ExtraTreeClassifier extends BaseTreeClassifier {
  constructor(params?: Partial<DecisionTreeParams>) {
    super('ExtraTreeClassifier', { ...COMMON, splitter: 'random', max_features: 'auto' }, params);
  }
}
