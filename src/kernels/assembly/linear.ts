// AssemblyScript kernels for liblinear's solvers (src/ml/linear). Re-exported by kernels.ts.
// Same conventions as kernels.ts: pointers are byte offsets into the shared memory.
//
// Rows are float32 (the data, read once and compactly); weights and every accumulator are
// float64, as in liblinear, so the solvers' arithmetic keeps liblinear's precision. Each
// float32 quad is widened to two f64x2 lanes; four independent accumulators hide the
// latency of the adds. The constant bias feature is left to the caller (one scalar).

/** Σ x[j]·w[j], x float32, w float64, n entries. */
export function llDot(x: usize, w: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const xo = x + ((<usize>j) << 2);
    const wo = w + ((<usize>j) << 3);
    const q0 = v128.load(xo);
    const q1 = v128.load(xo, 16);
    a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(q0), v128.load(wo)));
    a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(hi(q0)), v128.load(wo, 16)));
    a2 = f64x2.add(a2, f64x2.mul(f64x2.promote_low_f32x4(q1), v128.load(wo, 32)));
    a3 = f64x2.add(a3, f64x2.mul(f64x2.promote_low_f32x4(hi(q1)), v128.load(wo, 48)));
  }
  const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < n; j++) s += <f64>load<f32>(x + ((<usize>j) << 2)) * load<f64>(w + ((<usize>j) << 3));
  return s;
}

/** w[j] += a·x[j], x float32, w float64, n entries. */
export function llAxpy(a: f64, x: usize, w: usize, n: i32): void {
  const av = f64x2.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const q = v128.load(x + ((<usize>j) << 2));
    const wo = w + ((<usize>j) << 3);
    v128.store(wo, f64x2.add(v128.load(wo), f64x2.mul(av, f64x2.promote_low_f32x4(q))));
    v128.store(wo, f64x2.add(v128.load(wo, 16), f64x2.mul(av, f64x2.promote_low_f32x4(hi(q)))), 16);
  }
  for (; j < n; j++) {
    const wo = w + ((<usize>j) << 3);
    store<f64>(wo, load<f64>(wo) + a * <f64>load<f32>(x + ((<usize>j) << 2)));
  }
}

/** The upper two floats of a quad moved to the lower half (for promote_low). */
function hi(q: v128): v128 {
  return v128.shuffle<f32>(q, q, 2, 3, 2, 3);
}

/** Bias term of a row's dot: w[cols]·bias when the constant feature is on. */
function biasDot(w: usize, cols: i32, bias: f64): f64 {
  return bias > 0 ? load<f64>(w + ((<usize>cols) << 3)) * bias : 0;
}

function biasAxpy(a: f64, w: usize, cols: i32, bias: f64): void {
  if (bias > 0) {
    const wo = w + ((<usize>cols) << 3);
    store<f64>(wo, load<f64>(wo) + a * bias);
  }
}

/** out[i] = x_i·v (+ bias term) for `rows` rows of `cols` floats. */
export function llMatVec(data: usize, rows: i32, cols: i32, v: usize, bias: f64, out: usize): void {
  const stride = (<usize>cols) << 2;
  const b = biasDot(v, cols, bias);
  for (let i = 0; i < rows; i++) {
    store<f64>(out + ((<usize>i) << 3), llDot(data + <usize>i * stride, v, cols) + b);
  }
}

/** out[t] = x_{index[t]}·v (+ bias term) for t < count. */
export function llSubMatVec(
  data: usize,
  cols: i32,
  index: usize,
  count: i32,
  v: usize,
  bias: f64,
  out: usize,
): void {
  const stride = (<usize>cols) << 2;
  const b = biasDot(v, cols, bias);
  for (let t = 0; t < count; t++) {
    const i = <usize>load<i32>(index + ((<usize>t) << 2));
    store<f64>(out + ((<usize>t) << 3), llDot(data + i * stride, v, cols) + b);
  }
}

/** out = Σ_i v[i]·x_i (the bias entry too); `out` must be zeroed by the caller. */
export function llMatTVec(
  data: usize,
  rows: i32,
  cols: i32,
  v: usize,
  bias: f64,
  out: usize,
): void {
  const stride = (<usize>cols) << 2;
  for (let i = 0; i < rows; i++) {
    const a = load<f64>(v + ((<usize>i) << 3));
    if (a == 0) continue;
    llAxpy(a, data + <usize>i * stride, out, cols);
    biasAxpy(a, out, cols, bias);
  }
}

