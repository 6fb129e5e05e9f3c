import type { EstimatorEntry } from '../registry.js';
import { DecisionTreeClassifier, ExtraTreeClassifier } from './decision-tree.js';

export { DecisionTreeClassifier, ExtraTreeClassifier };

const invalid: EstimatorEntry['conformance']['invalid'] = [
  { params: { criterion: 'mse' }, error: 'RangeError' },
  { params: { splitter: 3 }, error: 'TypeError' },
  { params: { max_depth: 0 }, error: 'RangeError' },
  { params: { max_depth: 'deep' }, error: 'TypeError' },
  { params: { min_samples_split: 0 }, error: 'RangeError' },
  { params: { min_samples_leaf: 0.9 }, error: 'RangeError' },
  { params: { max_features: 'all' }, error: 'RangeError' },
  { params: { n_jobs: 0 }, error: 'RangeError' },
];

export const entries: EstimatorEntry[] = [
  {
    name: 'DecisionTreeClassifier',
    family: 'tree',
    create: (params) => new DecisionTreeClassifier(params),
    conformance: { params: { max_depth: 5, random_state: 0, n_jobs: 1 }, invalid },
  },
  {
    name: 'ExtraTreeClassifier',
    family: 'tree',
    create: (params) => new ExtraTreeClassifier(params),
    conformance: { params: { max_depth: 8, random_state: 0, n_jobs: 1 }, invalid },
  },
];
