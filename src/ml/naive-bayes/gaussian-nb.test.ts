import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../matrix.js';
import { GaussianNB } from './gaussian-nb.js';

// A tiny problem whose answers scikit-learn 1.2.1 computed (GaussianNB().fit(X, y)).
const X = matrix(Float32Array.from([0, 1, 1, 1, 2, 3, 5, 5, 6, 4, 7, 6]), 6, 2);
const y = Int32Array.from([0, 0, 0, 1, 1, 1]);
const queries = matrix(Float32Array.from([3, 3, 4, 2]), 2, 2);

function close(actual: ArrayLike<number>, expected: number[], tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `[${i}] ${actual[i]} vs ${expected[i]}`);
  }
}

describe('GaussianNB', () => {
  it('learns the per-class means and smoothed variances scikit-learn learns', async () => {
    const nb = await new GaussianNB().fit(X, y);
    close(nb.theta as Float64Array, [1, 5 / 3, 6, 5], 1e-12);
    // epsilon = 1e-9 × max feature variance (6.9167) is added to every variance.
    close(
      nb.sigma as Float64Array,
      [0.6666666735833333, 0.8888888958055556, 0.6666666735833333, 0.6666666735833333],
      1e-12,
    );
  });

  it('gives scikit-learn probabilities', async () => {
    const nb = await new GaussianNB().fit(X, y);
    const proba = await nb.predictProba(queries);
    close(
      proba.data,
      [0.9963382984119808, 0.003661701588019652, 0.9423322014624385, 0.057667798537560745],
      1e-6,
    );
    assert.deepEqual(await nb.predict(queries), Int32Array.from([0, 0]));
  });

  it('uses given priors instead of the class frequencies', async () => {
    const nb = await new GaussianNB({ priors: [0.9, 0.1] }).fit(X, y);
    const proba = await nb.predictProba(matrix(Float32Array.from([3, 3]), 1, 2));
    close(proba.data, [0.9995918156909913, 0.0004081843090088524], 1e-6);
  });

  it('rejects priors that do not fit the data', async () => {
    await assert.rejects(
      () => new GaussianNB({ priors: [0.5, 0.25, 0.25] }).fit(X, y),
      /has 3 entries but the training labels have 2 classes/,
    );
    await assert.rejects(() => new GaussianNB({ priors: [0.5, 0.4] }).fit(X, y), /must sum to 1/);
  });

  it('names the parameter and the expectation in its errors', () => {
    assert.throws(
      () => new GaussianNB({ var_smoothing: -1 }),
      new RangeError(
        "The 'var_smoothing' parameter of GaussianNB must be a float in [0, inf). Got -1.",
      ),
    );
  });
});
