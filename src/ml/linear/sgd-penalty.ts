/** scikit-learn's penalty names and what the SGD kernel calls them. */
import {
  PENALTY_ELASTICNET,
  PENALTY_L1,
  PENALTY_L2,
  PENALTY_NONE,
  type PenaltyCode,
} from '../../kernels/sgd-train.js';

/** 'none' and null both mean no penalty, as in scikit-learn 0.19. */
export type PenaltyName = 'none' | 'l2' | 'l1' | 'elasticnet' | null;

export function penaltyCode(name: PenaltyName): PenaltyCode {
  switch (name) {
    case 'l2':
      return PENALTY_L2;
    case 'l1':
      return PENALTY_L1;
    case 'elasticnet':
      return PENALTY_ELASTICNET;
    default:
      return PENALTY_NONE;
  }
}
