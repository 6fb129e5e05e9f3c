// AssemblyScript kernels for the neural family (src/ml/neural). Re-exported by kernels.ts.
// Same conventions as kernels.ts: pointers are byte offsets into the shared memory,
// matrices are row-major float32.
//
// The GEMMs take A as a table of row pointers (u32 byte addresses), so a minibatch of
// shuffled training rows is read in place, never gathered into a copy. Their 4×8
// register tiles compute whole 8-column vectors even at the right edge of B/C and store
// only the valid lanes: callers pad every buffer the kernels read as B (weights, deltas,
// biases) with MLP_PAD bytes so that edge loads stay inside memory they own.

const ACT_IDENTITY: i32 = 0;
const ACT_LOGISTIC: i32 = 1;
const ACT_TANH: i32 = 2;
const ACT_RELU: i32 = 3;

/** Bytes of slack callers add after every buffer a kernel reads as B (two vectors). */
export function mlpPadBytes(): i32 {
  return 32;
}

// Stores the first `cols` (≥ 1) lanes of the 8 floats v0|v1 at p.
function storeLanes8(p: usize, v0: v128, v1: v128, cols: i32): void {
  if (cols >= 8) {
    v128.store(p, v0);
    v128.store(p, v1, 16);
    return;
  }
  if (cols >= 4) {
    v128.store(p, v0);
    storeLanes4(p + 16, v1, cols - 4);
  } else {
    storeLanes4(p, v0, cols);
  }
}

