/**
 * The hot loops of histogram trees: per-node, per-feature histograms over bin codes,
 * the split sweep for gini / entropy / friedman_mse, whole-node histograms for sibling
 * subtraction, and the stable partition of a node's samples.
 *
 * Histogram layouts (one bin = one stride):
 *  - classification, Int32Array, stride K+2 (classStride): K class weights, sample count,
 *    and a bit mask of the classes present (per-feature fills with K ≤ 31
 *    only; 0 = unknown, e.g. in subtracted whole-node histograms) so sweeps skip absent classes;
 *  - regression, Float64Array, stride 2: sum of targets, sample count.
 */
import type { BinCodes } from './histogram-bins.js';

/** scikit-learn's FEATURE_THRESHOLD: values closer than this are one value. */
export const FEATURE_THRESHOLD = 1e-7;

/** Slots per bin of a classification histogram. */
export function classStride(K: number): number {
  return K + 2;
}

/**
 * Adds the node's samples (positions start..end of idx; yNode/wNode gathered per position)
 * to one feature's class histogram and lists the non-empty bins ascending in `touched`
 * (via the `seen` bitmap, ⌈nBins/32⌉ words, zero on entry and on return).
 * Returns how many bins are non-empty. `hist` must be zero on entry.
 */
export function fillClassFeature(
  codes: BinCodes,
  colBase: number,
  idx: Int32Array,
  start: number,
  end: number,
  yNode: Int32Array,
  wNode: Int32Array,
  K: number,
  nBins: number,
  hist: Int32Array,
  touched: Int32Array,
  seen: Int32Array,
): number {
  const S = K + 2;
  const m = end - start;
  if (m > 2 * nBins) {
    // Big node: most bins are hit and hold most classes; scanning the counts afterwards
    // beats the extra read-modify-writes of the bitmap and the class masks.
    for (let t = 0; t < m; t++) {
      const base = codes[colBase + idx[start + t]] * S;
      hist[base + yNode[t]] += wNode[t];
      hist[base + K]++;
    }
    let u = 0;
    for (let b = 0; b < nBins; b++) if (hist[b * S + K] !== 0) touched[u++] = b;
    return u;
  }
  const masks = K <= 31;
  for (let t = 0; t < m; t++) {
    const b = codes[colBase + idx[start + t]];
    const base = b * S;
    const k = yNode[t];
    hist[base + k] += wNode[t];
    hist[base + K]++;
    if (masks) hist[base + K + 1] |= 1 << k;
    seen[b >>> 5] |= 1 << (b & 31);
  }
  return drainSeen(seen, nBins, touched);
}

/**
 * The lean per-feature class fill: only the class weights (slots 0..K−1 of each bin; the
 * count and mask slots stay zero), with the node's bins listed ascending in `touched`.
 * One read-modify-write per sample instead of four: the bins are marked with plain stores
 * into `mark` (maxBins bytes, viewed as words by `mark32`; zero on entry and on return), or
 * in the `seen` bitmap for nodes much smaller than the bin count. Use with sweepClassLean,
 * which needs no sample counts: valid when weights are all 1 (counts = weights) or
 * min_samples_leaf ≤ 1 (a cut between two non-empty bins always leaves a sample each side).
 * `idx` null means the node's codes are contiguous: codes[colBase + t − start].
 */
