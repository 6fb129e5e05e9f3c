/**
 * The SMO solver's hot loops (src/ml/svm/smo.ts): working-set selection, the gradient
 * update and the scaled-row additions of Ḡ and gradient reconstruction. Two
 * implementations with the same arithmetic in the same order, so a solve is bit-identical
 * with either: plain TypeScript (the reference, and the fallback when the kernel rows do
 * not live in WASM memory) and the WASM kernels (src/kernels/assembly/smo.ts).
 */
import type { KernelExports } from './wasm.js';

const TAU = 1e-12;
const LOWER = 0;
const UPPER = 1;

/** The solver's per-position state (libsvm's layout: swapped together when shrinking). */
export interface SmoState {
  readonly y: Int8Array;
  /** 0 at the lower bound, 1 at the upper bound, 2 free. */
  readonly status: Uint8Array;
  readonly alpha: Float64Array;
  readonly G: Float64Array;
  readonly Gbar: Float64Array;
  readonly QD: Float64Array;
  /** Position → index in the problem (the order Q's rows are stored in). */
  readonly perm: Int32Array;
  /**
   * Derived from y and status (setGates; swapped with them): y where the position is in
   * I_low (y = +1 above 0, or y = −1 below C), else NaN, and −y where it is in I_up
   * (y = +1 below C, or y = −1 above 0), else NaN. One multiplication by them gives the
   * loops y·G (or −y·G) and the set test at once: NaN loses every comparison.
   */
  readonly yLow: Float64Array;
  readonly yUp: Float64Array;
  /**
   * The solver's rows gathered into position order (SolverOptions.activeRows): rowSlot[k]
   * is the float offset of problem index k's row in that room, −1 when it has none. Not
   * swapped: it is indexed by problem index.
   */
  readonly rowSlot: Int32Array;
}

/** How `SmoLoops.run` ended (RUN_*), and what the solver needs to go on. */
export interface SmoRunResult {
  /** RUN_STEPS: every step done; RUN_NEEDS_SOLVER: the next step needs the solver; RUN_GBAR. */
  exit: number;
  /** The next iteration's first index (found by the last gradient update). */
  next: number;
  /** After RUN_GBAR: the last step's positions i and j. */
  i: number;
  j: number;
  /** After RUN_GBAR: which of i (bit 0) and j (bit 1) moved onto or off C, and which were at C. */
  changed: number;
  wasUpper: number;
}

// How a run ended: the values smoRun writes (src/kernels/assembly/smo.ts, RUN_*).
/** Every step asked for was done. */
export const RUN_STEPS = 0;
/** The next step needs the solver: a row not gathered yet, or the selection says stop. */
export const RUN_NEEDS_SOLVER = 1;
/** The last step moved i or j onto or off C: Ḡ needs their full rows added. */
export const RUN_GBAR = 2;

/** Sets yLow and yUp of positions [from, to) from their y and status. */
export function setGates(s: SmoState, from: number, to: number): void {
  const { y, status, yLow, yUp } = s;
  for (let p = from; p < to; p++) {
    const positive = y[p] === 1;
    yLow[p] = status[p] !== (positive ? LOWER : UPPER) ? y[p] : NaN;
    yUp[p] = status[p] !== (positive ? UPPER : LOWER) ? -y[p] : NaN;
  }
}

