import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { LogisticRegression } from './logistic-regression.js';

const rng = new Rng(9);
const n = 180;
const d = 12;
const data = new Float32Array(n * d);
const y = new Int32Array(n);
for (let i = 0; i < n; i++) {
  const k = i % 3;
  y[i] = k;
  // Only features 0..2 carry the class; the rest are noise.
  for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal() + (j === k ? 2 : 0);
}
const X = matrix(data, n, d);

describe('LogisticRegression (liblinear)', () => {
  it('l2: one weight vector per class, deterministic, same on worker threads', async () => {
    const a = await new LogisticRegression({ C: 1 }).fit(X, y);
    const b = await new LogisticRegression({ C: 1, n_jobs: 2 }).fit(X, y);
    assert.equal(a.coef?.length, 3 * d);
    assert.deepEqual(b.coef, a.coef);
    assert.ok((await a.score(X, y)) > 0.8);
    assert.ok(a.nIter.every((it) => it >= 1 && it <= 100));
  });

  it('l1: newGLMNET sets the noise features exactly to zero at small C', async () => {
    const clf = await new LogisticRegression({ penalty: 'l1', C: 0.05, random_state: 0 }).fit(X, y);
    const coef = clf.coef as Float64Array;
    const zeros = coef.filter((v) => v === 0).length;
    assert.ok(zeros >= 15, `${zeros} zeros in ${Array.from(coef)}`);
    for (let k = 0; k < 3; k++) assert.ok(coef[k * d + k] > 0, `class ${k} lost its own feature`);
    assert.ok((await clf.score(X, y)) > 0.7);
  });

  it('more regularisation (smaller C) shrinks the weights', async () => {
    const norm = (c: Float64Array | null) => Math.hypot(...(c as Float64Array));
    const small = await new LogisticRegression({ C: 0.01 }).fit(X, y);
    const large = await new LogisticRegression({ C: 100 }).fit(X, y);
    assert.ok(norm(small.coef) < norm(large.coef));
  });

  it('rejects what it does not implement, saying so', () => {
    assert.throws(() => new LogisticRegression({ dual: true }), /dual=true is not implemented/);
    assert.throws(
      () => new LogisticRegression({ solver: 'lbfgs' as 'liblinear' }),
      /'solver' parameter of LogisticRegression/,
    );
    assert.throws(
      () => new LogisticRegression({ multi_class: 'multinomial' as 'ovr' }),
      RangeError,
    );
  });
});
