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
  // position order (perm = 0) or through perm; 6: they no longer take y and status;
  // 7: smoSelectSecond takes a scratch array and always a row (i ≠ −1); 8: smoRun.
  return 8;
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
  // The rows left over take four columns at a time instead, each value summed in exactly
  // the order above (one f32x4 accumulator over k, hsum4, then the tail): a kernel value
  // must not depend on which rows were computed with it, or a solve would depend on the
  // cache's history (a resumed fit would part from an uninterrupted one).
  for (; q < nRows; q++) {
    const r0 = load<i32>(rows + ((<usize>q) << 2));
    const a0 = x + <usize>r0 * rowBytes;
    const n0: f64 = load<f32>(sqNorms + ((<usize>r0) << 2));
    const o0 = out + <usize>q * outStride;
    let c = 0;
    for (; c + 4 <= nCols; c += 4) {
      const rc0 = load<i32>(cols + ((<usize>c) << 2));
      const rc1 = load<i32>(cols + ((<usize>(c + 1)) << 2));
      const rc2 = load<i32>(cols + ((<usize>(c + 2)) << 2));
      const rc3 = load<i32>(cols + ((<usize>(c + 3)) << 2));
      const b0 = x + <usize>rc0 * rowBytes;
      const b1 = x + <usize>rc1 * rowBytes;
      const b2 = x + <usize>rc2 * rowBytes;
      const b3 = x + <usize>rc3 * rowBytes;
      let c0 = f32x4.splat(0),
        c1 = f32x4.splat(0),
        c2 = f32x4.splat(0),
        c3 = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= d; k += 4) {
        const o = (<usize>k) << 2;
        const v = v128.load(a0 + o);
        c0 = f32x4.add(c0, f32x4.mul(v, v128.load(b0 + o)));
        c1 = f32x4.add(c1, f32x4.mul(v, v128.load(b1 + o)));
        c2 = f32x4.add(c2, f32x4.mul(v, v128.load(b2 + o)));
        c3 = f32x4.add(c3, f32x4.mul(v, v128.load(b3 + o)));
      }
      let s0 = hsum4(c0),
        s1 = hsum4(c1),
        s2 = hsum4(c2),
        s3 = hsum4(c3);
      for (; k < d; k++) {
        const o = (<usize>k) << 2;
        const v = load<f32>(a0 + o);
        s0 += v * load<f32>(b0 + o);
        s1 += v * load<f32>(b1 + o);
        s2 += v * load<f32>(b2 + o);
        s3 += v * load<f32>(b3 + o);
      }
      const co = (<usize>c) << 2;
      const nb0: f64 = kind == 2 ? <f64>load<f32>(sqNorms + ((<usize>rc0) << 2)) : 0;
      const nb1: f64 = kind == 2 ? <f64>load<f32>(sqNorms + ((<usize>rc1) << 2)) : 0;
      const nb2: f64 = kind == 2 ? <f64>load<f32>(sqNorms + ((<usize>rc2) << 2)) : 0;
      const nb3: f64 = kind == 2 ? <f64>load<f32>(sqNorms + ((<usize>rc3) << 2)) : 0;
      store<f32>(o0 + co, <f32>kernelOf(kind, s0, n0, nb0, gamma, coef0, degree));
      store<f32>(o0 + co + 4, <f32>kernelOf(kind, s1, n0, nb1, gamma, coef0, degree));
      store<f32>(o0 + co + 8, <f32>kernelOf(kind, s2, n0, nb2, gamma, coef0, degree));
      store<f32>(o0 + co + 12, <f32>kernelOf(kind, s3, n0, nb3, gamma, coef0, degree));
    }
    for (; c < nCols; c++) {
      const rc = load<i32>(cols + ((<usize>c) << 2));
      const b = x + <usize>rc * rowBytes;
      let c0 = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= d; k += 4) {
        const o = (<usize>k) << 2;
        c0 = f32x4.add(c0, f32x4.mul(v128.load(a0 + o), v128.load(b + o)));
      }
      let s0 = hsum4(c0);
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