export function fillClassLean(
  codes: BinCodes,
  colBase: number,
  idx: Int32Array | null,
  start: number,
  end: number,
  yNode: Int32Array,
  wNode: Int32Array,
  K: number,
  nBins: number,
  hist: Int32Array,
  touched: Int32Array,
  seen: Int32Array,
  mark: Uint8Array,
  mark32: Int32Array,
): number {
  const S = K + 2;
  const m = end - start;
  if (m <= 2 * nBins && K <= 31) {
    // Small node: few classes per bin, so the sweep iterates each bin's class mask.
    const M = K + 1;
    if (idx === null) {
      const c0 = colBase - start;
      for (let t = start; t < end; t++) {
        const b = codes[c0 + t];
        const k = yNode[t - start];
        const hb = b * S;
        hist[hb + k] += wNode[t - start];
        hist[hb + M] |= 1 << k;
        seen[b >>> 5] |= 1 << (b & 31);
      }
    } else {
      for (let t = start; t < end; t++) {
        const b = codes[colBase + idx[t]];
        const k = yNode[t - start];
        const hb = b * S;
        hist[hb + k] += wNode[t - start];
        hist[hb + M] |= 1 << k;
        seen[b >>> 5] |= 1 << (b & 31);
      }
    }
    return drainSeen(seen, nBins, touched);
  }
  if (idx === null) {
    const c0 = colBase - start;
    for (let t = start; t < end; t++) {
      const b = codes[c0 + t];
      hist[b * S + yNode[t - start]] += wNode[t - start];
      mark[b] = 1;
    }
  } else {
    for (let t = start; t < end; t++) {
      const b = codes[colBase + idx[t]];
      hist[b * S + yNode[t - start]] += wNode[t - start];
      mark[b] = 1;
    }
  }
  let u = 0;
  const words = (nBins + 3) >>> 2;
  for (let w = 0; w < words; w++) {
    if (mark32[w] === 0) continue;
    for (let b = w << 2, e = b + 4; b < e; b++) if (mark[b] !== 0) touched[u++] = b;
    mark32[w] = 0;
  }
  return u;
}

/** Zeroes the listed bins of a lean per-feature class histogram (class and mask slots). */
export function clearClassLean(hist: Int32Array, K: number, touched: Int32Array, u: number): void {
  const S = K + 2;
  for (let t = 0; t < u; t++) {
    const base = touched[t] * S;
    let mask = hist[base + K + 1];
    if (mask === 0) {
      for (let k = 0; k < K; k++) hist[base + k] = 0;
    } else {
      hist[base + K + 1] = 0;
      while (mask !== 0) {
        const low = mask & -mask;
        mask ^= low;
        hist[base + 31 - Math.clz32(low)] = 0;
      }
    }
  }
}

/**
 * The first and last non-empty bin of one feature of a whole-node class histogram, by
 * class weights (for lean histograms, whose count slots are not kept): into out[0], out[1];
 * out[0] = −1 when the feature is empty.
 */
export function classBinSpan(
  hist: Int32Array,
  base: number,
  K: number,
  nBins: number,
  out: Int32Array,
): void {
  const S = K + 2;
  let lo = 0;
  for (; lo < nBins; lo++) {
    const hb = base + lo * S;
    let c = 0;
    for (let k = 0; k < K; k++) c |= hist[hb + k];
    if (c !== 0) break;
  }
  if (lo === nBins) {
    out[0] = -1;
    out[1] = -1;
    return;
  }
  let hi = nBins - 1;
  for (; hi > lo; hi--) {
    const hb = base + hi * S;
    let c = 0;
    for (let k = 0; k < K; k++) c |= hist[hb + k];
    if (c !== 0) break;
  }
  out[0] = lo;
  out[1] = hi;
}

/**
 * sweepClass for lean histograms: the same candidates, the same arithmetic on the non-zero
 * class weights in the same order (so the same proxies, bit for bit: a zero weight adds an
 * exact 0), over bins[t0..t1). `dense`: the bins may include empty ones (skipped).
 * `checkGaps`: some neighbouring values of this feature are within FEATURE_THRESHOLD (if
 * none are, no pair of non-empty bins can be). No sample counts: nl is the left weight
 * when `unitWeights`, and unchecked otherwise (callers guarantee min_samples_leaf ≤ 1 then).
 */