function storeLanes4(p: usize, v: v128, cols: i32): void {
  if (cols >= 4) {
    v128.store(p, v);
    return;
  }
  if (cols > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (cols > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (cols > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Fills `out` (m u32 byte pointers) with the rows of a contiguous m×ld matrix at `a`. */
export function mlpRowTable(a: usize, ld: i32, m: i32, out: usize): void {
  const stride = (<usize>ld) << 2;
  for (let i = 0; i < m; i++) store<u32>(out + ((<usize>i) << 2), <u32>(a + <usize>i * stride));
}

/**
 * Fills `out` with pointers to rows idx[0..m) of the matrix at `a` (row stride ld floats)
 * and `yOut` with their labels y[idx[i]] (int32), for one shuffled minibatch.
 */
export function mlpGatherBatch(
  a: usize,
  ld: i32,
  y: usize,
  idx: usize,
  m: i32,
  out: usize,
  yOut: usize,
): void {
  const stride = (<usize>ld) << 2;
  for (let i = 0; i < m; i++) {
    const o = (<usize>i) << 2;
    const r = <usize>load<u32>(idx + o);
    store<u32>(out + o, <u32>(a + r * stride));
    store<i32>(yOut + o, load<i32>(y + (r << 2)));
  }
}

/**
 * C = A·B (+ bias on every row): A is m×k given as a row table, B is k×n (row stride n),
 * C is m×n (row stride n), bias is n floats or 0 for none.
 */
export function mlpGemmNN(
  aRows: usize,
  m: i32,
  k: i32,
  b: usize,
  n: i32,
  bias: usize,
  c: usize,
): void {
  const ldb = (<usize>n) << 2;
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i += 4) {
    const r = min(4, m - i);
    const p0 = <usize>load<u32>(aRows + ((<usize>i) << 2));
    const p1 = r > 1 ? <usize>load<u32>(aRows + ((<usize>i + 1) << 2)) : p0;
    const p2 = r > 2 ? <usize>load<u32>(aRows + ((<usize>i + 2) << 2)) : p0;
    const p3 = r > 3 ? <usize>load<u32>(aRows + ((<usize>i + 3) << 2)) : p0;
    for (let j = 0; j < n; j += 8) {
      let c00 = zero,
        c01 = zero,
        c10 = zero,
        c11 = zero,
        c20 = zero,
        c21 = zero,
        c30 = zero,
        c31 = zero;
      let bp = b + ((<usize>j) << 2);
      for (let q = 0; q < k; q++) {
        const o = (<usize>q) << 2;
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(p0 + o);
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        const x1 = v128.load32_splat(p1 + o);
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        const x2 = v128.load32_splat(p2 + o);
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        const x3 = v128.load32_splat(p3 + o);
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
        bp += ldb;
      }
      if (bias != 0) {
        const bv0 = v128.load(bias + ((<usize>j) << 2));
        const bv1 = v128.load(bias + ((<usize>j) << 2), 16);
        c00 = f32x4.add(c00, bv0);
        c01 = f32x4.add(c01, bv1);
        c10 = f32x4.add(c10, bv0);
        c11 = f32x4.add(c11, bv1);
        c20 = f32x4.add(c20, bv0);
        c21 = f32x4.add(c21, bv1);
        c30 = f32x4.add(c30, bv0);
        c31 = f32x4.add(c31, bv1);
      }
      const cols = n - j;
      const cp = c + ((<usize>i * <usize>n + <usize>j) << 2);
      storeLanes8(cp, c00, c01, cols);
      if (r > 1) storeLanes8(cp + ldb, c10, c11, cols);
      if (r > 2) storeLanes8(cp + 2 * ldb, c20, c21, cols);
      if (r > 3) storeLanes8(cp + 3 * ldb, c30, c31, cols);
    }
  }
}

// One full 4×8 tile of C = Aᵀ·B: C rows are A columns o0/4 … o0/4 + 3 (all < k).
function tnTileFull(
  aRows: usize,
  m: i32,
  o0: usize,
  b: usize,
  ldb: usize,
  cp: usize,
  cols: i32,
  accumulate: i32,
): void {
  const zero = f32x4.splat(0);
  let c00 = zero,
    c01 = zero,
    c10 = zero,
    c11 = zero,
    c20 = zero,
    c21 = zero,
    c30 = zero,
    c31 = zero;
  let bp = b;
  for (let i = 0; i < m; i++) {
    const ap = <usize>load<u32>(aRows + ((<usize>i) << 2)) + o0;
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const x0 = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(x0, b0));
    c01 = f32x4.add(c01, f32x4.mul(x0, b1));
    const x1 = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(x1, b0));
    c11 = f32x4.add(c11, f32x4.mul(x1, b1));
    const x2 = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(x2, b0));
    c21 = f32x4.add(c21, f32x4.mul(x2, b1));
    const x3 = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(x3, b0));
    c31 = f32x4.add(c31, f32x4.mul(x3, b1));
    bp += ldb;
  }
  if (accumulate != 0) {
    c00 = f32x4.add(c00, v128.load(cp));
    c01 = f32x4.add(c01, v128.load(cp, 16));
    c10 = f32x4.add(c10, v128.load(cp + ldb));
    c11 = f32x4.add(c11, v128.load(cp + ldb, 16));
    c20 = f32x4.add(c20, v128.load(cp + 2 * ldb));
    c21 = f32x4.add(c21, v128.load(cp + 2 * ldb, 16));
    c30 = f32x4.add(c30, v128.load(cp + 3 * ldb));
    c31 = f32x4.add(c31, v128.load(cp + 3 * ldb, 16));
  }
  storeLanes8(cp, c00, c01, cols);
  storeLanes8(cp + ldb, c10, c11, cols);
  storeLanes8(cp + 2 * ldb, c20, c21, cols);
  storeLanes8(cp + 3 * ldb, c30, c31, cols);
}

/**
 * C = Aᵀ·B (or C += Aᵀ·B when `accumulate` is 1): A is m×k given as a row table, B is
 * m×n (row stride n), C is k×n (row stride n). The weight gradient of a layer: its input
 * activations transposed times its deltas.
 */
