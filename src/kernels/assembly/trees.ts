// AssemblyScript kernels for the tree family (src/ml/tree, src/ml/ensemble). Re-exported
// by kernels.ts. Same conventions as kernels.ts: pointers are byte offsets into the shared
// memory. Each kernel is a line-for-line port of its TypeScript reference in
// src/kernels/tree-split.ts (same arithmetic in the same order, so integer histograms are
// bit-identical and float sums round the same way); bin codes are one byte (uint8).
// Index arrays (idx, touched, ...) are int32, class histograms int32, regression ones f64.

/** Version tag of the tree kernels (bumped when their ABI changes). */
export function treeKernelsVersion(): i32 {
  return 1;
}

const FEATURE_THRESHOLD: f64 = 1e-7;

function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}

function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + ((<usize>i) << 2), v);
}

function ldf(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}

function stf(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/** Lists the set bits of a bin bitmap ascending into `touched`, clearing the bitmap. */
function drainSeen(seen: usize, nBins: i32, touched: usize): i32 {
  let u = 0;
  const words = (nBins + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    let bits = ldi(seen, w);
    if (bits == 0) continue;
    sti(seen, w, 0);
    while (bits != 0) {
      const b = ctz(bits);
      bits &= bits - 1;
      sti(touched, u++, (w << 5) + b);
    }
  }
  return u;
}

/** fillClassLean; idx = 0 means the node's codes are contiguous (codes[colBase + t − start]). */
export function treeFillClassLean(
  codes: usize,
  colBase: i32,
  idx: usize,
  start: i32,
  end: i32,
  yNode: usize,
  wNode: usize,
  K: i32,
  nBins: i32,
  hist: usize,
  touched: usize,
  seen: usize,
  mark: usize,
): i32 {
  const S = K + 2;
  const m = end - start;
  const col = codes + <usize>colBase;
  if (m <= 2 * nBins && K <= 31) {
    const M = K + 1;
    for (let t = start; t < end; t++) {
      const b: i32 =
        idx == 0 ? load<u8>(col + <usize>(t - start)) : load<u8>(col + <usize>ldi(idx, t));
      const p = t - start;
      const k = ldi(yNode, p);
      const hb = hist + ((<usize>(b * S)) << 2);
      const hk = hb + ((<usize>k) << 2);
      store<i32>(hk, load<i32>(hk) + ldi(wNode, p));
      const hm = hb + ((<usize>M) << 2);
      store<i32>(hm, load<i32>(hm) | (1 << k));
      const sw = seen + ((<usize>(b >>> 5)) << 2);
      store<i32>(sw, load<i32>(sw) | (1 << (b & 31)));
    }
    return drainSeen(seen, nBins, touched);
  }
  if (idx == 0) {
    for (let p = 0; p < m; p++) {
      const b: i32 = load<u8>(col + <usize>p);
      const hk = hist + ((<usize>(b * S + ldi(yNode, p))) << 2);
      store<i32>(hk, load<i32>(hk) + ldi(wNode, p));
      store<u8>(mark + <usize>b, 1);
    }
  } else {
    for (let t = start; t < end; t++) {
      const b: i32 = load<u8>(col + <usize>ldi(idx, t));
      const p = t - start;
      const hk = hist + ((<usize>(b * S + ldi(yNode, p))) << 2);
      store<i32>(hk, load<i32>(hk) + ldi(wNode, p));
      store<u8>(mark + <usize>b, 1);
    }
  }
  let u = 0;
  const words = (nBins + 3) >>> 2;
  for (let w = 0; w < words; w++) {
    if (ldi(mark, w) == 0) continue;
    for (let b = w << 2, e = b + 4; b < e; b++)
      if (load<u8>(mark + <usize>b) != 0) sti(touched, u++, b);
    sti(mark, w, 0);
  }
  return u;
}

/** clearClassLean: zeroes the listed bins of a lean per-feature class histogram. */
export function treeClearClassLean(hist: usize, K: i32, touched: usize, u: i32): void {
  const S = K + 2;
  for (let t = 0; t < u; t++) {
    const hb = hist + ((<usize>(ldi(touched, t) * S)) << 2);
    let mask = ldi(hb, K + 1);
    if (mask == 0) {
      for (let k = 0; k < K; k++) sti(hb, k, 0);
    } else {
      sti(hb, K + 1, 0);
      while (mask != 0) {
        sti(hb, ctz(mask), 0);
        mask &= mask - 1;
      }
    }
  }
}

/** classBinSpan: first and last bin with a non-zero class weight, into out[0], out[1]. */
export function treeClassBinSpan(hist: usize, base: i32, K: i32, nBins: i32, out: usize): void {
  const S = K + 2;
  let lo = 0;
  for (; lo < nBins; lo++) {
    const hb = base + lo * S;
    let c = 0;
    for (let k = 0; k < K; k++) c |= ldi(hist, hb + k);
    if (c != 0) break;
  }
  if (lo == nBins) {
    sti(out, 0, -1);
    sti(out, 1, -1);
    return;
  }
  let hi = nBins - 1;
  for (; hi > lo; hi--) {
    const hb = base + hi * S;
    let c = 0;
    for (let k = 0; k < K; k++) c |= ldi(hist, hb + k);
    if (c != 0) break;
  }
  sti(out, 0, lo);
  sti(out, 1, hi);
}

/** sweepClassLean (same candidates, same double arithmetic in the same order). */
export function treeSweepClassLean(
  hist: usize,
  base: i32,
  K: i32,
  bins: usize,
  t0: i32,
  t1: i32,
  dense: i32,
  checkGaps: i32,
  values: usize,
  valueOffset: i32,
  totals: usize,
  totalWeight: i32,
  unitWeights: i32,
  minLeaf: i32,
  entropy: i32,
  xlogx: usize,
  left: usize,
  out: usize,
): void {
  const S = K + 2;
  let sqL: f64 = 0;
  let sqR: f64 = 0;
  let eL: f64 = 0;
  let eR: f64 = 0;
  for (let k = 0; k < K; k++) {
    sti(left, k, 0);
    const tk = <f64>ldi(totals, k);
    sqR += tk * tk;
    if (entropy) eR += ldf(xlogx, ldi(totals, k));
  }
  const checkLeaf = unitWeights != 0 && minLeaf > 1;
  let wl = 0;
  let best: f64 = -Infinity;
  let cut = -1;
  let next = -1;
  let prev = -1;
  for (let t = t0; t < t1; t++) {
    const b = ldi(bins, t);
    const hb = hist + ((<usize>(base + b * S)) << 2);
    const mask = ldi(hb, K + 1);
    if (dense && mask == 0) {
      let any = 0;
      for (let k = 0; k < K; k++) any |= ldi(hb, k);
      if (any == 0) continue;
    }
    if (
      prev >= 0 &&
      !(
        checkGaps &&
        ldf(values, valueOffset + b) <= ldf(values, valueOffset + prev) + FEATURE_THRESHOLD
      ) &&
      (!checkLeaf || (wl >= minLeaf && totalWeight - wl >= minLeaf))
    ) {
      const wr = totalWeight - wl;
      const proxy: f64 = entropy
        ? eL + eR - ldf(xlogx, wl) - ldf(xlogx, wr)
        : sqL / <f64>wl + sqR / <f64>wr;
      if (proxy > best) {
        best = proxy;
        cut = prev;
        next = b;
      }
    }
    if (mask != 0) {
      let bits = mask;
      while (bits != 0) {
        const k = ctz(bits);
        bits &= bits - 1;
        const c = ldi(hb, k);
        const lk = ldi(left, k);
        const rk = ldi(totals, k) - lk;
        if (entropy) {
          eL += ldf(xlogx, lk + c) - ldf(xlogx, lk);
          eR += ldf(xlogx, rk - c) - ldf(xlogx, rk);
        } else {
          const cf = <f64>c;
          sqL += cf * (2 * <f64>lk + cf);
          sqR += cf * (cf - 2 * <f64>rk);
        }
        sti(left, k, lk + c);
        wl += c;
      }
    } else if (entropy) {
      for (let k = 0; k < K; k++) {
        const c = ldi(hb, k);
        if (c == 0) continue;
        const lk = ldi(left, k);
        const rk = ldi(totals, k) - lk;
        eL += ldf(xlogx, lk + c) - ldf(xlogx, lk);
        eR += ldf(xlogx, rk - c) - ldf(xlogx, rk);
        sti(left, k, lk + c);
        wl += c;
      }
    } else {
      for (let k = 0; k < K; k++) {
        const c = ldi(hb, k);
        const lk = ldi(left, k);
        const cf = <f64>c;
        sqL += cf * (2 * <f64>lk + cf);
        sqR += cf * (cf - 2 * <f64>(ldi(totals, k) - lk));
        sti(left, k, lk + c);
        wl += c;
      }
    }
    prev = b;
  }
  stf(out, 0, best);
  stf(out, 1, <f64>cut);
  stf(out, 2, <f64>next);
}

/** Whether all m one-byte codes at p are equal (a constant feature of a contiguous block). */
export function treeAllSame8(p: usize, m: i32): i32 {
  const first = load<u8>(p);
  for (let i = 1; i < m; i++) if (load<u8>(p + <usize>i) != first) return 0;
  return 1;
}

/** Whether all codes[colBase + key[t]], t in [start, end), are equal. */
export function treeAllSameIdx8(codes: usize, colBase: i32, key: usize, start: i32, end: i32): i32 {
  const col = codes + <usize>colBase;
  const first = load<u8>(col + <usize>ldi(key, start));
  for (let t = start + 1; t < end; t++) if (load<u8>(col + <usize>ldi(key, t)) != first) return 0;
  return 1;
}

/** fillClassAllLean: the lean whole-node class histogram, four features per pass. */
export function treeFillClassAllLean(
  codes: usize,
  n: i32,
  d: i32,
  binOffsets: usize,
  idx: usize,
  start: i32,
  end: i32,
  yNode: usize,
  wNode: usize,
  K: i32,
  hist: usize,
): void {
  const S = K + 2;
  const m = end - start;
  const ix = idx + ((<usize>start) << 2);
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const c0 = codes + <usize>j * <usize>n;
    const c1 = c0 + <usize>n;
    const c2 = c1 + <usize>n;
    const c3 = c2 + <usize>n;
    const h0 = hist + ((<usize>(ldi(binOffsets, j) * S)) << 2);
    const h1 = hist + ((<usize>(ldi(binOffsets, j + 1) * S)) << 2);
    const h2 = hist + ((<usize>(ldi(binOffsets, j + 2) * S)) << 2);
    const h3 = hist + ((<usize>(ldi(binOffsets, j + 3) * S)) << 2);
    for (let t = 0; t < m; t++) {
      const s = <usize>ldi(ix, t);
      const k = ldi(yNode, t);
      const w = ldi(wNode, t);
      const p0 = h0 + ((<usize>(<i32>load<u8>(c0 + s) * S + k)) << 2);
      store<i32>(p0, load<i32>(p0) + w);
      const p1 = h1 + ((<usize>(<i32>load<u8>(c1 + s) * S + k)) << 2);
      store<i32>(p1, load<i32>(p1) + w);
      const p2 = h2 + ((<usize>(<i32>load<u8>(c2 + s) * S + k)) << 2);
      store<i32>(p2, load<i32>(p2) + w);
      const p3 = h3 + ((<usize>(<i32>load<u8>(c3 + s) * S + k)) << 2);
      store<i32>(p3, load<i32>(p3) + w);
    }
  }
  for (; j < d; j++) {
    const c0 = codes + <usize>j * <usize>n;
    const h0 = hist + ((<usize>(ldi(binOffsets, j) * S)) << 2);
    for (let t = 0; t < m; t++) {
      const p0 = h0 + ((<usize>(<i32>load<u8>(c0 + <usize>ldi(ix, t)) * S + ldi(yNode, t))) << 2);
      store<i32>(p0, load<i32>(p0) + ldi(wNode, t));
    }
  }
}