export function sweepClassLean(
  hist: Int32Array,
  base: number,
  K: number,
  bins: Int32Array,
  t0: number,
  t1: number,
  dense: boolean,
  checkGaps: boolean,
  values: Float64Array,
  valueOffset: number,
  totals: Int32Array,
  totalWeight: number,
  unitWeights: boolean,
  minLeaf: number,
  entropy: boolean,
  xlogx: Float64Array,
  left: Int32Array,
  out: Float64Array,
): void {
  const S = K + 2;
  let sqL = 0;
  let sqR = 0;
  let eL = 0;
  let eR = 0;
  for (let k = 0; k < K; k++) {
    left[k] = 0;
    sqR += totals[k] * totals[k];
    eR += xlogx[totals[k]];
  }
  const checkLeaf = unitWeights && minLeaf > 1;
  let wl = 0;
  let best = -Infinity;
  let cut = -1;
  let next = -1;
  let prev = -1;
  for (let t = t0; t < t1; t++) {
    const b = bins[t];
    const hb = base + b * S;
    const mask = hist[hb + K + 1];
    if (dense && mask === 0) {
      let any = 0;
      for (let k = 0; k < K; k++) any |= hist[hb + k];
      if (any === 0) continue;
    }
    // The candidate between the previous non-empty bin and this one (left = up to prev).
    if (
      prev >= 0 &&
      !(checkGaps && values[valueOffset + b] <= values[valueOffset + prev] + FEATURE_THRESHOLD) &&
      (!checkLeaf || (wl >= minLeaf && totalWeight - wl >= minLeaf))
    ) {
      const wr = totalWeight - wl;
      const proxy = entropy ? eL + eR - xlogx[wl] - xlogx[wr] : sqL / wl + sqR / wr;
      if (proxy > best) {
        best = proxy;
        cut = prev;
        next = b;
      }
    }
    if (mask !== 0) {
      let bits = mask;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const k = 31 - Math.clz32(low);
        const c = hist[hb + k];
        const lk = left[k];
        const rk = totals[k] - lk;
        if (entropy) {
          eL += xlogx[lk + c] - xlogx[lk];
          eR += xlogx[rk - c] - xlogx[rk];
        } else {
          sqL += c * (2 * lk + c);
          sqR += c * (c - 2 * rk);
        }
        left[k] = lk + c;
        wl += c;
      }
    } else if (entropy) {
      for (let k = 0; k < K; k++) {
        const c = hist[hb + k];
        if (c === 0) continue;
        const lk = left[k];
        const rk = totals[k] - lk;
        eL += xlogx[lk + c] - xlogx[lk];
        eR += xlogx[rk - c] - xlogx[rk];
        left[k] = lk + c;
        wl += c;
      }
    } else {
      // Branch-free: a zero weight adds exact zeros.
      for (let k = 0; k < K; k++) {
        const c = hist[hb + k];
        const lk = left[k];
        sqL += c * (2 * lk + c);
        sqR += c * (c - 2 * (totals[k] - lk));
        left[k] = lk + c;
        wl += c;
      }
    }
    prev = b;
  }
  out[0] = best;
  out[1] = cut;
  out[2] = next;
}

/** Whether some two neighbouring values of each feature lie within FEATURE_THRESHOLD. */
export function closeNeighbours(
  values: Float64Array,
  offsets: Int32Array,
  nBins: Int32Array,
): Uint8Array {
  const d = offsets.length;
  const close = new Uint8Array(d);
  for (let j = 0; j < d; j++) {
    const o = offsets[j];
    for (let b = 1; b < nBins[j]; b++)
      if (values[o + b] <= values[o + b - 1] + FEATURE_THRESHOLD) close[j] = 1;
  }
  return close;
}

/**
 * The lean whole-node class histogram (class weights only; see fillClassLean) over every
 * feature, feature j at binOffsets[j]·(K+2).
 */
export function fillClassAllLean(
  codes: BinCodes,
  n: number,
  d: number,
  binOffsets: Int32Array,
  idx: Int32Array,
  start: number,
  end: number,
  yNode: Int32Array,
  wNode: Int32Array,
  K: number,
  hist: Int32Array,
): void {
  const S = K + 2;
  const m = end - start;
  for (let j = 0; j < d; j++) {
    const colBase = j * n;
    const hb = binOffsets[j] * S;
    for (let t = 0; t < m; t++)
      hist[hb + codes[colBase + idx[start + t]] * S + yNode[t]] += wNode[t];
  }
}

