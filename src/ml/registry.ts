/**
 * Every estimator fmnist implements, by scikit-learn class name. The benchmark grid,
 * the CLI and the conformance suite all find estimators here; a family adds itself by
 * exporting `entries` from its folder's index.ts and being listed below.
 */
import type { Classifier } from './estimator.js';
import { entries as naiveBayes } from './naive-bayes/index.js';
import { entries as neighbors } from './neighbors/index.js';
import { entries as sgd } from './linear/sgd-index.js';
import { entries as liblinear } from './linear/liblinear-index.js';
import { entries as tree } from './tree/index.js';
import { entries as ensemble } from './ensemble/index.js';
import { entries as svm } from './svm/index.js';
import { entries as neural } from './neural/index.js';

export interface EstimatorEntry {
  /** scikit-learn's class name, e.g. 'KNeighborsClassifier'. */
  readonly name: string;
  /** The folder under src/ml/ it lives in, e.g. 'neighbors'. */
  readonly family: string;
  create(params?: Record<string, unknown>): Classifier;
  /** What the shared conformance suite uses on small data (200×16, 3 classes). */
  readonly conformance: {
    /** Params that fit quickly on the small data; must reach ≥ 0.6 accuracy on it. */
    readonly params: Record<string, unknown>;
    /** Invalid params and the error class each must raise at construction. */
    readonly invalid: ReadonlyArray<{
      readonly params: Record<string, unknown>;
      readonly error: 'TypeError' | 'RangeError';
    }>;
  };
}

// One spread per family, in DESIGN.md's order.
export const ESTIMATORS: readonly EstimatorEntry[] = [
  ...naiveBayes,
  ...neighbors,
  ...sgd,
  ...liblinear,
  ...tree,
  ...ensemble,
  ...svm,
  ...neural,
];

export function findEstimator(name: string): EstimatorEntry | undefined {
  return ESTIMATORS.find((e) => e.name === name);
}