export function mlpGemmTN(
  aRows: usize,
  m: i32,
  k: i32,
  b: usize,
  n: i32,
  c: usize,
  accumulate: i32,
): void {
  const ldb = (<usize>n) << 2;
  const zero = f32x4.splat(0);
  const last = k - 1;
  for (let kk = 0; kk < k; kk += 4) {
    const r = min(4, k - kk);
    // Columns past k repeat the last one (their results are not stored): no over-read of A.
    const o0 = (<usize>kk) << 2;
    const o1 = (<usize>min(kk + 1, last)) << 2;
    const o2 = (<usize>min(kk + 2, last)) << 2;
    const o3 = (<usize>min(kk + 3, last)) << 2;
    if (r == 4) {
      // Full tiles: the four A columns are adjacent, read with constant offsets.
      for (let j = 0; j < n; j += 8) {
        tnTileFull(
          aRows,
          m,
          o0,
          b + ((<usize>j) << 2),
          ldb,
          c + ((<usize>kk * <usize>n + <usize>j) << 2),
          n - j,
          accumulate,
        );
      }
      continue;
    }
    for (let j = 0; j < n; j += 8) {
      let c00 = zero,
        c01 = zero,
        c10 = zero,
        c11 = zero,
        c20 = zero,
        c21 = zero,
        c30 = zero,
        c31 = zero;
      let bp = b + ((<usize>j) << 2);
      for (let i = 0; i < m; i++) {
        const ap = <usize>load<u32>(aRows + ((<usize>i) << 2));
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(ap + o0);
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        const x1 = v128.load32_splat(ap + o1);
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        const x2 = v128.load32_splat(ap + o2);
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        const x3 = v128.load32_splat(ap + o3);
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
        bp += ldb;
      }
      const cols = n - j;
      const cp = c + ((<usize>kk * <usize>n + <usize>j) << 2);
      if (accumulate != 0) {
        c00 = f32x4.add(c00, v128.load(cp));
        c01 = f32x4.add(c01, v128.load(cp, 16));
        if (r > 1) {
          c10 = f32x4.add(c10, v128.load(cp + ldb));
          c11 = f32x4.add(c11, v128.load(cp + ldb, 16));
        }
        if (r > 2) {
          c20 = f32x4.add(c20, v128.load(cp + 2 * ldb));
          c21 = f32x4.add(c21, v128.load(cp + 2 * ldb, 16));
        }
        if (r > 3) {
          c30 = f32x4.add(c30, v128.load(cp + 3 * ldb));
          c31 = f32x4.add(c31, v128.load(cp + 3 * ldb, 16));
        }
      }
      storeLanes8(cp, c00, c01, cols);
      if (r > 1) storeLanes8(cp + ldb, c10, c11, cols);
      if (r > 2) storeLanes8(cp + 2 * ldb, c20, c21, cols);
      if (r > 3) storeLanes8(cp + 3 * ldb, c30, c31, cols);
    }
  }
}

/**
 * C = A·Bᵀ for small inner dimension k: A m×k, B n×k, C m×n (all contiguous). The delta
 * of a hidden layer: the next layer's delta times that layer's weights transposed.
 */
export function mlpGemmNT(a: usize, m: i32, k: i32, b: usize, n: i32, c: usize): void {
  const lda = (<usize>k) << 2;
  for (let i = 0; i < m; i++) {
    const ap = a + <usize>i * lda;
    const cp = c + ((<usize>i * <usize>n) << 2);
    for (let p = 0; p < n; p++) {
      const bp = b + <usize>p * lda;
      let acc = f32x4.splat(0);
      let q = 0;
      for (; q + 4 <= k; q += 4) {
        const o = (<usize>q) << 2;
        acc = f32x4.add(acc, f32x4.mul(v128.load(ap + o), v128.load(bp + o)));
      }
      let s =
        f32x4.extract_lane(acc, 0) +
        f32x4.extract_lane(acc, 1) +
        (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      for (; q < k; q++) {
        const o = (<usize>q) << 2;
        s += load<f32>(ap + o) * load<f32>(bp + o);
      }
      store<f32>(cp + ((<usize>p) << 2), s);
    }
  }
}

/** The hidden activation in place over len floats. */
export function mlpActivate(z: usize, len: i32, act: i32): void {
  if (act == ACT_RELU) {
    const zero = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const p = z + ((<usize>i) << 2);
      v128.store(p, f32x4.max(v128.load(p), zero));
    }
    for (; i < len; i++) {
      const p = z + ((<usize>i) << 2);
      const v = load<f32>(p);
      store<f32>(p, v > 0 ? v : 0);
    }
  } else if (act == ACT_TANH) {
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const p = z + ((<usize>i) << 2);
      v128.store(p, tanhv(v128.load(p)));
    }
    for (; i < len; i++) {
      const p = z + ((<usize>i) << 2);
      store<f32>(p, Mathf.tanh(load<f32>(p)));
    }
  } else if (act == ACT_LOGISTIC) {
    let i = 0;
    const one = f32x4.splat(1);
    const lim = f32x4.splat(87);
    for (; i + 4 <= len; i += 4) {
      const p = z + ((<usize>i) << 2);
      // 1/(1 + e^−x), with x clamped where e^−x would overflow (the result is 0 there).
      const x = f32x4.max(v128.load(p), f32x4.neg(lim));
      v128.store(p, f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x)))));
    }
    for (; i < len; i++) {
      const p = z + ((<usize>i) << 2);
      store<f32>(p, logistic(load<f32>(p)));
    }
  }
}