/** Lists the non-empty bins of one feature's slice of a whole-node class histogram. */
export function nonEmptyBins(
  hist: Int32Array,
  base: number,
  stride: number,
  countSlot: number,
  nBins: number,
  touched: Int32Array,
): number {
  let u = 0;
  for (let b = 0; b < nBins; b++) if (hist[base + b * stride + countSlot] !== 0) touched[u++] = b;
  return u;
}

/** Zeroes the listed bins of a per-feature class histogram, touching only the slots in use. */
export function clearClassBins(hist: Int32Array, K: number, touched: Int32Array, u: number): void {
  const S = K + 2;
  for (let t = 0; t < u; t++) {
    const base = touched[t] * S;
    let mask = hist[base + K + 1];
    if (mask === 0) {
      for (let k = 0; k < K; k++) hist[base + k] = 0;
    } else {
      while (mask !== 0) {
        const low = mask & -mask;
        mask ^= low;
        hist[base + 31 - Math.clz32(low)] = 0;
      }
    }
    hist[base + K] = 0;
    hist[base + K + 1] = 0;
  }
}

/** Zeroes the listed bins of a per-feature histogram. */
export function clearBins(
  hist: Int32Array | Float64Array,
  stride: number,
  touched: Int32Array,
  u: number,
): void {
  for (let t = 0; t < u; t++) {
    const base = touched[t] * stride;
    for (let k = 0; k < stride; k++) hist[base + k] = 0;
  }
}

/**
 * Copies the codes of the node's rows into a node-local column-major block
 * (block[j*m + p] for the node's p-th sample): one streaming read of whole rows, after
 * which every feature's fill reads contiguous memory instead of one cache miss per sample.
 */
export function gatherBlock(
  rowCodes: BinCodes,
  d: number,
  idx: Int32Array,
  start: number,
  end: number,
  block: BinCodes,
): void {
  const m = end - start;
  for (let p = 0; p < m; p++) {
    const rowBase = idx[start + p] * d;
    for (let j = 0; j < d; j++) block[j * m + p] = rowCodes[rowBase + j];
  }
}

/**
 * The best split of one feature for gini or entropy: sweeps the non-empty bins left to
 * right, a candidate between each pair of distinct-enough neighbours, strictly better
 * wins (ties stay with the first). Maximises scikit-learn's proxy improvement:
 * gini Σ L²/wl + Σ R²/wr; entropy Σ L ln L + Σ R ln R − wl ln wl − wr ln wr
 * (xlogx[c] = c ln c). Writes [proxy, cut bin, next non-empty bin] into out; proxy −∞ when nothing is valid.
 */
export function sweepClass(
  hist: Int32Array,
  base: number,
  K: number,
  touched: Int32Array,
  u: number,
  values: Float64Array,
  valueOffset: number,
  totals: Int32Array,
  totalWeight: number,
  totalSamples: number,
  minLeaf: number,
  entropy: boolean,
  xlogx: Float64Array,
  left: Int32Array,
  out: Float64Array,
): void {
  const S = K + 2;
  let sqL = 0;
  let sqR = 0;
  let eL = 0;
  let eR = 0;
  for (let k = 0; k < K; k++) {
    left[k] = 0;
    sqR += totals[k] * totals[k];
    eR += xlogx[totals[k]];
  }
  let wl = 0;
  let nl = 0;
  let best = -Infinity;
  let cut = -1;
  let next = -1;
  for (let t = 0; t < u - 1; t++) {
    const b = touched[t];
    const hb = base + b * S;
    let mask = hist[hb + K + 1];
    if (mask !== 0) {
      // Only the classes present in this bin.
      while (mask !== 0) {
        const low = mask & -mask;
        mask ^= low;
        const k = 31 - Math.clz32(low);
        const c = hist[hb + k];
        if (c === 0) continue;
        const lk = left[k];
        const rk = totals[k] - lk;
        if (entropy) {
          eL += xlogx[lk + c] - xlogx[lk];
          eR += xlogx[rk - c] - xlogx[rk];
        } else {
          sqL += c * (2 * lk + c);
          sqR += c * (c - 2 * rk);
        }
        left[k] = lk + c;
        wl += c;
      }
    } else {
      for (let k = 0; k < K; k++) {
        const c = hist[hb + k];
        if (c === 0) continue;
        const lk = left[k];
        const rk = totals[k] - lk;
        if (entropy) {
          eL += xlogx[lk + c] - xlogx[lk];
          eR += xlogx[rk - c] - xlogx[rk];
        } else {
          sqL += c * (2 * lk + c);
          sqR += c * (c - 2 * rk);
        }
        left[k] = lk + c;
        wl += c;
      }
    }
    nl += hist[hb + K];
    if (values[valueOffset + touched[t + 1]] <= values[valueOffset + b] + FEATURE_THRESHOLD)
      continue;
    if (nl < minLeaf || totalSamples - nl < minLeaf) continue;
    const wr = totalWeight - wl;
    const proxy = entropy ? eL + eR - xlogx[wl] - xlogx[wr] : sqL / wl + sqR / wr;
    if (proxy > best) {
      best = proxy;
      cut = b;
      next = touched[t + 1];
    }
  }
  out[0] = best;
  out[1] = cut;
  out[2] = next;
}

