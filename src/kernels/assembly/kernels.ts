// AssemblyScript source of fmnist's WASM SIMD kernels (compiled by `npm run build:wasm`
// into dist/kernels/kernels.wasm). Every argument that names data is a byte offset into
// the one imported shared memory, so JS (and every worker) hands over datasets that live
// in a SharedArrayBuffer without copying. Matrices are row-major float32. The kernels
// allocate nothing: callers pass scratch space, which keeps the module free of a heap
// and safe to instantiate in many threads over the same memory.

// Rows of B (training rows) per cache block: 256 rows × 784 floats ≈ 800 KB stays in L2
// while a query block streams over it.
const B_BLOCK: i32 = 256;

function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

// ---------------------------------------------------------------------------------------
// BLAS level 1

/** Σ x[i]·y[i] over n floats. */
export function dot(x: usize, y: usize, n: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = (<usize>i) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s = hsum(f32x4.add(a0, a1));
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    s += load<f32>(x + o) * load<f32>(y + o);
  }
  return s;
}

/** y[i] += a·x[i] over n floats. */
export function axpy(a: f32, x: usize, y: usize, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** out[i] = Σ_j a[i,j]² for each of `rows` rows of width `cols`. */
export function rowSqNorms(a: usize, rows: i32, cols: i32, out: usize): void {
  const stride = (<usize>cols) << 2;
  for (let i = 0; i < rows; i++) {
    const r = a + <usize>i * stride;
    store<f32>(out + ((<usize>i) << 2), dot(r, r, cols));
  }
}

// ---------------------------------------------------------------------------------------
// GEMM C = A·Bᵀ (A: m×d, B: n×d, C: m×n with row stride ldc floats)

// One C entry: a SIMD dot of two rows (edge tiles only).
function tile1x1(a: usize, b: usize, d: i32, c: usize): void {
  store<f32>(c, dot(a, b, d));
}

// The 4×2 micro-kernel: 8 accumulators reuse each loaded A and B vector 2 and 4 times.
function tile4x2(a: usize, lda: usize, b: usize, ldb: usize, d: i32, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  const a1 = a + lda,
    a2 = a1 + lda,
    a3 = a2 + lda;
  const b1 = b + ldb;
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    const o = (<usize>k) << 2;
    const x0 = v128.load(b + o);
    const x1 = v128.load(b1 + o);
    let y = v128.load(a + o);
    c00 = f32x4.add(c00, f32x4.mul(y, x0));
    c01 = f32x4.add(c01, f32x4.mul(y, x1));
    y = v128.load(a1 + o);
    c10 = f32x4.add(c10, f32x4.mul(y, x0));
    c11 = f32x4.add(c11, f32x4.mul(y, x1));
    y = v128.load(a2 + o);
    c20 = f32x4.add(c20, f32x4.mul(y, x0));
    c21 = f32x4.add(c21, f32x4.mul(y, x1));
    y = v128.load(a3 + o);
    c30 = f32x4.add(c30, f32x4.mul(y, x0));
    c31 = f32x4.add(c31, f32x4.mul(y, x1));
  }
  let s00 = hsum(c00),
    s01 = hsum(c01),
    s10 = hsum(c10),
    s11 = hsum(c11);
  let s20 = hsum(c20),
    s21 = hsum(c21),
    s30 = hsum(c30),
    s31 = hsum(c31);
  for (; k < d; k++) {
    const o = (<usize>k) << 2;
    const x0 = load<f32>(b + o),
      x1 = load<f32>(b1 + o);
    const y0 = load<f32>(a + o),
      y1 = load<f32>(a1 + o),
      y2 = load<f32>(a2 + o),
      y3 = load<f32>(a3 + o);
    s00 += y0 * x0;
    s01 += y0 * x1;
    s10 += y1 * x0;
    s11 += y1 * x1;
    s20 += y2 * x0;
    s21 += y2 * x1;
    s30 += y3 * x0;
    s31 += y3 * x1;
  }
  const r1 = c + ldc,
    r2 = r1 + ldc,
    r3 = r2 + ldc;
  store<f32>(c, s00);
  store<f32>(c, s01, 4);
  store<f32>(r1, s10);
  store<f32>(r1, s11, 4);
  store<f32>(r2, s20);
  store<f32>(r2, s21, 4);
  store<f32>(r3, s30);
  store<f32>(r3, s31, 4);
}

