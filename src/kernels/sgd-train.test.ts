import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FmnistError } from '../errors.js';
import { rowSquaredNorms } from './sgd.js';
import {
  LOSS_HINGE,
  LOSS_LOG,
  LOSS_MODIFIED_HUBER,
  LOSS_SQUARED_HINGE,
  lossDerivative,
  lossValue,
  optimalLearningRateOffset,
  type LossCode,
} from './sgd-loss.js';
import {
  PENALTY_ELASTICNET,
  PENALTY_L1,
  PENALTY_L2,
  PENALTY_NONE,
  SCHEDULE_CONSTANT,
  SCHEDULE_INVSCALING,
  SCHEDULE_OPTIMAL,
  SCHEDULE_PA1,
  SCHEDULE_PA2,
  trainBinarySgd,
  trainSgdProblems,
  type BinarySgdConfig,
  type BinarySgdData,
  type PenaltyCode,
  type Shuffler,
} from './sgd-train.js';
import { BASE, Lcg } from './sgd-train.fixture.js';

/** n rows × d features, two noisy classes; labels 0/1 plus a third label 2 for OvR. */
function dataset(n: number, d: number, seed: number): BinarySgdData {
  const X = new Float32Array(n * d);
  const labels = new Int32Array(n);
  let s = seed;
  const rand = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296 - 0.5;
  };
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < d; j++) X[i * d + j] = rand() * 2 + (j < 3 ? (labels[i] - 1) * 0.8 : 0);
  }
  return { X, rows: n, cols: d, labels, positive: 1 };
}

/**
 * The reference: scikit-learn 0.19's plain_sgd written as plainly as possible, one
 * separate pass per operation, no lazy or fused truncation.
 */
function referenceSgd(data: BinarySgdData, cfg: BinarySgdConfig, rng: Shuffler) {
  const { X, rows: n, cols: d, labels, positive } = data;
  const w = new Float64Array(d);
  const q = new Float64Array(d);
  let wscale = 1;
  let b = 0;
  let u = 0;
  let t = 1;
  const l1Ratio = cfg.penalty === PENALTY_L2 ? 0 : cfg.penalty === PENALTY_L1 ? 1 : cfg.l1Ratio;
  const t0 = optimalLearningRateOffset(cfg.loss, cfg.threshold, cfg.alpha);
  const order = new Uint32Array(n).map((_, i) => i);
  let eta = cfg.eta0;
  for (let epoch = 0; epoch < cfg.maxIter; epoch++) {
    if (cfg.shuffle) rng.shuffle(order);
    for (const i of order) {
      const y = labels[i] === positive ? 1 : -1;
      let dot = 0;
      let sq = 0;
      for (let j = 0; j < d; j++) {
        dot += w[j] * X[i * d + j];
        sq += X[i * d + j] * X[i * d + j];
      }
      const p = dot * wscale + b;
      if (cfg.schedule === SCHEDULE_OPTIMAL) eta = 1 / (cfg.alpha * (t0 + t - 1));
      if (cfg.schedule === SCHEDULE_INVSCALING) eta = cfg.eta0 / Math.pow(t, cfg.powerT);
      let update: number;
      if (cfg.schedule === SCHEDULE_PA1 || cfg.schedule === SCHEDULE_PA2) {
        if (sq === 0) continue;
        const l = lossValue(cfg.loss, cfg.threshold, p, y);
        update =
          y * (cfg.schedule === SCHEDULE_PA1 ? Math.min(cfg.C, l / sq) : l / (sq + 0.5 / cfg.C));
      } else {
        const g = lossDerivative(cfg.loss, cfg.threshold, p, y);
        update = -eta * Math.max(-1e12, Math.min(1e12, g));
      }
      if (cfg.penalty === PENALTY_L2 || cfg.penalty === PENALTY_ELASTICNET) {
        wscale *= Math.max(0, 1 - (1 - l1Ratio) * eta * cfg.alpha);
        if (wscale < 1e-9) {
          for (let j = 0; j < d; j++) w[j] *= wscale;
          wscale = 1;
        }
      }
      if (update !== 0) {
        for (let j = 0; j < d; j++) w[j] += X[i * d + j] * (update / wscale);
        if (cfg.fitIntercept) b += update;
      }
      if (cfg.penalty === PENALTY_L1 || cfg.penalty === PENALTY_ELASTICNET) {
        u += l1Ratio * eta * cfg.alpha;
        for (let j = 0; j < d; j++) {
          const z = w[j];
          if (wscale * z > 0) w[j] = Math.max(0, z - (u + q[j]) / wscale);
          else if (wscale * z < 0) w[j] = Math.min(0, z + (u - q[j]) / wscale);
          q[j] += wscale * (w[j] - z);
        }
      }
      t++;
    }
  }
  return { coef: w.map((v) => v * wscale), intercept: b };
}

function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length);
  let scale = 0;
  for (let j = 0; j < expected.length; j++) scale = Math.max(scale, Math.abs(expected[j]));
  for (let j = 0; j < expected.length; j++) {
    assert.ok(
      Math.abs(actual[j] - expected[j]) <= tol * Math.max(1, scale),
      `${what}: [${j}] ${actual[j]} vs ${expected[j]}`,
    );
  }
}