/** fillClassAllFeatures: the whole-node class histogram with sample counts. */
export function treeFillClassAll(
  codes: usize,
  n: i32,
  d: i32,
  binOffsets: usize,
  idx: usize,
  start: i32,
  end: i32,
  yNode: usize,
  wNode: usize,
  K: i32,
  hist: usize,
): void {
  const S = K + 2;
  const m = end - start;
  const ix = idx + ((<usize>start) << 2);
  for (let j = 0; j < d; j++) {
    const c0 = codes + <usize>j * <usize>n;
    const h0 = hist + ((<usize>(ldi(binOffsets, j) * S)) << 2);
    for (let t = 0; t < m; t++) {
      const hb = h0 + ((<usize>(<i32>load<u8>(c0 + <usize>ldi(ix, t)) * S)) << 2);
      const pk = hb + ((<usize>ldi(yNode, t)) << 2);
      store<i32>(pk, load<i32>(pk) + ldi(wNode, t));
      const pc = hb + ((<usize>K) << 2);
      store<i32>(pc, load<i32>(pc) + 1);
    }
  }
}

/**
 * fillRegressionAllFeatures: per feature, even and odd samples go to two scratch
 * accumulators merged at the end (the reference's order for every cell); two features
 * per pass, so four independent accumulators hide the load latency. `scratch` holds four
 * accumulators of `quarter` ≥ 2·maxBins doubles.
 */