/**
 * C[i*ldc + j] = Σ_k A[i,k]·B[j,k] for i < m, j < n. Blocked over rows of B so a block
 * stays in cache while every A row passes over it.
 */
export function gemmAbt(a: usize, m: i32, b: usize, n: i32, d: i32, c: usize, ldc: i32): void {
  const rowBytes = (<usize>d) << 2;
  const cStride = (<usize>ldc) << 2;
  for (let jb = 0; jb < n; jb += B_BLOCK) {
    const jEnd = min(jb + B_BLOCK, n);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const ai = a + <usize>i * rowBytes;
      const ci = c + <usize>i * cStride;
      let j = jb;
      for (; j + 2 <= jEnd; j += 2) {
        tile4x2(
          ai,
          rowBytes,
          b + <usize>j * rowBytes,
          rowBytes,
          d,
          ci + ((<usize>j) << 2),
          cStride,
        );
      }
      for (; j < jEnd; j++) {
        const bj = b + <usize>j * rowBytes;
        for (let r = 0; r < 4; r++) {
          tile1x1(ai + <usize>r * rowBytes, bj, d, ci + <usize>r * cStride + ((<usize>j) << 2));
        }
      }
    }
    for (; i < m; i++) {
      const ai = a + <usize>i * rowBytes;
      const ci = c + <usize>i * cStride;
      for (let j = jb; j < jEnd; j++)
        tile1x1(ai, b + <usize>j * rowBytes, d, ci + ((<usize>j) << 2));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Distance blocks (A: m×d queries, B: n×d reference rows, out: m×n with stride ldc)

/**
 * Squared Euclidean distances by the GEMM identity ‖a‖² + ‖b‖² − 2a·b, clamped at 0
 * (rounding can make the identity slightly negative for near-identical rows).
 */
export function sqEuclideanBlock(
  a: usize,
  m: i32,
  aNorms: usize,
  b: usize,
  n: i32,
  bNorms: usize,
  d: i32,
  c: usize,
  ldc: i32,
): void {
  gemmAbt(a, m, b, n, d, c, ldc);
  const cStride = (<usize>ldc) << 2;
  const two = f32x4.splat(2);
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const ci = c + <usize>i * cStride;
    const na = f32x4.splat(load<f32>(aNorms + ((<usize>i) << 2)));
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      const v = f32x4.sub(f32x4.add(na, v128.load(bNorms + o)), f32x4.mul(two, v128.load(ci + o)));
      v128.store(ci + o, f32x4.max(v, zero));
    }
    const s = load<f32>(aNorms + ((<usize>i) << 2));
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(ci + o, max<f32>(0, s + load<f32>(bNorms + o) - 2 * load<f32>(ci + o)));
    }
  }
}

// Σ|a−b| of two rows (edge tiles only).
function l1(a: usize, b: usize, d: i32): f32 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    const o = (<usize>k) << 2;
    acc = f32x4.add(acc, f32x4.abs(f32x4.sub(v128.load(a + o), v128.load(b + o))));
  }
  let s = hsum(acc);
  for (; k < d; k++) {
    const o = (<usize>k) << 2;
    s += abs<f32>(load<f32>(a + o) - load<f32>(b + o));
  }
  return s;
}

