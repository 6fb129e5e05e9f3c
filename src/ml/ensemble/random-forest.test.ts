import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../../kernels/histogram-bins.js';
import { matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { fashionSubset } from '../tree/fashion-subset.fixture.js';
import { applyTree } from '../tree/flat-tree.js';
import { RandomForestClassifier } from './random-forest.js';
import { bootstrapCounts, forestTree } from '../tree/tree-jobs.js';

function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const X = new Float32Array(n * 6);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextInt(3);
    for (let j = 0; j < 6; j++)
      X[i * 6 + j] = Math.round((y[i] * (j % 3) + rng.nextNormal()) * 8) / 8;
  }
  return { X: matrix(X, n, 6), y };
}

test('predict_proba is the mean of the trees’ normalised leaf distributions (not a vote)', async () => {
  const { X, y } = blobs(300, 1);
  const rf = new RandomForestClassifier({
    n_estimators: 7,
    max_depth: 3,
    random_state: 2,
    n_jobs: 1,
  });
  await rf.fit(X, y);
  const proba = await rf.predictProba(X);
  const expected = new Float64Array(300 * 3);
  for (const tree of rf.estimators) {
    const leaves = applyTree(tree, X);
    for (let i = 0; i < 300; i++) {
      const v = tree.value.subarray(leaves[i] * 3, leaves[i] * 3 + 3);
      const s = v[0] + v[1] + v[2];
      for (let k = 0; k < 3; k++) expected[i * 3 + k] += v[k] / s / 7;
    }
  }
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(proba.data[i] - expected[i]) < 1e-6);
  const pred = await rf.predict(X);
  for (let i = 0; i < 300; i++) {
    const row = Array.from(expected.subarray(i * 3, i * 3 + 3));
    assert.equal(pred[i], row.indexOf(Math.max(...row)));
  }
});

test('each tree sees a bootstrap sample: n draws with replacement, as integer weights', () => {
  const counts = bootstrapCounts(1000, new Rng(5));
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    1000,
  );
  const distinct = counts.filter((c) => c > 0).length;
  assert.ok(distinct > 590 && distinct < 680, `${distinct} distinct rows (expected ≈ 632)`);
  // The root of a bootstrap tree holds the distinct rows and their weights.
  const { X, y } = blobs(1000, 3);
  const b = binFeatures(X.data, 1000, 6);
  const tree = forestTree(b, y, 3, {
    criterion: 'gini',
    bootstrap: true,
    seed: 11,
    maxDepth: 1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: 2,
    splitter: 'best',
  });
  const again = bootstrapCounts(1000, new Rng(11));
  assert.equal(tree.nSamples[0], again.filter((c) => c > 0).length);
  const leafWeights = tree.value.reduce((a, v) => a + v, 0);
  assert.equal(leafWeights, 1000);
});

test('parallel (2 workers) and serial fits give the same forest', async (t) => {
  const data = await fashionSubset(1500, 500);
  const { X, y } = data ?? blobs(1500, 9);
  if (data === null) t.diagnostic('Fashion-MNIST not installed: synthetic data');
  const params = { n_estimators: 4, criterion: 'entropy' as const, max_depth: 12, random_state: 7 };
  const serial = new RandomForestClassifier({ ...params, n_jobs: 1 });
  const parallel = new RandomForestClassifier({ ...params, n_jobs: 2 });
  await serial.fit(X, y);
  await parallel.fit(X, y);
  assert.deepEqual(parallel.estimators, serial.estimators);
  if (data !== null) {
    const acc = await parallel.score(data.Xtest, data.ytest);
    assert.ok(acc > 0.7, `accuracy ${acc}`);
  }
});
