import type { EstimatorEntry } from '../registry.js';
import { LinearSVC } from './linear-svc.js';
import { LogisticRegression } from './logistic-regression.js';

export { LinearSVC, LogisticRegression };

/** The liblinear-backed estimators (scikit-learn 0.19's LogisticRegression and LinearSVC). */
export const entries: EstimatorEntry[] = [
  {
    name: 'LogisticRegression',
    family: 'linear',
    create: (params) => new LogisticRegression(params),
    conformance: {
      params: { random_state: 0 },
      invalid: [
        { params: { C: 0 }, error: 'RangeError' },
        { params: { C: 'one' }, error: 'TypeError' },
        { params: { penalty: 'elasticnet' }, error: 'RangeError' },
        { params: { max_iter: 0 }, error: 'RangeError' },
        { params: { tol: -1 }, error: 'RangeError' },
        { params: { dual: true }, error: 'RangeError' },
      ],
    },
  },
  {
    name: 'LinearSVC',
    family: 'linear',
    create: (params) => new LinearSVC(params),
    conformance: {
      params: { random_state: 0 },
      invalid: [
        { params: { C: -1 }, error: 'RangeError' },
        { params: { loss: 'log' }, error: 'RangeError' },
        { params: { multi_class: 'multinomial' }, error: 'RangeError' },
        { params: { penalty: 'l1', loss: 'hinge' }, error: 'RangeError' },
        { params: { penalty: 'l2', loss: 'hinge', dual: false }, error: 'RangeError' },
        { params: { max_iter: 1.5 }, error: 'TypeError' },
      ],
    },
  },
];
