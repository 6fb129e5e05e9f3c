import type { EstimatorEntry } from '../registry.js';
import { GradientBoostingClassifier } from './gradient-boosting.js';
import { RandomForestClassifier } from './random-forest.js';

export { GradientBoostingClassifier, RandomForestClassifier };

export const entries: EstimatorEntry[] = [
  {
    name: 'RandomForestClassifier',
    family: 'ensemble',
    create: (params) => new RandomForestClassifier(params),
    conformance: {
      params: { n_estimators: 5, max_depth: 6, random_state: 0, n_jobs: 1 },
      invalid: [
        { params: { n_estimators: 0 }, error: 'RangeError' },
        { params: { criterion: 'mse' }, error: 'RangeError' },
        { params: { bootstrap: 'yes' }, error: 'TypeError' },
        { params: { max_features: -1 }, error: 'RangeError' },
        { params: { n_jobs: 0 }, error: 'RangeError' },
      ],
    },
  },
  {
    name: 'GradientBoostingClassifier',
    family: 'ensemble',
    create: (params) => new GradientBoostingClassifier(params),
    conformance: {
      params: { n_estimators: 5, max_depth: 2, random_state: 0, n_jobs: 1 },
      invalid: [
        { params: { loss: 'exponential' }, error: 'RangeError' },
        { params: { learning_rate: 0 }, error: 'RangeError' },
        { params: { n_estimators: 1.5 }, error: 'TypeError' },
        { params: { subsample: 0.5 }, error: 'RangeError' },
        { params: { max_depth: 0 }, error: 'RangeError' },
      ],
    },
  },
];