/**
 * e^x on four lanes (Cephes' expf: x = n·ln2 + r, a degree-6 polynomial in r, 2ⁿ built
 * in the exponent bits), within 2 ulp for x in [−87, 88]; callers keep x in that range.
 */
function expv(x: v128): v128 {
  const fx = f32x4.floor(
    f32x4.add(f32x4.mul(x, f32x4.splat(1.4426950408889634)), f32x4.splat(0.5)),
  );
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(-2.1219444e-4)));
  const r2 = f32x4.mul(r, r);
  let y = f32x4.splat(1.98756915e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, r2), r), f32x4.splat(1));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  return f32x4.mul(y, i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23));
}

/**
 * tanh on four lanes (Cephes' tanhf): an odd polynomial for |x| < 0.625, else
 * 1 − 2/(e^{2|x|} + 1) with the sign of x; |x| ≥ 9 gives ±1 exactly in float32.
 */
function tanhv(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = expv(f32x4.mul(f32x4.min(ax, f32x4.splat(9)), f32x4.splat(2)));
  const one = f32x4.splat(1);
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(e, one)));
  // Copy x's sign onto the large-|x| result.
  const signed = v128.or(big, v128.and(x, f32x4.splat(-0.0)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

function logistic(x: f32): f32 {
  // Written so that exp never overflows.
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

/**
 * delta *= f'(z) in place, with the derivative written in terms of the activation
 * h = f(z), as scikit-learn's inplace derivatives are: relu h > 0, tanh 1 − h²,
 * logistic h(1 − h), identity 1.
 */
export function mlpActDerivative(h: usize, delta: usize, len: i32, act: i32): void {
  if (act == ACT_IDENTITY) return;
  let i = 0;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  for (; i + 4 <= len; i += 4) {
    const o = (<usize>i) << 2;
    const hv = v128.load(h + o);
    const dv = v128.load(delta + o);
    let out: v128;
    if (act == ACT_RELU) out = v128.and(dv, f32x4.gt(hv, zero));
    else if (act == ACT_TANH) out = f32x4.mul(dv, f32x4.sub(one, f32x4.mul(hv, hv)));
    else out = f32x4.mul(dv, f32x4.mul(hv, f32x4.sub(one, hv)));
    v128.store(delta + o, out);
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    const hv = load<f32>(h + o);
    const dv = load<f32>(delta + o);
    let out: f32;
    if (act == ACT_RELU) out = hv > 0 ? dv : 0;
    else if (act == ACT_TANH) out = dv * (1 - hv * hv);
    else out = dv * hv * (1 - hv);
    store<f32>(delta + o, out);
  }
}

// scikit-learn clips probabilities to [1e-10, 1 − 1e-10] before the log.
const MIN_PROB: f64 = 1e-10;

/**
 * The output layer of a classifier, in place over z (m×n, contiguous) with labels y (m
 * int32, 0..K-1): with n ≥ 2 a softmax (probabilities p), with n = 1 the logistic of a
 * binary problem (p = P(class 1)). When `delta` is non-zero, the output delta p − onehot(y)
 * is written there (z keeps the probabilities). Returns Σ_i of the log-loss of each row
 * (scikit-learn's clipped log loss, not yet divided by m); returns 0 when y is 0.
 */
export function mlpOutputLoss(z: usize, m: i32, n: i32, y: usize, delta: usize): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < m; i++) {
    const row = z + ((<usize>i * <usize>n) << 2);
    const d = delta + ((<usize>i * <usize>n) << 2);
    const label = y != 0 ? load<i32>(y + ((<usize>i) << 2)) : -1;
    if (n == 1) {
      const p = logistic(load<f32>(row));
      store<f32>(row, p);
      if (label >= 0) {
        const t: f32 = label == 1 ? 1 : 0;
        if (delta != 0) store<f32>(d, p - t);
        const pc = min(max(<f64>p, MIN_PROB), 1 - MIN_PROB);
        loss -= label == 1 ? Math.log(pc) : Math.log(1 - pc);
      }
      continue;
    }
    let mx = load<f32>(row);
    for (let j = 1; j < n; j++) mx = max(mx, load<f32>(row + ((<usize>j) << 2)));
    let s: f32 = 0;
    for (let j = 0; j < n; j++) {
      const p = row + ((<usize>j) << 2);
      const e = Mathf.exp(load<f32>(p) - mx);
      store<f32>(p, e);
      s += e;
    }
    const inv: f32 = 1 / s;
    for (let j = 0; j < n; j++) {
      const p = row + ((<usize>j) << 2);
      const pj = load<f32>(p) * inv;
      store<f32>(p, pj);
      if (delta != 0) store<f32>(d + ((<usize>j) << 2), j == label ? pj - 1 : pj);
    }
    if (label >= 0) {
      const py = <f64>load<f32>(row + ((<usize>label) << 2));
      loss -= Math.log(min(max(py, MIN_PROB), 1 - MIN_PROB));
    }
  }
  return loss;
}

/** out[j] = Σ_i a[i, j] (or out[j] += … when accumulate is 1): a bias gradient. */
export function mlpColumnSums(a: usize, m: i32, n: i32, out: usize, accumulate: i32): void {
  if (accumulate == 0) memory.fill(out, 0, (<usize>n) << 2);
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>n) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(row + o)));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(row + o));
    }
  }
}

