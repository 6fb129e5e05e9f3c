import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binFeatures, releaseBinned } from '../../kernels/histogram-bins.js';
import { GradientBoostingClassifier } from '../ensemble/gradient-boosting.js';
import { RandomForestClassifier } from '../ensemble/random-forest.js';
import type { Classifier } from '../estimator.js';
import { matrix, takeLabels, takeRows, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { DecisionTreeClassifier } from './decision-tree.js';
import { REUSED_BINS_NOTE, binTrainingSet, declareRowPermutation } from './training-bins.js';

/** Pixel-like data: byte values through a per-feature affine map; labels from two features. */
function pixels(n: number, d: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = (rng.nextInt(256) - 90) * (0.02 + 0.003 * j);
    y[i] = (data[i * d] > 0 ? 1 : 0) + (data[i * d + 1] > 0.5 ? 2 : 0);
  }
  return { X: matrix(data, n, d), y };
}

/** What the benchmark's ShuffledTrain hands a fit: a copy in `order`, declared as such. */
function declaredShuffle(source: Matrix, seed: number): { X: Matrix; order: Uint32Array } {
  const order = new Rng(seed).permutation(source.rows);
  const X = takeRows(source, order);
  declareRowPermutation(X, source, order);
  return { X, order };
}

describe('training-set bins', () => {
  it('permutes the source bins into exactly what binning the shuffle gives, and says when it reused them', () => {
    const { X: source } = pixels(400, 9, 1);
    const first = declaredShuffle(source, 2);
    const second = declaredShuffle(source, 3);
    const options = { rowMajor: true, arena: true };
    const a = binTrainingSet(first.X, options);
    const b = binTrainingSet(second.X, options);
    assert.equal(a.reused, false, 'the first fit bins the source');
    assert.equal(b.reused, true, 'a later shuffle of it reuses them');
    for (const [got, X] of [
      [a.binned, first.X],
      [b.binned, second.X],
    ] as const) {
      const want = binFeatures(X.data, X.rows, X.cols, options);
      assert.deepEqual(Array.from(got.codes), Array.from(want.codes));
      assert.deepEqual(Array.from(got.rowCodes ?? []), Array.from(want.rowCodes ?? []));
      assert.deepEqual(got.values, want.values);
      releaseBinned(want);
      releaseBinned(got);
    }
    const plain = binTrainingSet(takeRows(source, first.order), options);
    assert.equal(plain.reused, false, 'an undeclared matrix is binned as usual');
    releaseBinned(plain.binned);
  });

  it('refuses a declaration whose shapes do not make a permutation', () => {
    const { X: source } = pixels(50, 3, 4);
    const order = new Rng(1).permutation(50);
    assert.throws(
      () => declareRowPermutation(takeRows(source, order.subarray(0, 40)), source, order),
      /X \(40×3\) must be all 50 rows of a 50×3 source, reordered; order has 50 entries/,
    );
    assert.throws(
      () => declareRowPermutation(takeRows(source, order), source, order.subarray(1)),
      /order has 49 entries/,
    );
  });

  it('fits the same trees, forests and boosted trees on a declared shuffle as on a plain copy', async () => {
    const { X: test } = pixels(200, 12, 6);
    const make: (() => Classifier)[] = [
      () => new DecisionTreeClassifier({ random_state: 3 }),
      () => new RandomForestClassifier({ n_estimators: 4, random_state: 3, n_jobs: 1 }),
      () => new GradientBoostingClassifier({ n_estimators: 3, max_depth: 2, random_state: 3 }),
    ];
    for (const [k, create] of make.entries()) {
      // A training set per family, and two shuffles of it: the second reuses the first's bins.
      const { X: source, y: labels } = pixels(600, 12, 20 + k);
      for (const seed of [10, 11]) {
        const { X, order } = declaredShuffle(source, seed);
        const y = takeLabels(labels, order);
        const viaBins = await create().fit(X, y);
        assert.ok(viaBins.predictProba !== undefined);
        const plain = await create().fit(takeRows(source, order), y);
        const name = viaBins.estimatorName;
        assert.deepEqual(
          (await viaBins.predictProba?.(test))?.data,
          (await plain.predictProba?.(test))?.data,
          `${name}, shuffle ${seed}`,
        );
        assert.equal(plain.benchmarkNote, null);
        assert.equal(viaBins.benchmarkNote, seed === 10 ? null : REUSED_BINS_NOTE, name);
      }
    }
  });
});
