/**
 * One binary problem of scikit-learn 0.19's `plain_sgd` (sgd_fast.pyx) on dense float32
 * rows: targets ±1, a pass per epoch over the rows in a freshly shuffled order, and per
 * sample
 *   p = w·x + b;  eta from the schedule;  update = −eta·dloss(p, y)   (clipped to ±1e12)
 *     or, for passive-aggressive, update = y·min(C, loss/‖x‖²) (PA-I) or y·loss/(‖x‖² + 1/(2C)) (PA-II);
 *   l2 part: w ← w·max(0, 1 − (1 − l1_ratio)·eta·alpha)       (before the add)
 *   w ← w + update·x;  b ← b + update·intercept_decay
 *   l1 part: u += l1_ratio·eta·alpha, then the cumulative truncation of every weight.
 * With tol null it runs exactly max_iter epochs (0.19's default); with a number it stops as
 * scikit-learn ≥ 0.21 does: after n_iter_no_change epochs in a row whose summed training
 * loss did not drop below the best so far minus tol·n_samples.
 */
import { FmnistError } from '../errors.js';
import { scaleVector, truncateAll, TS_ROW_OPS, type SgdRowOps } from './sgd.js';
import { lossDerivative, lossValue, optimalLearningRateOffset, type LossCode } from './sgd-loss.js';

export const PENALTY_NONE = 0;
export const PENALTY_L1 = 1;
export const PENALTY_L2 = 2;
export const PENALTY_ELASTICNET = 3;
export type PenaltyCode =
  typeof PENALTY_NONE | typeof PENALTY_L1 | typeof PENALTY_L2 | typeof PENALTY_ELASTICNET;

export const SCHEDULE_CONSTANT = 1;
export const SCHEDULE_OPTIMAL = 2;
export const SCHEDULE_INVSCALING = 3;
export const SCHEDULE_PA1 = 4;
export const SCHEDULE_PA2 = 5;
export type ScheduleCode =
  | typeof SCHEDULE_CONSTANT
  | typeof SCHEDULE_OPTIMAL
  | typeof SCHEDULE_INVSCALING
  | typeof SCHEDULE_PA1
  | typeof SCHEDULE_PA2;

/** Large derivatives are clipped, as scikit-learn does, to keep a bad step finite. */
const MAX_DLOSS = 1e12;

export interface BinarySgdConfig {
  loss: LossCode;
  /** The hinge's margin (1 for hinge/squared_hinge, 0 for perceptron). */
  threshold: number;
  penalty: PenaltyCode;
  alpha: number;
  /** Share of the penalty that is l1; forced to 0 for l2 and 1 for l1. */
  l1Ratio: number;
  schedule: ScheduleCode;
  eta0: number;
  powerT: number;
  /** The passive-aggressive step cap. */
  C: number;
  fitIntercept: boolean;
  maxIter: number;
  /** null: run maxIter epochs. */
  tol: number | null;
  nIterNoChange: number;
  shuffle: boolean;
}

/** Anything that shuffles an index array in place (an Rng); kept structural so kernels import nothing above them. */
export interface Shuffler {
  shuffle(a: Uint32Array): void;
}

export interface BinarySgdResult {
  coef: Float64Array;
  intercept: number;
  /** Epochs run. */
  nIter: number;
}

/** The data one binary problem sees: rows, and which encoded label is the positive class. */
export interface BinarySgdData {
  X: Float32Array;
  rows: number;
  cols: number;
  /** Encoded labels; rows with label === positive get y = +1, the rest −1. */
  labels: Int32Array;
  positive: number;
  /** ‖x_i‖², needed by the passive-aggressive schedules only. */
  rowSqNorms?: Float64Array;
}

/**
 * Zero-filled weight vectors (d entries each) for the problems, one W and one Q (the l1
 * record) per problem, when the caller places them (the WASM row ops need them in the
 * arena). The results' coef are these W.
 */
export interface SgdWeights {
  W: Float64Array[];
  Q: Float64Array[];
}

/** scikit-learn's check after every epoch, with its wording. */
function divergedError(epoch: number): FmnistError {
  return new FmnistError(
    'NUMERIC_OVERFLOW',
    `Floating-point under-/overflow occurred at epoch #${epoch}. Scaling input data with StandardScaler or MinMaxScaler might help.`,
  );
}