/** Σ w[i]² over len floats, in float64 (the l2 penalty's ‖W‖²). */
export function mlpSumSquares(w: usize, len: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < len; i++) {
    const v = <f64>load<f32>(w + ((<usize>i) << 2));
    s += v * v;
  }
  return s;
}

/**
 * One Adam step over len parameters, scikit-learn's AdamOptimizer with the gradient
 * g = gradScale·(grad + grad2) + decay·param (grad2: a second partial sum from another
 * thread, or 0 for none; decay: the l2 term, 0 for biases):
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  param ← param − lr·m / (√v + ε)
 * where lr already carries the bias corrections √(1 − β2ᵗ)/(1 − β1ᵗ). Returns Σ param²
 * of the updated parameters (the next batch's l2 penalty), in float64.
 */
export function mlpAdam(
  param: usize,
  grad: usize,
  grad2: usize,
  m: usize,
  v: usize,
  len: i32,
  gradScale: f32,
  decay: f32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
): f64 {
  const gs = f32x4.splat(gradScale);
  const dc = f32x4.splat(decay);
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const c1 = f32x4.splat(1 - beta1);
  const c2 = f32x4.splat(1 - beta2);
  const lrv = f32x4.splat(lr);
  const ev = f32x4.splat(eps);
  let sq = f64x2.splat(0);
  let tail: f64 = 0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = (<usize>i) << 2;
    const w = v128.load(param + o);
    let gr = v128.load(grad + o);
    if (grad2 != 0) gr = f32x4.add(gr, v128.load(grad2 + o));
    const g = f32x4.add(f32x4.mul(gs, gr), f32x4.mul(dc, w));
    const mv = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, g));
    const vv = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(g, g)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const nw = f32x4.sub(w, f32x4.div(f32x4.mul(lrv, mv), f32x4.add(f32x4.sqrt(vv), ev)));
    v128.store(param + o, nw);
    const nw2 = f32x4.mul(nw, nw);
    sq = f64x2.add(sq, f64x2.promote_low_f32x4(nw2));
    sq = f64x2.add(sq, f64x2.promote_low_f32x4(v128.shuffle<f32>(nw2, nw2, 2, 3, 2, 3)));
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    const w = load<f32>(param + o);
    let gr = load<f32>(grad + o);
    if (grad2 != 0) gr += load<f32>(grad2 + o);
    const g = gradScale * gr + decay * w;
    const mv = beta1 * load<f32>(m + o) + (1 - beta1) * g;
    const vv = beta2 * load<f32>(v + o) + (1 - beta2) * g * g;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    const nw = w - (lr * mv) / (Mathf.sqrt(vv) + eps);
    store<f32>(param + o, nw);
    tail += <f64>nw * <f64>nw;
  }
  return f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1) + tail;
}

