import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../../kernels/histogram-bins.js';
import { Rng } from '../random.js';
import { fashionSubset } from './fashion-subset.fixture.js';
import type { FlatTree } from './flat-tree.js';
import { growTree, type ClassTarget, type GrowOptions } from './grower.js';
import { growRandomTree, rawColumns, releaseRaw } from './random-grower.js';
import { bootstrapCounts } from './tree-jobs.js';

function withoutCutBin(t: FlatTree): Omit<FlatTree, 'cutBin'> {
  const { cutBin, ...rest } = t;
  assert.equal(cutBin.length, t.nodeCount);
  return rest;
}

function check(
  X: Float32Array,
  n: number,
  d: number,
  target: ClassTarget,
  options: Omit<GrowOptions, 'rng'>,
  label: string,
): void {
  const binned = binFeatures(X, n, d);
  const a = growTree(binned, target, { ...options, rng: new Rng(11) });
  const b = growRandomTree(rawColumns(X, n, d), target, { ...options, rng: new Rng(11) });
  assert.ok(a.nodeCount > 10, label);
  assert.deepEqual(withoutCutBin(b), withoutCutBin(a), label);
  // The same with the WASM kernels (columns in kernel memory).
  const raw = rawColumns(X, n, d, true);
  try {
    const c = growRandomTree(raw, target, { ...options, rng: new Rng(11) });
    assert.deepEqual(withoutCutBin(c), withoutCutBin(a), `${label} (WASM)`);
  } finally {
    releaseRaw(raw);
  }
}

test('the random splitter on raw values grows the binned random splitter’s tree', async (t) => {
  const s = await fashionSubset(2000, 1);
  if (s === null) {
    t.skip('Fashion-MNIST is not installed');
    return;
  }
  const { X } = s;
  const y = Int32Array.from(s.y);
  const base = { minSamplesSplit: 2, minSamplesLeaf: 1, splitter: 'random' as const };
  const gini: ClassTarget = { kind: 'class', criterion: 'gini', y, nClasses: 10, weights: null };
  const entropy: ClassTarget = {
    kind: 'class',
    criterion: 'entropy',
    y,
    nClasses: 10,
    weights: bootstrapCounts(X.rows, new Rng(2)),
  };
  check(X.data, X.rows, X.cols, gini, { ...base, maxDepth: Infinity, maxFeatures: 28 }, 'gini √d');
  check(X.data, X.rows, X.cols, gini, { ...base, maxDepth: 9, maxFeatures: X.cols }, 'gini all');
  check(
    X.data,
    X.rows,
    X.cols,
    entropy,
    { ...base, minSamplesLeaf: 3, maxDepth: Infinity, maxFeatures: 28 },
    'entropy, weights, min_samples_leaf 3',
  );
  const samples = Int32Array.from({ length: 700 }, (_, i) => 2 * i + 1);
  check(
    X.data,
    X.rows,
    X.cols,
    gini,
    { ...base, maxDepth: 50, maxFeatures: 28, samples, depthOffset: 3 },
    'a subtree',
  );
});

test('the random splitter: -0 and +0 are one value, as in binning', () => {
  const n = 200;
  const d = 3;
  const rng = new Rng(4);
  const X = new Float32Array(n * d);
  for (let i = 0; i < X.length; i++) {
    const v = rng.nextInt(5) - 2;
    X[i] = v === 0 ? (rng.nextInt(2) === 0 ? -0 : 0) : v;
  }
  const y = Int32Array.from({ length: n }, () => rng.nextInt(3));
  const target: ClassTarget = { kind: 'class', criterion: 'gini', y, nClasses: 3, weights: null };
  check(
    X,
    n,
    d,
    target,
    {
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      splitter: 'random',
      maxDepth: Infinity,
      maxFeatures: 2,
    },
    '±0',
  );
});