export interface SmoLoops {
  /** Fresh state for a problem of l variables (every array zeroed). */
  state(l: number): SmoState;
  /** The position maximising −y·G over I_up among the first `active` (last on ties), or −1. */
  maxViolator(s: SmoState, active: number): number;
  /**
   * WSS2's second index for a first index i (Qi = its row): the position minimising −b²/a
   * (last on ties) or −1; `gmax2` is left in `lastGmax2`. Position k's entry of a row is
   * Qi[perm[k]] for rows in the problem's order, or Qi[k] when `direct` (rows already
   * gathered into position order).
   */
  selectSecond(
    s: SmoState,
    Qi: Float32Array,
    active: number,
    gmax: number,
    qdi: number,
    yi: number,
    direct?: boolean,
  ): number;
  readonly lastGmax2: number;
  /**
   * G[k] += Qi[perm[k]]·dAi + Qj[perm[k]]·dAj for k < active (Qi[k], Qj[k] when direct);
   * returns maxViolator of the updated state (status must already be updated), the next
   * selection's first index.
   */
  updateGradient(
    s: SmoState,
    Qi: Float32Array,
    Qj: Float32Array,
    dAi: number,
    dAj: number,
    active: number,
    direct?: boolean,
  ): number;
  /**
   * Optional: up to `steps` whole solver iterations (src/ml/svm/smo.ts, the same arithmetic
   * in the same order) on rows gathered into `room` (s.rowSlot), from the first index
   * `first`; returns the iterations done, and how it ended in `lastRun`. It stops before an
   * iteration that needs the solver and after one that changes Ḡ.
   */
  run?(
    s: SmoState,
    room: Float32Array,
    active: number,
    C: number,
    eps: number,
    first: number,
    steps: number,
  ): number;
  readonly lastRun?: SmoRunResult;
  /** v[k] += c·Q[perm[k]] for from ≤ k < n. */
  addScaledRow(
    v: Float64Array,
    perm: Int32Array,
    Q: Float32Array,
    c: number,
    from: number,
    n: number,
  ): void;
}

/** The TypeScript loops over ordinary arrays. */
export class TsSmoLoops implements SmoLoops {
  lastGmax2 = -Infinity;

  state(l: number): SmoState {
    return {
      y: new Int8Array(l),
      status: new Uint8Array(l),
      alpha: new Float64Array(l),
      G: new Float64Array(l),
      Gbar: new Float64Array(l),
      QD: new Float64Array(l),
      perm: new Int32Array(l),
      yLow: new Float64Array(l),
      yUp: new Float64Array(l),
      rowSlot: new Int32Array(l),
    };
  }

  maxViolator({ y, status, G }: SmoState, active: number): number {
    let gmax = -Infinity;
    let idx = -1;
    for (let t = 0; t < active; t++) {
      if (y[t] === 1) {
        if (status[t] !== UPPER && -G[t] >= gmax) {
          gmax = -G[t];
          idx = t;
        }
      } else if (status[t] !== LOWER && G[t] >= gmax) {
        gmax = G[t];
        idx = t;
      }
    }
    return idx;
  }

  selectSecond(
    { y, status, G, QD, perm }: SmoState,
    Qi: Float32Array,
    active: number,
    gmax: number,
    qdi: number,
    yi: number,
    direct = false,
  ): number {
    let gmax2 = -Infinity;
    let best = -1;
    let objMin = Infinity;
    for (let j = 0; j < active; j++) {
      if (y[j] === 1) {
        if (status[j] !== LOWER) {
          const gradDiff = gmax + G[j];
          if (G[j] >= gmax2) gmax2 = G[j];
          if (gradDiff > 0) {
            const quad = qdi + QD[j] - 2 * yi * Qi[direct ? j : perm[j]];
            const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
            if (objDiff <= objMin) {
              best = j;
              objMin = objDiff;
            }
          }
        }
      } else if (status[j] !== UPPER) {
        const gradDiff = gmax - G[j];
        if (-G[j] >= gmax2) gmax2 = -G[j];
        if (gradDiff > 0) {
          const quad = qdi + QD[j] + 2 * yi * Qi[direct ? j : perm[j]];
          const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
          if (objDiff <= objMin) {
            best = j;
            objMin = objDiff;
          }
        }
      }
    }
    this.lastGmax2 = gmax2;
    return best;
  }