/** out = Σ_t v[t]·x_{index[t]}; `out` must be zeroed by the caller. */
export function llSubMatTVec(
  data: usize,
  cols: i32,
  index: usize,
  count: i32,
  v: usize,
  bias: f64,
  out: usize,
): void {
  const stride = (<usize>cols) << 2;
  for (let t = 0; t < count; t++) {
    const a = load<f64>(v + ((<usize>t) << 3));
    if (a == 0) continue;
    const i = <usize>load<i32>(index + ((<usize>t) << 2));
    llAxpy(a, data + i * stride, out, cols);
    biasAxpy(a, out, cols, bias);
  }
}

/**
 * out = Σ_i weight[i]·(x_i·v)·x_i in one pass (each row reused for its axpy while in
 * cache); rows with weight 0 are skipped; `out` must be zeroed by the caller.
 */
export function llWeightedGramVec(
  data: usize,
  rows: i32,
  cols: i32,
  v: usize,
  weight: usize,
  bias: f64,
  out: usize,
): void {
  const stride = (<usize>cols) << 2;
  const b = biasDot(v, cols, bias);
  for (let i = 0; i < rows; i++) {
    const wi = load<f64>(weight + ((<usize>i) << 3));
    if (wi == 0) continue;
    const row = data + <usize>i * stride;
    const a = wi * (llDot(row, v, cols) + b);
    llAxpy(a, row, out, cols);
    biasAxpy(a, out, cols, bias);
  }
}

/** llWeightedGramVec over the listed rows with one weight for all; `out` zeroed by the caller. */
export function llSubWeightedGramVec(
  data: usize,
  cols: i32,
  index: usize,
  count: i32,
  v: usize,
  weight: f64,
  bias: f64,
  out: usize,
): void {
  const stride = (<usize>cols) << 2;
  const b = biasDot(v, cols, bias);
  for (let t = 0; t < count; t++) {
    const row = data + <usize>load<i32>(index + ((<usize>t) << 2)) * stride;
    const a = weight * (llDot(row, v, cols) + b);
    llAxpy(a, row, out, cols);
    biasAxpy(a, out, cols, bias);
  }
}

// ---------------------------------------------------------------------------------------
// Crammer–Singer: one whole pass of liblinear's Solver_MCSVM_CS over the active rows, so
// the per-row bookkeeping (scores, shrinking, the small QP, updates) never leaves WASM.
// The TypeScript solver in src/ml/linear/liblinear-crammer-singer.ts is the reference and
// does the same steps in the same order.

// The scores x·w_m only steer the row's small QP, while w itself (float64) stays exactly
// Σ α x; so the scores are taken against a float32 mirror of w, at twice the SIMD width
// and without widening x. Their rounding (~1e-7 relative) is far below the solver's
// tolerance; the update below keeps the mirror equal to the float64 weights, rounded.

/** Σ x[j]·wf[j] over float32 x and float32 weights, summed in float64 at the end. */
function dotF32(x: usize, wf: usize, n: i32): f64 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const o = (<usize>j) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(wf + o)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(wf + o, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(x + o, 32), v128.load(wf + o, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(x + o, 48), v128.load(wf + o, 48)));
  }
  for (; j + 4 <= n; j += 4) {
    const o = (<usize>j) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(wf + o)));
  }
  const a = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let s =
    <f64>f32x4.extract_lane(a, 0) +
    <f64>f32x4.extract_lane(a, 1) +
    (<f64>f32x4.extract_lane(a, 2) + <f64>f32x4.extract_lane(a, 3));
  for (; j < n; j++) {
    const o = (<usize>j) << 2;
    s += <f64>load<f32>(x + o) * <f64>load<f32>(wf + o);
  }
  return s;
}

/** w += a·x in float64, and wf (float32) = w rounded, over n entries. */
function axpyMirror(a: f64, x: usize, w: usize, wf: usize, n: i32): void {
  const av = f64x2.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const q = v128.load(x + ((<usize>j) << 2));
    const wo = w + ((<usize>j) << 3);
    const lo = f64x2.add(v128.load(wo), f64x2.mul(av, f64x2.promote_low_f32x4(q)));
    const hq = f64x2.add(v128.load(wo, 16), f64x2.mul(av, f64x2.promote_low_f32x4(hi(q))));
    v128.store(wo, lo);
    v128.store(wo, hq, 16);
    const fl = f32x4.demote_f64x2_zero(lo);
    const fh = f32x4.demote_f64x2_zero(hq);
    v128.store(wf + ((<usize>j) << 2), v128.shuffle<f32>(fl, fh, 0, 1, 4, 5));
  }
  for (; j < n; j++) {
    const wo = w + ((<usize>j) << 3);
    const v = load<f64>(wo) + a * <f64>load<f32>(x + ((<usize>j) << 2));
    store<f64>(wo, v);
    store<f32>(wf + ((<usize>j) << 2), <f32>v);
  }
}

