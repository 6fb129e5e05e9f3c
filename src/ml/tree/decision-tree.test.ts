import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../../kernels/histogram-bins.js';
import { matrix } from '../matrix.js';
import { DecisionTreeClassifier, ExtraTreeClassifier } from './decision-tree.js';
import { fashionSubset } from './fashion-subset.fixture.js';
import { applyTree, type FlatTree } from './flat-tree.js';

const fit = async (
  clf: DecisionTreeClassifier | ExtraTreeClassifier,
  rows: number[][],
  y: number[],
) => {
  await clf.fit(
    matrix(Float32Array.from(rows.flat()), rows.length, rows[0].length),
    Int32Array.from(y),
  );
  return clf.tree as FlatTree;
};

test('a tiny tree equals the hand-computed one', async () => {
  // Feature 0 is noise, feature 1 separates the classes perfectly between 2 and 5.
  const rows = [
    [0, 1],
    [1, 2],
    [0, 5],
    [1, 6],
    [0, 7],
  ];
  const tree = await fit(new DecisionTreeClassifier({ random_state: 0 }), rows, [3, 3, 8, 8, 8]);
  assert.equal(tree.nodeCount, 3);
  assert.equal(tree.feature[0], 1);
  assert.equal(tree.threshold[0], 3.5); // midpoint of 2 and 5
  assert.deepEqual(Array.from(tree.value.subarray(2, 4)), [2, 0]); // left leaf: both class-3 rows
  assert.deepEqual(Array.from(tree.value.subarray(4, 6)), [0, 3]);
  assert.deepEqual(Array.from(tree.nSamples), [5, 2, 3]);
});

test('gini and entropy choose the splits their formulas prefer', async () => {
  // One feature with three values; class counts per value: [0,3,1], [1,3,0], [3,2,1].
  // Gini prefers the cut after the second value, entropy after the first (checked by hand).
  const rows: number[][] = [];
  const y: number[] = [];
  const counts = [
    [0, 3, 1],
    [1, 3, 0],
    [3, 2, 1],
  ];
  counts.forEach((c, v) =>
    c.forEach((m, k) => {
      for (let i = 0; i < m; i++) {
        rows.push([v]);
        y.push(k);
      }
    }),
  );
  const gini = await fit(new DecisionTreeClassifier({ max_depth: 1 }), rows, y);
  const entropy = await fit(
    new DecisionTreeClassifier({ max_depth: 1, criterion: 'entropy' }),
    rows,
    y,
  );
  assert.equal(gini.threshold[0], 1.5);
  assert.equal(entropy.threshold[0], 0.5);
});

test('the random splitter draws thresholds inside the node’s range; seeds make fits repeatable', async () => {
  const rows = Array.from({ length: 60 }, (_, i) => [i % 7, (i * 13) % 11]);
  const y = rows.map(([a, b]) => (a + b > 8 ? 1 : 0));
  const a = await fit(new ExtraTreeClassifier({ random_state: 4, max_features: null }), rows, y);
  const b = await fit(new ExtraTreeClassifier({ random_state: 4, max_features: null }), rows, y);
  assert.deepEqual(a, b);
  assert.ok(a.threshold[0] > 0 && a.threshold[0] < (a.feature[0] === 0 ? 6 : 10));
  // Grown to purity, it classifies its training rows exactly.
  const clf = new ExtraTreeClassifier({ random_state: 4 });
  const X = matrix(Float32Array.from(rows.flat()), rows.length, 2);
  await clf.fit(X, Int32Array.from(y));
  assert.equal(await clf.score(X, Int32Array.from(y)), 1);
});

test('on real Fashion-MNIST: pure leaves, thresholds agree with bins, deterministic', async (t) => {
  const data = await fashionSubset(2000, 1000);
  if (data === null) return t.skip('Fashion-MNIST (dataset-fashion-mnist) is not installed');
  const clf = new DecisionTreeClassifier({ random_state: 1 });
  await clf.fit(data.X, data.y);
  assert.equal(await clf.score(data.X, data.y), 1);
  const acc = await clf.score(data.Xtest, data.ytest);
  assert.ok(acc > 0.65 && acc < 0.85, `test accuracy ${acc}`);
  // Walking the float thresholds lands every training row in the same leaf as walking bins.
  const tree = clf.tree as FlatTree;
  const b = binFeatures(data.X.data, data.X.rows, data.X.cols);
  const leaves = applyTree(tree, data.X);
  for (let i = 0; i < data.X.rows; i++) {
    let node = 0;
    while (tree.feature[node] >= 0) {
      node =
        b.codes[tree.feature[node] * b.n + i] <= tree.cutBin[node]
          ? tree.left[node]
          : tree.right[node];
    }
    assert.equal(leaves[i], node);
  }
  // The same tree again, and the same when its subtrees grow on 2 workers or serially.
  for (const n_jobs of [2, 1]) {
    const again = new DecisionTreeClassifier({ random_state: 1, n_jobs });
    await again.fit(data.X, data.y);
    assert.deepEqual(again.tree, tree);
  }

  const et = new ExtraTreeClassifier({ max_depth: 10, random_state: 0 });
  await et.fit(data.X, data.y);
  assert.ok((await et.score(data.Xtest, data.ytest)) > 0.6);
  const proba = await et.predictProba(data.Xtest);
  for (let i = 0; i < 10; i++) {
    let s = 0;
    for (let k = 0; k < 10; k++) s += proba.data[i * 10 + k];
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
});

test('max_depth bounds the depth; invalid max_features for the data is a clear error', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => [i, (i * 7) % 5]);
  const y = rows.map((_, i) => (i * 31) % 3);
  const tree = await fit(new DecisionTreeClassifier({ max_depth: 2 }), rows, y);
  let leaves = 0;
  for (let i = 0; i < tree.nodeCount; i++) if (tree.feature[i] < 0) leaves++;
  assert.ok(leaves <= 4);
  await assert.rejects(
    fit(new DecisionTreeClassifier({ max_features: 3 }), rows, y),
    /'max_features' parameter of DecisionTreeClassifier must be at most n_features=2/,
  );
});