export function treeFillRegressionAll(
  codes: usize,
  n: i32,
  d: i32,
  binOffsets: usize,
  nBins: usize,
  idx: usize,
  start: i32,
  end: i32,
  rNode: usize,
  hist: usize,
  scratch: usize,
  quarter: i32,
): void {
  const m = end - start;
  const ix = idx + ((<usize>start) << 2);
  const q = (<usize>quarter) << 3;
  const sa = scratch;
  const sb = sa + q;
  const sc = sb + q;
  const sd = sc + q;
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const c0 = codes + <usize>j * <usize>n;
    const c1 = c0 + <usize>n;
    const w0 = 2 * ldi(nBins, j);
    const w1 = 2 * ldi(nBins, j + 1);
    memory.fill(sa, 0, (<usize>w0) << 3);
    memory.fill(sb, 0, (<usize>w0) << 3);
    memory.fill(sc, 0, (<usize>w1) << 3);
    memory.fill(sd, 0, (<usize>w1) << 3);
    let t = 0;
    for (; t + 1 < m; t += 2) {
      const s0 = <usize>ldi(ix, t);
      const s1 = <usize>ldi(ix, t + 1);
      const r0 = ldf(rNode, t);
      const r1 = ldf(rNode, t + 1);
      const a = sa + ((<usize>load<u8>(c0 + s0)) << 4);
      const b = sb + ((<usize>load<u8>(c0 + s1)) << 4);
      const c = sc + ((<usize>load<u8>(c1 + s0)) << 4);
      const e = sd + ((<usize>load<u8>(c1 + s1)) << 4);
      store<f64>(a, load<f64>(a) + r0);
      store<f64>(a, load<f64>(a, 8) + 1, 8);
      store<f64>(b, load<f64>(b) + r1);
      store<f64>(b, load<f64>(b, 8) + 1, 8);
      store<f64>(c, load<f64>(c) + r0);
      store<f64>(c, load<f64>(c, 8) + 1, 8);
      store<f64>(e, load<f64>(e) + r1);
      store<f64>(e, load<f64>(e, 8) + 1, 8);
    }
    if (t < m) {
      const s0 = <usize>ldi(ix, t);
      const r0 = ldf(rNode, t);
      const a = sa + ((<usize>load<u8>(c0 + s0)) << 4);
      store<f64>(a, load<f64>(a) + r0);
      store<f64>(a, load<f64>(a, 8) + 1, 8);
      const c = sc + ((<usize>load<u8>(c1 + s0)) << 4);
      store<f64>(c, load<f64>(c) + r0);
      store<f64>(c, load<f64>(c, 8) + 1, 8);
    }
    const h0 = hist + ((<usize>(ldi(binOffsets, j) * 2)) << 3);
    for (let k = 0; k < w0; k++) stf(h0, k, ldf(sa, k) + ldf(sb, k));
    const h1 = hist + ((<usize>(ldi(binOffsets, j + 1) * 2)) << 3);
    for (let k = 0; k < w1; k++) stf(h1, k, ldf(sc, k) + ldf(sd, k));
  }
  for (; j < d; j++) {
    const col = codes + <usize>j * <usize>n;
    const width = 2 * ldi(nBins, j);
    memory.fill(sa, 0, (<usize>width) << 3);
    memory.fill(sb, 0, (<usize>width) << 3);
    let t = 0;
    for (; t + 1 < m; t += 2) {
      const a = sa + ((<usize>load<u8>(col + <usize>ldi(ix, t))) << 4);
      const b = sb + ((<usize>load<u8>(col + <usize>ldi(ix, t + 1))) << 4);
      store<f64>(a, load<f64>(a) + ldf(rNode, t));
      store<f64>(a, load<f64>(a, 8) + 1, 8);
      store<f64>(b, load<f64>(b) + ldf(rNode, t + 1));
      store<f64>(b, load<f64>(b, 8) + 1, 8);
    }
    if (t < m) {
      const a = sa + ((<usize>load<u8>(col + <usize>ldi(ix, t))) << 4);
      store<f64>(a, load<f64>(a) + ldf(rNode, t));
      store<f64>(a, load<f64>(a, 8) + 1, 8);
    }
    const hb = hist + ((<usize>(ldi(binOffsets, j) * 2)) << 3);
    for (let k = 0; k < width; k++) stf(hb, k, ldf(sa, k) + ldf(sb, k));
  }
}

