// AssemblyScript kernels for the SVM family (src/ml/svm). Re-exported by kernels.ts.
// Same conventions as kernels.ts: pointers are byte offsets into the shared memory, rows
// are row-major float32, and nothing here allocates.
//
// Kernel codes (libsvm's order): 0 linear x·y, 1 poly (γ x·y + coef0)^degree,
// 2 rbf exp(−γ‖x−y‖²) via ‖x‖² + ‖y‖² − 2 x·y, 3 sigmoid tanh(γ x·y + coef0).

/** Version of the SVM kernels' calling conventions (bumped when a signature changes). */
export function svmKernelsVersion(): i32 {
  // 2: the SMO loops (smoUpdateGradient also returns the next first index); 3: their Direct
  // forms; 4: the Direct forms read the gates yLow / yUp; 5: one SIMD form of each, rows in
  // position order (perm = 0) or through perm; 6: they no longer take y and status.
  return 6;
}

function hsum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

function powi(x: f64, n: i32): f64 {
  // libsvm's powi: square-and-multiply.
  let r: f64 = 1;
  let t = x;
  for (let k = n; k > 0; k >>= 1) {
    if (k & 1) r *= t;
    t *= t;
  }
  return r;
}

/** The kernel value from a dot product (and, for rbf, the two squared norms). */
function kernelOf(kind: i32, dot: f64, na: f64, nb: f64, gamma: f64, coef0: f64, degree: i32): f64 {
  if (kind == 2) {
    let s = na + nb - 2 * dot;
    if (s < 0) s = 0;
    return Math.exp(-gamma * s);
  }
  if (kind == 0) return dot;
  if (kind == 1) return powi(gamma * dot + coef0, degree);
  return Math.tanh(gamma * dot + coef0);
}

/**
 * Kernel rows: out[q·ldOut + c] = K(x[rows[q]], x[cols[c]]) for q < nRows, c < nCols,
 * where x is an n×d matrix, rows/cols are int32 row indices into it and sqNorms holds
 * ‖x_r‖² for every row of x (read only for rbf). Each column row is streamed once per
 * group of four query rows, which stay in L1: four kernel rows cost about one pass over
 * the data.
 */
