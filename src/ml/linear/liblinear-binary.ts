/**
 * One binary ±1 liblinear problem, dispatched to its solver: the unit of work that
 * one-vs-rest repeats per class (in this thread or in a worker).
 */
import { Rng } from '../random.js';
import { solveSvmDual } from './liblinear-dual-cd.js';
import { solveL1Logistic } from './liblinear-l1-logistic.js';
import { LogisticObjective, SquaredHingeObjective } from './liblinear-primal-objectives.js';
import type { LinearProblem } from './liblinear-problem.js';
import { primalTolerance, weightSize } from './liblinear-problem.js';
import { tron } from './liblinear-tron.js';
import type { BinaryCheckpoints } from './solver-checkpoints.js';

/** liblinear's solver types that fmnist implements for binary problems. */
export type BinarySolver =
  /** L2R_LR: logistic loss, L2 penalty, trust-region Newton. */
  | 'l2r_lr'
  /** L1R_LR: logistic loss, L1 penalty, newGLMNET. */
  | 'l1r_lr'
  /** L2R_L1LOSS_SVC_DUAL: hinge loss, dual coordinate descent. */
  | 'l2r_l1loss_svc_dual'
  /** L2R_L2LOSS_SVC_DUAL: squared hinge, dual coordinate descent. */
  | 'l2r_l2loss_svc_dual'
  /** L2R_L2LOSS_SVC: squared hinge, primal, trust-region Newton. */
  | 'l2r_l2loss_svc';

export interface BinarySpec {
  readonly solver: BinarySolver;
  readonly C: number;
  /** liblinear's eps (scikit-learn's tol); primal solvers scale it by the class balance. */
  readonly eps: number;
  readonly maxIter: number;
}

export interface BinaryResult {
  w: Float64Array;
  iterations: number;
  /** The iteration a solver checkpoint let this fit start from (absent: from the start). */
  continuedFrom?: number | null;
}

export function trainBinary(
  p: LinearProblem,
  y: Int8Array,
  spec: BinarySpec,
  seed: number,
  checkpoints: BinaryCheckpoints | null = null,
): BinaryResult {
  const { solver, C, eps, maxIter } = spec;
  switch (solver) {
    case 'l2r_lr':
    case 'l2r_l2loss_svc': {
      const fn =
        solver === 'l2r_lr' ? new LogisticObjective(p, y, C) : new SquaredHingeObjective(p, y, C);
      const w = p.ops.f64(weightSize(p));
      const r = tron(fn, w, primalTolerance(eps, y), maxIter, (n) => p.ops.f64(n));
      return { w, iterations: r.iterations };
    }
    case 'l1r_lr': {
      // newGLMNET's classes run for up to an hour each on MNIST: the one solver that checkpoints.
      const tol = primalTolerance(eps, y);
      const r = solveL1Logistic(p, y, C, tol, maxIter, new Rng(seed), checkpoints);
      return { w: r.w, iterations: r.newtonIterations, continuedFrom: r.continuedFrom };
    }
    case 'l2r_l1loss_svc_dual':
    case 'l2r_l2loss_svc_dual': {
      const loss = solver === 'l2r_l1loss_svc_dual' ? 'hinge' : 'squared_hinge';
      const r = solveSvmDual(p, y, C, loss, eps, maxIter, new Rng(seed));
      return { w: r.w, iterations: r.iterations };
    }
  }
}
