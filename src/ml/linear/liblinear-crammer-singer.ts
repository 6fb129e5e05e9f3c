/**
 * The Crammer–Singer multi-class SVM by dual coordinate descent (Keerthi et al. 2008;
 * liblinear's Solver_MCSVM_CS):
 *   min_α ½ Σ_m ‖w_m‖² + Σ_i Σ_m e_i^m α_i^m,   w_m = Σ_i α_i^m x_i,
 *   s.t. α_i^m ≤ C·[m = y_i],  Σ_m α_i^m = 0,   e_i^m = [m ≠ y_i]
 * i.e. the primal ½ Σ_m ‖w_m‖² + C Σ_i max_m (e_i^m + w_m·x_i − w_{y_i}·x_i).
 * One row at a time: its K variables solve a small QP in closed form (sort and threshold).
 * Classes that sit at their bound with a small gradient are shrunk per row, rows with at
 * most one live class leave the active set, and the tolerance for re-checking everything
 * halves from max(10·eps, 1) down to eps, as in liblinear. Given checkpoints, the solver
 * starts from the last one kept and keeps its state after a pass whenever one is due,
 * then yields to the event loop once so that an asynchronous keeper can write it.
 */
import { rowDot, rowSquaredNorms } from '../../kernels/liblinear.js';
import { WasmLinearOps, type CrammerSingerState } from '../../kernels/linear-ops.js';
import type { Rng } from '../random.js';
import { packPart, unpackPart } from '../fit-parts.js';
import type { BinaryCheckpoints } from './solver-checkpoints.js';
import type { LinearProblem } from './liblinear-problem.js';
import { weightSize } from './liblinear-problem.js';

export interface CrammerSingerResult {
  /** K weight vectors, class-major: W[m*size + j]. */
  W: Float64Array;
  /** Dual variables, row-major l×K. */
  alpha: Float64Array;
  iterations: number;
  /** The pass a checkpoint let this run start from (null: from the start). */
  continuedFrom: number | null;
}

