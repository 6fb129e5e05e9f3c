import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { MLPClassifier, glorotInit, type MLPClassifierParams } from './mlp-classifier.js';

/** Four classes on the quadrants of two informative features, plus noise features. */
function quadrants(n: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const d = 10;
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal();
    y[i] = (data[i * d] > 0 ? 1 : 0) + (data[i * d + 1] > 0 ? 2 : 0) + 10;
  }
  return { X: matrix(data, n, d), y };
}

const train = quadrants(600, 1);
const test = quadrants(300, 2);

describe('MLPClassifier', () => {
  it('learns a non-linear problem (relu and tanh, one and two hidden layers)', async () => {
    for (const params of [
      { activation: 'relu', hidden_layer_sizes: [20] },
      { activation: 'tanh', hidden_layer_sizes: [20, 10] },
    ] satisfies Partial<MLPClassifierParams>[]) {
      const clf = await new MLPClassifier({ ...params, random_state: 0 }).fit(train.X, train.y);
      const acc = await clf.score(test.X, test.y);
      assert.ok(acc >= 0.9, `${JSON.stringify(params)}: accuracy ${acc}`);
      assert.equal(clf.lossCurve.length, clf.nIter);
      assert.ok(clf.nIter > 1 && clf.nIter <= 200);
      assert.equal(clf.t, clf.nIter * 600);
      assert.equal(clf.loss, clf.lossCurve.at(-1));
    }
  });

  it('is deterministic under a seed, and the seed matters', async () => {
    const fit = (seed: number) =>
      new MLPClassifier({ hidden_layer_sizes: [8], max_iter: 20, random_state: seed }).fit(
        train.X,
        train.y,
      );
    const [a, b, c] = await Promise.all([fit(3), fit(3), fit(4)]);
    assert.deepEqual(a.coefs, b.coefs);
    assert.deepEqual(a.lossCurve, b.lossCurve);
    assert.notDeepEqual(a.coefs, c.coefs);
  });

  it('stops by the 0.19 rule: more than n_iter_no_change epochs without tol improvement', async () => {
    const clf = await new MLPClassifier({ hidden_layer_sizes: [8], tol: 0.05 }).fit(
      train.X,
      train.y,
    );
    assert.ok(clf.nIter < 200);
    // The last three epochs each failed to beat the best-so-far by tol.
    let best = Infinity;
    let count = 0;
    clf.lossCurve.forEach((l, e) => {
      count = l > best - 0.05 ? count + 1 : 0;
      best = Math.min(best, l);
      assert.equal(count > 2, e === clf.nIter - 1, `epoch ${e}`);
    });
  });

  it('handles two classes with one logistic output, and probabilities', async () => {
    const y2 = train.y.map((v) => (v % 2 === 0 ? 5 : 8));
    const clf = await new MLPClassifier({ hidden_layer_sizes: [10], random_state: 1 }).fit(
      train.X,
      y2,
    );
    assert.equal(clf.coefs?.at(-1)?.length, 10); // 10 hidden units → 1 output
    const proba = await clf.predictProba(test.X);
    const pred = await clf.predict(test.X);
    assert.equal(proba.cols, 2);
    for (let i = 0; i < test.X.rows; i++) {
      const p1 = proba.data[2 * i + 1];
      assert.ok(Math.abs(proba.data[2 * i] + p1 - 1) < 1e-6);
      if (Math.abs(p1 - 0.5) > 1e-6) assert.equal(pred[i], p1 > 0.5 ? 8 : 5);
    }
    const truth = test.y.map((v) => (v % 2 === 0 ? 5 : 8));
    assert.ok((await clf.score(test.X, truth)) >= 0.9);
  });

  it('predicts the most probable class', async () => {
    const clf = await new MLPClassifier({ hidden_layer_sizes: [6], max_iter: 30 }).fit(
      train.X,
      train.y,
    );
    const proba = await clf.predictProba(test.X);
    const pred = await clf.predict(test.X);
    for (let i = 0; i < test.X.rows; i++) {
      const row = Array.from(proba.data.subarray(4 * i, 4 * i + 4));
      assert.equal(pred[i], 10 + row.indexOf(Math.max(...row)));
    }
  });

  it('accepts an int for hidden_layer_sizes and [] for no hidden layer', async () => {
    const one = await new MLPClassifier({ hidden_layer_sizes: 7, max_iter: 5 }).fit(
      train.X,
      train.y,
    );
    assert.deepEqual(one.layerSizes, [10, 7, 4]);
    const none = await new MLPClassifier({ hidden_layer_sizes: [], max_iter: 5 }).fit(
      train.X,
      train.y,
    );
    assert.deepEqual(none.layerSizes, [10, 4]);
  });

  it('uses batch_size rows per step (clipped to n)', async () => {
    const small = await new MLPClassifier({
      hidden_layer_sizes: [4],
      batch_size: 1000,
      max_iter: 3,
    });
    await small.fit(train.X, train.y);
    assert.equal(small.nIter, 3);
  });

  it("rejects invalid params with scikit-learn's messages", () => {
    assert.throws(
      () => new MLPClassifier({ hidden_layer_sizes: [10, 0] }),
      /The 'hidden_layer_sizes' parameter of MLPClassifier must be/,
    );
    assert.throws(
      () => new MLPClassifier({ activation: 'softmax' as never }),
      (e: unknown) =>
        e instanceof RangeError && e.message.includes("{'identity', 'logistic', 'tanh', 'relu'}"),
    );
    assert.throws(
      () => new MLPClassifier({ solver: 'lbfgs' }),
      (e: unknown) => e instanceof RangeError && /only 'adam' is implemented/.test(e.message),
    );
    assert.throws(() => new MLPClassifier({ batch_size: 'big' as never }), RangeError);
    assert.throws(() => new MLPClassifier({ batch_size: 1.5 }), TypeError);
    assert.throws(() => new MLPClassifier({ beta_2: 1 }), RangeError);
    assert.throws(() => new MLPClassifier({ tol: -1 }), RangeError);
    assert.throws(() => new MLPClassifier({ n_iter_no_change: 0 }), RangeError);
  });
});

describe('glorotInit', () => {
  it('draws within ±√(6/(fan_in+fan_out)) (±√(2/…) for logistic), biases too', () => {
    for (const [act, factor] of [
      ['relu', 6],
      ['tanh', 6],
      ['logistic', 2],
    ] as const) {
      const { weights, biases } = glorotInit([30, 20, 5], act, new Rng(0));
      assert.deepEqual(
        weights.map((w) => w.length),
        [600, 100],
      );
      assert.deepEqual(
        biases.map((b) => b.length),
        [20, 5],
      );
      [50, 25].forEach((fans, l) => {
        const bound = Math.sqrt(factor / fans);
        for (const v of [...weights[l], ...biases[l]]) assert.ok(Math.abs(v) <= bound);
        // Uniform: the largest draw comes close to the bound.
        assert.ok(Math.max(...weights[l].map(Math.abs)) > 0.9 * bound);
      });
    }
  });
});
