/** Test fixture (not a test): a seeded shuffler and a baseline config for the SGD kernel tests. */
import { LOSS_HINGE } from './sgd-loss.js';
import { PENALTY_L2, SCHEDULE_OPTIMAL, type BinarySgdConfig, type Shuffler } from './sgd-train.js';

/** A tiny deterministic shuffler (an LCG), so these kernel tests need nothing above kernels/. */
export class Lcg implements Shuffler {
  constructor(private s: number) {}
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s;
  }
  shuffle(a: Uint32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

export const BASE: BinarySgdConfig = {
  loss: LOSS_HINGE,
  threshold: 1,
  penalty: PENALTY_L2,
  alpha: 1e-4,
  l1Ratio: 0.15,
  schedule: SCHEDULE_OPTIMAL,
  eta0: 0,
  powerT: 0.5,
  C: 1,
  fitIntercept: true,
  maxIter: 5,
  tol: null,
  nIterNoChange: 5,
  shuffle: true,
};