let xlogxCache = new Float64Array(1);

/**
 * c·ln c for c = 0..max (0 at 0), the entropy sweeps' table. Cached: every tree of a
 * forest asks for the same one (its bootstrap weights always sum to n), and filling it
 * takes n logarithms. The view is shared: read it or copy it, never write it.
 */
export function xlogxTable(max: number): Float64Array {
  if (xlogxCache.length <= max) {
    const t = new Float64Array(max + 1);
    for (let c = 1; c <= max; c++) t[c] = c * Math.log(c);
    xlogxCache = t;
  }
  return xlogxCache.subarray(0, max + 1);
}

/** The proxy of one given split from its left class weights (for the random splitter). */
export function classProxy(
  left: Int32Array,
  totals: Int32Array,
  K: number,
  wl: number,
  totalWeight: number,
  entropy: boolean,
  xlogx: Float64Array,
): number {
  const wr = totalWeight - wl;
  let a = 0;
  let b = 0;
  for (let k = 0; k < K; k++) {
    const l = left[k];
    const r = totals[k] - l;
    if (entropy) {
      a += xlogx[l];
      b += xlogx[r];
    } else {
      a += l * l;
      b += r * r;
    }
  }
  return entropy ? a + b - xlogx[wl] - xlogx[wr] : a / wl + b / wr;
}