// The Manhattan 4×2 micro-kernel, shaped like tile4x2.
function l1Tile4x2(a: usize, lda: usize, b: usize, ldb: usize, d: i32, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  const a1 = a + lda,
    a2 = a1 + lda,
    a3 = a2 + lda;
  const b1 = b + ldb;
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    const o = (<usize>k) << 2;
    const x0 = v128.load(b + o);
    const x1 = v128.load(b1 + o);
    let y = v128.load(a + o);
    c00 = f32x4.add(c00, f32x4.abs(f32x4.sub(y, x0)));
    c01 = f32x4.add(c01, f32x4.abs(f32x4.sub(y, x1)));
    y = v128.load(a1 + o);
    c10 = f32x4.add(c10, f32x4.abs(f32x4.sub(y, x0)));
    c11 = f32x4.add(c11, f32x4.abs(f32x4.sub(y, x1)));
    y = v128.load(a2 + o);
    c20 = f32x4.add(c20, f32x4.abs(f32x4.sub(y, x0)));
    c21 = f32x4.add(c21, f32x4.abs(f32x4.sub(y, x1)));
    y = v128.load(a3 + o);
    c30 = f32x4.add(c30, f32x4.abs(f32x4.sub(y, x0)));
    c31 = f32x4.add(c31, f32x4.abs(f32x4.sub(y, x1)));
  }
  let s00 = hsum(c00),
    s01 = hsum(c01),
    s10 = hsum(c10),
    s11 = hsum(c11);
  let s20 = hsum(c20),
    s21 = hsum(c21),
    s30 = hsum(c30),
    s31 = hsum(c31);
  for (; k < d; k++) {
    const o = (<usize>k) << 2;
    const x0 = load<f32>(b + o),
      x1 = load<f32>(b1 + o);
    const y0 = load<f32>(a + o),
      y1 = load<f32>(a1 + o),
      y2 = load<f32>(a2 + o),
      y3 = load<f32>(a3 + o);
    s00 += abs<f32>(y0 - x0);
    s01 += abs<f32>(y0 - x1);
    s10 += abs<f32>(y1 - x0);
    s11 += abs<f32>(y1 - x1);
    s20 += abs<f32>(y2 - x0);
    s21 += abs<f32>(y2 - x1);
    s30 += abs<f32>(y3 - x0);
    s31 += abs<f32>(y3 - x1);
  }
  const r1 = c + ldc,
    r2 = r1 + ldc,
    r3 = r2 + ldc;
  store<f32>(c, s00);
  store<f32>(c, s01, 4);
  store<f32>(r1, s10);
  store<f32>(r1, s11, 4);
  store<f32>(r2, s20);
  store<f32>(r2, s21, 4);
  store<f32>(r3, s30);
  store<f32>(r3, s31, 4);
}

