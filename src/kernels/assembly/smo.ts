// AssemblyScript kernels: the SMO solver's hot loops (src/ml/svm/smo.ts, through
// src/kernels/smo-loops.ts). Re-exported by kernels.ts; same conventions (pointers are byte
// offsets into the shared memory, nothing here allocates). Their calling conventions'
// version is svmKernelsVersion (svm.ts).
//
// Not formatted by prettier nor linted by eslint: AssemblyScript's @inline on functions is
// not TypeScript syntax, and their parsers reject it.

// The SMO solver's hot loops (src/ml/svm/smo.ts), line-for-line ports of its TypeScript
// loops: same order, same float64 arithmetic, same tie rules, so a solve is bit-identical
// either way. State is stored by position (libsvm's layout): y int8 ±1, status uint8
// (0 lower, 1 upper, 2 free), alpha/G/Ḡ/QD float64, perm int32 (position → problem index);
// Q rows are float32 in the problem's own order, read through perm.

const SMO_LOWER: u8 = 0;
const SMO_UPPER: u8 = 1;
const SMO_TAU: f64 = 1e-12;

/** WSS2's first pass: the position maximising −y·G over I_up (the last on ties), or −1. */
export function smoMaxViolator(y: usize, status: usize, G: usize, active: i32): i32 {
  let gmax: f64 = -Infinity;
  let idx = -1;
  for (let t = 0; t < active; t++) {
    const s = load<u8>(status + <usize>t);
    const g = load<f64>(G + ((<usize>t) << 3));
    if (load<i8>(y + <usize>t) == 1) {
      if (s != SMO_UPPER && -g >= gmax) {
        gmax = -g;
        idx = t;
      }
    } else if (s != SMO_LOWER && g >= gmax) {
      gmax = g;
      idx = t;
    }
  }
  return idx;
}

/** v[k] += s·Q[perm[k]] for positions k < n (Ḡ updates and gradient reconstruction). */
export function smoAddScaledRow(v: usize, perm: usize, q: usize, s: f64, from: i32, n: i32): void {
  for (let k = from; k < n; k++) {
    const p = v + ((<usize>k) << 3);
    store<f64>(
      p,
      load<f64>(p) + s * <f64>load<f32>(q + ((<usize>load<i32>(perm + ((<usize>k) << 2))) << 2)),
    );
  }
}

// WSS2's second pass and the gradient update: two positions a step in float64x2 lanes,
// branch-free. They read the state's gates (yLow, yUp: ±1 where the position is in the set,
// NaN elsewhere; see SmoState in smo-loops.ts) instead of decoding y and status: one
// multiplication gives y·G or −y·G, exact sign flips of the scalar step's values, and NaN
// where the position is not in the set, which loses every comparison. The update's lanes
// each keep their own best under the scalar rule (the last on ties), then combine by value
// and, on a tie, by the larger position, which is what one pass in order keeps; the
// selection keeps the largest value and finds its last position again. So the result is the
// scalar loop's, bit for bit. Rows are read in position order (the solver's gathered rows:
// perm = 0) or through perm (full rows in the problem's order); an odd last position takes
// the same step in scalars.

// Each loop is inlined twice into its export, with `direct` a constant: rows read in
// position order or through perm. Neither copy tests it in the loop (that test cost 12–16 %
// of a loop's time). Generic instances instead of @inline measured 10–20 % slower.

