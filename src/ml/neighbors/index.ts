import type { EstimatorEntry } from '../registry.js';
import { KNeighborsClassifier } from './k-neighbors-classifier.js';

export { KNeighborsClassifier };
export {
  predictFromNeighbours,
  classWeights,
  argmaxRows,
  type NeighbourLists,
  type Weights,
} from './vote.js';

export const entries: EstimatorEntry[] = [
  {
    name: 'KNeighborsClassifier',
    family: 'neighbors',
    create: (params) => new KNeighborsClassifier(params),
    conformance: {
      params: { n_neighbors: 5, weights: 'distance', p: 2 },
      invalid: [
        { params: { n_neighbors: 0 }, error: 'RangeError' },
        { params: { n_neighbors: 2.5 }, error: 'TypeError' },
        { params: { weights: 'gaussian' }, error: 'RangeError' },
        { params: { p: 3 }, error: 'RangeError' },
        { params: { p: 0 }, error: 'RangeError' },
        { params: { algorithm: 'kd_tree' }, error: 'RangeError' },
      ],
    },
  },
];