/** fillRegressionFeature; idx = 0 means contiguous codes (as treeFillClassLean). */
export function treeFillRegression(
  codes: usize,
  colBase: i32,
  idx: usize,
  start: i32,
  end: i32,
  rNode: usize,
  nBins: i32,
  hist: usize,
  touched: usize,
  seen: usize,
): i32 {
  const m = end - start;
  const col = codes + <usize>colBase;
  if (m > 2 * nBins) {
    for (let t = 0; t < m; t++) {
      const b: i32 =
        idx == 0 ? load<u8>(col + <usize>t) : load<u8>(col + <usize>ldi(idx, start + t));
      const h = hist + ((<usize>(2 * b)) << 3);
      store<f64>(h, load<f64>(h) + ldf(rNode, t));
      store<f64>(h, load<f64>(h, 8) + 1, 8);
    }
    let u = 0;
    for (let b = 0; b < nBins; b++) if (ldf(hist, 2 * b + 1) != 0) sti(touched, u++, b);
    return u;
  }
  for (let t = 0; t < m; t++) {
    const b: i32 = idx == 0 ? load<u8>(col + <usize>t) : load<u8>(col + <usize>ldi(idx, start + t));
    const h = hist + ((<usize>(2 * b)) << 3);
    store<f64>(h, load<f64>(h) + ldf(rNode, t));
    store<f64>(h, load<f64>(h, 8) + 1, 8);
    const sw = seen + ((<usize>(b >>> 5)) << 2);
    store<i32>(sw, load<i32>(sw) | (1 << (b & 31)));
  }
  return drainSeen(seen, nBins, touched);
}

/** sweepRegression (friedman_mse), same arithmetic and order. */
export function treeSweepRegression(
  hist: usize,
  base: i32,
  touched: usize,
  u: i32,
  values: usize,
  valueOffset: i32,
  totalSum: f64,
  totalCount: f64,
  minLeaf: f64,
  out: usize,
): void {
  let sl: f64 = 0;
  let wl: f64 = 0;
  let best: f64 = -Infinity;
  let cut = -1;
  let next = -1;
  for (let t = 0; t < u - 1; t++) {
    const b = ldi(touched, t);
    sl += ldf(hist, base + 2 * b);
    wl += ldf(hist, base + 2 * b + 1);
    const bn = ldi(touched, t + 1);
    if (ldf(values, valueOffset + bn) <= ldf(values, valueOffset + b) + FEATURE_THRESHOLD) continue;
    if (wl < minLeaf || totalCount - wl < minLeaf) continue;
    const wr = totalCount - wl;
    const diff = wr * sl - wl * (totalSum - sl);
    const proxy = (diff * diff) / (wl * wr);
    if (proxy > best) {
      best = proxy;
      cut = b;
      next = bn;
    }
  }
  stf(out, 0, best);
  stf(out, 1, <f64>cut);
  stf(out, 2, <f64>next);
}

