/**
 * Perceptron as scikit-learn 0.19 defines it: SGD with the perceptron loss (a hinge with
 * margin 0), a constant learning rate eta0, 5 epochs and no tolerance. The penalty, when
 * given, is applied with alpha like SGDClassifier's. 0.19 fixed l1_ratio at 0, so its
 * 'elasticnet' behaves as 'l2' (scikit-learn ≥ 0.24 exposes l1_ratio, default 0.15).
 */
import { LOSS_HINGE } from '../../kernels/sgd-loss.js';
import { SCHEDULE_CONSTANT, type BinarySgdConfig } from '../../kernels/sgd-train.js';
import type { Schema } from '../params.js';
import {
  BaseSgdClassifier,
  COMMON_DEFAULTS,
  COMMON_SCHEMA,
  PENALTY_CONSTRAINT,
  type SgdCommonParams,
} from './sgd-base.js';
import { penaltyCode, type PenaltyName } from './sgd-penalty.js';

export interface PerceptronParams extends SgdCommonParams {
  /**
   * Regularisation: null/'none' (0.19's default), 'l2', 'l1' or 'elasticnet'.
   * @default null
   */
  penalty: PenaltyName;
  /**
   * Strength of the penalty, if any.
   * @default 0.0001
   */
  alpha: number;
  /**
   * The elastic net's l1 share. 0.19 hard-coded 0 (so 'elasticnet' equals 'l2' there);
   * scikit-learn ≥ 0.24 defaults to 0.15.
   * @default 0
   */
  l1_ratio: number;
  /**
   * The constant learning rate (the step multiplies every update).
   * @default 1
   */
  eta0: number;
}

const SCHEMA: Schema<PerceptronParams> = {
  ...COMMON_SCHEMA,
  penalty: PENALTY_CONSTRAINT,
  alpha: [{ kind: 'float', min: 0 }],
  l1_ratio: [{ kind: 'float', min: 0, max: 1 }],
  eta0: [{ kind: 'float', min: 0, closed: 'neither' }],
};

const DEFAULTS: PerceptronParams = {
  ...COMMON_DEFAULTS,
  penalty: null,
  alpha: 0.0001,
  l1_ratio: 0,
  eta0: 1,
};

export class Perceptron extends BaseSgdClassifier<PerceptronParams> {
  constructor(params?: Partial<PerceptronParams>) {
    super('Perceptron', SCHEMA, DEFAULTS, params);
  }

  protected binaryConfig(): BinarySgdConfig {
    const p = this.params;
    return {
      loss: LOSS_HINGE,
      threshold: 0,
      penalty: penaltyCode(p.penalty),
      alpha: p.alpha,
      l1Ratio: p.l1_ratio,
      schedule: SCHEDULE_CONSTANT,
      eta0: p.eta0,
      powerT: 0.5,
      C: 1,
      fitIntercept: p.fit_intercept,
      maxIter: p.max_iter,
      tol: p.tol,
      nIterNoChange: p.n_iter_no_change,
      shuffle: p.shuffle,
    };
  }
}