/** Smallest and largest bin of one feature over the node's samples, into out[0], out[1]. */
export function nodeBinRange(
  codes: BinCodes,
  colBase: number,
  idx: Int32Array,
  start: number,
  end: number,
  out: Int32Array,
): void {
  let lo = 0x7fffffff;
  let hi = -1;
  for (let t = start; t < end; t++) {
    const b = codes[colBase + idx[t]];
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  out[0] = lo;
  out[1] = hi;
}

/**
 * Class weights of the node's samples whose bin ≤ cut, into `left`; returns
 * [left weight, left sample count] in out.
 */
export function classWeightsAtOrBelow(
  codes: BinCodes,
  colBase: number,
  idx: Int32Array,
  start: number,
  end: number,
  yNode: Int32Array,
  wNode: Int32Array,
  cut: number,
  K: number,
  left: Int32Array,
  out: Int32Array,
): void {
  left.fill(0, 0, K);
  let wl = 0;
  let nl = 0;
  for (let t = start; t < end; t++) {
    if (codes[colBase + idx[t]] <= cut) {
      const p = t - start;
      left[yNode[p]] += wNode[p];
      wl += wNode[p];
      nl++;
    }
  }
  out[0] = wl;
  out[1] = nl;
}

/** Sum of targets of the node's samples whose bin ≤ cut; their count into out[1]. */
export function regressionAtOrBelow(
  codes: BinCodes,
  colBase: number,
  idx: Int32Array,
  start: number,
  end: number,
  rNode: Float64Array,
  cut: number,
  out: Float64Array,
): void {
  let s = 0;
  let nl = 0;
  for (let t = start; t < end; t++) {
    if (codes[colBase + idx[t]] <= cut) {
      s += rNode[t - start];
      nl++;
    }
  }
  out[0] = s;
  out[1] = nl;
}

/**
 * Adds the node's targets to one feature's regression histogram (stride 2: sum, count)
 * and lists the non-empty bins ascending. Returns how many.
 */
export function fillRegressionFeature(
  codes: BinCodes,
  colBase: number,
  idx: Int32Array,
  start: number,
  end: number,
  rNode: Float64Array,
  nBins: number,
  hist: Float64Array,
  touched: Int32Array,
  seen: Int32Array,
): number {
  const m = end - start;
  if (m > 2 * nBins) {
    for (let t = 0; t < m; t++) {
      const b = 2 * codes[colBase + idx[start + t]];
      hist[b] += rNode[t];
      hist[b + 1]++;
    }
    let u = 0;
    for (let b = 0; b < nBins; b++) if (hist[2 * b + 1] !== 0) touched[u++] = b;
    return u;
  }
  for (let t = 0; t < m; t++) {
    const b = codes[colBase + idx[start + t]];
    hist[2 * b] += rNode[t];
    hist[2 * b + 1]++;
    seen[b >>> 5] |= 1 << (b & 31);
  }
  return drainSeen(seen, nBins, touched);
}

/** Lists the set bits of a bin bitmap ascending into `touched`, clearing the bitmap. */
function drainSeen(seen: Int32Array, nBins: number, touched: Int32Array): number {
  let u = 0;
  const words = (nBins + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    let bits = seen[w];
    if (bits === 0) continue;
    seen[w] = 0;
    while (bits !== 0) {
      const low = bits & -bits;
      bits ^= low;
      touched[u++] = (w << 5) + 31 - Math.clz32(low);
    }
  }
  return u;
}

/**
 * The best friedman_mse split of one feature: maximises
 * (wr·ΣL − wl·ΣR)² / (wl·wr) = wl·wr/(wl+wr)·(mean_l − mean_r)² × (wl+wr), strictly
 * better wins. Writes [proxy, cut bin, next non-empty bin] into out.
 */
export function sweepRegression(
  hist: Float64Array,
  base: number,
  touched: Int32Array,
  u: number,
  values: Float64Array,
  valueOffset: number,
  totalSum: number,
  totalCount: number,
  minLeaf: number,
  out: Float64Array,
): void {
  let sl = 0;
  let wl = 0;
  let best = -Infinity;
  let cut = -1;
  let next = -1;
  for (let t = 0; t < u - 1; t++) {
    const b = touched[t];
    sl += hist[base + 2 * b];
    wl += hist[base + 2 * b + 1];
    if (values[valueOffset + touched[t + 1]] <= values[valueOffset + b] + FEATURE_THRESHOLD)
      continue;
    if (wl < minLeaf || totalCount - wl < minLeaf) continue;
    const wr = totalCount - wl;
    const diff = wr * sl - wl * (totalSum - sl);
    const proxy = (diff * diff) / (wl * wr);
    if (proxy > best) {
      best = proxy;
      cut = b;
      next = touched[t + 1];
    }
  }
  out[0] = best;
  out[1] = cut;
  out[2] = next;
}

/** A whole-node class histogram over every feature (feature j at binOffsets[j]·(K+2)). */
export function fillClassAllFeatures(
  codes: BinCodes,
  n: number,
  d: number,
  binOffsets: Int32Array,
  idx: Int32Array,
  start: number,
  end: number,
  yNode: Int32Array,
  wNode: Int32Array,
  K: number,
  hist: Int32Array,
): void {
  const S = K + 2;
  const m = end - start;
  for (let j = 0; j < d; j++) {
    const colBase = j * n;
    const hb = binOffsets[j] * S;
    for (let t = 0; t < m; t++) {
      const base = hb + codes[colBase + idx[start + t]] * S;
      hist[base + yNode[t]] += wNode[t];
      hist[base + K]++;
    }
  }
}

/**
 * A whole-node regression histogram over every feature (feature j at binOffsets[j]·2).
 * Even and odd samples go to two scratch histograms (2·maxBins·2 doubles in `scratch`)
 * merged per feature: pixels pile up in a few bins (the background), and one accumulator
 * would serialise on those cells.
 */
export function fillRegressionAllFeatures(
  codes: BinCodes,
  n: number,
  d: number,
  binOffsets: Int32Array,
  nBins: Int32Array,
  idx: Int32Array,
  start: number,
  end: number,
  rNode: Float64Array,
  hist: Float64Array,
  scratch: Float64Array,
): void {
  const m = end - start;
  const half = scratch.length >>> 1;
  for (let j = 0; j < d; j++) {
    const colBase = j * n;
    const width = 2 * nBins[j];
    scratch.fill(0, 0, width);
    scratch.fill(0, half, half + width);
    let t = 0;
    for (; t + 1 < m; t += 2) {
      const a = 2 * codes[colBase + idx[start + t]];
      const b = half + 2 * codes[colBase + idx[start + t + 1]];
      scratch[a] += rNode[t];
      scratch[a + 1]++;
      scratch[b] += rNode[t + 1];
      scratch[b + 1]++;
    }
    if (t < m) {
      const a = 2 * codes[colBase + idx[start + t]];
      scratch[a] += rNode[t];
      scratch[a + 1]++;
    }
    const hb = binOffsets[j] * 2;
    for (let q = 0; q < width; q++) hist[hb + q] = scratch[q] + scratch[half + q];
  }
}

/** Sibling subtraction: parent −= child, element-wise (parent becomes the other child). */
export function subtractHistogram(
  parent: Int32Array | Float64Array,
  child: Int32Array | Float64Array,
): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}