/** Manhattan distances Σ_k |A[i,k] − B[j,k]|, computed directly. */
export function manhattanBlock(
  a: usize,
  m: i32,
  b: usize,
  n: i32,
  d: i32,
  c: usize,
  ldc: i32,
): void {
  const rowBytes = (<usize>d) << 2;
  const cStride = (<usize>ldc) << 2;
  for (let jb = 0; jb < n; jb += B_BLOCK) {
    const jEnd = min(jb + B_BLOCK, n);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const ai = a + <usize>i * rowBytes;
      const ci = c + <usize>i * cStride;
      let j = jb;
      for (; j + 2 <= jEnd; j += 2) {
        l1Tile4x2(
          ai,
          rowBytes,
          b + <usize>j * rowBytes,
          rowBytes,
          d,
          ci + ((<usize>j) << 2),
          cStride,
        );
      }
      for (; j < jEnd; j++) {
        const bj = b + <usize>j * rowBytes;
        for (let r = 0; r < 4; r++) {
          store<f32>(
            ci + <usize>r * cStride + ((<usize>j) << 2),
            l1(ai + <usize>r * rowBytes, bj, d),
          );
        }
      }
    }
    for (; i < m; i++) {
      const ai = a + <usize>i * rowBytes;
      const ci = c + <usize>i * cStride;
      for (let j = jb; j < jEnd; j++)
        store<f32>(ci + ((<usize>j) << 2), l1(ai, b + <usize>j * rowBytes, d));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Top-k selection: per row, the k smallest values seen so far, ascending, with their
// column indices. Columns are offered in increasing index order and a candidate must be
// strictly smaller to enter, so among equal values the lower index wins.

/** Fills k slots per row with +inf and index −1. */
export function topkInit(dist: usize, idx: usize, rows: i32, k: i32): void {
  const total = rows * k;
  for (let t = 0; t < total; t++) {
    store<f32>(dist + ((<usize>t) << 2), Infinity);
    store<i32>(idx + ((<usize>t) << 2), -1);
  }
}

/**
 * Offers the `cols` values of each of `rows` rows of c (stride ldc) to that row's top-k
 * list; column j is recorded as index colOffset + j.
 */
export function topkUpdate(
  c: usize,
  rows: i32,
  cols: i32,
  ldc: i32,
  colOffset: i32,
  k: i32,
  dist: usize,
  idx: usize,
): void {
  const cStride = (<usize>ldc) << 2;
  const kBytes = (<usize>k) << 2;
  for (let i = 0; i < rows; i++) {
    const ci = c + <usize>i * cStride;
    const di = dist + <usize>i * kBytes;
    const ii = idx + <usize>i * kBytes;
    let worst = load<f32>(di + kBytes - 4);
    for (let j = 0; j < cols; j++) {
      const v = load<f32>(ci + ((<usize>j) << 2));
      if (v < worst) {
        // Insertion: shift larger entries right; equal entries stay ahead (lower index).
        let p = k - 1;
        while (p > 0) {
          const prev = load<f32>(di + ((<usize>(p - 1)) << 2));
          if (prev <= v) break;
          store<f32>(di + ((<usize>p) << 2), prev);
          store<i32>(ii + ((<usize>p) << 2), load<i32>(ii + ((<usize>(p - 1)) << 2)));
          p--;
        }
        store<f32>(di + ((<usize>p) << 2), v);
        store<i32>(ii + ((<usize>p) << 2), colOffset + j);
        worst = load<f32>(di + kBytes - 4);
      }
    }
  }
}

// Squared Euclidean distance of two rows, computed directly (no cancellation).
function sqDiff(a: usize, b: usize, d: i32): f32 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    const o = (<usize>k) << 2;
    const t = f32x4.sub(v128.load(a + o), v128.load(b + o));
    acc = f32x4.add(acc, f32x4.mul(t, t));
  }
  let s = hsum(acc);
  for (; k < d; k++) {
    const o = (<usize>k) << 2;
    const t = load<f32>(a + o) - load<f32>(b + o);
    s += t * t;
  }
  return s;
}

/**
 * Recomputes each row's m candidate distances directly as Euclidean distances (sqrt of
 * the direct squared difference) and re-sorts them by (distance, index). The GEMM
 * identity only screens candidates; the distances reported come from here, so an exact
 * duplicate gets exactly 0, as the k-NN zero-distance rule needs.
 */
export function refineEuclidean(
  q: usize,
  rows: i32,
  x: usize,
  d: i32,
  m: i32,
  dist: usize,
  idx: usize,
): void {
  const rowBytes = (<usize>d) << 2;
  const mBytes = (<usize>m) << 2;
  for (let i = 0; i < rows; i++) {
    const qi = q + <usize>i * rowBytes;
    const di = dist + <usize>i * mBytes;
    const ii = idx + <usize>i * mBytes;
    for (let t = 0; t < m; t++) {
      const j = load<i32>(ii + ((<usize>t) << 2));
      const v: f32 = j < 0 ? Infinity : sqrt<f32>(sqDiff(qi, x + <usize>j * rowBytes, d));
      // Insertion sort by (distance, index).
      let p = t;
      while (p > 0) {
        const pd = load<f32>(di + ((<usize>(p - 1)) << 2));
        const pj = load<i32>(ii + ((<usize>(p - 1)) << 2));
        if (pd < v || (pd == v && (pj <= j || j < 0))) break;
        store<f32>(di + ((<usize>p) << 2), pd);
        store<i32>(ii + ((<usize>p) << 2), pj);
        p--;
      }
      store<f32>(di + ((<usize>p) << 2), v);
      store<i32>(ii + ((<usize>p) << 2), j);
    }
  }
}

/**
 * Exact brute-force k nearest neighbours of `nq` query rows among `nx` reference rows:
 * dist/idx receive m candidates per query, ascending by (distance, index).
 * metric 2: Euclidean (screened by the GEMM identity, then refined directly; needs the
 * squared norms qNorms, xNorms); metric 1: Manhattan (direct).
 * tile: scratch of nq × B_BLOCK floats.
 */