/** Index of the largest of n floats in each of m rows (first on ties) into out (int32). */
export function mlpArgmaxRows(z: usize, m: i32, n: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    const row = z + ((<usize>i * <usize>n) << 2);
    let best = 0;
    let bv = load<f32>(row);
    for (let j = 1; j < n; j++) {
      const v = load<f32>(row + ((<usize>j) << 2));
      if (v > bv) {
        bv = v;
        best = j;
      }
    }
    store<i32>(out + ((<usize>i) << 2), best);
  }
}

// ---------------------------------------------------------------------------------------
// One minibatch (or one thread's share of it): forward pass, loss, backward pass.
//
// The network is described by a table of u32 in memory so one call does the whole
// batch, on the main thread or on a worker (which receives only the table's address):
//   [0] L (weight layers)  [1] activation  [2] m (rows)  [3] input row table
//   [4] labels (m int32)   [5] where to store the summed loss (f64)  [6] d (input width)
//   then per layer l (8 u32 each, from word 8 + 8l): units out, W (in×out), b, W gradient,
//   b gradient, output activations (m×out, contiguous), their row table, output delta.
// Gradients are sums over the rows (not yet divided by m, no l2 term).

const MLP_DESC_HEADER: i32 = 8;
const MLP_DESC_LAYER: i32 = 8;

function word(desc: usize, i: i32): u32 {
  return load<u32>(desc + ((<usize>i) << 2));
}

function layerWord(desc: usize, l: i32, f: i32): usize {
  return <usize>word(desc, MLP_DESC_HEADER + l * MLP_DESC_LAYER + f);
}

/** Forward and backward over the rows the table `desc` describes; stores the summed loss. */
export function mlpBackprop(desc: usize): void {
  const L = <i32>word(desc, 0);
  const act = <i32>word(desc, 1);
  const m = <i32>word(desc, 2);
  const rows = <usize>word(desc, 3);
  const y = <usize>word(desc, 4);
  const lossOut = <usize>word(desc, 5);
  const d = <i32>word(desc, 6);
  let tab = rows;
  let kin = d;
  for (let l = 0; l < L; l++) {
    const nOut = <i32>layerWord(desc, l, 0);
    const out = layerWord(desc, l, 5);
    mlpGemmNN(tab, m, kin, layerWord(desc, l, 1), nOut, layerWord(desc, l, 2), out);
    if (l + 1 < L) mlpActivate(out, m * nOut, act);
    tab = layerWord(desc, l, 6);
    kin = nOut;
  }
  const K = <i32>layerWord(desc, L - 1, 0);
  const loss = mlpOutputLoss(layerWord(desc, L - 1, 5), m, K, y, layerWord(desc, L - 1, 7));
  store<f64>(lossOut, loss);
  for (let l = L - 1; l >= 0; l--) {
    const nOut = <i32>layerWord(desc, l, 0);
    const delta = layerWord(desc, l, 7);
    const inTab = l == 0 ? rows : layerWord(desc, l - 1, 6);
    const nIn = l == 0 ? d : <i32>layerWord(desc, l - 1, 0);
    mlpGemmTN(inTab, m, nIn, delta, nOut, layerWord(desc, l, 3), 0);
    mlpColumnSums(delta, m, nOut, layerWord(desc, l, 4), 0);
    if (l > 0) {
      const prevDelta = layerWord(desc, l - 1, 7);
      mlpGemmNT(delta, m, nOut, layerWord(desc, l, 1), nIn, prevDelta);
      mlpActDerivative(layerWord(desc, l - 1, 5), prevDelta, m * nIn, act);
    }
  }
}