/** Row entries of positions j, j+1 (float32) as float64 lanes: q[j] (direct) or q[perm[j]]. */
@inline
function rowPair(q: usize, perm: usize, j: i32, direct: bool): v128 {
  if (direct) return f64x2.promote_low_f32x4(v128.load64_zero(q + ((<usize>j) << 2)));
  const p = perm + ((<usize>j) << 2);
  const a = <f64>load<f32>(q + ((<usize>load<i32>(p)) << 2));
  const b = <f64>load<f32>(q + ((<usize>load<i32>(p, 4)) << 2));
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** Row entry of position j: q[j] (direct) or q[perm[j]]. */
@inline
function rowAt(q: usize, perm: usize, j: i32, direct: bool): f64 {
  const t = direct ? j : load<i32>(perm + ((<usize>j) << 2));
  return <f64>load<f32>(q + ((<usize>t) << 2));
}

/**
 * The last position below `end` with gmax + y·G > 0 in I_low, or −1: every candidate's
 * gradDiff²/quad underflowed to 0 (gradDiff < 1e-154), or there is none. Exact, slow, rare.
 */
function lastZeroCandidate(yLow: usize, G: usize, gmax: f64, end: i32): i32 {
  for (let k = end - 1; k >= 0; k--) {
    if (gmax + load<f64>(yLow + ((<usize>k) << 3)) * load<f64>(G + ((<usize>k) << 3)) > 0) return k;
  }
  return -1;
}

/** The lane with the larger value, or on equal values the larger position (−1 if none). */
function lastOfMax(values: v128, idx: v128): i32 {
  const v0 = f64x2.extract_lane(values, 0);
  const v1 = f64x2.extract_lane(values, 1);
  const i0 = <i32>i64x2.extract_lane(idx, 0);
  const i1 = <i32>i64x2.extract_lane(idx, 1);
  return v0 > v1 ? i0 : v1 > v0 ? i1 : max(i0, i1);
}

/**
 * G[k] += Qi·dAi + Qj·dAj for the active positions, and in the same pass the next
 * selection's first index (smoMaxViolator over the updated G and status, which the caller
 * has already updated for i and j): one pass over the active set instead of two.
 */
export function smoUpdateGradient(
  G: usize,
  perm: usize,
  qi: usize,
  qj: usize,
  dAi: f64,
  dAj: f64,
  active: i32,
  yUp: usize,
): i32 {
  return perm == 0
    ? updateGradient(G, 0, qi, qj, dAi, dAj, active, yUp, true)
    : updateGradient(G, perm, qi, qj, dAi, dAj, active, yUp, false);
}

@inline
function updateGradient(
  G: usize,
  perm: usize,
  qi: usize,
  qj: usize,
  dAi: f64,
  dAj: f64,
  active: i32,
  yUp: usize,
  direct: bool,
): i32 {
  const ai = f64x2.splat(dAi);
  const aj = f64x2.splat(dAj);
  let laneMax = f64x2.splat(-Infinity);
  let laneIdx = i64x2.splat(-1);
  let pos = i64x2(0, 1);
  const two = i64x2.splat(2);
  let k = 0;
  for (; k + 2 <= active; k += 2) {
    const o = (<usize>k) << 3;
    const g = f64x2.add(
      v128.load(G + o),
      f64x2.add(
        f64x2.mul(rowPair(qi, perm, k, direct), ai),
        f64x2.mul(rowPair(qj, perm, k, direct), aj),
      ),
    );
    v128.store(G + o, g);
    // −y·G in I_up, NaN elsewhere.
    const v = f64x2.mul(v128.load(yUp + o), g);
    laneIdx = v128.bitselect(pos, laneIdx, f64x2.ge(v, laneMax));
    // The larger value (NaN never wins): what the ≥ rule keeps, one instruction.
    laneMax = f64x2.pmax(laneMax, v);
    pos = i64x2.add(pos, two);
  }
  let idx = lastOfMax(laneMax, laneIdx);
  if (k < active) {
    // The odd last position, the same step in scalars.
    const o = (<usize>k) << 3;
    const g =
      load<f64>(G + o) + (rowAt(qi, perm, k, direct) * dAi + rowAt(qj, perm, k, direct) * dAj);
    store<f64>(G + o, g);
    const gmax =
      idx < 0
        ? -Infinity
        : load<f64>(yUp + ((<usize>idx) << 3)) * load<f64>(G + ((<usize>idx) << 3));
    if (load<f64>(yUp + o) * g >= gmax) idx = k;
  }
  return idx;
}

/**
 * WSS2's second pass: the position j minimising −(Gmax + y_j·G_j)²/quad (the last on
 * ties), or −1, for the first index i (qi: its row); out[0] = Gmax2 (the largest
 * violation on the other side).
 */
export function smoSelectSecond(
  yLow: usize,
  G: usize,
  QD: usize,
  perm: usize,
  qi: usize,
  active: i32,
  gmax: f64,
  qdi: f64,
  yi: i32,
  out: usize,
  scratch: usize,
): i32 {
  return perm == 0
    ? selectSecond(yLow, G, QD, 0, qi, active, gmax, qdi, yi, out, scratch, true)
    : selectSecond(yLow, G, QD, perm, qi, active, gmax, qdi, yi, out, scratch, false);
}

@inline
function selectSecond(
  yLow: usize,
  G: usize,
  QD: usize,
  perm: usize,
  qi: usize,
  active: i32,
  gmax: f64,
  qdi: f64,
  yi: i32,
  out: usize,
  scratch: usize,
  direct: bool,
): i32 {
  const zero = f64x2.splat(0);
  const tau = f64x2.splat(SMO_TAU);
  const gmaxV = f64x2.splat(gmax);
  const qdiV = f64x2.splat(qdi);
  const twoYi = f64x2.splat(2 * <f64>yi);
  let laneG2 = f64x2.splat(-Infinity);
  // −objDiff = gradDiff²/quad for the candidates (gradDiff > 0), +0 elsewhere, kept in
  // `scratch`: the largest is the smallest objDiff, and a backward scan of the stored values
  // finds its last position. Keeping only the lane maxima (one pmax) instead of a position
  // per lane shortens the loop-carried chain: the loop takes 40 % less time.
  let laneObj = zero;
  let j = 0;
  for (; j + 2 <= active; j += 2) {
    const o = (<usize>j) << 3;
    const ys = v128.load(yLow + o);
    // y·G in I_low, NaN elsewhere (and so gradDiff, quad and obj below).
    const yg = f64x2.mul(ys, v128.load(G + o));
    laneG2 = f64x2.pmax(laneG2, yg); // NaN never wins
    const gradDiff = f64x2.add(gmaxV, yg);
    const q = rowPair(qi, perm, j, direct);
    const quad = f64x2.sub(f64x2.add(qdiV, v128.load(QD + o)), f64x2.mul(f64x2.mul(twoYi, ys), q));
    const obj = v128.and(
      f64x2.div(f64x2.mul(gradDiff, gradDiff), v128.bitselect(quad, tau, f64x2.gt(quad, zero))),
      f64x2.gt(gradDiff, zero),
    );
    v128.store(scratch + o, obj);
    laneObj = f64x2.pmax(laneObj, obj);
  }
  let gmax2 = max(f64x2.extract_lane(laneG2, 0), f64x2.extract_lane(laneG2, 1));
  const objMax = max(f64x2.extract_lane(laneObj, 0), f64x2.extract_lane(laneObj, 1));
  let best = -1;
  if (j < active) {
    // The odd last position, the same step in scalars.
    const o = (<usize>j) << 3;
    const ys = load<f64>(yLow + o);
    const yg = ys * load<f64>(G + o);
    if (yg >= gmax2) gmax2 = yg;
    const gradDiff = gmax + yg;
    if (gradDiff > 0) {
      const quad = qdi + load<f64>(QD + o) - 2 * <f64>yi * ys * rowAt(qi, perm, j, direct);
      if ((gradDiff * gradDiff) / (quad > 0 ? quad : SMO_TAU) >= objMax) best = j;
    }
  }
  if (best < 0) {
    if (objMax > 0) {
      // The last even-aligned pair holding the largest value (the ≥ rule keeps the last).
      const target = f64x2.splat(objMax);
      for (let k = j - 2; k >= 0; k -= 2) {
        const hit = i64x2.bitmask(f64x2.eq(v128.load(scratch + ((<usize>k) << 3)), target));
        if (hit != 0) {
          best = hit & 2 ? k + 1 : k;
          break;
        }
      }
    } else best = lastZeroCandidate(yLow, G, gmax, j);
  }
  store<f64>(out, gmax2);
  return best;
}

// Whole iterations in WASM while the solver reads gathered rows (src/ml/svm/smo.ts: the
// long crawls of a hard pair on a few hundred active variables, where the JavaScript around
// the two loops took 15 % of an iteration). Each step is the solver's own iteration, in the
// same order with the same float64 arithmetic: selection (WSS2), the two-variable update
// with its clipping, status and gates, and the gradient update, which also finds the next
// first index. The run stops before a step that needs the solver (its rows are not gathered
// yet, or the selection says stop) and after a step that changes Ḡ (a variable reaching or
// leaving C: Ḡ needs full rows, which the solver's cache holds).

/** smoRun's exit (out[1]): all steps done, the next step needs the solver, or Ḡ does. */
const RUN_STEPS: f64 = 0;
const RUN_NEEDS_SOLVER: f64 = 1;
const RUN_GBAR: f64 = 2;

/** The gated values of position p from its y and α (smo-loops.ts: setGates, updateStatus). */
@inline
function smoSetStatus(
  p: i32,
  C: f64,
  alpha: usize,
  y: usize,
  status: usize,
  yLow: usize,
  yUp: usize,
): void {
  const a = load<f64>(alpha + ((<usize>p) << 3));
  const s: u8 = a >= C ? SMO_UPPER : a <= 0 ? SMO_LOWER : 2;
  store<u8>(status + <usize>p, s);
  const yp = <f64>load<i8>(y + <usize>p);
  const positive = yp == 1;
  store<f64>(yLow + ((<usize>p) << 3), s != (positive ? SMO_LOWER : SMO_UPPER) ? yp : NaN);
  store<f64>(yUp + ((<usize>p) << 3), s != (positive ? SMO_UPPER : SMO_LOWER) ? -yp : NaN);
}

/**
 * Up to `steps` solver iterations on rows gathered into position order: rowSlot[k] is the
 * float offset in `room` of problem index k's gathered row, −1 if none. `first` is the
 * first index the last update found. Returns the steps done; out[0] = Gmax2 (scratch of
 * the selection), out[1] = the exit (RUN_*), out[2] = the next first index, and after
 * RUN_GBAR out[3], out[4] = the last step's positions i and j, out[5] = which of them
 * changed between "at C" and not (bit 0: i, bit 1: j), out[6] = which were at C before.
 */
export function smoRun(
  alpha: usize,
  G: usize,
  QD: usize,
  yLow: usize,
  yUp: usize,
  y: usize,
  status: usize,
  perm: usize,
  rowSlot: usize,
  room: usize,
  active: i32,
  C: f64,
  eps: f64,
  first: i32,
  steps: i32,
  scratch: usize,
  out: usize,
): i32 {
  let done = 0;
  let exit = RUN_STEPS;
  let next = first;
  while (done < steps) {
    const i = next;
    if (i < 0) {
      exit = RUN_NEEDS_SOLVER;
      break;
    }
    const oi = (<usize>i) << 3;
    const si = load<i32>(rowSlot + ((<usize>load<i32>(perm + ((<usize>i) << 2))) << 2));
    if (si < 0) {
      exit = RUN_NEEDS_SOLVER;
      break;
    }
    const qi = room + ((<usize>si) << 2);
    // −y_i G_i, as the first pass maximised it.
    const gmax = load<f64>(yUp + oi) * load<f64>(G + oi);
    const yi = load<i8>(y + <usize>i);
    const qdi = load<f64>(QD + oi);
    const j = selectSecond(yLow, G, QD, 0, qi, active, gmax, qdi, yi, out, scratch, true);
    if (gmax + load<f64>(out) < eps || j == -1) {
      exit = RUN_NEEDS_SOLVER;
      break;
    }
    const oj = (<usize>j) << 3;
    const sj = load<i32>(rowSlot + ((<usize>load<i32>(perm + ((<usize>j) << 2))) << 2));
    if (sj < 0) {
      exit = RUN_NEEDS_SOLVER;
      break;
    }
    const qj = room + ((<usize>sj) << 2);
    const Qij = <f64>load<f32>(qi + ((<usize>j) << 2));
    const oldAi = load<f64>(alpha + oi);
    const oldAj = load<f64>(alpha + oj);
    let ai = oldAi;
    let aj = oldAj;
    const Gi = load<f64>(G + oi);
    const Gj = load<f64>(G + oj);
    if (yi != load<i8>(y + <usize>j)) {
      let quad = load<f64>(QD + oi) + load<f64>(QD + oj) + 2 * Qij;
      if (quad <= 0) quad = SMO_TAU;
      const delta = (-Gi - Gj) / quad;
      const diff = ai - aj;
      ai += delta;
      aj += delta;
      if (diff > 0) {
        if (aj < 0) {
          aj = 0;
          ai = diff;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = -diff;
      }
      if (diff > 0) {
        if (ai > C) {
          ai = C;
          aj = C - diff;
        }
      } else if (aj > C) {
        aj = C;
        ai = C + diff;
      }
    } else {
      let quad = load<f64>(QD + oi) + load<f64>(QD + oj) - 2 * Qij;
      if (quad <= 0) quad = SMO_TAU;
      const delta = (Gi - Gj) / quad;
      const sum = ai + aj;
      ai -= delta;
      aj += delta;
      if (sum > C) {
        if (ai > C) {
          ai = C;
          aj = sum - C;
        }
      } else if (aj < 0) {
        aj = 0;
        ai = sum;
      }
      if (sum > C) {
        if (aj > C) {
          aj = C;
          ai = sum - C;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = sum;
      }
    }
    store<f64>(alpha + oi, ai);
    store<f64>(alpha + oj, aj);
    const ui = load<u8>(status + <usize>i) == SMO_UPPER;
    const uj = load<u8>(status + <usize>j) == SMO_UPPER;
    smoSetStatus(i, C, alpha, y, status, yLow, yUp);
    smoSetStatus(j, C, alpha, y, status, yLow, yUp);
    next = updateGradient(G, 0, qi, qj, ai - oldAi, aj - oldAj, active, yUp, true);
    done++;
    const ci = ui != (load<u8>(status + <usize>i) == SMO_UPPER);
    const cj = uj != (load<u8>(status + <usize>j) == SMO_UPPER);
    if (ci || cj) {
      exit = RUN_GBAR;
      store<f64>(out + 24, <f64>i);
      store<f64>(out + 32, <f64>j);
      store<f64>(out + 40, <f64>((ci ? 1 : 0) | (cj ? 2 : 0)));
      store<f64>(out + 48, <f64>((ui ? 1 : 0) | (uj ? 2 : 0)));
      break;
    }
  }
  store<f64>(out + 8, exit);
  store<f64>(out + 16, <f64>next);
  return done;
}
