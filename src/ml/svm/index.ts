import type { EstimatorEntry } from '../registry.js';
import { SVC } from './svc.js';

export { SVC };

/** The svm family's estimators (scikit-learn 0.19's libsvm-backed SVC). */
export const entries: EstimatorEntry[] = [
  {
    name: 'SVC',
    family: 'svm',
    create: (params) => new SVC(params),
    conformance: {
      params: { C: 1, kernel: 'rbf' },
      invalid: [
        { params: { C: 0 }, error: 'RangeError' },
        { params: { C: 'one' }, error: 'TypeError' },
        { params: { kernel: 'precomputed' }, error: 'RangeError' },
        { params: { degree: 1.5 }, error: 'TypeError' },
        { params: { degree: -1 }, error: 'RangeError' },
        { params: { gamma: 'fast' }, error: 'RangeError' },
        { params: { gamma: -0.1 }, error: 'RangeError' },
        { params: { tol: 0 }, error: 'RangeError' },
        { params: { cache_size: 0 }, error: 'RangeError' },
        { params: { max_iter: 0 }, error: 'RangeError' },
        { params: { max_iter: -2 }, error: 'RangeError' },
        { params: { coef0: 'x' }, error: 'TypeError' },
        { params: { n_jobs: 0 }, error: 'RangeError' },
      ],
    },
  },
];