/**
 * Stable partition of idx[start, end) into samples whose bin ≤ cut, then the rest;
 * both halves keep ascending order. Returns the first position of the right half.
 */
export function partitionByBin(
  codes: BinCodes,
  colBase: number,
  idx: Int32Array,
  start: number,
  end: number,
  cut: number,
  scratch: Int32Array,
): number {
  let l = start;
  let r = 0;
  for (let t = start; t < end; t++) {
    const s = idx[t];
    if (codes[colBase + s] <= cut) idx[l++] = s;
    else scratch[r++] = s;
  }
  for (let t = 0; t < r; t++) idx[l + t] = scratch[t];
  return l;
}

/**
 * Like partitionByBin, deciding on codes[colBase + key[t]] and permuting `key` and
 * `other` together (key indexes a node-local copy of the rows, other the global rows).
 */
export function partitionPairByBin(
  codes: BinCodes,
  colBase: number,
  key: Int32Array,
  other: Int32Array,
  start: number,
  end: number,
  cut: number,
  scratchKey: Int32Array,
  scratchOther: Int32Array,
): number {
  let l = start;
  let r = 0;
  for (let t = start; t < end; t++) {
    const kv = key[t];
    const ov = other[t];
    if (codes[colBase + kv] <= cut) {
      key[l] = kv;
      other[l++] = ov;
    } else {
      scratchKey[r] = kv;
      scratchOther[r++] = ov;
    }
  }
  for (let t = 0; t < r; t++) {
    key[l + t] = scratchKey[t];
    other[l + t] = scratchOther[t];
  }
  return l;
}

/**
 * Copies the rows idx[start, end) of row-major codes into `local` (row p of the subtree
 * at p·d) and sets key[t] = (t − start)·d, so kernels read feature f at local[f + key[t]]
 * from a block small enough to stay in cache for the subtree's whole growth.
 */
export function gatherRows(
  rowCodes: BinCodes,
  d: number,
  idx: Int32Array,
  start: number,
  end: number,
  local: BinCodes,
  key: Int32Array,
): void {
  for (let t = start; t < end; t++) {
    const src = idx[t] * d;
    const dst = (t - start) * d;
    local.set(rowCodes.subarray(src, src + d), dst);
    key[t] = dst;
  }
}
