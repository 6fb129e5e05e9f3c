/**
 * SGDClassifier with scikit-learn 0.19's semantics: a linear model fitted one-vs-rest by
 * plain stochastic gradient descent, 5 epochs and no tolerance by default, the 'optimal'
 * learning rate eta = 1/(alpha·(t0 + t − 1)) with Bottou's t0, l2 decay through a scaled
 * weight vector and l1 through the cumulative truncated gradient.
 */
import {
  LOSS_HINGE,
  LOSS_LOG,
  LOSS_MODIFIED_HUBER,
  LOSS_SQUARED_HINGE,
} from '../../kernels/sgd-loss.js';
import {
  SCHEDULE_CONSTANT,
  SCHEDULE_INVSCALING,
  SCHEDULE_OPTIMAL,
  type BinarySgdConfig,
} from '../../kernels/sgd-train.js';
import type { Schema } from '../params.js';
import {
  BaseSgdClassifier,
  COMMON_DEFAULTS,
  COMMON_SCHEMA,
  PENALTY_CONSTRAINT,
  type SgdCommonParams,
} from './sgd-base.js';
import { penaltyCode, type PenaltyName } from './sgd-penalty.js';

export type SgdLossName =
  'hinge' | 'log' | 'log_loss' | 'modified_huber' | 'squared_hinge' | 'perceptron';

export interface SGDClassifierParams extends SgdCommonParams {
  /**
   * 'hinge' (linear SVM), 'log' (logistic regression; 'log_loss' is scikit-learn ≥ 1.1's
   * name for it), 'modified_huber' (smoothed hinge), 'squared_hinge', 'perceptron' (hinge
   * with margin 0).
   * @default 'hinge'
   */
  loss: SgdLossName;
  /**
   * Regularisation: 'l2', 'l1', 'elasticnet' (l1_ratio·l1 + (1 − l1_ratio)·l2), or
   * 'none'/null.
   * @default 'l2'
   */
  penalty: PenaltyName;
  /**
   * Strength of the penalty; with learning_rate 'optimal' it also sets the step size.
   * @default 0.0001
   */
  alpha: number;
  /**
   * The elastic net's l1 share (0: pure l2, 1: pure l1); used only by 'elasticnet'.
   * @default 0.15
   */
  l1_ratio: number;
  /**
   * 'optimal': eta = 1/(alpha·(t0 + t − 1)); 'constant': eta = eta0;
   * 'invscaling': eta = eta0 / t^power_t.
   * @default 'optimal'
   */
  learning_rate: 'constant' | 'optimal' | 'invscaling';
  /**
   * The initial learning rate of 'constant' and 'invscaling' (must then be > 0).
   * @default 0
   */
  eta0: number;
  /**
   * The exponent of 'invscaling'.
   * @default 0.5
   */
  power_t: number;
}

const SCHEMA: Schema<SGDClassifierParams> = {
  ...COMMON_SCHEMA,
  loss: [
    {
      kind: 'enum',
      values: ['hinge', 'log', 'log_loss', 'modified_huber', 'squared_hinge', 'perceptron'],
    },
  ],
  penalty: PENALTY_CONSTRAINT,
  alpha: [{ kind: 'float', min: 0 }],
  l1_ratio: [{ kind: 'float', min: 0, max: 1 }],
  learning_rate: [{ kind: 'enum', values: ['constant', 'optimal', 'invscaling'] }],
  eta0: [{ kind: 'float', min: 0 }],
  power_t: [{ kind: 'float' }],
};

const DEFAULTS: SGDClassifierParams = {
  ...COMMON_DEFAULTS,
  loss: 'hinge',
  penalty: 'l2',
  alpha: 0.0001,
  l1_ratio: 0.15,
  learning_rate: 'optimal',
  eta0: 0,
  power_t: 0.5,
};

const LOSSES = {
  hinge: { loss: LOSS_HINGE, threshold: 1 },
  perceptron: { loss: LOSS_HINGE, threshold: 0 },
  squared_hinge: { loss: LOSS_SQUARED_HINGE, threshold: 1 },
  log: { loss: LOSS_LOG, threshold: 0 },
  log_loss: { loss: LOSS_LOG, threshold: 0 },
  modified_huber: { loss: LOSS_MODIFIED_HUBER, threshold: 0 },
} as const;

const SCHEDULES = {
  constant: SCHEDULE_CONSTANT,
  optimal: SCHEDULE_OPTIMAL,
  invscaling: SCHEDULE_INVSCALING,
} as const;

export class SGDClassifier extends BaseSgdClassifier<SGDClassifierParams> {
  constructor(params?: Partial<SGDClassifierParams>) {
    super('SGDClassifier', SCHEMA, DEFAULTS, params);
    const { learning_rate, alpha, eta0 } = this.params;
    if (learning_rate === 'optimal' && alpha === 0) {
      throw new RangeError(
        "The 'alpha' parameter of SGDClassifier must be > 0 when learning_rate is 'optimal' (the step size is 1/(alpha·t)). Got 0.",
      );
    }
    if (learning_rate !== 'optimal' && eta0 <= 0) {
      throw new RangeError(
        `The 'eta0' parameter of SGDClassifier must be > 0 when learning_rate is '${learning_rate}'. Got ${eta0}.`,
      );
    }
  }

  protected binaryConfig(): BinarySgdConfig {
    const p = this.params;
    return {
      ...LOSSES[p.loss],
      penalty: penaltyCode(p.penalty),
      alpha: p.alpha,
      l1Ratio: p.l1_ratio,
      schedule: SCHEDULES[p.learning_rate],
      eta0: p.eta0,
      powerT: p.power_t,
      C: 1,
      fitIntercept: p.fit_intercept,
      maxIter: p.max_iter,
      tol: p.tol,
      nIterNoChange: p.n_iter_no_change,
      shuffle: p.shuffle,
    };
  }
}