/** One binary problem: trainSgdProblems with a single positive class. */
export function trainBinarySgd(
  data: BinarySgdData,
  cfg: BinarySgdConfig,
  rng: Shuffler,
): BinarySgdResult {
  return trainSgdProblems(data, [data.positive], cfg, rng)[0];
}

/**
 * Several one-vs-rest problems over the same rows (problem k: label === positives[k] is
 * +1). They share one shuffled order per epoch and visit each row together, so a row is
 * read from memory once per epoch instead of once per class: each problem is the same
 * SGD as alone (its order is still a fresh uniform shuffle per epoch), only the orders of
 * different problems are the same rather than independent. The result of a problem does
 * not depend on which other problems run beside it.
 */
export function trainSgdProblems(
  data: Omit<BinarySgdData, 'positive'>,
  positives: readonly number[],
  cfg: BinarySgdConfig,
  rng: Shuffler,
  ops: SgdRowOps = TS_ROW_OPS,
  weights?: SgdWeights,
): BinarySgdResult[] {
  const { X, rows: n, cols: d, labels } = data;
  const { loss, threshold, alpha, schedule, eta0, powerT, C, fitIntercept } = cfg;
  const pa = schedule === SCHEDULE_PA1 || schedule === SCHEDULE_PA2;
  if (pa && data.rowSqNorms === undefined) {
    throw new TypeError('trainSgdProblems: the passive-aggressive schedules need rowSqNorms.');
  }
  const sqNorms = data.rowSqNorms as Float64Array;
  const penalty = cfg.penalty;
  const l1Ratio = penalty === PENALTY_L2 ? 0 : penalty === PENALTY_L1 ? 1 : cfg.l1Ratio;
  // An l1 share of 0 makes the truncation a no-op and a share of 1 the decay a no-op:
  // skipping them changes no number.
  const hasL2 = (penalty === PENALTY_L2 || penalty === PENALTY_ELASTICNET) && l1Ratio < 1;
  const hasL1 = (penalty === PENALTY_L1 || penalty === PENALTY_ELASTICNET) && l1Ratio > 0;
  const lazyL1 = hasL1 && !hasL2;
  const trackLoss = cfg.tol !== null;
  const tol = cfg.tol ?? 0;

  const K = positives.length;
  const W = weights?.W ?? Array.from({ length: K }, () => new Float64Array(d));
  const Q = weights?.Q ?? Array.from({ length: K }, () => new Float64Array(hasL1 ? d : 0));
  if (W.length !== K || Q.length !== K || W.some((w) => w.length !== d)) {
    throw new RangeError(`trainSgdProblems: weights must hold ${K} W (and Q) of ${d} entries.`);
  }
  const { dotRow, addRow, addRowDotNext, truncateDotRow, addRowTruncate } = ops;
  const { addRowTruncateDotNext, peekTruncatedDotRow, catchUpAddRowTruncate } = ops;
  const wscale = new Float64Array(K).fill(1);
  const b = new Float64Array(K);
  // The u at which each problem's stored weights were last truncated; below u, truncation is owed.
  const uStored = new Float64Array(K);
  const sumLoss = new Float64Array(K);
  const bestLoss = new Float64Array(K).fill(Infinity);
  const noImprovement = new Int32Array(K);
  const nIter = new Int32Array(K);
  const active = new Uint8Array(K).fill(1);
  // A problem's dot with the row at position s, when its previous step computed it while
  // adding (nextDotFor[k] === s).
  const nextDot = new Float64Array(K);
  const nextDotFor = new Int32Array(K).fill(-1);
  let nActive = K;
  // eta, t and the l1 budget u depend only on the step count, the same for every problem.
  let u = 0;
  let t = 1;
  const optimalInit =
    schedule === SCHEDULE_OPTIMAL ? optimalLearningRateOffset(loss, threshold, alpha) : 0;
  let eta = eta0;

  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let epoch = 0;
  while (epoch < cfg.maxIter && nActive > 0) {
    epoch++;
    if (cfg.shuffle) rng.shuffle(order);
    sumLoss.fill(0);
    nextDotFor.fill(-1);
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const o = i * d;
      const oNext = s + 1 < n ? order[s + 1] * d : -1;
      // scikit-learn skips an all-zero row entirely under passive-aggressive (no t increment either).
      if (pa && sqNorms[i] === 0) {
        if (trackLoss)
          for (let k = 0; k < K; k++)
            sumLoss[k] += lossValue(loss, threshold, b[k], labels[i] === positives[k] ? 1 : -1);
        continue;
      }
      if (schedule === SCHEDULE_OPTIMAL) eta = 1 / (alpha * (optimalInit + t - 1));
      else if (schedule === SCHEDULE_INVSCALING) eta = eta0 / Math.pow(t, powerT);
      const uBefore = u;
      if (hasL1) u += l1Ratio * eta * alpha;
      const decay = hasL2 ? Math.max(0, 1 - (1 - l1Ratio) * eta * alpha) : 1;
      for (let k = 0; k < K; k++) {
        if (active[k] === 0) continue;
        const w = W[k];
        const q = Q[k];
        const y = labels[i] === positives[k] ? 1 : -1;
        let ws = wscale[k];
        let dot: number;
        if (nextDotFor[k] === s) {
          dot = nextDot[k];
        } else if (uStored[k] === uBefore) {
          dot = dotRow(w, X, o, d);
        } else if (lazyL1) {
          dot = peekTruncatedDotRow(w, q, uBefore, X, o, d);
        } else {
          dot = truncateDotRow(w, q, ws, uBefore, X, o, d);
          uStored[k] = uBefore;
        }
        const p = dot * ws + b[k];
        if (trackLoss) sumLoss[k] += lossValue(loss, threshold, p, y);

        let update: number;
        if (pa) {
          const l = lossValue(loss, threshold, p, y);
          const sq = sqNorms[i];
          update = y * (schedule === SCHEDULE_PA1 ? Math.min(C, l / sq) : l / (sq + 0.5 / C));
        } else {
          let g = lossDerivative(loss, threshold, p, y);
          if (g < -MAX_DLOSS) g = -MAX_DLOSS;
          else if (g > MAX_DLOSS) g = MAX_DLOSS;
          update = -eta * g;
        }

        if (hasL2) {
          // Never scale to a negative value when eta·alpha is too big: zero the weights instead.
          ws *= decay;
          if (ws < 1e-9) {
            scaleVector(w, ws);
            ws = 1;
          }
          wscale[k] = ws;
        }
        if (update !== 0) {
          if (oNext < 0) {
            if (!hasL1) addRow(w, X, o, d, update / ws);
            else if (uStored[k] === uBefore) addRowTruncate(w, q, ws, u, X, o, d, update / ws);
            else catchUpAddRowTruncate(w, q, uBefore, u, X, o, d, update);
          } else if (!hasL1) {
            nextDot[k] = addRowDotNext(w, X, o, oNext, d, update / ws);
            nextDotFor[k] = s + 1;
          } else if (uStored[k] === uBefore) {
            nextDot[k] = addRowTruncateDotNext(w, q, ws, u, X, o, oNext, d, update / ws);
            nextDotFor[k] = s + 1;
          } else {
            catchUpAddRowTruncate(w, q, uBefore, u, X, o, d, update);
          }
          uStored[k] = u;
          if (fitIntercept) b[k] += update; // intercept_decay is 1 for dense data
        }
      }
      t++;
    }
    for (let k = 0; k < K; k++) {
      if (active[k] === 0) continue;
      nIter[k] = epoch;
      if (uStored[k] !== u) {
        truncateAll(W[k], Q[k], wscale[k], u);
        uStored[k] = u;
      }
      if (!Number.isFinite(b[k]) || !allFinite(W[k])) throw divergedError(epoch);
      if (trackLoss) {
        noImprovement[k] = sumLoss[k] > bestLoss[k] - tol * n ? noImprovement[k] + 1 : 0;
        if (sumLoss[k] < bestLoss[k]) bestLoss[k] = sumLoss[k];
        if (noImprovement[k] >= cfg.nIterNoChange) {
          active[k] = 0;
          nActive--;
        }
      }
    }
  }
  return W.map((w, k) => {
    scaleVector(w, wscale[k]);
    return { coef: w, intercept: b[k], nIter: nIter[k] };
  });
}

function allFinite(a: Float64Array): boolean {
  for (let j = 0; j < a.length; j++) if (!Number.isFinite(a[j])) return false;
  return true;
}