export function svmKernelRows(
  x: usize,
  d: i32,
  sqNorms: usize,
  rows: usize,
  nRows: i32,
  cols: usize,
  nCols: i32,
  kind: i32,
  gamma: f64,
  coef0: f64,
  degree: i32,
  out: usize,
  ldOut: i32,
): void {
  const rowBytes = (<usize>d) << 2;
  const outStride = (<usize>ldOut) << 2;
  let q = 0;
  for (; q + 4 <= nRows; q += 4) {
    const r0 = load<i32>(rows + ((<usize>q) << 2));
    const r1 = load<i32>(rows + ((<usize>(q + 1)) << 2));
    const r2 = load<i32>(rows + ((<usize>(q + 2)) << 2));
    const r3 = load<i32>(rows + ((<usize>(q + 3)) << 2));
    const a0 = x + <usize>r0 * rowBytes;
    const a1 = x + <usize>r1 * rowBytes;
    const a2 = x + <usize>r2 * rowBytes;
    const a3 = x + <usize>r3 * rowBytes;
    const n0: f64 = load<f32>(sqNorms + ((<usize>r0) << 2));
    const n1: f64 = load<f32>(sqNorms + ((<usize>r1) << 2));
    const n2: f64 = load<f32>(sqNorms + ((<usize>r2) << 2));
    const n3: f64 = load<f32>(sqNorms + ((<usize>r3) << 2));
    const o0 = out + <usize>q * outStride;
    const o1 = o0 + outStride;
    const o2 = o1 + outStride;
    const o3 = o2 + outStride;
    for (let c = 0; c < nCols; c++) {
      const rc = load<i32>(cols + ((<usize>c) << 2));
      const b = x + <usize>rc * rowBytes;
      let c0 = f32x4.splat(0),
        c1 = f32x4.splat(0),
        c2 = f32x4.splat(0),
        c3 = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= d; k += 4) {
        const o = (<usize>k) << 2;
        const v = v128.load(b + o);
        c0 = f32x4.add(c0, f32x4.mul(v128.load(a0 + o), v));
        c1 = f32x4.add(c1, f32x4.mul(v128.load(a1 + o), v));
        c2 = f32x4.add(c2, f32x4.mul(v128.load(a2 + o), v));
        c3 = f32x4.add(c3, f32x4.mul(v128.load(a3 + o), v));
      }
      let s0 = hsum4(c0),
        s1 = hsum4(c1),
        s2 = hsum4(c2),
        s3 = hsum4(c3);
      for (; k < d; k++) {
        const o = (<usize>k) << 2;
        const v = load<f32>(b + o);
        s0 += load<f32>(a0 + o) * v;
        s1 += load<f32>(a1 + o) * v;
        s2 += load<f32>(a2 + o) * v;
        s3 += load<f32>(a3 + o) * v;
      }
      const nb: f64 = kind == 2 ? <f64>load<f32>(sqNorms + ((<usize>rc) << 2)) : 0;
      const co = (<usize>c) << 2;
      store<f32>(o0 + co, <f32>kernelOf(kind, s0, n0, nb, gamma, coef0, degree));
      store<f32>(o1 + co, <f32>kernelOf(kind, s1, n1, nb, gamma, coef0, degree));
      store<f32>(o2 + co, <f32>kernelOf(kind, s2, n2, nb, gamma, coef0, degree));
      store<f32>(o3 + co, <f32>kernelOf(kind, s3, n3, nb, gamma, coef0, degree));
    }
  }
  for (; q < nRows; q++) {
    const r0 = load<i32>(rows + ((<usize>q) << 2));
    const a0 = x + <usize>r0 * rowBytes;
    const n0: f64 = load<f32>(sqNorms + ((<usize>r0) << 2));
    const o0 = out + <usize>q * outStride;
    for (let c = 0; c < nCols; c++) {
      const rc = load<i32>(cols + ((<usize>c) << 2));
      const b = x + <usize>rc * rowBytes;
      let c0 = f32x4.splat(0),
        c1 = f32x4.splat(0);
      let k = 0;
      for (; k + 8 <= d; k += 8) {
        const o = (<usize>k) << 2;
        c0 = f32x4.add(c0, f32x4.mul(v128.load(a0 + o), v128.load(b + o)));
        c1 = f32x4.add(c1, f32x4.mul(v128.load(a0 + o + 16), v128.load(b + o + 16)));
      }
      let s0 = hsum4(f32x4.add(c0, c1));
      for (; k < d; k++) {
        const o = (<usize>k) << 2;
        s0 += load<f32>(a0 + o) * load<f32>(b + o);
      }
      const nb: f64 = kind == 2 ? <f64>load<f32>(sqNorms + ((<usize>rc) << 2)) : 0;
      store<f32>(o0 + ((<usize>c) << 2), <f32>kernelOf(kind, s0, n0, nb, gamma, coef0, degree));
    }
  }
}

/**
 * Turns a block of dot products into kernel values in place: c[i·ldc + j] holds
 * a_i·b_j (from gemmAbt) on entry and K(a_i, b_j) on return; aNorms/bNorms are the
 * squared norms of the m rows of A and n rows of B (read only for rbf).
 */
export function svmKernelFromDots(
  c: usize,
  m: i32,
  n: i32,
  ldc: i32,
  aNorms: usize,
  bNorms: usize,
  kind: i32,
  gamma: f64,
  coef0: f64,
  degree: i32,
): void {
  if (kind == 0) return;
  const stride = (<usize>ldc) << 2;
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * stride;
    const na: f64 = kind == 2 ? <f64>load<f32>(aNorms + ((<usize>i) << 2)) : 0;
    for (let j = 0; j < n; j++) {
      const p = row + ((<usize>j) << 2);
      const nb: f64 = kind == 2 ? <f64>load<f32>(bNorms + ((<usize>j) << 2)) : 0;
      store<f32>(p, <f32>kernelOf(kind, <f64>load<f32>(p), na, nb, gamma, coef0, degree));
    }
  }
}

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
// branch-free. Each lane keeps its own best under the scalar rule (the last on ties); the
// two lanes then combine by value and, on a tie, by the larger position, which is what one
// pass in order keeps. They read the state's gates (yLow, yUp: ±1 where the position is in
// the set, NaN elsewhere; see SmoState in smo-loops.ts) instead of decoding y and status:
// one multiplication gives y·G or −y·G, exact sign flips of the scalar step's values, and
// NaN where the position is not in the set, which loses every comparison. So the result is
// the scalar loop's, bit for bit. Rows are read in position order (the solver's gathered
// rows: perm = 0) or through perm (full rows in the problem's order); an odd last position
// takes the same step in scalars.