  updateGradient(
    s: SmoState,
    Qi: Float32Array,
    Qj: Float32Array,
    dAi: number,
    dAj: number,
    active: number,
    direct = false,
  ): number {
    const { G, perm } = s;
    for (let k = 0; k < active; k++) {
      const t = direct ? k : perm[k];
      G[k] += Qi[t] * dAi + Qj[t] * dAj;
    }
    return this.maxViolator(s, active);
  }

  addScaledRow(
    v: Float64Array,
    perm: Int32Array,
    Q: Float32Array,
    c: number,
    from: number,
    n: number,
  ): void {
    for (let k = from; k < n; k++) v[k] += c * Q[perm[k]];
  }
}

/** The SVM kernels' calling conventions these loops were written for (svmKernelsVersion). */
export const SVM_KERNELS_VERSION = 8;

/** The SMO exports of the kernels module. */
interface SmoKernelExports extends KernelExports {
  svmKernelsVersion(): number;
  smoMaxViolator(y: number, status: number, G: number, active: number): number;
  /** perm = 0: rows in position order. */
  smoSelectSecond(
    yLow: number,
    G: number,
    QD: number,
    perm: number,
    qi: number,
    active: number,
    gmax: number,
    qdi: number,
    yi: number,
    out: number,
    scratch: number,
  ): number;
  /** perm = 0: rows in position order. */
  smoUpdateGradient(
    G: number,
    perm: number,
    qi: number,
    qj: number,
    dAi: number,
    dAj: number,
    active: number,
    yUp: number,
  ): number;
  smoAddScaledRow(v: number, perm: number, q: number, c: number, from: number, n: number): void;
  smoRun(
    alpha: number,
    G: number,
    QD: number,
    yLow: number,
    yUp: number,
    y: number,
    status: number,
    perm: number,
    rowSlot: number,
    room: number,
    active: number,
    C: number,
    eps: number,
    first: number,
    steps: number,
    scratch: number,
    out: number,
  ): number;
}

/** Bytes at the start of WasmSmoLoops' memory where the kernels leave results (float64s). */
const OUT_BYTES = 64;

/**
 * Bytes of WASM memory `WasmSmoLoops` needs for problems of up to maxL variables: the
 * kernels' results, the selection's scratch (a float64 per position), then the state.
 */
