/**
 * L1-regularised logistic regression by newGLMNET (Yuan, Ho & Lin 2012; liblinear's
 * solve_l1r_lr as scikit-learn 0.19 ships it), one binary ±1 problem:
 *   min_w ‖w‖₁ + C Σ log(1 + e^(−y_i w·x_i))
 * Each Newton iteration builds a quadratic model of the loss (diagonal-plus-low-rank
 * Hessian XᵀDX), minimises model + ‖·‖₁ by coordinate descent over features with
 * shrinking, then backtracks along the step until the sufficient-decrease test holds.
 * Coordinates that never leave zero stay exactly zero: the L1 solution is sparse.
 * Given checkpoints, the solver continues from the last one kept and keeps its whole state
 * after a Newton iteration whenever one is due (a checkpoint restored gives the very
 * iterations, and weights, of an uninterrupted run).
 */
import { columnMajorWithBias } from '../../kernels/liblinear.js';
import { packPart, unpackPart } from '../fit-parts.js';
import type { Rng } from '../random.js';
import type { BinaryCheckpoints } from './solver-checkpoints.js';
import type { LinearProblem } from './liblinear-problem.js';
import { weightSize } from './liblinear-problem.js';

export interface L1LogisticResult {
  w: Float64Array;
  newtonIterations: number;
  /** Total coordinate-descent cycles over the features. */
  cdCycles: number;
  /** The Newton iteration a checkpoint let this run start from (null: from the start). */
  continuedFrom: number | null;
}

const MAX_INNER_ITER = 1000;
const MAX_LINE_SEARCH = 20;
const NU = 1e-12;
const SIGMA = 0.01;

// The column-major copy is shared by the one-vs-rest problems over the same data.
const columnCache = new WeakMap<Float32Array, { biasValue: number; cols: Float32Array }>();

function columnsOf(p: LinearProblem): Float32Array {
  const hit = columnCache.get(p.data);
  if (hit && hit.biasValue === p.biasValue) return hit.cols;
  const cols = columnMajorWithBias(p.data, p.rows, p.cols, p.biasValue);
  columnCache.set(p.data, { biasValue: p.biasValue, cols });
  return cols;
}

