import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PassiveAggressiveClassifier } from './passive-aggressive.js';
import { blobs } from './sgd-test-data.js';

test("defaults are scikit-learn 0.19's: C 1, hinge (PA-I), 5 epochs, no tol", () => {
  const p = new PassiveAggressiveClassifier().params;
  assert.equal(p.C, 1);
  assert.equal(p.loss, 'hinge');
  assert.equal(p.max_iter, 5);
  assert.equal(p.tol, null);
});

test('one PA-I step on two classes: w = tau·y·x with tau = min(C, 1/||x||^2)', async () => {
  // Row 0 is class 0 (y = −1 for the single binary problem), row 1 class 1. Without
  // shuffling, the first sample sees w = 0 and a hinge loss of 1.
  const X = { data: Float32Array.from([1, 2, 2, -1]), rows: 2, cols: 2 };
  const y = Int32Array.from([0, 1]);
  const clf = await new PassiveAggressiveClassifier({ C: 10, shuffle: false, max_iter: 1 }).fit(
    X,
    y,
  );
  // Step 1: tau = 1/5 along −x0 → w = (−0.2, −0.4), b = −0.2.
  // Step 2: p = −0.2·2 + −0.4·−1 − 0.2 = −0.2, loss = 1.2, ||x1||² = 5, tau = 0.24 → w += 0.24·x1.
  const w = clf.coef as Float64Array;
  assert.ok(Math.abs(w[0] - (-0.2 + 0.48)) < 1e-12);
  assert.ok(Math.abs(w[1] - (-0.4 - 0.24)) < 1e-12);
  assert.ok(Math.abs((clf.intercept as Float64Array)[0] - (-0.2 + 0.24)) < 1e-12);
  // A tiny C caps both steps at C.
  const capped = await new PassiveAggressiveClassifier({
    C: 0.01,
    shuffle: false,
    max_iter: 1,
  }).fit(X, y);
  const wc = capped.coef as Float64Array;
  assert.ok(Math.abs(wc[0] - (-0.01 + 0.02)) < 1e-12 && Math.abs(wc[1] - (-0.02 - 0.01)) < 1e-12);
});

test('learns separable blobs for PA-I and PA-II, deterministic under random_state', async () => {
  const train = blobs(300, 10, 4, 11);
  const test_ = blobs(200, 10, 4, 12);
  for (const loss of ['hinge', 'squared_hinge'] as const) {
    for (const C of [0.01, 1, 100]) {
      const a = await new PassiveAggressiveClassifier({ C, loss, random_state: 2 }).fit(
        train.X,
        train.y,
      );
      assert.ok((await a.score(test_.X, test_.y)) >= 0.85, `${loss} C=${C}`);
      const b = await new PassiveAggressiveClassifier({ C, loss, random_state: 2 }).fit(
        train.X,
        train.y,
      );
      assert.deepEqual(a.coef, b.coef);
    }
  }
});

test('C must be positive; only hinge and squared_hinge', () => {
  assert.throws(() => new PassiveAggressiveClassifier({ C: 0 }), RangeError);
  assert.throws(() => new PassiveAggressiveClassifier({ loss: 'log' as 'hinge' }), RangeError);
});