const LOSSES: Array<[string, LossCode, number]> = [
  ['hinge', LOSS_HINGE, 1],
  ['perceptron', LOSS_HINGE, 0],
  ['squared_hinge', LOSS_SQUARED_HINGE, 1],
  ['log', LOSS_LOG, 0],
  ['modified_huber', LOSS_MODIFIED_HUBER, 0],
];
const PENALTIES: Array<[string, PenaltyCode]> = [
  ['none', PENALTY_NONE],
  ['l2', PENALTY_L2],
  ['l1', PENALTY_L1],
  ['elasticnet', PENALTY_ELASTICNET],
];

test('every loss × penalty equals the plain reference SGD (fused and lazy truncation change no number)', () => {
  // Rows shrunk so that alpha = 0.01's large first steps (eta ≈ 3.2) do not diverge.
  const data = dataset(120, 9, 3);
  data.X = data.X.map((v) => v * 0.2);
  for (const [lossName, loss, threshold] of LOSSES) {
    for (const [penaltyName, penalty] of PENALTIES) {
      // A larger alpha than the default so the l1 truncation actually bites on 120 rows.
      const cfg = { ...BASE, loss, threshold, penalty, alpha: 0.01 };
      const got = trainBinarySgd(data, cfg, new Lcg(7));
      const want = referenceSgd(data, cfg, new Lcg(7));
      // Only summation order differs (the dot uses four accumulators).
      assertClose(got.coef, want.coef, 1e-9, `${lossName}/${penaltyName}`);
      assert.ok(
        Math.abs(got.intercept - want.intercept) < 1e-9 * Math.max(1, Math.abs(want.intercept)),
      );
      assert.equal(got.nIter, 5);
    }
  }
});

test('constant, invscaling and the passive-aggressive schedules equal the reference', () => {
  const data = { ...dataset(90, 6, 5) };
  data.rowSqNorms = rowSquaredNorms(data.X, data.rows, data.cols);
  const cases: Array<Partial<BinarySgdConfig>> = [
    { schedule: SCHEDULE_CONSTANT, eta0: 0.3, threshold: 0, penalty: PENALTY_L1 },
    { schedule: SCHEDULE_CONSTANT, eta0: 1, threshold: 0, penalty: PENALTY_ELASTICNET, l1Ratio: 0 },
    { schedule: SCHEDULE_INVSCALING, eta0: 0.1, penalty: PENALTY_ELASTICNET },
    { schedule: SCHEDULE_PA1, C: 0.05, penalty: PENALTY_NONE },
    { schedule: SCHEDULE_PA1, C: 100, penalty: PENALTY_NONE },
    { schedule: SCHEDULE_PA2, C: 0.5, penalty: PENALTY_NONE },
  ];
  for (const c of cases) {
    const cfg = { ...BASE, ...c };
    const got = trainBinarySgd(data, cfg, new Lcg(1));
    const want = referenceSgd(data, cfg, new Lcg(1));
    assertClose(got.coef, want.coef, 1e-10, JSON.stringify(c));
  }
});

test('one hinge/l2 step computed by hand', () => {
  // One row x = (1, 2), y = +1, w = 0: p = 0 < 1 so dloss = −1; eta = 1/(α·t0) = 10 for α = 1e-4.
  // The l2 decay comes first (w is still 0), then w = 10·x, b = 10.
  const data: BinarySgdData = {
    X: Float32Array.from([1, 2]),
    rows: 1,
    cols: 2,
    labels: Int32Array.from([1]),
    positive: 1,
  };
  const r = trainBinarySgd(data, { ...BASE, maxIter: 1, shuffle: false }, new Lcg(0));
  assert.ok(Math.abs(r.coef[0] - 10) < 1e-9 && Math.abs(r.coef[1] - 20) < 1e-9);
  assert.ok(Math.abs(r.intercept - 10) < 1e-9);
  // A second epoch: t = 2, eta = 1/(α·(1000 + 1)); p = 10·(1 + 4) + 10 = 60 ≥ 1, so no
  // gradient, only the decay w ← w·(1 − eta·α).
  const r2 = trainBinarySgd(data, { ...BASE, maxIter: 2, shuffle: false }, new Lcg(0));
  const decay = 1 - 1 / 1001;
  assert.ok(Math.abs(r2.coef[0] - 10 * decay) < 1e-9 && Math.abs(r2.coef[1] - 20 * decay) < 1e-9);
  assert.ok(Math.abs(r2.intercept - 10) < 1e-9);
});

test('l1 drives the weights of irrelevant features exactly to zero; l2 does not', () => {
  // Class 2 against the rest: separable along features 0..2, the rest is noise.
  const data = { ...dataset(300, 20, 9), positive: 2 };
  const l1 = trainBinarySgd(data, { ...BASE, penalty: PENALTY_L1, alpha: 0.02 }, new Lcg(3));
  const l2 = trainBinarySgd(data, { ...BASE, penalty: PENALTY_L2, alpha: 0.02 }, new Lcg(3));
  const zeros = (w: Float64Array) => w.filter((v) => v === 0).length;
  assert.ok(zeros(l1.coef) >= 10, `l1 zeros: ${zeros(l1.coef)} of 20`);
  assert.equal(zeros(l2.coef), 0);
  // The informative features (0..2) survive.
  for (let j = 0; j < 3; j++) assert.notEqual(l1.coef[j], 0);
});