export function smoStateBytes(maxL: number): number {
  return OUT_BYTES + maxL * 8 + maxL * 8 * 6 + maxL * 4 * 2 + align8(maxL) * 2;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/**
 * The WASM loops. The state lives at `ptr` in `memory` (smoStateBytes(maxL) bytes owned
 * by this thread), and every Q row passed in must be a view of the same memory.
 */
export class WasmSmoLoops implements SmoLoops {
  private readonly k: SmoKernelExports;
  /**
   * Where the kernels leave results (Gmax2, smoRun's exit): one view, made once (a view per
   * iteration cost 2–3 % of a hard pair's time). The memory is shared: growing it never
   * detaches this view.
   */
  private readonly out: Float64Array;
  /** Room for the selection's per-position values (a float64 each), after `out`. */
  private readonly scratchPtr: number;
  readonly lastRun: SmoRunResult = { exit: 0, next: -1, i: -1, j: -1, changed: 0, wasUpper: 0 };

  constructor(
    kernels: KernelExports,
    private readonly memory: WebAssembly.Memory,
    private readonly ptr: number,
    private readonly maxL: number,
  ) {
    this.k = kernels as SmoKernelExports;
    this.out = new Float64Array(memory.buffer, ptr, OUT_BYTES / 8);
    this.scratchPtr = ptr + OUT_BYTES;
    // A kernels module older than this code would take the wrong arguments silently.
    const v = this.k.svmKernelsVersion();
    if (v !== SVM_KERNELS_VERSION) {
      throw new Error(
        `The WASM kernels are version ${v} of the SVM calling conventions; this fmnist needs ${SVM_KERNELS_VERSION}. Rebuild them (npm run build) or restart the process that loaded them.`,
      );
    }
  }

  get lastGmax2(): number {
    return this.out[0];
  }

  state(l: number): SmoState {
    if (l > this.maxL)
      throw new RangeError(`WasmSmoLoops: a problem of ${l} variables exceeds its ${this.maxL}.`);
    const buf = this.memory.buffer;
    let p = this.scratchPtr + this.maxL * 8;
    const take = <T>(make: (o: number) => T, bytes: number): T => {
      const v = make(p);
      p += bytes;
      return v;
    };
    const L = this.maxL;
    const s: SmoState = {
      alpha: take((o) => new Float64Array(buf, o, l), L * 8),
      G: take((o) => new Float64Array(buf, o, l), L * 8),
      Gbar: take((o) => new Float64Array(buf, o, l), L * 8),
      QD: take((o) => new Float64Array(buf, o, l), L * 8),
      yLow: take((o) => new Float64Array(buf, o, l), L * 8),
      yUp: take((o) => new Float64Array(buf, o, l), L * 8),
      perm: take((o) => new Int32Array(buf, o, l), L * 4),
      rowSlot: take((o) => new Int32Array(buf, o, l), L * 4),
      y: take((o) => new Int8Array(buf, o, l), align8(L)),
      status: take((o) => new Uint8Array(buf, o, l), align8(L)),
    };
    for (const a of Object.values(s)) (a as Float64Array).fill(0);
    return s;
  }

  maxViolator(s: SmoState, active: number): number {
    return this.k.smoMaxViolator(s.y.byteOffset, s.status.byteOffset, s.G.byteOffset, active);
  }

  selectSecond(
    s: SmoState,
    Qi: Float32Array,
    active: number,
    gmax: number,
    qdi: number,
    yi: number,
    direct = false,
  ): number {
    return this.k.smoSelectSecond(
      s.yLow.byteOffset,
      s.G.byteOffset,
      s.QD.byteOffset,
      direct ? 0 : s.perm.byteOffset,
      Qi.byteOffset,
      active,
      gmax,
      qdi,
      yi,
      this.ptr,
      this.scratchPtr,
    );
  }

  updateGradient(
    s: SmoState,
    Qi: Float32Array,
    Qj: Float32Array,
    dAi: number,
    dAj: number,
    active: number,
    direct = false,
  ): number {
    // One fused pass in WASM (the TypeScript reference makes two), two positions a step in
    // SIMD lanes reading the gates (see SmoState).
    return this.k.smoUpdateGradient(
      s.G.byteOffset,
      direct ? 0 : s.perm.byteOffset,
      Qi.byteOffset,
      Qj.byteOffset,
      dAi,
      dAj,
      active,
      s.yUp.byteOffset,
    );
  }

  run(
    s: SmoState,
    room: Float32Array,
    active: number,
    C: number,
    eps: number,
    first: number,
    steps: number,
  ): number {
    const done = this.k.smoRun(
      s.alpha.byteOffset,
      s.G.byteOffset,
      s.QD.byteOffset,
      s.yLow.byteOffset,
      s.yUp.byteOffset,
      s.y.byteOffset,
      s.status.byteOffset,
      s.perm.byteOffset,
      s.rowSlot.byteOffset,
      room.byteOffset,
      active,
      C,
      eps,
      first,
      steps,
      this.scratchPtr,
      this.ptr,
    );
    const o = this.out;
    const r = this.lastRun;
    r.exit = o[1];
    r.next = o[2];
    if (r.exit === RUN_GBAR) {
      r.i = o[3];
      r.j = o[4];
      r.changed = o[5];
      r.wasUpper = o[6];
    }
    return done;
  }

  addScaledRow(
    v: Float64Array,
    perm: Int32Array,
    Q: Float32Array,
    c: number,
    from: number,
    n: number,
  ): void {
    this.k.smoAddScaledRow(v.byteOffset, perm.byteOffset, Q.byteOffset, c, from, n);
  }
}