function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}
function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + ((<usize>i) << 3), v);
}
function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}
function setI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + ((<usize>i) << 2), v);
}
function swapI32(base: usize, i: i32, j: i32): void {
  const t = i32At(base, i);
  setI32(base, i, i32At(base, j));
  setI32(base, j, t);
}

/** Slot m of a row sits at its bound (C for the true class, 0 otherwise) with G[m] < minG. */
function csBeShrunk(m: i32, yi: i32, alphaValue: f64, C: f64, G: usize, minG: f64): bool {
  return alphaValue == (m == yi ? C : 0.0) && f64At(G, m) < minG;
}

/** The row's small QP (sort D descending, find the threshold β), as the TS reference. */
function csSubProblem(
  A: f64,
  yi: i32,
  C: f64,
  active: i32,
  B: usize,
  D: usize,
  alphaNew: usize,
): void {
  for (let m = 0; m < active; m++) setF64(D, m, f64At(B, m));
  if (yi < active) setF64(D, yi, f64At(D, yi) + A * C);
  // Insertion sort, descending: at most K (10) values.
  for (let m = 1; m < active; m++) {
    const v = f64At(D, m);
    let t = m - 1;
    while (t >= 0 && f64At(D, t) < v) {
      setF64(D, t + 1, f64At(D, t));
      t--;
    }
    setF64(D, t + 1, v);
  }
  let beta = f64At(D, 0) - A * C;
  let r = 1;
  for (; r < active && beta < <f64>r * f64At(D, r); r++) beta += f64At(D, r);
  beta /= <f64>r;
  for (let m = 0; m < active; m++) {
    const v = (beta - f64At(B, m)) / A;
    setF64(alphaNew, m, m == yi ? Math.min(C, v) : Math.min(0.0, v));
  }
}

/**
 * One pass over index[0..activeSize) (already shuffled by the caller). Returns the new
 * active size; writes the pass's largest violation (liblinear's `stopping`) to out[0].
 * scratch holds 5·K float64 (G, B, D, alphaNew, dVal) then K int32 (dInd).
 */
export function csPass(
  data: usize,
  cols: i32,
  bias: f64,
  size: i32,
  K: i32,
  C: f64,
  W: usize,
  Wf: usize,
  alpha: usize,
  alphaIndex: usize,
  yIndex: usize,
  y: usize,
  activeSizeI: usize,
  index: usize,
  QD: usize,
  activeSize: i32,
  scratch: usize,
  out: usize,
): i32 {
  const G = scratch;
  const B = G + ((<usize>K) << 3);
  const D = B + ((<usize>K) << 3);
  const alphaNew = D + ((<usize>K) << 3);
  const dVal = alphaNew + ((<usize>K) << 3);
  const dInd = dVal + ((<usize>K) << 3);
  const rowBytes = (<usize>cols) << 2;
  const wBytes = (<usize>size) << 3;
  const wfBytes = (<usize>size) << 2;
  let stopping = -Infinity;
  for (let s = 0; s < activeSize; s++) {
    const i = i32At(index, s);
    const Ai = f64At(QD, i);
    if (!(Ai > 0)) continue;
    const ai = i * K;
    const x = data + <usize>i * rowBytes;
    let act = i32At(activeSizeI, i);
    // Scores of the live classes only.
    let yi = i32At(yIndex, i);
    for (let m = 0; m < act; m++) {
      const c = <usize>i32At(alphaIndex, ai + m);
      const g = dotF32(x, Wf + c * wfBytes, cols) + biasDot(W + c * wBytes, cols, bias);
      setF64(G, m, m != yi ? g + 1 : g);
    }
    let minG = Infinity;
    let maxG = -Infinity;
    for (let m = 0; m < act; m++) {
      const g = f64At(G, m);
      if (f64At(alpha, ai + i32At(alphaIndex, ai + m)) < 0 && g < minG) minG = g;
      if (g > maxG) maxG = g;
    }
    if (yi < act && f64At(alpha, ai + i32At(y, i)) < C && f64At(G, yi) < minG) minG = f64At(G, yi);

    for (let m = 0; m < act; m++) {
      if (!csBeShrunk(m, yi, f64At(alpha, ai + i32At(alphaIndex, ai + m)), C, G, minG)) continue;
      act--;
      while (act > m) {
        if (!csBeShrunk(act, yi, f64At(alpha, ai + i32At(alphaIndex, ai + act)), C, G, minG)) {
          swapI32(alphaIndex, ai + m, ai + act);
          const tg = f64At(G, m);
          setF64(G, m, f64At(G, act));
          setF64(G, act, tg);
          if (yi == act) yi = m;
          else if (yi == m) yi = act;
          break;
        }
        act--;
      }
    }
    setI32(yIndex, i, yi);
    setI32(activeSizeI, i, act);
    if (act <= 1) {
      activeSize--;
      swapI32(index, s, activeSize);
      s--;
      continue;
    }
    if (maxG - minG <= 1e-12) continue;
    if (maxG - minG > stopping) stopping = maxG - minG;

    for (let m = 0; m < act; m++) {
      setF64(B, m, f64At(G, m) - Ai * f64At(alpha, ai + i32At(alphaIndex, ai + m)));
    }
    csSubProblem(Ai, yi, C, act, B, D, alphaNew);
    let nz = 0;
    for (let m = 0; m < act; m++) {
      const slot = ai + i32At(alphaIndex, ai + m);
      const d = f64At(alphaNew, m) - f64At(alpha, slot);
      setF64(alpha, slot, f64At(alphaNew, m));
      if (Math.abs(d) >= 1e-12) {
        setI32(dInd, nz, i32At(alphaIndex, ai + m));
        setF64(dVal, nz++, d);
      }
    }
    for (let t = 0; t < nz; t++) {
      const c = <usize>i32At(dInd, t);
      const w = W + c * wBytes;
      const d = f64At(dVal, t);
      axpyMirror(d, x, w, Wf + c * wfBytes, cols);
      biasAxpy(d, w, cols, bias);
    }
  }
  store<f64>(out, stopping);
  return activeSize;
}