export function knnBlock(
  q: usize,
  nq: i32,
  qNorms: usize,
  x: usize,
  nx: i32,
  xNorms: usize,
  d: i32,
  metric: i32,
  m: i32,
  tile: usize,
  dist: usize,
  idx: usize,
): void {
  const rowBytes = (<usize>d) << 2;
  topkInit(dist, idx, nq, m);
  for (let jb = 0; jb < nx; jb += B_BLOCK) {
    const n = min(B_BLOCK, nx - jb);
    const xb = x + <usize>jb * rowBytes;
    if (metric == 2) {
      sqEuclideanBlock(q, nq, qNorms, xb, n, xNorms + ((<usize>jb) << 2), d, tile, B_BLOCK);
    } else {
      manhattanBlock(q, nq, xb, n, d, tile, B_BLOCK);
    }
    topkUpdate(tile, nq, n, B_BLOCK, jb, m, dist, idx);
  }
  if (metric == 2) refineEuclidean(q, nq, x, d, m, dist, idx);
}

/** The cache block (rows of the reference set) knnBlock's tile scratch is sized for. */
export function knnTileCols(): i32 {
  return B_BLOCK;
}

/**
 * Exact Euclidean k-NN of a query block with lower bounds. qAug/xAug are the rows
 * projected on an orthonormal basis plus one coordinate for the energy outside it (r1
 * columns), so ‖qAug − xAug‖² (LB², by the GEMM identity) never exceeds the true squared
 * distance. Pass A keeps the c rows of smallest LB² per query and computes their true
 * distances: the k-th of those bounds the true k-th distance from above (thr); pass A
 * looks only at the first screenRows rows (any subset gives a valid thr). Pass B computes
 * LB² − tol·(‖q‖² + ‖x‖²) for every row, through the slack norms (1 − tol)·‖·‖²
 * (qSlackNorms, xSlackNorms), and the true distance only where that is ≤ min(thr,
 * current k-th)²; the margin absorbs float32 rounding (with a wide safety factor, see
 * knn.ts BOUND_TOLERANCE), so every true neighbour passes
 * and the result equals brute force. dist/idx: k per row, ascending by (distance,
 * index). evals[i]: true distances computed in pass B. tile: nq × B_BLOCK floats;
 * cDist/cIdx: nq × c scratch. Needs k ≤ c ≤ screenRows ≤ nx.
 */