/** clearBins for a stride-2 f64 histogram. */
export function treeClearBinsF64(hist: usize, stride: i32, touched: usize, u: i32): void {
  for (let t = 0; t < u; t++) {
    const base = ldi(touched, t) * stride;
    for (let k = 0; k < stride; k++) stf(hist, base + k, 0);
  }
}

/** parent −= child over n int32 values. */
export function treeSubtractI32(parent: usize, child: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(parent + o, i32x4.sub(v128.load(parent + o), v128.load(child + o)));
  }
  for (; i < n; i++) sti(parent, i, ldi(parent, i) - ldi(child, i));
}

/** parent −= child over n f64 values. */
export function treeSubtractF64(parent: usize, child: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(parent + o, f64x2.sub(v128.load(parent + o), v128.load(child + o)));
  }
  for (; i < n; i++) stf(parent, i, ldf(parent, i) - ldf(child, i));
}

/** partitionByBin: stable partition of idx[start, end) by codes ≤ cut. */
export function treePartition(
  codes: usize,
  colBase: i32,
  idx: usize,
  start: i32,
  end: i32,
  cut: i32,
  scratch: usize,
): i32 {
  const col = codes + <usize>colBase;
  let l = start;
  let r = 0;
  for (let t = start; t < end; t++) {
    const s = ldi(idx, t);
    if (<i32>load<u8>(col + <usize>s) <= cut) sti(idx, l++, s);
    else sti(scratch, r++, s);
  }
  memory.copy(idx + ((<usize>l) << 2), scratch, (<usize>r) << 2);
  return l;
}

/** partitionPairByBin: permutes key and other together, deciding on codes[colBase + key[t]]. */
export function treePartitionPair(
  codes: usize,
  colBase: i32,
  key: usize,
  other: usize,
  start: i32,
  end: i32,
  cut: i32,
  scratchKey: usize,
  scratchOther: usize,
): i32 {
  const col = codes + <usize>colBase;
  let l = start;
  let r = 0;
  for (let t = start; t < end; t++) {
    const kv = ldi(key, t);
    const ov = ldi(other, t);
    if (<i32>load<u8>(col + <usize>kv) <= cut) {
      sti(key, l, kv);
      sti(other, l++, ov);
    } else {
      sti(scratchKey, r, kv);
      sti(scratchOther, r++, ov);
    }
  }
  memory.copy(key + ((<usize>l) << 2), scratchKey, (<usize>r) << 2);
  memory.copy(other + ((<usize>l) << 2), scratchOther, (<usize>r) << 2);
  return l;
}

/** gatherBlock: the node's rows of row-major codes into a node-local column-major block. */
export function treeGatherBlock(
  rowCodes: usize,
  d: i32,
  idx: usize,
  start: i32,
  end: i32,
  block: usize,
): void {
  const m = end - start;
  const D = <usize>d;
  let p = 0;
  // Eight rows at a time: each feature's eight codes go out as one 8-byte store, and the
  // eight source rows stay in L1 while j walks along them.
  for (; p + 8 <= m; p += 8) {
    const r0 = rowCodes + <usize>ldi(idx, start + p) * D;
    const r1 = rowCodes + <usize>ldi(idx, start + p + 1) * D;
    const r2 = rowCodes + <usize>ldi(idx, start + p + 2) * D;
    const r3 = rowCodes + <usize>ldi(idx, start + p + 3) * D;
    const r4 = rowCodes + <usize>ldi(idx, start + p + 4) * D;
    const r5 = rowCodes + <usize>ldi(idx, start + p + 5) * D;
    const r6 = rowCodes + <usize>ldi(idx, start + p + 6) * D;
    const r7 = rowCodes + <usize>ldi(idx, start + p + 7) * D;
    let dst = block + <usize>p;
    for (let j: usize = 0; j < D; j++) {
      const lo: u32 =
        (<u32>load<u8>(r0 + j)) |
        ((<u32>load<u8>(r1 + j)) << 8) |
        ((<u32>load<u8>(r2 + j)) << 16) |
        ((<u32>load<u8>(r3 + j)) << 24);
      const hi: u32 =
        (<u32>load<u8>(r4 + j)) |
        ((<u32>load<u8>(r5 + j)) << 8) |
        ((<u32>load<u8>(r6 + j)) << 16) |
        ((<u32>load<u8>(r7 + j)) << 24);
      store<u64>(dst, (<u64>lo) | ((<u64>hi) << 32));
      dst += <usize>m;
    }
  }
  for (; p < m; p++) {
    const row = rowCodes + <usize>ldi(idx, start + p) * D;
    let dst = block + <usize>p;
    for (let j: usize = 0; j < D; j++) {
      store<u8>(dst, load<u8>(row + j));
      dst += <usize>m;
    }
  }
}

