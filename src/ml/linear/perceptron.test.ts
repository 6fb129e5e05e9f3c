import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Perceptron } from './perceptron.js';
import { SGDClassifier } from './sgd-classifier.js';
import { blobs } from './sgd-test-data.js';

test("defaults are scikit-learn 0.19's: no penalty, alpha 1e-4, eta0 1, l1_ratio 0, 5 epochs, no tol", () => {
  const p = new Perceptron().params;
  assert.equal(p.penalty, null);
  assert.equal(p.alpha, 0.0001);
  assert.equal(p.eta0, 1);
  assert.equal(p.l1_ratio, 0);
  assert.equal(p.max_iter, 5);
  assert.equal(p.tol, null);
});

test('equals SGDClassifier(loss perceptron, learning_rate constant, eta0 1) for every penalty', async () => {
  const { X, y } = blobs(200, 7, 3, 2);
  for (const penalty of [null, 'l1', 'l2', 'elasticnet'] as const) {
    const a = await new Perceptron({ penalty, random_state: 4 }).fit(X, y);
    const b = await new SGDClassifier({
      loss: 'perceptron',
      penalty,
      learning_rate: 'constant',
      eta0: 1,
      l1_ratio: 0,
      random_state: 4,
    }).fit(X, y);
    assert.deepEqual(a.coef, b.coef, `penalty ${penalty}`);
    assert.deepEqual(a.intercept, b.intercept);
  }
});

test("0.19's elasticnet (l1_ratio 0) is l2; with l1_ratio 0.15 (scikit-learn >= 0.24) it differs", async () => {
  const { X, y } = blobs(200, 7, 3, 3);
  const l2 = await new Perceptron({ penalty: 'l2', random_state: 1, alpha: 0.01 }).fit(X, y);
  const en = await new Perceptron({ penalty: 'elasticnet', random_state: 1, alpha: 0.01 }).fit(
    X,
    y,
  );
  const en15 = await new Perceptron({
    penalty: 'elasticnet',
    l1_ratio: 0.15,
    random_state: 1,
    alpha: 0.01,
  }).fit(X, y);
  assert.deepEqual(en.coef, l2.coef);
  assert.notDeepEqual(en15.coef, l2.coef);
});

test('learns separable blobs; a perceptron on them makes no training mistakes after a few epochs', async () => {
  const { X, y } = blobs(150, 6, 3, 5, 8);
  const clf = await new Perceptron({ max_iter: 20, random_state: 0 }).fit(X, y);
  assert.equal(await clf.score(X, y), 1);
});

test('eta0 must be positive', () => {
  assert.throws(
    () => new Perceptron({ eta0: 0 }),
    /'eta0' parameter of Perceptron must be a float in \(0, inf\)\. Got 0\./,
  );
});
