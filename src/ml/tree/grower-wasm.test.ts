import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures, releaseBinned } from '../../kernels/histogram-bins.js';
import { Rng } from '../random.js';
import { fashionSubset } from './fashion-subset.fixture.js';
import type { FlatTree } from './flat-tree.js';
import { growTree, setTreeKernels, type GrowOptions, type Target } from './grower.js';
import { bootstrapCounts } from './tree-jobs.js';

/** Grows the same tree with the TypeScript loops and with the WASM kernels. */
function both(
  X: Float32Array,
  n: number,
  d: number,
  target: Target,
  options: Omit<GrowOptions, 'rng'>,
  seed: number,
): [FlatTree, FlatTree] {
  const binned = binFeatures(X, n, d, { rowMajor: true, arena: true });
  try {
    setTreeKernels('ts');
    const a = growTree(binned, target, { ...options, rng: new Rng(seed) });
    setTreeKernels('wasm');
    const b = growTree(binned, target, { ...options, rng: new Rng(seed) });
    return [a, b];
  } finally {
    setTreeKernels('wasm');
    releaseBinned(binned);
  }
}

test('the WASM kernels grow exactly the trees of the TypeScript loops', async (t) => {
  const s = await fashionSubset(3000, 1);
  if (s === null) {
    t.skip('Fashion-MNIST is not installed');
    return;
  }
  const { X } = s;
  const n = X.rows;
  const d = X.cols;
  const y = Int32Array.from(s.y);
  const base = { minSamplesSplit: 2, minSamplesLeaf: 1, splitter: 'best' as const };
  const gini: Target = { kind: 'class', criterion: 'gini', y, nClasses: 10, weights: null };
  const weights = bootstrapCounts(n, new Rng(9));
  const entropy: Target = { kind: 'class', criterion: 'entropy', y, nClasses: 10, weights };
  const r = Float64Array.from(y, (v, i) => (v === 3 ? 1 : 0) - 0.1 - (i % 7) / 50);
  const regression: Target = {
    kind: 'regression',
    r,
    leafValue(idx, start, end) {
      let sum = 0;
      for (let q = start; q < end; q++) sum += r[idx[q]];
      return sum / (end - start);
    },
  };
  const cases: [string, Target, Omit<GrowOptions, 'rng'>][] = [
    [
      'gini, all features, whole-node histograms',
      gini,
      { ...base, maxDepth: Infinity, maxFeatures: d, fullHistogramMin: 300 },
    ],
    [
      'entropy, bootstrap weights, √d features',
      entropy,
      { ...base, maxDepth: Infinity, maxFeatures: 28 },
    ],
    [
      'entropy, weights, min_samples_leaf 3 (full histograms)',
      entropy,
      { ...base, minSamplesLeaf: 3, maxDepth: 12, maxFeatures: d },
    ],
    [
      'friedman_mse, depth 8',
      regression,
      { ...base, maxDepth: 8, maxFeatures: d, fullHistogramMin: 200 },
    ],
    ['friedman_mse, √d features', regression, { ...base, maxDepth: 10, maxFeatures: 28 }],
    [
      'gini, random splitter',
      gini,
      { ...base, maxDepth: Infinity, maxFeatures: 28, splitter: 'random' },
    ],
  ];
  for (const [label, target, options] of cases) {
    const [a, b] = both(X.data, n, d, target, options, 5);
    assert.ok(a.nodeCount > 20, label);
    assert.deepEqual(b, a, label);
  }
});

test('random-forest trees (entropy, depth 100, 28 features) are identical on both paths', async (t) => {
  const s = await fashionSubset(3000, 1);
  if (s === null) {
    t.skip('Fashion-MNIST is not installed');
    return;
  }
  const { X } = s;
  const y = Int32Array.from(s.y);
  const binned = binFeatures(X.data, X.rows, X.cols, { rowMajor: true, arena: true });
  try {
    for (const seed of [1, 2, 3]) {
      const weights = bootstrapCounts(X.rows, new Rng(seed));
      const target: Target = { kind: 'class', criterion: 'entropy', y, nClasses: 10, weights };
      const options = {
        minSamplesSplit: 2,
        minSamplesLeaf: 1,
        splitter: 'best' as const,
        maxDepth: 100,
        maxFeatures: 28,
      };
      const rngTs = new Rng(seed + 100);
      const rngWasm = new Rng(seed + 100);
      setTreeKernels('ts');
      const a = growTree(binned, target, { ...options, rng: rngTs });
      setTreeKernels('wasm');
      const b = growTree(binned, target, { ...options, rng: rngWasm });
      assert.ok(a.nodeCount > 100);
      assert.deepEqual(b, a);
      // Both paths consumed the same draws.
      assert.deepEqual(rngWasm.getState(), rngTs.getState());
    }
  } finally {
    setTreeKernels('wasm');
    releaseBinned(binned);
  }
});
