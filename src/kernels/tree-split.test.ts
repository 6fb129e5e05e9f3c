import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../ml/random.js';
import { binFeatures } from './histogram-bins.js';
import {
  classBinSpan,
  classStride,
  clearClassLean,
  closeNeighbours,
  fillClassAllFeatures,
  fillClassAllLean,
  fillClassFeature,
  fillClassLean,
  fillRegressionAllFeatures,
  partitionByBin,
  subtractHistogram,
  sweepClass,
  sweepClassLean,
  xlogxTable,
} from './tree-split.js';

function data(
  n: number,
  d: number,
  seed: number,
): { X: Float32Array; y: Int32Array; r: Float64Array } {
  const rng = new Rng(seed);
  const X = new Float32Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextInt(20) / 4;
  const y = Int32Array.from({ length: n }, () => rng.nextInt(3));
  const r = Float64Array.from({ length: n }, () => rng.nextFloat() - 0.5);
  return { X, y, r };
}

test('sibling subtraction: parent − left child equals the right child built directly', () => {
  const n = 300;
  const d = 4;
  const K = 3;
  const { X, y, r } = data(n, d, 3);
  const b = binFeatures(X, n, d);
  const S = classStride(K);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const w = Int32Array.from({ length: n }, (_, i) => 1 + (i % 3));
  const mid = partitionByBin(b.codes, 2 * n, idx, 0, n, 9, new Int32Array(n));
  const gathered = (start: number, end: number) => ({
    y: Int32Array.from(idx.subarray(start, end), (s) => y[s]),
    w: Int32Array.from(idx.subarray(start, end), (s) => w[s]),
    r: Float64Array.from(idx.subarray(start, end), (s) => r[s]),
  });
  const size = b.values.length;
  const full = (start: number, end: number) => {
    const h = new Int32Array(size * S);
    const g = gathered(start, end);
    fillClassAllFeatures(b.codes, n, d, b.offsets, idx, start, end, g.y, g.w, K, h);
    return h;
  };
  const parent = full(0, n);
  subtractHistogram(parent, full(0, mid));
  assert.deepEqual(parent, full(mid, n));

  const scratch = new Float64Array(4 * b.maxBins);
  const fullR = (start: number, end: number) => {
    const h = new Float64Array(size * 2);
    fillRegressionAllFeatures(
      b.codes,
      n,
      d,
      b.offsets,
      b.nBins,
      idx,
      start,
      end,
      gathered(start, end).r,
      h,
      scratch,
    );
    return h;
  };
  const parentR = fullR(0, n);
  subtractHistogram(parentR, fullR(0, mid));
  const right = fullR(mid, n);
  for (let i = 0; i < right.length; i++) assert.ok(Math.abs(parentR[i] - right[i]) < 1e-12);
  // And the per-feature fill agrees with the whole-node histogram's slice.
  const one = new Int32Array(b.maxBins * S);
  const touched = new Int32Array(b.maxBins);
  const g = gathered(mid, n);
  const u = fillClassFeature(
    b.codes,
    n,
    idx,
    mid,
    n,
    g.y,
    g.w,
    K,
    b.nBins[1],
    one,
    touched,
    new Int32Array(8),
  );
  const whole = full(mid, n);
  for (let t = 0; t < u; t++) {
    for (let k = 0; k <= K; k++)
      assert.equal(one[touched[t] * S + k], whole[(b.offsets[1] + touched[t]) * S + k]);
  }
});

test('the sweep finds the brute-force best gini and entropy split', () => {
  const n = 200;
  const K = 3;
  for (let seed = 0; seed < 20; seed++) {
    const { X, y } = data(n, 1, 100 + seed);
    const b = binFeatures(X, n, 1);
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const w = new Int32Array(n).fill(1);
    const hist = new Int32Array(b.maxBins * classStride(K));
    const touched = new Int32Array(b.maxBins);
    const u = fillClassFeature(
      b.codes,
      0,
      idx,
      0,
      n,
      y,
      w,
      K,
      b.nBins[0],
      hist,
      touched,
      new Int32Array(8),
    );
    const totals = new Int32Array(K);
    for (const k of y) totals[k]++;
    const xlogx = Float64Array.from({ length: n + 1 }, (_, c) => (c > 0 ? c * Math.log(c) : 0));
    for (const entropy of [false, true]) {
      const out = new Float64Array(3);
      sweepClass(
        hist,
        0,
        K,
        touched,
        u,
        b.values,
        0,
        totals,
        n,
        n,
        1,
        entropy,
        xlogx,
        new Int32Array(K),
        out,
      );
      // Brute force over thresholds between distinct values, impurity decrease.
      const impurity = (c: number[], m: number) =>
        entropy
          ? -c.reduce((s, v) => (v > 0 ? s + (v / m) * Math.log(v / m) : s), 0)
          : 1 - c.reduce((s, v) => s + (v / m) ** 2, 0);
      let best = Infinity;
      let bestCut = -1;
      for (let cut = 0; cut < b.nBins[0] - 1; cut++) {
        const L = [0, 0, 0];
        const R = [0, 0, 0];
        for (let i = 0; i < n; i++) (b.codes[i] <= cut ? L : R)[y[i]]++;
        const nl = L[0] + L[1] + L[2];
        const cost = nl * impurity(L, nl) + (n - nl) * impurity(R, n - nl);
        if (cost < best - 1e-9) {
          best = cost;
          bestCut = cut;
        }
      }
      assert.equal(out[1], bestCut, `seed ${seed} ${entropy ? 'entropy' : 'gini'}`);
    }
  }
});

