import type { EstimatorEntry } from '../registry.js';
import { MLPClassifier } from './mlp-classifier.js';

export { MLPClassifier };

/** The neural family's estimators. */
export const entries: EstimatorEntry[] = [
  {
    name: 'MLPClassifier',
    family: 'neural',
    create: (params) => new MLPClassifier(params),
    conformance: {
      params: { hidden_layer_sizes: [10], max_iter: 200 },
      invalid: [
        { params: { hidden_layer_sizes: [10, 0] }, error: 'RangeError' },
        { params: { hidden_layer_sizes: 'ten' }, error: 'TypeError' },
        { params: { activation: 'softplus' }, error: 'RangeError' },
        { params: { solver: 'sgd' }, error: 'RangeError' },
        { params: { alpha: -1 }, error: 'RangeError' },
        { params: { batch_size: 0 }, error: 'RangeError' },
        { params: { learning_rate_init: 0 }, error: 'RangeError' },
        { params: { max_iter: 0 }, error: 'RangeError' },
        { params: { beta_1: 1 }, error: 'RangeError' },
        { params: { epsilon: 0 }, error: 'RangeError' },
        { params: { shuffle: 1 }, error: 'TypeError' },
      ],
    },
  },
];
