/**
 * Parameter constraints and resolution shared by the tree and ensemble families
 * (scikit-learn 0.19 names and meanings).
 */
import type { Constraint } from '../params.js';

export type MaxFeatures = number | 'auto' | 'sqrt' | 'log2' | null;

export const CRITERION: readonly Constraint[] = [{ kind: 'enum', values: ['gini', 'entropy'] }];
export const SPLITTER: readonly Constraint[] = [{ kind: 'enum', values: ['best', 'random'] }];
export const MAX_DEPTH: readonly Constraint[] = [{ kind: 'int', min: 1 }, { kind: 'null' }];
export const MIN_SAMPLES_SPLIT: readonly Constraint[] = [
  { kind: 'int', min: 2 },
  { kind: 'float', min: 0, max: 1, closed: 'right' },
];
export const MIN_SAMPLES_LEAF: readonly Constraint[] = [
  { kind: 'int', min: 1 },
  { kind: 'float', min: 0, max: 0.5, closed: 'right' },
];
export const MAX_FEATURES: readonly Constraint[] = [
  { kind: 'int', min: 1 },
  { kind: 'float', min: 0, max: 1, closed: 'right' },
  { kind: 'enum', values: ['auto', 'sqrt', 'log2'] },
  { kind: 'null' },
];
export const RANDOM_STATE: readonly Constraint[] = [{ kind: 'random-state' }, { kind: 'null' }];
/** Worker threads: −1 = every core, k > 0 = k threads (0 is rejected by the estimator). */
export const N_JOBS: readonly Constraint[] = [{ kind: 'int', min: -64, max: 64 }, { kind: 'null' }];

/**
 * Features examined per split, as sklearn 0.19's BaseDecisionTree.fit resolves it
 * ('auto' = sqrt for classifiers, regressors use all). An int larger than d is an error.
 */
export function resolveMaxFeatures(
  estimator: string,
  value: MaxFeatures,
  d: number,
  isClassifier = true,
): number {
  let k: number;
  if (value === null) k = d;
  else if (value === 'auto') k = isClassifier ? Math.max(1, Math.floor(Math.sqrt(d))) : d;
  else if (value === 'sqrt') k = Math.max(1, Math.floor(Math.sqrt(d)));
  else if (value === 'log2') k = Math.max(1, Math.floor(Math.log2(d)));
  else if (Number.isInteger(value) && value >= 1) {
    if (value > d) {
      throw new RangeError(
        `The 'max_features' parameter of ${estimator} must be at most n_features=${d}. Got ${value}.`,
      );
    }
    k = value;
  } else k = Math.max(1, Math.floor(value * d));
  return k;
}

/** An int count, or a fraction of n rounded up (sklearn's ceil(f·n)). */
export function resolveCount(value: number, n: number, floor: number): number {
  return Number.isInteger(value) && value >= 1 ? value : Math.max(floor, Math.ceil(value * n));
}