export function knnBoundedBlock(
  q: usize,
  nq: i32,
  qAug: usize,
  qAugNorms: usize,
  qSlackNorms: usize,
  x: usize,
  nx: i32,
  xAug: usize,
  xAugNorms: usize,
  xSlackNorms: usize,
  screenRows: i32,
  d: i32,
  r1: i32,
  k: i32,
  c: i32,
  tile: usize,
  cDist: usize,
  cIdx: usize,
  dist: usize,
  idx: usize,
  evals: usize,
): void {
  const augBytes = (<usize>r1) << 2;
  const rowBytes = (<usize>d) << 2;
  const cBytes = (<usize>c) << 2;
  const kBytes = (<usize>k) << 2;
  const tileBytes = (<usize>B_BLOCK) << 2;
  // Pass A: the c smallest bounds among the first screenRows rows, then their true
  // distances; thr = the k-th of those.
  topkInit(cDist, cIdx, nq, c);
  for (let jb = 0; jb < screenRows; jb += B_BLOCK) {
    const n = min(B_BLOCK, screenRows - jb);
    sqEuclideanBlock(
      qAug,
      nq,
      qAugNorms,
      xAug + <usize>jb * augBytes,
      n,
      xAugNorms + ((<usize>jb) << 2),
      r1,
      tile,
      B_BLOCK,
    );
    topkUpdate(tile, nq, n, B_BLOCK, jb, c, cDist, cIdx);
  }
  for (let i = 0; i < nq; i++) {
    const ci = cDist + <usize>i * cBytes;
    refineEuclidean(q + <usize>i * rowBytes, 1, x, d, c, ci, cIdx + <usize>i * cBytes);
    store<f32>(ci, load<f32>(ci + ((<usize>(k - 1)) << 2)));
    store<i32>(evals + ((<usize>i) << 2), 0);
  }
  // Pass B: true distances wherever the bound cannot rule a row out. With the slack
  // norms (1 − tol)·‖·‖², the tile holds LB² − tol·(‖q‖² + ‖x‖²).
  topkInit(dist, idx, nq, k);
  for (let jb = 0; jb < nx; jb += B_BLOCK) {
    const n = min(B_BLOCK, nx - jb);
    sqEuclideanBlock(
      qAug,
      nq,
      qSlackNorms,
      xAug + <usize>jb * augBytes,
      n,
      xSlackNorms + ((<usize>jb) << 2),
      r1,
      tile,
      B_BLOCK,
    );
    for (let i = 0; i < nq; i++) {
      const ti = tile + <usize>i * tileBytes;
      const di = dist + <usize>i * kBytes;
      const ii = idx + <usize>i * kBytes;
      const qi = q + <usize>i * rowBytes;
      const thr = load<f32>(cDist + <usize>i * cBytes);
      let worst = load<f32>(di + kBytes - 4);
      let limit = min(thr, worst);
      let limit2 = limit * limit;
      let count = 0;
      for (let j = 0; j < n; j++) {
        const col = jb + j;
        if (load<f32>(ti + ((<usize>j) << 2)) > limit2) continue;
        count++;
        const v = sqrt<f32>(sqDiff(qi, x + <usize>col * rowBytes, d));
        if (v < worst) {
          // Rows arrive in index order: strict insertion keeps lower indices first on ties.
          let p = k - 1;
          while (p > 0) {
            const prev = load<f32>(di + ((<usize>(p - 1)) << 2));
            if (prev <= v) break;
            store<f32>(di + ((<usize>p) << 2), prev);
            store<i32>(ii + ((<usize>p) << 2), load<i32>(ii + ((<usize>(p - 1)) << 2)));
            p--;
          }
          store<f32>(di + ((<usize>p) << 2), v);
          store<i32>(ii + ((<usize>p) << 2), col);
          worst = load<f32>(di + kBytes - 4);
          limit = min(thr, worst);
          limit2 = limit * limit;
        }
      }
      const e = evals + ((<usize>i) << 2);
      store<i32>(e, load<i32>(e) + count);
    }
  }
}

/**
 * Recomputes each row's m candidate Manhattan distances directly and re-sorts them by
 * (distance, index), like refineEuclidean.
 */
export function refineManhattan(
  q: usize,
  rows: i32,
  x: usize,
  d: i32,
  m: i32,
  dist: usize,
  idx: usize,
): void {
  const rowBytes = (<usize>d) << 2;
  const mBytes = (<usize>m) << 2;
  for (let i = 0; i < rows; i++) {
    const qi = q + <usize>i * rowBytes;
    const di = dist + <usize>i * mBytes;
    const ii = idx + <usize>i * mBytes;
    for (let t = 0; t < m; t++) {
      const j = load<i32>(ii + ((<usize>t) << 2));
      const v: f32 = j < 0 ? Infinity : l1(qi, x + <usize>j * rowBytes, d);
      let p = t;
      while (p > 0) {
        const pd = load<f32>(di + ((<usize>(p - 1)) << 2));
        const pj = load<i32>(ii + ((<usize>(p - 1)) << 2));
        if (pd < v || (pd == v && (pj <= j || j < 0))) break;
        store<f32>(di + ((<usize>p) << 2), pd);
        store<i32>(ii + ((<usize>p) << 2), pj);
        p--;
      }
      store<f32>(di + ((<usize>p) << 2), v);
      store<i32>(ii + ((<usize>p) << 2), j);
    }
  }
}

/**
 * Exact Manhattan k-NN of a query block with lower bounds, shaped like knnBoundedBlock.
 * qPool/xPool hold sums of disjoint groups of features (g columns, zero-padded): by the
 * triangle inequality Σ_groups |Σ_group (q − x)| ≤ ‖q − x‖₁, so the L1 distance between
 * pooled rows (LB) bounds the true distance from below. Pass A: the c smallest LB among
 * the first screenRows rows, their true distances, thr = the k-th. Pass B: LB for every
 * row, the true distance only where LB − tol·(‖q‖₁ + ‖x‖₁) ≤ min(thr, current k-th).
 * qL1/xL1: the rows' L1 norms (for the rounding margin).
 */
