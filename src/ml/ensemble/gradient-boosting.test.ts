import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { fashionSubset } from '../tree/fashion-subset.fixture.js';
import { GradientBoostingClassifier } from './gradient-boosting.js';

test('one stage matches a hand computation (log priors, friedman split, Newton leaves)', async () => {
  const x = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const y = [0, 0, 0, 1, 1, 1, 1, 2, 2];
  const K = 3;
  const n = x.length;
  const gb = new GradientBoostingClassifier({
    n_estimators: 1,
    max_depth: 1,
    learning_rate: 0.1,
    n_jobs: 1,
  });
  await gb.fit(matrix(Float32Array.from(x), n, 1), Int32Array.from(y));
  const raw = gb.decisionFunction(matrix(Float32Array.from(x), n, 1));

  const prior = [3 / 9, 4 / 9, 2 / 9];
  for (let k = 0; k < K; k++) {
    // Softmax of the log priors is the priors themselves.
    const r = y.map((c) => (c === k ? 1 : 0) - prior[k]);
    // Best stump by n_l·n_r/n·(mean_l − mean_r)², first maximum wins.
    let best = -1;
    let cut = -1;
    for (let c = 0; c < n - 1; c++) {
      const L = r.slice(0, c + 1);
      const R = r.slice(c + 1);
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      const gain = ((L.length * R.length) / n) * (mean(L) - mean(R)) ** 2;
      if (gain > best + 1e-12) {
        best = gain;
        cut = c;
      }
    }
    // Newton step over rows [from, to): (K−1)/K · Σr / Σ p(1−p), p = y_k − r.
    const newton = (from: number, to: number) => {
      let num = 0;
      let den = 0;
      for (let i = from; i < to; i++) {
        const p = (y[i] === k ? 1 : 0) - r[i];
        num += r[i];
        den += p * (1 - p);
      }
      return (num * (K - 1)) / K / den;
    };
    const left = newton(0, cut + 1);
    const right = newton(cut + 1, n);
    assert.equal(gb.estimators[0][k].threshold[0], cut + 0.5);
    for (let i = 0; i < n; i++) {
      const expected = Math.log(prior[k]) + 0.1 * (i <= cut ? left : right);
      assert.ok(
        Math.abs(raw[i * K + k] - expected) < 1e-12,
        `class ${k} row ${i}: ${raw[i * K + k]} vs ${expected}`,
      );
    }
  }
  // The training raw scores the fit kept agree with predicting the training rows.
  const kept = gb.trainRaw as Float64Array;
  for (let i = 0; i < raw.length; i++) assert.ok(Math.abs(kept[i] - raw[i]) < 1e-12);
});

test('two classes use one tree per stage from the log odds (binomial deviance)', async () => {
  const rng = new Rng(3);
  const n = 200;
  const X = Float32Array.from({ length: n * 2 }, () => rng.nextInt(50) / 10);
  const y = Int32Array.from({ length: n }, (_, i) => (X[2 * i] + X[2 * i + 1] > 5 ? 7 : 2));
  const gb = new GradientBoostingClassifier({ n_estimators: 20, max_depth: 2, n_jobs: 1 });
  const M = matrix(X, n, 2);
  await gb.fit(M, y);
  assert.equal(gb.estimators[0].length, 1);
  const ones = y.filter((v) => v === 7).length;
  assert.ok(Math.abs((gb.init as Float64Array)[0] - Math.log(ones / (n - ones))) < 1e-12);
  assert.ok((await gb.score(M, y)) > 0.9);
  const proba = await gb.predictProba(M);
  assert.ok(Math.abs(proba.data[0] + proba.data[1] - 1) < 1e-6);
});

test('parallel (2 workers) and serial boosting give the same model', async (t) => {
  const data = await fashionSubset(1000, 500);
  if (data === null) return t.skip('Fashion-MNIST (dataset-fashion-mnist) is not installed');
  const params = { n_estimators: 3, max_depth: 3, random_state: 5 };
  const serial = new GradientBoostingClassifier({ ...params, n_jobs: 1 });
  const parallel = new GradientBoostingClassifier({ ...params, n_jobs: 2 });
  await serial.fit(data.X, data.y);
  await parallel.fit(data.X, data.y);
  assert.deepEqual(parallel.estimators, serial.estimators);
  assert.deepEqual(parallel.trainRaw, serial.trainRaw);
  const acc = await parallel.score(data.Xtest, data.ytest);
  assert.ok(acc > 0.65, `accuracy ${acc}`);
});