// ---------------------------------------------------------------------------------------
// newGLMNET (L1 logistic regression) walks the data by columns: a column-major float32
// copy, one column of `rows` values per feature. Σ c·v and v += a·c are llDot and llAxpy.

/** Σ c[i]·u[i]·v[i] over one float32 column and two float64 vectors. */
export function llColDot3(c: usize, u: usize, v: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = v128.load(c + ((<usize>i) << 2));
    const o = (<usize>i) << 3;
    const uv0 = f64x2.mul(v128.load(u + o), v128.load(v + o));
    const uv1 = f64x2.mul(v128.load(u + o, 16), v128.load(v + o, 16));
    a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(q), uv0));
    a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(hi(q)), uv1));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    s += <f64>load<f32>(c + ((<usize>i) << 2)) * load<f64>(u + o) * load<f64>(v + o);
  }
  return s;
}

/**
 * llAxpy(a, cPrev, v, n) then llColDot3(c, u, v, n) in one pass over v: newGLMNET's
 * update of one coordinate followed by the next coordinate's gradient. Every v[i] and the
 * sum come out bit for bit as from the two calls (same lanes, same order, same rounding).
 */
export function llColAxpyDot3(a: f64, cPrev: usize, c: usize, u: usize, v: usize, n: i32): f64 {
  const av = f64x2.splat(a);
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = v128.load(cPrev + ((<usize>i) << 2));
    const o = (<usize>i) << 3;
    const v0 = f64x2.add(v128.load(v + o), f64x2.mul(av, f64x2.promote_low_f32x4(p)));
    const v1 = f64x2.add(v128.load(v + o, 16), f64x2.mul(av, f64x2.promote_low_f32x4(hi(p))));
    v128.store(v + o, v0);
    v128.store(v + o, v1, 16);
    const q = v128.load(c + ((<usize>i) << 2));
    a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(q), f64x2.mul(v128.load(u + o), v0)));
    a1 = f64x2.add(
      a1,
      f64x2.mul(f64x2.promote_low_f32x4(hi(q)), f64x2.mul(v128.load(u + o, 16), v1)),
    );
  }
  const a2 = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    const vi = load<f64>(v + o) + a * <f64>load<f32>(cPrev + ((<usize>i) << 2));
    store<f64>(v + o, vi);
    s += <f64>load<f32>(c + ((<usize>i) << 2)) * load<f64>(u + o) * vi;
  }
  return s;
}

/** Σ c[i]²·v[i] over one float32 column and a float64 vector. */
export function llColSqDot(c: usize, v: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = v128.load(c + ((<usize>i) << 2));
    const o = (<usize>i) << 3;
    const lo = f64x2.promote_low_f32x4(q);
    const hq = f64x2.promote_low_f32x4(hi(q));
    a0 = f64x2.add(a0, f64x2.mul(f64x2.mul(lo, lo), v128.load(v + o)));
    a1 = f64x2.add(a1, f64x2.mul(f64x2.mul(hq, hq), v128.load(v + o, 16)));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const x = <f64>load<f32>(c + ((<usize>i) << 2));
    s += x * x * load<f64>(v + ((<usize>i) << 3));
  }
  return s;
}
