import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { LinearSVC } from './linear-svc.js';

function blobs(n: number, K: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const d = 5;
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % K;
    y[i] = 10 + k;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal() * 1.5 + (j === k ? 2 : 0);
  }
  return { X: matrix(data, n, d), y };
}

const { X, y } = blobs(150, 4, 1);

describe('LinearSVC', () => {
  it("rejects penalty='l1' with loss='hinge' as scikit-learn does, saying why", () => {
    assert.throws(
      () => new LinearSVC({ penalty: 'l1', loss: 'hinge' }),
      (err: unknown) =>
        err instanceof RangeError &&
        err.message.startsWith(
          "Unsupported set of arguments: The combination of penalty='l1' and loss='hinge' is not supported, Parameters: penalty='l1', loss='hinge', dual=True",
        ),
    );
    assert.throws(
      () => new LinearSVC({ penalty: 'l2', loss: 'hinge', dual: false }),
      /not supported when dual=False/,
    );
    assert.throws(
      () => new LinearSVC({ penalty: 'l1', loss: 'squared_hinge' }),
      /not supported when dual=True/,
    );
  });

  it('crammer_singer ignores loss and penalty (the paper’s four near-equal rows)', async () => {
    const fits = await Promise.all(
      (
        [
          ['hinge', 'l2'],
          ['squared_hinge', 'l1'],
          ['hinge', 'l1'],
        ] as const
      ).map(([loss, penalty]) =>
        new LinearSVC({ multi_class: 'crammer_singer', loss, penalty, random_state: 3 }).fit(X, y),
      ),
    );
    assert.equal(fits[0].coef?.length, 4 * 5);
    assert.deepEqual(fits[1].coef, fits[0].coef);
    assert.deepEqual(fits[2].coef, fits[0].coef);
  });

  it('runs the one-vs-rest problems on worker threads with the same result', async () => {
    for (const loss of ['hinge', 'squared_hinge'] as const) {
      const one = await new LinearSVC({ loss, random_state: 5, n_jobs: 1 }).fit(X, y);
      const two = await new LinearSVC({ loss, random_state: 5, n_jobs: 2 }).fit(X, y);
      assert.deepEqual(two.coef, one.coef);
      assert.deepEqual(two.intercept, one.intercept);
    }
  });

  it('fits two classes with one weight vector, class 1 on the positive side', async () => {
    const two = blobs(80, 2, 2);
    const clf = await new LinearSVC({ random_state: 0 }).fit(two.X, two.y);
    assert.equal(clf.coef?.length, 5);
    assert.ok((await clf.score(two.X, two.y)) > 0.65);
    const primal = await new LinearSVC({ dual: false }).fit(two.X, two.y);
    assert.ok((await primal.score(two.X, two.y)) > 0.65);
    // Two classes: the same single problem as one-vs-rest of class 1, predicted by sign.
    const pred = await clf.predict(two.X);
    assert.ok(pred.every((p) => p === 10 || p === 11));
  });

  it('leaves the intercept at 0 without fit_intercept, and scales it with intercept_scaling', async () => {
    const none = await new LinearSVC({ fit_intercept: false }).fit(X, y);
    assert.deepEqual(Array.from(none.intercept as Float64Array), [0, 0, 0, 0]);
    const scaled = await new LinearSVC({ intercept_scaling: 10, random_state: 0 }).fit(X, y);
    assert.ok((await scaled.score(X, y)) > 0.5);
  });
});