/** gatherRows: rows idx[start, end) of row-major codes into `local`, key[t] = (t − start)·d. */
export function treeGatherRows(
  rowCodes: usize,
  d: i32,
  idx: usize,
  start: i32,
  end: i32,
  local: usize,
  key: usize,
): void {
  for (let t = start; t < end; t++) {
    const dst = (t - start) * d;
    memory.copy(local + <usize>dst, rowCodes + <usize>ldi(idx, t) * <usize>d, <usize>d);
    sti(key, t, dst);
  }
}

/**
 * gatherNode for classification: yNode/wNode = y/w at idx[start, end), class totals into
 * totals (zeroed first). Returns the node's total weight.
 */
export function treeGatherClass(
  y: usize,
  w: usize,
  idx: usize,
  start: i32,
  end: i32,
  yNode: usize,
  wNode: usize,
  totals: usize,
  K: i32,
): i32 {
  memory.fill(totals, 0, (<usize>K) << 2);
  let W = 0;
  for (let t = start; t < end; t++) {
    const s = ldi(idx, t);
    const p = t - start;
    const k = ldi(y, s);
    const ws = ldi(w, s);
    sti(yNode, p, k);
    sti(wNode, p, ws);
    sti(totals, k, ldi(totals, k) + ws);
    W += ws;
  }
  return W;
}

/** gatherNode for regression: rNode = r at idx[start, end); returns their sum (in order). */
export function treeGatherRegression(
  r: usize,
  idx: usize,
  start: i32,
  end: i32,
  rNode: usize,
): f64 {
  let sum: f64 = 0;
  for (let t = start; t < end; t++) {
    const v = ldf(r, ldi(idx, t));
    stf(rNode, t - start, v);
    sum += v;
  }
  return sum;
}

/**
 * Slots (int32) of a lean block-evaluation context, written once per grower / node by the
 * caller so a feature's evaluation is a short call (see treeEvalLeanAt).
 */
const C_YNODE = 0;
const C_WNODE = 1;
const C_K = 2;
const C_HIST = 3;
const C_TOUCHED = 4;
const C_SEEN = 5;
const C_MARK = 6;
const C_VALUES = 7;
const C_TOTALS = 8;
const C_WEIGHT = 9;
const C_UNIT = 10;
const C_MINLEAF = 11;
const C_ENTROPY = 12;
const C_XLOGX = 13;
const C_LEFT = 14;
const C_OUT = 15;
const C_NBINS = 18;
const C_OFFSETS = 19;
const C_CLOSE = 20;

/**
 * The whole per-feature step of a lean (best-splitter) node without a whole-node
 * histogram (evaluateLean in grower.ts): optional constant check, fill, value-span check,
 * sweep, clear. The node's codes are codes[colBase + key[t]] for t in [start, end), or
 * contiguous at codes + colBase when key = 0; everything else comes from the context at
 * ctx (see LEAN_CTX in tree-wasm.ts). Returns 0 = constant, 1 = no valid split, 2 = found
 * (out holds proxy, cut, next).
 */
export function treeEvalLeanAt(
  ctx: usize,
  f: i32,
  codes: usize,
  colBase: i32,
  key: usize,
  start: i32,
  end: i32,
  checkConstant: i32,
): i32 {
  if (checkConstant) {
    const same =
      key == 0
        ? treeAllSame8(codes + <usize>colBase, end - start)
        : treeAllSameIdx8(codes, colBase, key, start, end);
    if (same) return 0;
  }
  const K = ldi(ctx, C_K);
  const hist = <usize>ldi(ctx, C_HIST);
  const touched = <usize>ldi(ctx, C_TOUCHED);
  const values = <usize>ldi(ctx, C_VALUES);
  const vOff = ldi(<usize>ldi(ctx, C_OFFSETS), f);
  const out = <usize>ldi(ctx, C_OUT);
  const t1 = treeFillClassLean(
    codes,
    colBase,
    key,
    start,
    end,
    <usize>ldi(ctx, C_YNODE),
    <usize>ldi(ctx, C_WNODE),
    K,
    ldi(<usize>ldi(ctx, C_NBINS), f),
    hist,
    touched,
    <usize>ldi(ctx, C_SEEN),
    <usize>ldi(ctx, C_MARK),
  );
  if (
    t1 <= 1 ||
    ldf(values, vOff + ldi(touched, t1 - 1)) <=
      ldf(values, vOff + ldi(touched, 0)) + FEATURE_THRESHOLD
  ) {
    treeClearClassLean(hist, K, touched, t1);
    return 0;
  }
  treeSweepClassLean(
    hist,
    0,
    K,
    touched,
    0,
    t1,
    0,
    <i32>load<u8>(<usize>ldi(ctx, C_CLOSE) + <usize>f),
    values,
    vOff,
    <usize>ldi(ctx, C_TOTALS),
    ldi(ctx, C_WEIGHT),
    ldi(ctx, C_UNIT),
    ldi(ctx, C_MINLEAF),
    ldi(ctx, C_ENTROPY),
    <usize>ldi(ctx, C_XLOGX),
    <usize>ldi(ctx, C_LEFT),
    out,
  );
  treeClearClassLean(hist, K, touched, t1);
  return ldf(out, 0) == -Infinity ? 1 : 2;
}