/** Row entries of positions j, j+1 (float32) as float64 lanes: q[j] (perm = 0) or q[perm[j]]. */
function rowPair(q: usize, perm: usize, j: i32): v128 {
  if (perm == 0) return f64x2.promote_low_f32x4(v128.load64_zero(q + ((<usize>j) << 2)));
  const p = perm + ((<usize>j) << 2);
  const a = <f64>load<f32>(q + ((<usize>load<i32>(p)) << 2));
  const b = <f64>load<f32>(q + ((<usize>load<i32>(p, 4)) << 2));
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** Row entry of position j: q[j] (perm = 0) or q[perm[j]]. */
function rowAt(q: usize, perm: usize, j: i32): f64 {
  const t = perm == 0 ? j : load<i32>(perm + ((<usize>j) << 2));
  return <f64>load<f32>(q + ((<usize>t) << 2));
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
      f64x2.add(f64x2.mul(rowPair(qi, perm, k), ai), f64x2.mul(rowPair(qj, perm, k), aj)),
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
    const g = load<f64>(G + o) + (rowAt(qi, perm, k) * dAi + rowAt(qj, perm, k) * dAj);
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
 * ties), or −1; out[0] = Gmax2 (the largest violation on the other side). qi = 0 when
 * i = −1.
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
): i32 {
  const zero = f64x2.splat(0);
  const tau = f64x2.splat(SMO_TAU);
  const gmaxV = f64x2.splat(gmax);
  const qdiV = f64x2.splat(qdi);
  const twoYi = f64x2.splat(2 * <f64>yi);
  let laneG2 = f64x2.splat(-Infinity);
  let laneObj = f64x2.splat(Infinity);
  let laneBest = i64x2.splat(-1);
  let pos = i64x2(0, 1);
  const two = i64x2.splat(2);
  let j = 0;
  for (; j + 2 <= active; j += 2) {
    const o = (<usize>j) << 3;
    const ys = v128.load(yLow + o);
    // y·G in I_low, NaN elsewhere (and so gradDiff, quad and objDiff below).
    const yg = f64x2.mul(ys, v128.load(G + o));
    laneG2 = f64x2.pmax(laneG2, yg); // NaN never wins
    const gradDiff = f64x2.add(gmaxV, yg);
    // With no row (i = −1) there is no candidate: gradDiff = −∞ + y·G is never > 0.
    const q = qi == 0 ? zero : rowPair(qi, perm, j);
    const quad = f64x2.sub(f64x2.add(qdiV, v128.load(QD + o)), f64x2.mul(f64x2.mul(twoYi, ys), q));
    const objDiff = f64x2.div(
      f64x2.neg(f64x2.mul(gradDiff, gradDiff)),
      v128.bitselect(quad, tau, f64x2.gt(quad, zero)),
    );
    const take = v128.and(f64x2.gt(gradDiff, zero), f64x2.le(objDiff, laneObj));
    laneObj = v128.bitselect(objDiff, laneObj, take);
    laneBest = v128.bitselect(pos, laneBest, take);
    pos = i64x2.add(pos, two);
  }
  let gmax2 = max(f64x2.extract_lane(laneG2, 0), f64x2.extract_lane(laneG2, 1));
  let best = lastOfMax(f64x2.neg(laneObj), laneBest);
  let objMin: f64 = Infinity;
  if (best >= 0) {
    objMin =
      <i32>i64x2.extract_lane(laneBest, 1) == best
        ? f64x2.extract_lane(laneObj, 1)
        : f64x2.extract_lane(laneObj, 0);
  }
  if (j < active) {
    // The odd last position, the same step in scalars.
    const o = (<usize>j) << 3;
    const ys = load<f64>(yLow + o);
    const yg = ys * load<f64>(G + o);
    if (yg >= gmax2) gmax2 = yg;
    const gradDiff = gmax + yg;
    if (gradDiff > 0) {
      const quad = qdi + load<f64>(QD + o) - 2 * <f64>yi * ys * rowAt(qi, perm, j);
      const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : SMO_TAU);
      if (objDiff <= objMin) best = j;
    }
  }
  store<f64>(out, gmax2);
  return best;
}
