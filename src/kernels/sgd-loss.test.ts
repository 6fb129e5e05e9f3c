import assert from 'node:assert/strict';
import { test } from 'node:test';
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

const LOSSES: Array<[string, LossCode, number]> = [
  ['hinge', LOSS_HINGE, 1],
  ['perceptron', LOSS_HINGE, 0],
  ['squared_hinge', LOSS_SQUARED_HINGE, 1],
  ['log', LOSS_LOG, 0],
  ['modified_huber', LOSS_MODIFIED_HUBER, 0],
];

test('each loss derivative matches a central difference of the loss, away from kinks', () => {
  const ps = [-30, -17.5, -3.2, -1.7, -0.6, -0.2, 0.3, 0.55, 1.4, 2.5, 17.9, 25];
  for (const [name, loss, threshold] of LOSSES) {
    for (const y of [-1, 1]) {
      for (const p of ps) {
        const h = 1e-6;
        const numeric =
          (lossValue(loss, threshold, p + h, y) - lossValue(loss, threshold, p - h, y)) / (2 * h);
        const analytic = lossDerivative(loss, threshold, p, y);
        assert.ok(
          Math.abs(numeric - analytic) <= 1e-5 * Math.max(1, Math.abs(analytic)),
          `${name} y=${y} p=${p}: numeric ${numeric} vs analytic ${analytic}`,
        );
      }
    }
  }
});

test('hinge losses: values and the subgradient at the margin', () => {
  assert.equal(lossValue(LOSS_HINGE, 1, 0.25, 1), 0.75);
  assert.equal(lossValue(LOSS_HINGE, 1, 2, 1), 0);
  // At exactly the margin the update still happens (scikit-learn's `z <= threshold`),
  // which is what makes the perceptron learn from w = 0.
  assert.equal(lossDerivative(LOSS_HINGE, 1, 1, 1), -1);
  assert.equal(lossDerivative(LOSS_HINGE, 0, 0, -1), 1);
  assert.equal(lossDerivative(LOSS_HINGE, 0, 0.001, 1), 0);
  assert.equal(lossValue(LOSS_SQUARED_HINGE, 1, -1, 1), 4);
  assert.equal(lossDerivative(LOSS_SQUARED_HINGE, 1, -1, 1), -4);
});

test('log loss switches to its asymptotes beyond |z| = 18', () => {
  assert.equal(lossValue(LOSS_LOG, 0, 20, 1), Math.exp(-20));
  assert.equal(lossValue(LOSS_LOG, 0, -20, 1), 20);
  assert.equal(lossDerivative(LOSS_LOG, 0, -20, 1), -1);
  assert.equal(lossDerivative(LOSS_LOG, 0, 20, -1), 1);
  assert.ok(Math.abs(lossValue(LOSS_LOG, 0, 0, 1) - Math.LN2) < 1e-15);
  assert.ok(Math.abs(lossDerivative(LOSS_LOG, 0, 0, 1) + 0.5) < 1e-15);
  // No overflow far out.
  assert.ok(Number.isFinite(lossValue(LOSS_LOG, 0, -1e6, 1)));
  assert.ok(Number.isFinite(lossDerivative(LOSS_LOG, 0, 1e6, -1)));
});

test('modified huber is quadratic inside [-1, 1] and linear below', () => {
  assert.equal(lossValue(LOSS_MODIFIED_HUBER, 0, 0, 1), 1);
  assert.equal(lossValue(LOSS_MODIFIED_HUBER, 0, -3, 1), 12);
  assert.equal(lossDerivative(LOSS_MODIFIED_HUBER, 0, -3, 1), -4);
  assert.equal(lossValue(LOSS_MODIFIED_HUBER, 0, 1.5, 1), 0);
});

test("Bottou's offset: eta at the first sample is sqrt(1/sqrt(alpha)) for these losses", () => {
  for (const alpha of [1e-4, 1e-2, 0.5]) {
    const typw = Math.sqrt(1 / Math.sqrt(alpha));
    for (const [name, loss, threshold] of LOSSES) {
      const t0 = optimalLearningRateOffset(loss, threshold, alpha);
      // eta(t = 1) = 1 / (alpha * t0)
      assert.ok(Math.abs(1 / (alpha * t0) - typw) < 1e-12 * typw, `${name} alpha=${alpha}`);
    }
  }
  // alpha = 1e-4: typw = 10, t0 = 1000.
  assert.ok(Math.abs(optimalLearningRateOffset(LOSS_HINGE, 1, 1e-4) - 1000) < 1e-9);
});