export function solveL1Logistic(
  p: LinearProblem,
  y: Int8Array,
  C: number,
  eps: number,
  maxNewtonIter: number,
  rng: Rng,
  checkpoints: BinaryCheckpoints | null = null,
): L1LogisticResult {
  const l = p.rows;
  const n = weightSize(p);
  const { ops } = p;
  if (ops.kind === 'wasm' && p.columns === undefined) {
    throw new Error(
      'solveL1Logistic: the WASM ops need the column-major copy in their memory (LinearProblem.columns).',
    );
  }
  const X = p.columns ?? columnsOf(p);
  const w = new Float64Array(n);
  const wpd = new Float64Array(n);
  const Hdiag = new Float64Array(n);
  const Grad = new Float64Array(n);
  const xjnegSum = new Float64Array(n);
  const index = new Int32Array(n);
  // The vectors the column kernels read or write come from the ops (their memory).
  const xTd = ops.f64(l);
  const expWTx = ops.f64(l);
  const expWTxNew = new Float64Array(l);
  const tau = ops.f64(l);
  const D = ops.f64(l);
  const negC = ops.f64(l);
  for (let i = 0; i < l; i++) negC[i] = y[i] === -1 ? C : 0;

  for (let j = 0; j < n; j++) {
    index[j] = j;
    xjnegSum[j] = ops.columnDot(X, j * l, l, negC);
  }
  // w = 0: e^(w·x) = 1, so τ = C/2 and D = C/4 for every row.
  for (let i = 0; i < l; i++) {
    expWTx[i] = 1;
    tau[i] = C * 0.5;
    D[i] = C * 0.25;
  }
  let wNorm = 0;
  let GmaxOld = Infinity;
  let Gnorm1Init = 0;
  let innerEps = 1;
  let newtonIter = 0;
  let cdCycles = 0;
  // What carries over from one Newton iteration to the next (Grad: a line search that gives
  // up leaves wpd ≠ w where shrunk features keep their old gradient).
  const vectors: Vectors = { w, wpd, Grad, expWTx, tau, D };
  const kept = restoreState(checkpoints?.restore() ?? null, n, l);
  if (kept !== null) {
    for (const name of VECTORS) vectors[name].set(kept.vectors[name]);
    index.set(kept.index);
    ({ wNorm, GmaxOld, Gnorm1Init, innerEps, newtonIter, cdCycles } = kept.scalars);
    rng.setState(kept.rng);
  }
  const continuedFrom = kept === null ? null : newtonIter;

  while (newtonIter < maxNewtonIter) {
    if (newtonIter !== continuedFrom && checkpoints?.due()) {
      const scalars = { wNorm, GmaxOld, Gnorm1Init, innerEps, newtonIter, cdCycles };
      checkpoints.save(packState(scalars, rng.getState(), vectors, index));
    }
    let GmaxNew = 0;
    let Gnorm1New = 0;
    let activeSize = n;
    for (let s = 0; s < activeSize; s++) {
      const j = index[s];
      const o = j * l;
      Hdiag[j] = NU + ops.columnSquaredDot(X, o, l, D);
      Grad[j] = -ops.columnDot(X, o, l, tau) + xjnegSum[j];
      const Gp = Grad[j] + 1;
      const Gn = Grad[j] - 1;
      let violation = 0;
      if (w[j] === 0) {
        if (Gp < 0) violation = -Gp;
        else if (Gn > 0) violation = Gn;
        else if (Gp > GmaxOld / l && Gn < -GmaxOld / l) {
          // Outer shrinking: this weight will stay zero.
          activeSize--;
          swap(index, s, activeSize);
          s--;
          continue;
        }
      } else violation = w[j] > 0 ? Math.abs(Gp) : Math.abs(Gn);
      if (violation > GmaxNew) GmaxNew = violation;
      Gnorm1New += violation;
    }
    if (newtonIter === 0) Gnorm1Init = Gnorm1New;
    if (Gnorm1New <= eps * Gnorm1Init) break;

    // Coordinate descent on the quadratic model, over wpd = w + d.
    let iter = 0;
    let QPGmaxOld = Infinity;
    let QPactive = activeSize;
    xTd.fill(0);
    // A coordinate's update of xTd waits for the next coordinate's gradient, which reads
    // xTd anyway: one pass over it for both (columnAxpyDot3), the same numbers as two.
    let pendingOffset = -1;
    let pendingZ = 0;
    while (iter < MAX_INNER_ITER) {
      let QPGmaxNew = 0;
      let QPGnorm1New = 0;
      for (let j = 0; j < QPactive; j++) swap(index, j + rng.nextInt(QPactive - j), j);
      for (let s = 0; s < QPactive; s++) {
        const j = index[s];
        const o = j * l;
        const H = Hdiag[j];
        const dot =
          pendingOffset < 0
            ? ops.columnDot3(X, o, l, D, xTd)
            : ops.columnAxpyDot3(X, pendingOffset, pendingZ, o, l, D, xTd);
        pendingOffset = -1;
        const G = Grad[j] + (wpd[j] - w[j]) * NU + dot;
        const Gp = G + 1;
        const Gn = G - 1;
        let violation = 0;
        if (wpd[j] === 0) {
          if (Gp < 0) violation = -Gp;
          else if (Gn > 0) violation = Gn;
          else if (Gp > QPGmaxOld / l && Gn < -QPGmaxOld / l) {
            QPactive--;
            swap(index, s, QPactive);
            s--;
            continue;
          }
        } else violation = wpd[j] > 0 ? Math.abs(Gp) : Math.abs(Gn);
        if (violation > QPGmaxNew) QPGmaxNew = violation;
        QPGnorm1New += violation;
        let z: number;
        if (Gp < H * wpd[j]) z = -Gp / H;
        else if (Gn > H * wpd[j]) z = -Gn / H;
        else z = -wpd[j];
        if (Math.abs(z) < 1e-12) continue;
        z = Math.min(Math.max(z, -10), 10);
        wpd[j] += z;
        pendingOffset = o;
        pendingZ = z;
      }
      if (pendingOffset >= 0) ops.columnAxpy(X, pendingOffset, l, pendingZ, xTd);
      pendingOffset = -1;
      iter++;
      if (QPGnorm1New <= innerEps * Gnorm1Init) {
        if (QPactive === activeSize) break;
        QPactive = activeSize;
        QPGmaxOld = Infinity;
        continue;
      }
      QPGmaxOld = QPGmaxNew;
    }
    cdCycles += iter;

    // Backtracking line search on the true objective.
    let delta = 0;
    let wNormNew = 0;
    for (let j = 0; j < n; j++) {
      delta += Grad[j] * (wpd[j] - w[j]);
      if (wpd[j] !== 0) wNormNew += Math.abs(wpd[j]);
    }
    delta += wNormNew - wNorm;
    let negsumXTd = 0;
    for (let i = 0; i < l; i++) if (y[i] === -1) negsumXTd += C * xTd[i];
    let ls = 0;
    for (; ls < MAX_LINE_SEARCH; ls++) {
      let cond = wNormNew - wNorm + negsumXTd - SIGMA * delta;
      for (let i = 0; i < l; i++) {
        const e = Math.exp(xTd[i]);
        expWTxNew[i] = expWTx[i] * e;
        cond += C * Math.log((1 + expWTxNew[i]) / (e + expWTxNew[i]));
      }
      if (cond <= 0) {
        wNorm = wNormNew;
        w.set(wpd);
        for (let i = 0; i < l; i++) {
          expWTx[i] = expWTxNew[i];
          const t = 1 / (1 + expWTx[i]);
          tau[i] = C * t;
          D[i] = C * expWTx[i] * t * t;
        }
        break;
      }
      wNormNew = 0;
      for (let j = 0; j < n; j++) {
        wpd[j] = (w[j] + wpd[j]) * 0.5;
        if (wpd[j] !== 0) wNormNew += Math.abs(wpd[j]);
      }
      delta *= 0.5;
      negsumXTd *= 0.5;
      for (let i = 0; i < l; i++) xTd[i] *= 0.5;
    }
    if (ls >= MAX_LINE_SEARCH) {
      // Too many halvings: recompute e^(w·x) from scratch to shed accumulated rounding.
      expWTx.fill(0);
      for (let j = 0; j < n; j++) if (w[j] !== 0) ops.columnAxpy(X, j * l, l, w[j], expWTx);
      for (let i = 0; i < l; i++) expWTx[i] = Math.exp(expWTx[i]);
    }
    if (iter === 1) innerEps *= 0.25;
    newtonIter++;
    GmaxOld = GmaxNew;
  }
  return { w, newtonIterations: newtonIter, cdCycles, continuedFrom };
}