test('PA-I step: tau = min(C, loss / ||x||^2), along y·x', () => {
  // x = (3, 4): ||x||² = 25, y = −1, w = 0: hinge loss 1, so tau = min(C, 1/25).
  const data: BinarySgdData = {
    X: Float32Array.from([3, 4]),
    rows: 1,
    cols: 2,
    labels: Int32Array.from([0]),
    positive: 1,
    rowSqNorms: Float64Array.from([25]),
  };
  const cfg = {
    ...BASE,
    schedule: SCHEDULE_PA1,
    penalty: PENALTY_NONE,
    maxIter: 1,
    shuffle: false,
  } as const;
  const big = trainBinarySgd(data, { ...cfg, C: 10 }, new Lcg(0));
  assert.ok(Math.abs(big.coef[0] + 3 / 25) < 1e-15 && Math.abs(big.coef[1] + 4 / 25) < 1e-15);
  assert.ok(Math.abs(big.intercept + 1 / 25) < 1e-15);
  const capped = trainBinarySgd(data, { ...cfg, C: 0.01 }, new Lcg(0));
  assert.ok(Math.abs(capped.coef[0] + 0.03) < 1e-15 && Math.abs(capped.intercept + 0.01) < 1e-15);
  // PA-II: tau = loss / (||x||² + 1/(2C)) = 1 / (25 + 0.5).
  const pa2 = trainBinarySgd(data, { ...cfg, schedule: SCHEDULE_PA2, C: 1 }, new Lcg(0));
  assert.ok(Math.abs(pa2.coef[1] + 4 / 25.5) < 1e-15);
  // Once the margin is met the weights stay (passive).
  const many = trainBinarySgd(data, { ...cfg, C: 10, maxIter: 4 }, new Lcg(0));
  assert.ok(
    many.coef[0] < 0 && -(many.coef[0] * 3 + many.coef[1] * 4 + many.intercept) >= 1 - 1e-12,
  );
});

test('tol null runs every epoch; a tol stops once the loss stops improving (>= 0.21 rule)', () => {
  const data = dataset(150, 5, 2);
  const fixed = trainBinarySgd(data, { ...BASE, maxIter: 40 }, new Lcg(1));
  assert.equal(fixed.nIter, 40);
  const stopped = trainBinarySgd(
    data,
    { ...BASE, maxIter: 1000, tol: 1e-3, nIterNoChange: 3 },
    new Lcg(1),
  );
  assert.ok(stopped.nIter >= 4 && stopped.nIter < 1000, `stopped after ${stopped.nIter}`);
  // A huge tol can never be met: stops after exactly n_iter_no_change epochs... plus the first.
  const impossible = trainBinarySgd(
    data,
    { ...BASE, maxIter: 1000, tol: 1e9, nIterNoChange: 2 },
    new Lcg(1),
  );
  assert.equal(impossible.nIter, 3);
});

test('divergence raises NUMERIC_OVERFLOW with scikit-learn wording', () => {
  const data: BinarySgdData = {
    X: Float32Array.from([3e38, -3e38, 3e38, 3e38]),
    rows: 2,
    cols: 2,
    labels: Int32Array.from([0, 1]),
    positive: 1,
  };
  assert.throws(
    () =>
      trainBinarySgd(
        data,
        { ...BASE, schedule: SCHEDULE_CONSTANT, eta0: 1e300, penalty: PENALTY_NONE },
        new Lcg(0),
      ),
    (err: unknown) =>
      err instanceof FmnistError &&
      err.code === 'NUMERIC_OVERFLOW' &&
      /epoch #1\. Scaling input data/.test(err.message),
  );
});

test('problems trained side by side equal each trained alone with the same seed (also when tol stops some early)', () => {
  const data = dataset(150, 7, 4);
  data.X = data.X.map((v) => v * 0.3);
  for (const penalty of [PENALTY_L2, PENALTY_L1, PENALTY_ELASTICNET] as PenaltyCode[]) {
    for (const tol of [null, 1e-2]) {
      const cfg: BinarySgdConfig = {
        ...BASE,
        loss: LOSS_LOG,
        penalty,
        alpha: 0.01,
        tol,
        nIterNoChange: 2,
        maxIter: 30,
      };
      const together = trainSgdProblems(data, [0, 1, 2], cfg, new Lcg(5));
      for (const positive of [0, 1, 2]) {
        const alone = trainBinarySgd({ ...data, positive }, cfg, new Lcg(5));
        assert.deepEqual(together[positive].coef, alone.coef);
        assert.equal(together[positive].intercept, alone.intercept);
        assert.equal(together[positive].nIter, alone.nIter);
      }
      if (tol !== null)
        assert.ok(
          together.some((r) => r.nIter < 30),
          'some problem stopped early',
        );
    }
  }
});
