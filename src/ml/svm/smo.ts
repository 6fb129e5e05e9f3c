/**
 * libsvm's C-SVC dual solver, written from its description (Fan, Chen & Lin 2005; Chang
 * & Lin, "LIBSVM: a library for support vector machines", §4):
 *
 *   min ½ αᵀQα − eᵀα   s.t.  yᵀα = 0,  0 ≤ α_i ≤ C,   Q_ij = y_i y_j K(x_i, x_j)
 *
 * SMO with second-order working-set selection (WSS2), shrinking with one unshrink when
 * the violation first drops below 10·eps, gradient reconstruction from Ḡ (the part of the
 * gradient contributed by bounded α), τ = 1e-12 for non-positive curvature, stopping when
 * m(α) − M(α) < eps, and ρ from the free α (or the middle of the feasible interval).
 * The order in which indices are visited follows libsvm's (an index permutation with the
 * same swaps), so ties break the same way. Scalars and α, G, Ḡ are float64; kernel rows
 * may be float32.
 */

import {
  RUN_GBAR,
  TsSmoLoops,
  setGates,
  type SmoLoops,
  type SmoRunResult,
  type SmoState,
} from '../../kernels/smo-loops.js';
import { packPart, unpackPart } from '../fit-parts.js';
import type { BinaryCheckpoints } from '../linear/solver-checkpoints.js';

const TAU = 1e-12;
const LOWER = 0;
const UPPER = 1;
const FREE = 2;

/** Rows of Q on demand (y_i y_j K_ij), full length l, in the problem's own index order. */
export interface QRows {
  readonly l: number;
  /** Q_ii = K(x_i, x_i). */
  readonly QD: Float64Array;
  /** Row i of Q. The returned array stays valid (it is never overwritten in place). */
  row(i: number): Float32Array;
  /** True when row i is available without computing it. */
  cached(i: number): boolean;
  /**
   * Computes the missing rows among `wanted` (best first) in one pass over the data;
   * the first must be computed, later ones are hints and may be skipped.
   */
  prefetch?(wanted: readonly number[]): void;
}

export interface BinarySolution {
  /** The dual variables α_i ∈ [0, C]. */
  alpha: Float64Array;
  /** The decision function is Σ α_i y_i K(x_i, x) − ρ. */
  rho: number;
  /** The dual objective ½ αᵀQα − eᵀα at the solution. */
  obj: number;
  iterations: number;
  /** False when max_iter stopped the solver before the tolerance was met. */
  converged: boolean;
  /** The iteration a checkpoint let this solve start from (null: from the start). */
  continuedFrom: number | null;
  /** Rows gathered into position order (SolverOptions.activeRows); 0 without room. */
  rowsGathered: number;
  /** Iterations the loops ran whole (SmoLoops.run, WASM only) on gathered rows. */
  runIterations: number;
}

export interface SolverOptions {
  C: number;
  eps: number;
  shrinking: boolean;
  /**
   * −1: no limit, as in scikit-learn's libsvm (upstream libsvm caps at max(10⁷, 100·l);
   * scikit-learn's fork does not, so its SVC runs until tol is met).
   */
  maxIter: number;
  /** Extra candidate rows computed along with a missing one (0 = libsvm's behaviour). */
  prefetch?: number;
  /**
   * The hot loops and the state they work on; the WASM ones need Q's rows in WASM memory.
   * Either gives the same solution, bit for bit. @default TypeScript
   */
  loops?: SmoLoops;
  /**
   * Where the solver's whole state goes every few minutes and is found again: a hard pair
   * (linear kernel, large C) can run for hours, and a killed fit then continues from its
   * last checkpoint, to the same solution.
   */
  checkpoints?: BinaryCheckpoints | null;
  /**
   * Room for rows gathered into position order (in the loops' memory for the WASM loops):
   * n rows of n floats fit when n² ≤ its length.
   * Once shrinking leaves at most half the variables active, each row the iterations read
   * is gathered once into `activeSize` contiguous floats and reused, its entries swapped
   * when shrinking swaps positions, instead of being read through perm out of its
   * full-length row. A hard pair
   * spends millions of iterations on a few hundred active variables, and every one of them
   * read two or three 48 KB rows scattered over memory (Fashion-MNIST SVC linear C=10:
   * 40-55 µs an iteration with 755 active). Same values, same arithmetic: the same
   * solution, bit for bit. None: every row is read through perm.
   */
  activeRows?: Float32Array | null;
}

