/** The SGD family's registry entries (SGDClassifier, Perceptron, PassiveAggressiveClassifier). */
import type { EstimatorEntry } from '../registry.js';
import { PassiveAggressiveClassifier } from './passive-aggressive.js';
import { Perceptron } from './perceptron.js';
import { SGDClassifier } from './sgd-classifier.js';

export { PassiveAggressiveClassifier, Perceptron, SGDClassifier };

export const entries: EstimatorEntry[] = [
  {
    name: 'SGDClassifier',
    family: 'linear',
    create: (params) => new SGDClassifier(params),
    conformance: {
      params: { loss: 'hinge', penalty: 'l2', random_state: 0 },
      invalid: [
        { params: { loss: 'squared_loss' }, error: 'RangeError' },
        { params: { penalty: 'l3' }, error: 'RangeError' },
        { params: { alpha: -1 }, error: 'RangeError' },
        { params: { alpha: 0 }, error: 'RangeError' },
        { params: { l1_ratio: 1.5 }, error: 'RangeError' },
        { params: { max_iter: 0 }, error: 'RangeError' },
        { params: { max_iter: 2.5 }, error: 'TypeError' },
        { params: { learning_rate: 'constant' }, error: 'RangeError' },
        { params: { shuffle: 'yes' }, error: 'TypeError' },
      ],
    },
  },
  {
    name: 'Perceptron',
    family: 'linear',
    create: (params) => new Perceptron(params),
    conformance: {
      params: { penalty: 'l2', random_state: 0 },
      invalid: [
        { params: { penalty: 'l3' }, error: 'RangeError' },
        { params: { eta0: 0 }, error: 'RangeError' },
        { params: { alpha: 'small' }, error: 'TypeError' },
      ],
    },
  },
  {
    name: 'PassiveAggressiveClassifier',
    family: 'linear',
    create: (params) => new PassiveAggressiveClassifier(params),
    conformance: {
      params: { C: 1, random_state: 0 },
      invalid: [
        { params: { C: 0 }, error: 'RangeError' },
        { params: { C: '1' }, error: 'TypeError' },
        { params: { loss: 'log' }, error: 'RangeError' },
        { params: { tol: -1 }, error: 'RangeError' },
      ],
    },
  },
];