export function knnBoundedL1Block(
  q: usize,
  nq: i32,
  qPool: usize,
  qL1: usize,
  x: usize,
  nx: i32,
  xPool: usize,
  xL1: usize,
  g: i32,
  tol: f32,
  screenRows: i32,
  d: i32,
  k: i32,
  c: i32,
  tile: usize,
  cDist: usize,
  cIdx: usize,
  dist: usize,
  idx: usize,
  evals: usize,
): void {
  const poolBytes = (<usize>g) << 2;
  const rowBytes = (<usize>d) << 2;
  const cBytes = (<usize>c) << 2;
  const kBytes = (<usize>k) << 2;
  const tileBytes = (<usize>B_BLOCK) << 2;
  topkInit(cDist, cIdx, nq, c);
  for (let jb = 0; jb < screenRows; jb += B_BLOCK) {
    const n = min(B_BLOCK, screenRows - jb);
    manhattanBlock(qPool, nq, xPool + <usize>jb * poolBytes, n, g, tile, B_BLOCK);
    topkUpdate(tile, nq, n, B_BLOCK, jb, c, cDist, cIdx);
  }
  for (let i = 0; i < nq; i++) {
    const ci = cDist + <usize>i * cBytes;
    refineManhattan(q + <usize>i * rowBytes, 1, x, d, c, ci, cIdx + <usize>i * cBytes);
    store<f32>(ci, load<f32>(ci + ((<usize>(k - 1)) << 2)));
    store<i32>(evals + ((<usize>i) << 2), 0);
  }
  topkInit(dist, idx, nq, k);
  for (let jb = 0; jb < nx; jb += B_BLOCK) {
    const n = min(B_BLOCK, nx - jb);
    manhattanBlock(qPool, nq, xPool + <usize>jb * poolBytes, n, g, tile, B_BLOCK);
    for (let i = 0; i < nq; i++) {
      const ti = tile + <usize>i * tileBytes;
      const di = dist + <usize>i * kBytes;
      const ii = idx + <usize>i * kBytes;
      const qi = q + <usize>i * rowBytes;
      const thr = load<f32>(cDist + <usize>i * cBytes);
      const qSlack = tol * load<f32>(qL1 + ((<usize>i) << 2));
      let worst = load<f32>(di + kBytes - 4);
      let limit = min(thr, worst);
      let count = 0;
      for (let j = 0; j < n; j++) {
        const col = jb + j;
        const lb =
          load<f32>(ti + ((<usize>j) << 2)) - qSlack - tol * load<f32>(xL1 + ((<usize>col) << 2));
        if (lb > limit) continue;
        count++;
        const v = l1(qi, x + <usize>col * rowBytes, d);
        if (v < worst) {
          let p = k - 1;
          while (p > 0) {
            const prev = load<f32>(di + ((<usize>(p - 1)) << 2));
            if (prev <= v) break;
            store<f32>(di + ((<usize>p) << 2), prev);
            store<i32>(ii + ((<usize>p) << 2), load<i32>(ii + ((<usize>(p - 1)) << 2)));
            p--;
          }
          store<f32>(di + ((<usize>p) << 2), v);
          store<i32>(ii + ((<usize>p) << 2), col);
          worst = load<f32>(di + kBytes - 4);
          limit = min(thr, worst);
        }
      }
      const e = evals + ((<usize>i) << 2);
      store<i32>(e, load<i32>(e) + count);
    }
  }
}

/**
 * Where the module's static data (e.g. the tables behind Math.exp) ends: instantiation
 * writes it into the shared memory below this offset, so the arena starts above it.
 */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------
// Family kernels live in files of their own, one per estimator family.
export * from './linear';
export * from './svm';
export * from './smo';
export * from './mlp';
export * from './trees';
export * from './bins';
export * from './sgd';