/**
 * The iterations a pair may take: max_iter, or no limit for −1. scikit-learn's libsvm fork
 * ("-1 for no limit") drops upstream libsvm's cap of max(10⁷, 100·l), which on a hard pair
 * (linear kernel, large C) stops far from the optimum: SVC linear C=100 on Fashion-MNIST
 * scored 0.7345 with that cap (13 of 45 pairs cut), the paper 0.827.
 */
export function iterationLimit(maxIter: number): number {
  return maxIter < 0 ? Infinity : maxIter;
}

/**
 * Solves one two-class C-SVC dual; y holds +1/−1.
 *
 * Like libsvm, the per-index state (α, G, Ḡ, status, y, Q_ii) is stored by *position* and
 * swapped when shrinking moves an index out of the active prefix, so the hot loops read
 * it contiguously; `perm` maps a position to the problem's index, which is how rows of Q
 * (kept in the problem's own order, so the cache never has to swap) are read.
 */
export function solveCSVC(Q: QRows, yIn: Int8Array, opts: SolverOptions): BinarySolution {
  const l = Q.l;
  const { C, eps, shrinking } = opts;
  const maxIter = iterationLimit(opts.maxIter);
  const extra = opts.prefetch ?? 0;
  const loops: SmoLoops = opts.loops ?? new TsSmoLoops();
  const st = loops.state(l);
  // status: all at the lower bound
  const { QD, y, alpha, G, Gbar, status, perm, yLow, yUp, rowSlot } = st;
  QD.set(Q.QD);
  y.set(yIn);
  setGates(st, 0, l);
  G.fill(-1);
  for (let k = 0; k < l; k++) perm[k] = k;
  rowSlot.fill(-1);
  let activeSize = l;
  let unshrink = false;
  let iter = 0;
  let counter = Math.min(l, 1000) + 1;

  const updateStatus = (p: number): void => {
    status[p] = alpha[p] >= C ? UPPER : alpha[p] <= 0 ? LOWER : FREE;
    setGates(st, p, p + 1);
  };

  // Rows gathered into position order (SolverOptions.activeRows): entries for positions
  // [0, stride), kept in step by swaps among those positions (as libsvm swaps the entries
  // of its cached rows), dropped when a swap reaches past them or more positions become
  // active.
  const room = opts.activeRows ?? null;
  const gathered = new Map<number, Float32Array>();
  let gatheredValid = false;
  let stride = 0;
  let rowsGathered = 0;
  let runIterations = 0;

  /** Whether this step reads gathered rows (starting a fresh set if needed). */
  const gatherStep = (): boolean => {
    const gather = room !== null && 2 * activeSize <= l && activeSize * activeSize <= room.length;
    if (gather && (!gatheredValid || activeSize > stride)) {
      for (const key of gathered.keys()) rowSlot[key] = -1;
      gathered.clear();
      gatheredValid = true;
      stride = activeSize;
    }
    return gather;
  };

  /** Position p's row as the loops read it this step (gathered: p's entries in position order). */
  const rowAt = (p: number, gather: boolean): Float32Array => {
    const key = perm[p];
    if (!gather) return Q.row(key);
    let r = gathered.get(key);
    if (r === undefined) {
      // Swaps keep to positions [0, stride), so the rows there are at most `stride`
      // problem indices: at most stride rows of stride floats, and they fit.
      const full = Q.row(key);
      const at = gathered.size * stride;
      r = (room as Float32Array).subarray(at, at + stride);
      for (let k = 0; k < stride; k++) r[k] = full[perm[k]];
      gathered.set(key, r);
      rowSlot[key] = at;
      rowsGathered++;
    }
    return r;
  };

  // The float64 arrays kept per position (one array type: the loop below stays monomorphic).
  const float64PerPosition = [alpha, G, Gbar, QD, yLow, yUp];
  const swap = (a: number, b: number): void => {
    if (gatheredValid) {
      if (a < stride && b < stride) {
        for (const r of gathered.values()) {
          const v = r[a];
          r[a] = r[b];
          r[b] = v;
        }
      } else gatheredValid = false;
    }
    let t = perm[a];
    perm[a] = perm[b];
    perm[b] = t;
    t = y[a];
    y[a] = y[b];
    y[b] = t;
    t = status[a];
    status[a] = status[b];
    status[b] = t;
    for (const v of float64PerPosition) {
      const f = v[a];
      v[a] = v[b];
      v[b] = f;
    }
  };

  // The first index of the next working set when the last update already found it.
  const NONE = -2;
  let nextFirst = NONE;
  const reconstructGradient = (): void => {
    nextFirst = NONE;
    if (activeSize === l) return;
    for (let m = activeSize; m < l; m++) G[m] = Gbar[m] - 1;
    for (let k = 0; k < activeSize; k++) {
      if (status[k] !== FREE) continue;
      loops.addScaledRow(G, perm, Q.row(perm[k]), alpha[k], activeSize, l);
    }
  };

  // Candidates computed along with a missing row: the next most violating positions.
  const hintBuf: number[] = [];
  const hintScore: number[] = [];
  const prefetchFor = (i: number): void => {
    if (Q.prefetch === undefined || extra <= 0 || Q.cached(perm[i])) return;
    hintBuf.length = 0;
    hintScore.length = 0;
    for (let t = 0; t < activeSize; t++) {
      if (t === i || Q.cached(perm[t])) continue;
      const yG = y[t] * G[t];
      // Violation as a candidate for i (I_up, −yG large) or for j (I_low, yG large).
      let s = -Infinity;
      if (y[t] === 1 ? status[t] !== UPPER : status[t] !== LOWER) s = -yG;
      if (y[t] === 1 ? status[t] !== LOWER : status[t] !== UPPER) s = Math.max(s, yG);
      if (hintBuf.length === extra && s <= hintScore[extra - 1]) continue;
      let p = hintBuf.length < extra ? hintBuf.length : extra - 1;
      while (p > 0 && hintScore[p - 1] < s) {
        hintScore[p] = hintScore[p - 1];
        hintBuf[p] = hintBuf[p - 1];
        p--;
      }
      hintScore[p] = s;
      hintBuf[p] = perm[t];
    }
    Q.prefetch([perm[i], ...hintBuf]);
  };

  let wsI = -1;
  let wsJ = -1;
  // Whether the selection read gathered rows; nothing swaps before the update, which reads them too.
  let wsGather = false;
  const selectWorkingSet = (): boolean => {
    const i = nextFirst !== NONE ? nextFirst : loops.maxViolator(st, activeSize);
    nextFirst = NONE;
    // No first index: no violating pair (libsvm's second pass finds none either).
    if (i === -1) return false;
    // −y_i G_i, as the first pass maximised it.
    const Gmax = y[i] === 1 ? -G[i] : G[i];
    const gather = (wsGather = gatherStep());
    prefetchFor(i);
    const Qi = rowAt(i, gather);
    const GminIdx = loops.selectSecond(st, Qi, activeSize, Gmax, QD[i], y[i], gather);
    const Gmax2 = loops.lastGmax2;
    if (Gmax + Gmax2 < eps || GminIdx === -1) return false;
    wsI = i;
    wsJ = GminIdx;
    return true;
  };

  const beShrunk = (p: number, Gmax1: number, Gmax2: number): boolean => {
    if (status[p] === UPPER) return y[p] === 1 ? -G[p] > Gmax1 : -G[p] > Gmax2;
    if (status[p] === LOWER) return y[p] === 1 ? G[p] > Gmax2 : G[p] > Gmax1;
    return false;
  };

  const doShrinking = (): void => {
    nextFirst = NONE;
    let Gmax1 = -Infinity; // max { −y_i G_i : i ∈ I_up }
    let Gmax2 = -Infinity; // max {  y_i G_i : i ∈ I_low }
    for (let p = 0; p < activeSize; p++) {
      if (y[p] === 1) {
        if (status[p] !== UPPER && -G[p] >= Gmax1) Gmax1 = -G[p];
        if (status[p] !== LOWER && G[p] >= Gmax2) Gmax2 = G[p];
      } else {
        if (status[p] !== UPPER && -G[p] >= Gmax2) Gmax2 = -G[p];
        if (status[p] !== LOWER && G[p] >= Gmax1) Gmax1 = G[p];
      }
    }
    if (!unshrink && Gmax1 + Gmax2 <= eps * 10) {
      unshrink = true;
      reconstructGradient();
      activeSize = l;
    }
    for (let k = 0; k < activeSize; k++) {
      if (!beShrunk(k, Gmax1, Gmax2)) continue;
      activeSize--;
      while (activeSize > k) {
        if (!beShrunk(activeSize, Gmax1, Gmax2)) {
          swap(k, activeSize);
          break;
        }
        activeSize--;
      }
    }
  };

  /**
   * Ḡ after a variable reached C (+C·its row) or left it (−C·its row). Ḡ covers every
   * variable: `row` is the full row, read through perm.
   */
  const crossedC = (row: Float32Array, wasUpper: boolean): void =>
    loops.addScaledRow(Gbar, perm, row, wasUpper ? -C : C, 0, l);

  const checkpoints = opts.checkpoints ?? null;
  const kept = restoreState(checkpoints?.restore() ?? null, l, st);
  if (kept !== null) ({ activeSize, unshrink, iter, counter, nextFirst } = kept);
  const continuedFrom = kept === null ? null : iter;

  let converged = true;
  while (true) {
    if (iter >= maxIter) {
      converged = false;
      break;
    }
    // Every 1024 iterations, so that asking the clock costs nothing next to the iterations.
    if (iter % 1024 === 0 && iter !== continuedFrom && checkpoints?.due()) {
      checkpoints.save(packState(st, { activeSize, unshrink, iter, counter, nextFirst }));
    }
    if (--counter === 0) {
      counter = Math.min(l, 1000);
      if (shrinking) doShrinking();
    }
    // On gathered rows the loops may run whole iterations themselves, up to the next
    // shrinking, checkpoint or max_iter; the same iterations, without a call per loop.
    if (loops.run !== undefined && nextFirst >= 0 && gatherStep()) {
      const steps = Math.min(counter, 1024 - (iter % 1024), maxIter - iter);
      const done = loops.run(st, room as Float32Array, activeSize, C, eps, nextFirst, steps);
      if (done > 0) {
        iter += done;
        runIterations += done;
        counter -= done - 1; // this iteration's decrement is made
        const r = loops.lastRun as SmoRunResult;
        nextFirst = r.next;
        if (r.exit === RUN_GBAR) {
          if (r.changed & 1) crossedC(Q.row(perm[r.i]), (r.wasUpper & 1) !== 0);
          if (r.changed & 2) crossedC(Q.row(perm[r.j]), (r.wasUpper & 2) !== 0);
        }
        continue;
      }
    }
    if (!selectWorkingSet()) {
      reconstructGradient();
      activeSize = l;
      if (!selectWorkingSet()) break;
      counter = 1; // shrink at the next iteration
    }
    iter++;
    const i = wsI;
    const j = wsJ;
    if (!Q.cached(perm[j])) prefetchFor(j);
    const gather = wsGather;
    const Qi = rowAt(i, gather);
    const Qj = rowAt(j, gather);
    const Qij = Qi[gather ? j : perm[j]];
    const oldAi = alpha[i];
    const oldAj = alpha[j];
    if (y[i] !== y[j]) {
      let quad = QD[i] + QD[j] + 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (-G[i] - G[j]) / quad;
      const diff = alpha[i] - alpha[j];
      alpha[i] += delta;
      alpha[j] += delta;
      if (diff > 0) {
        if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = diff;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = -diff;
      }
      if (diff > 0) {
        // C_i − C_j = 0 (no class weights)
        if (alpha[i] > C) {
          alpha[i] = C;
          alpha[j] = C - diff;
        }
      } else if (alpha[j] > C) {
        alpha[j] = C;
        alpha[i] = C + diff;
      }
    } else {
      let quad = QD[i] + QD[j] - 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (G[i] - G[j]) / quad;
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      if (sum > C) {
        if (alpha[i] > C) {
          alpha[i] = C;
          alpha[j] = sum - C;
        }
      } else if (alpha[j] < 0) {
        alpha[j] = 0;
        alpha[i] = sum;
      }
      if (sum > C) {
        if (alpha[j] > C) {
          alpha[j] = C;
          alpha[i] = sum - C;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = sum;
      }
    }
    const dAi = alpha[i] - oldAi;
    const dAj = alpha[j] - oldAj;
    const ui = status[i] === UPPER;
    const uj = status[j] === UPPER;
    updateStatus(i);
    updateStatus(j);
    // The update also finds the next selection's first index (valid until the active set
    // changes: shrinking and gradient reconstruction drop it).
    nextFirst = loops.updateGradient(st, Qi, Qj, dAi, dAj, activeSize, gather);
    if (ui !== (status[i] === UPPER)) crossedC(gather ? Q.row(perm[i]) : Qi, ui);
    if (uj !== (status[j] === UPPER)) crossedC(gather ? Q.row(perm[j]) : Qj, uj);
  }
  if (activeSize < l) {
    reconstructGradient();
    activeSize = l;
  }

  // ρ: the average of y_i G_i over free α, else the middle of [lb, ub].
  let ub = Infinity;
  let lb = -Infinity;
  let nFree = 0;
  let sumFree = 0;
  for (let p = 0; p < l; p++) {
    const yG = y[p] * G[p];
    if (status[p] === UPPER) {
      if (y[p] === -1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else if (status[p] === LOWER) {
      if (y[p] === 1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  const rho = nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  let obj = 0;
  const alphaOut = new Float64Array(l);
  for (let p = 0; p < l; p++) {
    obj += alpha[p] * (G[p] - 1);
    alphaOut[perm[p]] = alpha[p];
  }
  return {
    alpha: alphaOut,
    rho,
    obj: obj / 2,
    iterations: iter,
    converged,
    continuedFrom,
    rowsGathered,
    runIterations,
  };
}

/** The solver's scalars at the top of an iteration; with the per-position arrays, its state. */
interface SolverScalars {
  activeSize: number;
  unshrink: boolean;
  iter: number;
  counter: number;
  nextFirst: number;
}

const ARRAYS = ['y', 'status', 'alpha', 'G', 'Gbar', 'QD', 'perm'] as const;

/** The state at the top of an iteration as bytes (a checkpoint); all arrays as float64. */
function packState(st: SmoState, scalars: SolverScalars): Uint8Array {
  return packPart(
    { ...scalars },
    ARRAYS.map((k) => Float64Array.from(st[k])),
  );
}

/**
 * Writes a checkpoint's arrays into `st` and returns its scalars, or null (leaving `st` as
 * it was) when the bytes are not a state of a problem of l variables.
 */
function restoreState(bytes: Uint8Array | null, l: number, st: SmoState): SolverScalars | null {
  if (bytes === null) return null;
  const u = unpackPart(bytes);
  if (u === null || u.arrays.length !== ARRAYS.length || u.arrays.some((a) => a.length !== l)) {
    return null;
  }
  const h = u.header;
  const numbers = ['activeSize', 'iter', 'counter', 'nextFirst'];
  if (!numbers.every((k) => Number.isInteger(h[k])) || typeof h.unshrink !== 'boolean') return null;
  ARRAYS.forEach((k, i) => st[k].set(u.arrays[i]));
  setGates(st, 0, l);
  return {
    activeSize: h.activeSize as number,
    unshrink: h.unshrink,
    iter: h.iter as number,
    counter: h.counter as number,
    nextFirst: h.nextFirst as number,
  };
}
