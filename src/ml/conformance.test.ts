/**
 * The shared conformance suite (in the spirit of scikit-learn's check_estimator): every
 * estimator in the registry must pass every check here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ShapeMismatchError } from '../errors.js';
import { matrix, type Matrix } from './matrix.js';
import { Rng } from './random.js';
import { ESTIMATORS } from './registry.js';

/** Three Gaussian blobs in 16-D with labels 3, 7 and 9 (not 0..K-1, on purpose). */
function blobs(n: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const d = 16;
  const labels = [3, 7, 9];
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    y[i] = labels[k];
    for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal() + (j % 3 === k ? 2.5 : 0);
  }
  return { X: matrix(data, n, d), y };
}

const train = blobs(200, 1);
const test = blobs(90, 2);

for (const entry of ESTIMATORS) {
  describe(`conformance: ${entry.name}`, () => {
    const make = () => entry.create({ ...entry.conformance.params });

    it('fit resolves to the estimator itself', async () => {
      const est = make();
      assert.equal(await est.fit(train.X, train.y), est);
    });

    it('predicts one known label per row and beats chance clearly', async () => {
      const est = await make().fit(train.X, train.y);
      const pred = await est.predict(test.X);
      assert.ok(pred instanceof Int32Array);
      assert.equal(pred.length, test.X.rows);
      for (const p of pred) assert.ok([3, 7, 9].includes(p), `unexpected label ${p}`);
      const acc = await est.score(test.X, test.y);
      assert.ok(acc >= 0.6, `accuracy ${acc} < 0.6 on well-separated blobs`);
    });

    it('is deterministic under the same parameters and seed', async () => {
      const withSeed = (p: Record<string, unknown>) =>
        'random_state' in make().params ? { ...p, random_state: 42 } : p;
      const a = await entry.create(withSeed(entry.conformance.params)).fit(train.X, train.y);
      const b = await entry.create(withSeed(entry.conformance.params)).fit(train.X, train.y);
      assert.deepEqual(await a.predict(test.X), await b.predict(test.X));
    });

    it('raises the not-fitted error before fit', async () => {
      await assert.rejects(
        () => make().predict(test.X),
        (err: unknown) => {
          assert.ok(err instanceof NotFittedError);
          assert.match(
            (err as Error).message,
            new RegExp(`This ${entry.name} instance is not fitted yet`),
          );
          return true;
        },
      );
    });

    it('rejects X with the wrong number of features after fit', async () => {
      const est = await make().fit(train.X, train.y);
      const narrow = matrix(new Float32Array(5 * 3), 5, 3);
      await assert.rejects(() => est.predict(narrow), ShapeMismatchError);
    });

    it('rejects unknown parameter names', () => {
      assert.throws(
        () => entry.create({ ...entry.conformance.params, no_such_param: 1 }),
        (err: unknown) =>
          err instanceof TypeError && /Invalid parameter 'no_such_param'/.test(err.message),
      );
    });

    for (const bad of entry.conformance.invalid) {
      it(`rejects invalid params ${JSON.stringify(bad.params)} with ${bad.error}`, () => {
        const expected = bad.error === 'TypeError' ? TypeError : RangeError;
        assert.throws(
          () => entry.create({ ...entry.conformance.params, ...bad.params }),
          // The message must name at least one of the offending parameters.
          (err: unknown) =>
            err instanceof expected &&
            Object.keys(bad.params).some((k) => (err as Error).message.includes(k)),
        );
      });
    }

    it('does not change the params object it was given', () => {
      const given = structuredClone(entry.conformance.params);
      entry.create(given);
      assert.deepEqual(given, entry.conformance.params);
    });

    it('returns probabilities that sum to 1 when it has predictProba', async (t) => {
      const est = await make().fit(train.X, train.y);
      if (!est.predictProba) return t.skip(`${entry.name} has no predictProba`);
      const proba = await est.predictProba(test.X);
      assert.equal(proba.rows, test.X.rows);
      assert.equal(proba.cols, 3);
      for (let i = 0; i < proba.rows; i++) {
        let s = 0;
        for (let k = 0; k < proba.cols; k++) s += proba.data[i * proba.cols + k];
        assert.ok(Math.abs(s - 1) < 1e-5, `row ${i} sums to ${s}`);
      }
    });
  });
}
