import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../ml/random.js';
import { ACT_IDENTITY, ACT_LOGISTIC, ACT_RELU, ACT_TANH, type ActivationCode } from './mlp.js';
import {
  NoImprovementStopper,
  mlpLossAndGradient,
  trainMlp,
  type MlpTrainConfig,
} from './mlp-train.js';

function random(n: number, rng: Rng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.nextNormal());
}

function tinyNet(sizes: number[], seed: number) {
  const rng = new Rng(seed);
  const weights = sizes.slice(1).map((s, l) => random(sizes[l] * s, rng, 0.7));
  const biases = sizes.slice(1).map((s) => random(s, rng, 0.3));
  const n = 9;
  const X = random(n * sizes[0], rng);
  const K = sizes.at(-1) as number;
  const y = Int32Array.from({ length: n }, (_, i) => (K === 1 ? i % 2 : i % K));
  return { weights, biases, data: { X, n, d: sizes[0], y } };
}

describe('backprop gradient', () => {
  const cases: Array<[string, ActivationCode, number[]]> = [
    ['tanh, softmax', ACT_TANH, [4, 5, 3]],
    ['logistic, two hidden layers', ACT_LOGISTIC, [3, 4, 6, 3]],
    ['identity, binary logistic output', ACT_IDENTITY, [5, 3, 1]],
    ['relu, softmax', ACT_RELU, [6, 7, 4]],
    ['no hidden layer', ACT_RELU, [5, 3]],
  ];
  for (const [name, act, sizes] of cases) {
    it(`matches central finite differences (${name})`, () => {
      const { weights, biases, data } = tinyNet(sizes, 17);
      const g = mlpLossAndGradient(data, sizes, { weights, biases }, act);
      const lossAt = () => mlpLossAndGradient(data, sizes, { weights, biases }, act).loss;
      const h = 1e-3;
      const check = (arr: Float32Array, grad: Float32Array, what: string) => {
        for (let i = 0; i < arr.length; i++) {
          const v = arr[i];
          arr[i] = v + h;
          const up = lossAt();
          arr[i] = v - h;
          const down = lossAt();
          arr[i] = v;
          const fd = (up - down) / (2 * h);
          assert.ok(
            Math.abs(fd - grad[i]) <= 2e-3 + 2e-2 * Math.abs(fd),
            `${what}[${i}]: backprop ${grad[i]} vs finite difference ${fd}`,
          );
        }
      };
      weights.forEach((w, l) => check(w, g.gradWeights[l], `W${l}`));
      biases.forEach((b, l) => check(b, g.gradBiases[l], `b${l}`));
    });
  }
});

describe('NoImprovementStopper (scikit-learn 0.19: count > 2)', () => {
  it('stops at the third epoch in a row without a tol improvement', () => {
    const s = new NoImprovementStopper(1e-4, 2);
    // 1.0 improves on inf; 0.99995 is within tol (count 1); 0.9999 still within tol of the
    // best 0.99995 (count 2); 0.5 improves (reset); then three flat epochs: stop at the third.
    const curve = [1.0, 0.99995, 0.9999, 0.5, 0.49995, 0.5, 0.4999];
    const stops = curve.map((l) => s.update(l));
    assert.deepEqual(stops, [false, false, false, false, false, false, true]);
    assert.equal(s.best, 0.4999);
  });

  it('keeps going while every epoch improves by more than tol', () => {
    const s = new NoImprovementStopper(1e-4, 2);
    for (let e = 0; e < 100; e++) assert.equal(s.update(1 - e * 1e-3), false);
  });

  it('counts a rising loss as no improvement and does not lower the best', () => {
    const s = new NoImprovementStopper(0, 2);
    assert.equal(s.update(1), false);
    assert.equal(s.update(2), false);
    assert.equal(s.update(3), false);
    assert.equal(s.update(0.999), false);
    assert.equal(s.best, 0.999);
  });
});

describe('trainMlp', () => {
  const rng = new Rng(3);
  const n = 300;
  const d = 8;
  const X = random(n * d, rng);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = X[i * d] + X[i * d + 1] > 0 ? (X[i * d + 2] > 0 ? 2 : 1) : 0;
  const sizes = [d, 16, 3];
  const init = () => {
    const r = new Rng(5);
    return {
      weights: [random(d * 16, r, 0.3), random(16 * 3, r, 0.3)],
      biases: [random(16, r, 0.1), random(3, r, 0.1)],
    };
  };
  const cfg: MlpTrainConfig = {
    activation: ACT_RELU,
    alpha: 1e-4,
    batchSize: 64,
    learningRate: 1e-2,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    maxIter: 60,
    tol: 1e-4,
    nIterNoChange: 2,
    shuffle: true,
    threads: 1,
  };

  it('lowers the training loss and records one loss per epoch', async () => {
    const r = await trainMlp({ X, n, d, y }, sizes, init(), cfg, new Rng(1));
    assert.equal(r.lossCurve.length, r.nIter);
    assert.equal(r.steps, r.nIter * Math.ceil(n / 64));
    assert.ok((r.lossCurve.at(-1) as number) < r.lossCurve[0] * 0.5, String(r.lossCurve));
  });

  it('is deterministic under a seed and depends on it', async () => {
    const a = await trainMlp({ X, n, d, y }, sizes, init(), cfg, new Rng(1));
    const b = await trainMlp({ X, n, d, y }, sizes, init(), cfg, new Rng(1));
    const c = await trainMlp({ X, n, d, y }, sizes, init(), cfg, new Rng(2));
    assert.deepEqual(a.weights, b.weights);
    assert.deepEqual(a.lossCurve, b.lossCurve);
    assert.notDeepEqual(a.weights, c.weights);
  });

  it('gives the same fit on one thread and on two', async () => {
    const one = await trainMlp({ X, n, d, y }, sizes, init(), { ...cfg, maxIter: 5 }, new Rng(1));
    const two = await trainMlp(
      { X, n, d, y },
      sizes,
      init(),
      { ...cfg, maxIter: 5, threads: 2 },
      new Rng(1),
    );
    // The batch is computed as the same two halves either way: the same numbers.
    assert.deepEqual(one.lossCurve, two.lossCurve);
    assert.deepEqual(one.weights, two.weights);
  });

  it('stops by the tol rule before max_iter when the loss flattens', async () => {
    const r = await trainMlp(
      { X, n, d, y },
      sizes,
      init(),
      { ...cfg, maxIter: 500, tol: 1e-2 },
      new Rng(1),
    );
    assert.ok(r.converged);
    assert.ok(r.nIter < 500);
    // Replaying the curve through the rule stops exactly at its last epoch.
    const replay = new NoImprovementStopper(1e-2, 2);
    const stops = r.lossCurve.map((l) => replay.update(l));
    assert.equal(stops.indexOf(true), r.nIter - 1);
  });
});