/**
 * The regression step of a feature of a node with a whole-node histogram (evaluate in
 * grower.ts): list the non-empty bins, value-span check, friedman_mse sweep. Returns
 * 0 = constant, 1 = no valid split, 2 = found (out holds proxy, cut, next).
 */
export function treeEvalRegressionFull(
  hist: usize,
  base: i32,
  nBins: i32,
  touched: usize,
  values: usize,
  vOff: i32,
  totalSum: f64,
  totalCount: f64,
  minLeaf: f64,
  out: usize,
): i32 {
  let u = 0;
  for (let b = 0; b < nBins; b++) if (ldf(hist, base + 2 * b + 1) != 0) sti(touched, u++, b);
  if (
    u <= 1 ||
    ldf(values, vOff + ldi(touched, u - 1)) <=
      ldf(values, vOff + ldi(touched, 0)) + FEATURE_THRESHOLD
  )
    return 0;
  treeSweepRegression(hist, base, touched, u, values, vOff, totalSum, totalCount, minLeaf, out);
  return ldf(out, 0) == -Infinity ? 1 : 2;
}

/** nodeBinRange: smallest and largest bin of codes[colBase + key[t]] into out[0], out[1]. */
export function treeBinRange(
  codes: usize,
  colBase: i32,
  key: usize,
  start: i32,
  end: i32,
  out: usize,
): void {
  const col = codes + <usize>colBase;
  let lo: i32 = 0x7fffffff;
  let hi: i32 = -1;
  for (let t = start; t < end; t++) {
    const b = <i32>load<u8>(col + <usize>ldi(key, t));
    lo = min(lo, b);
    hi = max(hi, b);
  }
  sti(out, 0, lo);
  sti(out, 1, hi);
}

/**
 * classWeightsAtOrBelow: class weights of the node's samples whose bin ≤ cut into left;
 * [left weight, left count] into out.
 */
export function treeClassWeightsAtOrBelow(
  codes: usize,
  colBase: i32,
  key: usize,
  start: i32,
  end: i32,
  yNode: usize,
  wNode: usize,
  cut: i32,
  K: i32,
  left: usize,
  out: usize,
): void {
  const col = codes + <usize>colBase;
  memory.fill(left, 0, (<usize>K) << 2);
  let wl = 0;
  let nl = 0;
  for (let t = start; t < end; t++) {
    if (<i32>load<u8>(col + <usize>ldi(key, t)) <= cut) {
      const p = t - start;
      const k = ldi(yNode, p);
      const w = ldi(wNode, p);
      sti(left, k, ldi(left, k) + w);
      wl += w;
      nl++;
    }
  }
  sti(out, 0, wl);
  sti(out, 1, nl);
}

/**
 * The random splitter on raw values (src/ml/tree/random-grower.ts): gathers the node's
 * values of one feature, col[idx[t]] for t in [start, end) (col: a float32 column), into
 * xNode and writes their min and max (as doubles) into out[0], out[1].
 */
export function treeRawRange(
  col: usize,
  idx: usize,
  start: i32,
  end: i32,
  xNode: usize,
  out: usize,
): void {
  // f32.min/max may pick -0 over +0 where the reference's comparisons keep the first
  // seen; the caller maps -0 to +0, so the results agree.
  let lo: f32 = Infinity;
  let hi: f32 = -Infinity;
  for (let t = start; t < end; t++) {
    const v = load<f32>(col + ((<usize>ldi(idx, t)) << 2));
    store<f32>(xNode + ((<usize>(t - start)) << 2), v);
    lo = min(lo, v);
    hi = max(hi, v);
  }
  stf(out, 0, <f64>lo);
  stf(out, 1, <f64>hi);
}

/** Class weights of the gathered values ≤ t into left (zeroed first); [wl, nl] into outI. */
export function treeRawCountLeft(
  xNode: usize,
  m: i32,
  t: f64,
  yNode: usize,
  wNode: usize,
  K: i32,
  left: usize,
  outI: usize,
): void {
  memory.fill(left, 0, (<usize>K) << 2);
  let wl = 0;
  let nl = 0;
  for (let p = 0; p < m; p++) {
    if (<f64>load<f32>(xNode + ((<usize>p) << 2)) <= t) {
      const k = ldi(yNode, p);
      const w = ldi(wNode, p);
      sti(left, k, ldi(left, k) + w);
      wl += w;
      nl++;
    }
  }
  sti(outI, 0, wl);
  sti(outI, 1, nl);
}