interface SolverScalars {
  wNorm: number;
  GmaxOld: number;
  Gnorm1Init: number;
  innerEps: number;
  newtonIter: number;
  cdCycles: number;
}

const VECTORS = ['w', 'wpd', 'Grad', 'expWTx', 'tau', 'D'] as const;
type Vectors = Record<(typeof VECTORS)[number], Float64Array>;

/** The state at the top of a Newton iteration as bytes (a checkpoint). */
function packState(
  scalars: SolverScalars,
  rng: Uint32Array,
  vectors: Vectors,
  index: Int32Array,
): Uint8Array {
  // ±Infinity (GmaxOld before the first iteration) does not survive JSON: say so in words.
  const header = { ...scalars, GmaxOld: String(scalars.GmaxOld), rng: [...rng] };
  return packPart(header, [...VECTORS.map((k) => vectors[k]), Float64Array.from(index)]);
}

/** A checkpoint's state, or null when the bytes are not a state of this problem's sizes. */
function restoreState(
  bytes: Uint8Array | null,
  n: number,
  l: number,
): { scalars: SolverScalars; rng: number[]; vectors: Vectors; index: Int32Array } | null {
  if (bytes === null) return null;
  const u = unpackPart(bytes);
  if (u === null || u.arrays.length !== VECTORS.length + 1) return null;
  const sizes = [n, n, n, l, l, l, n];
  if (u.arrays.some((a, k) => a.length !== sizes[k])) return null;
  const h = u.header;
  const numbers = ['wNorm', 'Gnorm1Init', 'innerEps', 'newtonIter', 'cdCycles'];
  if (!numbers.every((k) => typeof h[k] === 'number') || typeof h.GmaxOld !== 'string') return null;
  const rng = h.rng;
  if (!Array.isArray(rng) || rng.length !== 4) return null;
  const vectors = Object.fromEntries(VECTORS.map((k, i) => [k, u.arrays[i]])) as Vectors;
  return {
    scalars: {
      wNorm: h.wNorm as number,
      GmaxOld: Number(h.GmaxOld),
      Gnorm1Init: h.Gnorm1Init as number,
      innerEps: h.innerEps as number,
      newtonIter: h.newtonIter as number,
      cdCycles: h.cdCycles as number,
    },
    rng: rng as number[],
    vectors,
    index: Int32Array.from(u.arrays[VECTORS.length]),
  };
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The L1 objective ‖w‖₁ + C Σ log(1 + e^(−y w·x)) from row-major data. */
export function l1LogisticObjective(
  p: LinearProblem,
  y: Int8Array,
  C: number,
  w: Float64Array,
): number {
  let v = 0;
  for (let j = 0; j < w.length; j++) v += Math.abs(w[j]);
  for (let i = 0; i < p.rows; i++) {
    let z = 0;
    const o = i * p.cols;
    for (let j = 0; j < p.cols; j++) z += p.data[o + j] * w[j];
    if (p.biasValue > 0) z += w[p.cols] * p.biasValue;
    const yz = y[i] * z;
    v += yz >= 0 ? C * Math.log1p(Math.exp(-yz)) : C * (-yz + Math.log1p(Math.exp(yz)));
  }
  return v;
}