export async function solveCrammerSinger(
  p: LinearProblem,
  y: Int32Array,
  K: number,
  C: number,
  eps: number,
  maxIter: number,
  rng: Rng,
  checkpoints: BinaryCheckpoints | null = null,
): Promise<CrammerSingerResult> {
  const { rows: l, ops } = p;
  const st = initialState(p, y, K, C);
  const { activeSizeI, index } = st;
  const wasm = ops instanceof WasmLinearOps ? ops : null;
  let activeSize = l;
  let epsShrink = Math.max(10 * eps, 1);
  let startFromAll = true;
  let iter = 0;
  const kept = restoreState(checkpoints?.restore() ?? null, l, K, st.size);
  if (kept !== null) {
    for (const name of ARRAYS) st[name].set(kept.arrays[name]);
    for (let t = 0; t < st.W.length; t++) st.Wf[t] = Math.fround(st.W[t]);
    ({ activeSize, epsShrink, startFromAll, iter } = kept.scalars);
    rng.setState(kept.rng);
  }
  const continuedFrom = kept === null ? null : iter;

  while (iter < maxIter) {
    for (let i = 0; i < activeSize; i++) {
      const j = i + rng.nextInt(activeSize - i);
      const t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    const pass = wasm?.crammerSingerPass(st, activeSize) ?? passTs(p, st, activeSize);
    activeSize = pass.activeSize;
    iter++;
    if (pass.stopping < epsShrink) {
      if (pass.stopping < eps && startFromAll) break;
      activeSize = l;
      activeSizeI.fill(K);
      epsShrink = Math.max(epsShrink / 2, eps);
      startFromAll = true;
    } else startFromAll = false;
    if (checkpoints?.due()) {
      const scalars = { iter, activeSize, epsShrink, startFromAll };
      checkpoints.save(packState(scalars, rng.getState(), st));
      // Let the keeper's I/O go out (the queue's Redis is asynchronous).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { W: st.W, alpha: st.alpha, iterations: iter, continuedFrom };
}

interface SolverScalars {
  iter: number;
  activeSize: number;
  epsShrink: number;
  startFromAll: boolean;
}

/** The state arrays a checkpoint holds (W's float32 mirror Wf follows from W). */
const ARRAYS = ['W', 'alpha', 'alphaIndex', 'yIndex', 'activeSizeI', 'index'] as const;
type StateArrays = Record<(typeof ARRAYS)[number], ArrayLike<number>>;

/** The state after a pass as bytes (a checkpoint); integer arrays travel as float64. */
function packState(scalars: SolverScalars, rng: Uint32Array, st: CrammerSingerState): Uint8Array {
  const arrays = ARRAYS.map((name) => Float64Array.from(st[name]));
  return packPart({ ...scalars, rng: [...rng] }, arrays);
}

/** A checkpoint's state, or null when the bytes are not a state of this problem's sizes. */
function restoreState(
  bytes: Uint8Array | null,
  l: number,
  K: number,
  size: number,
): { scalars: SolverScalars; rng: number[]; arrays: StateArrays } | null {
  if (bytes === null) return null;
  const u = unpackPart(bytes);
  if (u === null || u.arrays.length !== ARRAYS.length) return null;
  const sizes = [K * size, l * K, l * K, l, l, l];
  if (u.arrays.some((a, k) => a.length !== sizes[k])) return null;
  const h = u.header;
  if (
    !Number.isInteger(h.iter) ||
    !Number.isInteger(h.activeSize) ||
    typeof h.epsShrink !== 'number' ||
    typeof h.startFromAll !== 'boolean' ||
    !Array.isArray(h.rng) ||
    h.rng.length !== 4
  ) {
    return null;
  }
  const { iter, activeSize, epsShrink, startFromAll } = h as unknown as SolverScalars;
  const arrays = Object.fromEntries(
    ARRAYS.map((name, k) => [name, u.arrays[k]]),
  ) as unknown as StateArrays;
  return { scalars: { iter, activeSize, epsShrink, startFromAll }, rng: h.rng as number[], arrays };
}

/** The solver's arrays, from the problem's ops (so the WASM pass can work on them). */
function initialState(p: LinearProblem, y: Int32Array, K: number, C: number): CrammerSingerState {
  const { data, rows: l, cols, biasValue, ops } = p;
  const size = weightSize(p);
  const QD = ops.f64(l);
  QD.set(rowSquaredNorms(data, l, cols, biasValue));
  const alphaIndex = ops.i32(l * K);
  const yIndex = ops.i32(l);
  const yCopy = ops.i32(l);
  const activeSizeI = ops.i32(l);
  const index = ops.i32(l);
  for (let i = 0; i < l; i++) {
    for (let m = 0; m < K; m++) alphaIndex[i * K + m] = m;
    activeSizeI[i] = K;
    yIndex[i] = y[i];
    yCopy[i] = y[i];
    index[i] = i;
  }
  return {
    data,
    cols,
    bias: biasValue,
    size,
    K,
    C,
    W: ops.f64(K * size),
    Wf: ops.f32(K * size),
    alpha: ops.f64(l * K),
    alphaIndex,
    yIndex,
    y: yCopy,
    activeSizeI,
    index,
    QD,
    scratch: ops.f64(6 * K + 1),
  };
}

/** One pass over index[0..activeSize) in TypeScript: the reference for csPass in WASM. */
function passTs(
  p: LinearProblem,
  st: CrammerSingerState,
  activeSizeIn: number,
): { activeSize: number; stopping: number } {
  const { ops } = p;
  const { data, cols, bias: biasValue, size, K, C, W, alpha, alphaIndex, yIndex, y } = st;
  const { activeSizeI, index, QD } = st;
  const G = new Float64Array(K);
  const B = new Float64Array(K);
  const D = new Float64Array(K);
  const alphaNew = new Float64Array(K);
  const dInd = new Int32Array(K);
  const dVal = new Float64Array(K);
  // Whether class slot m of row i sits at its bound with a gradient below minG.
  const beShrunk = (m: number, yi: number, alphaValue: number, minG: number): boolean =>
    alphaValue === (m === yi ? C : 0) && G[m] < minG;
  let activeSize = activeSizeIn;
  let stopping = -Infinity;
  for (let s = 0; s < activeSize; s++) {
    const i = index[s];
    const Ai = QD[i];
    if (!(Ai > 0)) continue;
    const ai = i * K;
    const offset = i * cols;
    let act = activeSizeI[i];
    // Scores of the live classes only: shrunk classes cost nothing.
    for (let m = 0; m < act; m++) {
      G[m] = ops.rowDot(data, offset, cols, W, alphaIndex[ai + m] * size, biasValue);
      if (m !== yIndex[i]) G[m] += 1;
    }
    let minG = Infinity;
    let maxG = -Infinity;
    for (let m = 0; m < act; m++) {
      if (alpha[ai + alphaIndex[ai + m]] < 0 && G[m] < minG) minG = G[m];
      if (G[m] > maxG) maxG = G[m];
    }
    if (yIndex[i] < act && alpha[ai + y[i]] < C && G[yIndex[i]] < minG) minG = G[yIndex[i]];

    for (let m = 0; m < act; m++) {
      if (!beShrunk(m, yIndex[i], alpha[ai + alphaIndex[ai + m]], minG)) continue;
      act--;
      while (act > m) {
        if (!beShrunk(act, yIndex[i], alpha[ai + alphaIndex[ai + act]], minG)) {
          swapInt(alphaIndex, ai + m, ai + act);
          const tg = G[m];
          G[m] = G[act];
          G[act] = tg;
          if (yIndex[i] === act) yIndex[i] = m;
          else if (yIndex[i] === m) yIndex[i] = act;
          break;
        }
        act--;
      }
    }
    activeSizeI[i] = act;
    if (act <= 1) {
      activeSize--;
      swapInt(index, s, activeSize);
      s--;
      continue;
    }
    if (maxG - minG <= 1e-12) continue;
    if (maxG - minG > stopping) stopping = maxG - minG;

    for (let m = 0; m < act; m++) B[m] = G[m] - Ai * alpha[ai + alphaIndex[ai + m]];
    solveSubProblem(Ai, yIndex[i], C, act, B, D, alphaNew);
    let nz = 0;
    for (let m = 0; m < act; m++) {
      const slot = ai + alphaIndex[ai + m];
      const d = alphaNew[m] - alpha[slot];
      alpha[slot] = alphaNew[m];
      if (Math.abs(d) >= 1e-12) {
        dInd[nz] = alphaIndex[ai + m];
        dVal[nz++] = d;
      }
    }
    for (let t = 0; t < nz; t++)
      ops.rowAxpy(data, offset, cols, dVal[t], W, dInd[t] * size, biasValue);
  }
  return { activeSize, stopping };
}

/**
 * The row subproblem: min over α (active slots) of ½A‖α‖² + Bᵀα subject to Σα = 0,
 * α_m ≤ C[m = y] — solved by sorting D = B (+A·C at y) and finding the threshold β.
 */
function solveSubProblem(
  A: number,
  yi: number,
  C: number,
  active: number,
  B: Float64Array,
  D: Float64Array,
  alphaNew: Float64Array,
): void {
  for (let m = 0; m < active; m++) D[m] = B[m];
  if (yi < active) D[yi] += A * C;
  const sorted = D.subarray(0, active).sort().reverse();
  let beta = sorted[0] - A * C;
  let r = 1;
  for (; r < active && beta < r * sorted[r]; r++) beta += sorted[r];
  beta /= r;
  for (let m = 0; m < active; m++) {
    const v = (beta - B[m]) / A;
    alphaNew[m] = m === yi ? Math.min(C, v) : Math.min(0, v);
  }
}

function swapInt(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The Crammer–Singer primal objective ½ Σ‖w_m‖² + C Σ_i max_m(e_i^m + w_m·x_i − w_y·x_i). */
export function crammerSingerPrimal(
  p: LinearProblem,
  y: Int32Array,
  K: number,
  C: number,
  W: Float64Array,
): number {
  const size = weightSize(p);
  let v = 0;
  for (let t = 0; t < W.length; t++) v += W[t] * W[t];
  v /= 2;
  for (let i = 0; i < p.rows; i++) {
    const yScore = rowDot(p.data, i * p.cols, p.cols, W, y[i] * size, p.biasValue);
    let worst = 0;
    for (let m = 0; m < K; m++) {
      if (m === y[i]) continue;
      const margin = 1 + rowDot(p.data, i * p.cols, p.cols, W, m * size, p.biasValue) - yScore;
      if (margin > worst) worst = margin;
    }
    v += C * worst;
  }
  return v;
}

/** The dual objective ½ Σ‖w_m‖² + Σ_i Σ_{m≠y_i} α_i^m (its negative bounds the primal from below). */
export function crammerSingerDual(
  y: Int32Array,
  K: number,
  W: Float64Array,
  alpha: Float64Array,
): number {
  let v = 0;
  for (let t = 0; t < W.length; t++) v += W[t] * W[t];
  v /= 2;
  for (let t = 0; t < alpha.length; t++) v += alpha[t];
  for (let i = 0; i < y.length; i++) v -= alpha[i * K + y[i]];
  return v;
}