test('lean fills and sweeps give the same splits and proxies, bit for bit, as the full ones', () => {
  const K = 3;
  const S = classStride(K);
  for (let seed = 0; seed < 12; seed++) {
    // Sizes on both sides of the small-node (class mask) path; weights 1 and bootstrap-like.
    const n = [7, 40, 300, 900][seed % 4];
    const d = 3;
    const { X, y } = data(n, d, 500 + seed);
    const b = binFeatures(X, n, d);
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const unit = seed % 2 === 0;
    const w = Int32Array.from({ length: n }, (_, i) => (unit ? 1 : 1 + ((i * 7) % 3)));
    const totals = new Int32Array(K);
    let W = 0;
    for (let i = 0; i < n; i++) {
      totals[y[i]] += w[i];
      W += w[i];
    }
    const xlogx = Float64Array.from({ length: W + 1 }, (_, c) => (c > 0 ? c * Math.log(c) : 0));
    const close = closeNeighbours(b.values, b.offsets, b.nBins);
    const wholeLean = new Int32Array(b.values.length * S);
    fillClassAllLean(b.codes, n, d, b.offsets, idx, 0, n, y, w, K, wholeLean);
    for (let f = 0; f < d; f++) {
      const hist = new Int32Array(b.maxBins * S);
      const touched = new Int32Array(b.maxBins);
      const u = fillClassFeature(
        b.codes,
        f * n,
        idx,
        0,
        n,
        y,
        w,
        K,
        b.nBins[f],
        hist,
        touched,
        new Int32Array(8),
      );
      const lean = new Int32Array(b.maxBins * S);
      const bins = new Int32Array(b.maxBins);
      const mark32 = new Int32Array((b.maxBins + 3) >>> 2);
      const v = fillClassLean(
        b.codes,
        f * n,
        seed % 3 === 0 ? null : idx,
        0,
        n,
        y,
        w,
        K,
        b.nBins[f],
        lean,
        bins,
        new Int32Array(8),
        new Uint8Array(mark32.buffer),
        mark32,
      );
      assert.deepEqual(bins.subarray(0, v), touched.subarray(0, u));
      const span = new Int32Array(2);
      classBinSpan(wholeLean, b.offsets[f] * S, K, b.nBins[f], span);
      assert.deepEqual([...span], [touched[0], touched[u - 1]]);
      const iota = Int32Array.from({ length: b.maxBins }, (_, i) => i);
      for (const entropy of [false, true]) {
        const want = new Float64Array(3);
        sweepClass(
          hist,
          0,
          K,
          touched,
          u,
          b.values,
          b.offsets[f],
          totals,
          W,
          n,
          1,
          entropy,
          xlogx,
          new Int32Array(K),
          want,
        );
        const got = new Float64Array(3);
        sweepClassLean(
          lean,
          0,
          K,
          bins,
          0,
          v,
          false,
          close[f] !== 0,
          b.values,
          b.offsets[f],
          totals,
          W,
          unit,
          1,
          entropy,
          xlogx,
          new Int32Array(K),
          got,
        );
        assert.deepEqual(got, want, `seed ${seed} feature ${f} ${entropy ? 'entropy' : 'gini'}`);
        const dense = new Float64Array(3);
        sweepClassLean(
          wholeLean,
          b.offsets[f] * S,
          K,
          iota,
          span[0],
          span[1] + 1,
          true,
          true,
          b.values,
          b.offsets[f],
          totals,
          W,
          unit,
          1,
          entropy,
          xlogx,
          new Int32Array(K),
          dense,
        );
        assert.deepEqual(dense, want);
      }
      clearClassLean(lean, K, bins, v);
      assert.ok(lean.every((x) => x === 0));
      assert.ok(mark32.every((x) => x === 0));
    }
  }
});

test('xlogxTable gives c·ln c from 0 to max, the same values however often it grows', () => {
  const small = Float64Array.from(xlogxTable(5));
  assert.equal(small.length, 6);
  assert.equal(small[0], 0);
  assert.equal(small[1], 0);
  assert.equal(small[4], 4 * Math.log(4));
  const big = xlogxTable(1000);
  assert.equal(big.length, 1001);
  assert.deepEqual([...big.subarray(0, 6)], [...small]);
  assert.equal(big[1000], 1000 * Math.log(1000));
  // A smaller table after a larger one is a view of the cached one, not a new computation.
  assert.equal(xlogxTable(10).buffer, big.buffer);
});
