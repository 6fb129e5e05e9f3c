import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../ml/random.js';
import { binFeatures } from './histogram-bins.js';
import {
  classStride,
  fillClassAllFeatures,
  fillClassFeature,
  fillRegressionAllFeatures,
  partitionByBin,
  subtractHistogram,
  sweepClass,
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
