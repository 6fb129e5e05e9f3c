import type { EstimatorEntry } from '../registry.js';
import { GaussianNB } from './gaussian-nb.js';

export { GaussianNB };

export const entries: EstimatorEntry[] = [
  {
    name: 'GaussianNB',
    family: 'naive-bayes',
    create: (params) => new GaussianNB(params),
    conformance: {
      params: {},
      invalid: [
        { params: { var_smoothing: -1 }, error: 'RangeError' },
        { params: { var_smoothing: 'small' }, error: 'TypeError' },
        { params: { priors: [1.5, -0.5] }, error: 'RangeError' },
      ],
    },
  },
];
