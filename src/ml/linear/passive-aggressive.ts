/**
 * PassiveAggressiveClassifier as scikit-learn 0.19 defines it (Crammer et al. 2006),
 * one-vs-rest, 5 epochs, no tolerance: on each sample with hinge loss ℓ = max(0, 1 − y·p)
 * the weights move by τ·y·x, with τ = min(C, ℓ/‖x‖²) (PA-I, loss 'hinge') or
 * τ = ℓ/(‖x‖² + 1/(2C)) (PA-II, loss 'squared_hinge'). No penalty.
 */
import { LOSS_HINGE } from '../../kernels/sgd-loss.js';
import {
  PENALTY_NONE,
  SCHEDULE_PA1,
  SCHEDULE_PA2,
  type BinarySgdConfig,
} from '../../kernels/sgd-train.js';
import type { Schema } from '../params.js';
import {
  BaseSgdClassifier,
  COMMON_DEFAULTS,
  COMMON_SCHEMA,
  type SgdCommonParams,
} from './sgd-base.js';

export interface PassiveAggressiveClassifierParams extends SgdCommonParams {
  /**
   * The largest step τ (PA-I) or the softness of the margin (PA-II).
   * @default 1
   */
  C: number;
  /**
   * 'hinge' → PA-I; 'squared_hinge' → PA-II.
   * @default 'hinge'
   */
  loss: 'hinge' | 'squared_hinge';
}

const SCHEMA: Schema<PassiveAggressiveClassifierParams> = {
  ...COMMON_SCHEMA,
  C: [{ kind: 'float', min: 0, closed: 'neither' }],
  loss: [{ kind: 'enum', values: ['hinge', 'squared_hinge'] }],
};

const DEFAULTS: PassiveAggressiveClassifierParams = { ...COMMON_DEFAULTS, C: 1, loss: 'hinge' };

export class PassiveAggressiveClassifier extends BaseSgdClassifier<PassiveAggressiveClassifierParams> {
  constructor(params?: Partial<PassiveAggressiveClassifierParams>) {
    super('PassiveAggressiveClassifier', SCHEMA, DEFAULTS, params);
  }

  protected binaryConfig(): BinarySgdConfig {
    const p = this.params;
    return {
      // Both variants measure the plain hinge loss; they differ in the step.
      loss: LOSS_HINGE,
      threshold: 1,
      penalty: PENALTY_NONE,
      alpha: 1,
      l1Ratio: 0,
      schedule: p.loss === 'hinge' ? SCHEDULE_PA1 : SCHEDULE_PA2,
      eta0: 1,
      powerT: 0.5,
      C: p.C,
      fitIntercept: p.fit_intercept,
      maxIter: p.max_iter,
      tol: p.tol,
      nIterNoChange: p.n_iter_no_change,
      shuffle: p.shuffle,
    };
  }
}