/** Stable partition of idx[start, end) by col[idx[t]] ≤ t; returns the right half's start. */
export function treeRawPartition(
  col: usize,
  idx: usize,
  start: i32,
  end: i32,
  thr: f64,
  scratch: usize,
): i32 {
  let l = start;
  let r = 0;
  for (let t = start; t < end; t++) {
    const s = ldi(idx, t);
    if (<f64>load<f32>(col + ((<usize>s) << 2)) <= thr) sti(idx, l++, s);
    else sti(scratch, r++, s);
  }
  memory.copy(idx + ((<usize>l) << 2), scratch, (<usize>r) << 2);
  return l;
}

/**
 * One step of src/ml/random.ts's Rng (xoshiro128**) on the state a, b, c, d (u32 each) at
 * s; returns the same uint32 as Rng.nextUint32.
 */
function rngNextU32(s: usize): u32 {
  let a = load<u32>(s);
  let b = load<u32>(s, 4);
  let c = load<u32>(s, 8);
  let d = load<u32>(s, 12);
  const result = rotl<u32>(b * 5, 7) * 9;
  const t = b << 9;
  c ^= a;
  d ^= b;
  b ^= c;
  a ^= d;
  c ^= t;
  d = rotl<u32>(d, 11);
  store<u32>(s, a);
  store<u32>(s, b, 4);
  store<u32>(s, c, 8);
  store<u32>(s, d, 12);
  return result;
}

/** Rng.nextInt(n) on the state at s: uniform in [0, n) by rejection (n in [1, 2^32)). */
function rngNextInt(s: usize, n: u32): u32 {
  const range: u64 = 0x100000000;
  const limit: u64 = range - (range % <u64>n);
  let x: u32;
  do x = rngNextU32(s);
  while (<u64>x >= limit);
  return x % n;
}

/** Rng.nextUint32 on the state at s (for the tests). */
export function treeRngNextUint32(s: usize): u32 {
  return rngNextU32(s);
}

/** Rng.nextInt(n) on the state at s (for the tests). */
export function treeRngNextInt(s: usize, n: u32): u32 {
  return rngNextInt(s, n);
}

/**
 * bootstrapCounts (src/ml/tree/tree-jobs.ts) on the Rng state at s: n draws with
 * replacement from [0, n), counted into the n int32 at counts (zeroed first). The same
 * draws in the same order as the TypeScript loop, so the same counts and the same state.
 */
export function treeBootstrapCounts(s: usize, n: i32, counts: usize): void {
  memory.fill(counts, 0, (<usize>n) << 2);
  for (let i = 0; i < n; i++) {
    const p = counts + ((<usize>rngNextInt(s, <u32>n)) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
}

function swapI(p: usize, i: i32, j: i32): void {
  const t = ldi(p, i);
  sti(p, i, ldi(p, j));
  sti(p, j, t);
}

/**
 * The per-node feature loop of a lean node without a whole-node histogram (findSplit in
 * grower.ts with treeEvalLeanAt per feature), drawing from the Rng state at rng. Feature
 * f's codes start at colBase f * colStride. features (d int32) is permuted as findSplit
 * does; res (int32) gets [nFound, nTotal]; out (ctx) gets the best [proxy, cut, next].
 * Returns the best feature, or -1 when no feature has a valid split.
 */
export function treeFindSplitLean(
  ctx: usize,
  rng: usize,
  features: usize,
  d: i32,
  nKnownConstants: i32,
  maxFeatures: i32,
  codes: usize,
  colStride: i32,
  key: usize,
  start: i32,
  end: i32,
  checkConstant: i32,
  res: usize,
): i32 {
  const out = <usize>ldi(ctx, C_OUT);
  let fi = d;
  let nVisited = 0;
  let nFound = 0;
  let nDrawn = 0;
  let nTotal = nKnownConstants;
  let bestProxy: f64 = -Infinity;
  let bestCut: f64 = 0;
  let bestNext: f64 = 0;
  let best = -1;
  while (fi > nTotal && (nVisited < maxFeatures || nVisited <= nFound + nDrawn)) {
    nVisited++;
    let fj = nDrawn + <i32>rngNextInt(rng, <u32>(fi - nFound - nDrawn));
    if (fj < nKnownConstants) {
      swapI(features, fj, nDrawn);
      nDrawn++;
      continue;
    }
    fj += nFound;
    const f = ldi(features, fj);
    const status = treeEvalLeanAt(ctx, f, codes, f * colStride, key, start, end, checkConstant);
    if (status == 0) {
      swapI(features, fj, nTotal);
      nFound++;
      nTotal++;
      continue;
    }
    fi--;
    swapI(features, fi, fj);
    if (status == 2 && ldf(out, 0) > bestProxy) {
      bestProxy = ldf(out, 0);
      bestCut = ldf(out, 1);
      bestNext = ldf(out, 2);
      best = f;
    }
  }
  stf(out, 0, bestProxy);
  stf(out, 1, bestCut);
  stf(out, 2, bestNext);
  sti(res, 0, nFound);
  sti(res, 1, nTotal);
  return best;
}
