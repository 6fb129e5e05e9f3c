import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../ml/random.js';
import {
  ACT_IDENTITY,
  ACT_LOGISTIC,
  ACT_RELU,
  ACT_TANH,
  mlpApplyActivation,
  mlpForward,
  mlpMatMul,
  mlpMatMulNT,
  mlpMatMulTN,
} from './mlp.js';

function random(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.nextNormal());
}

/** Plain float64 references. */
function matmul(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a[i * k + q] * b[q * n + j];
      c[i * n + j] = s;
    }
  return c;
}
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * scale,
      `entry ${i}: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

// Odd shapes: every remainder path of the 4×8 tiles (rows mod 4, columns mod 8 and mod 4).
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 5, 2],
  [7, 13, 11],
  [9, 17, 8],
  [13, 6, 19],
  [20, 31, 4],
  [6, 100, 10],
];

describe('MLP GEMM kernels', () => {
  for (const [m, k, n] of SHAPES) {
    it(`A·B (+ bias) equals the reference at ${m}×${k}·${k}×${n}`, () => {
      const a = random(m * k, 1);
      const b = random(k * n, 2);
      const bias = random(n, 3);
      assertClose(mlpMatMul(a, m, k, b, n), matmul(a, m, k, b, n));
      const ref = matmul(a, m, k, b, n).map((v, i) => v + bias[i % n]);
      assertClose(mlpMatMul(a, m, k, b, n, bias), ref);
    });

    it(`Aᵀ·B equals the reference at (${m}×${k})ᵀ·${m}×${n}`, () => {
      const a = random(m * k, 4);
      const b = random(m * n, 5);
      assertClose(mlpMatMulTN(a, m, k, b, n), matmul(transpose(a, m, k), k, m, b, n));
    });

    it(`A·Bᵀ equals the reference at ${m}×${k}·(${n}×${k})ᵀ`, () => {
      const a = random(m * k, 6);
      const b = random(n * k, 7);
      assertClose(mlpMatMulNT(a, m, k, b, n), matmul(a, m, k, transpose(b, n, k), n));
    });
  }

  it('leaves the memory around C untouched', () => {
    // A result that is not a multiple of the tile: the edge lanes must not be stored.
    const c = mlpMatMul(random(5 * 3, 8), 5, 3, random(3 * 3, 9), 3);
    assert.equal(c.length, 15);
    assert.ok(c.every(Number.isFinite));
  });
});

describe('mlpForward', () => {
  const sizes = [5, 7, 3];
  const weights = [random(35, 10), random(21, 11)];
  const biases = [random(7, 12), random(3, 13)];
  const X = random(11 * 5, 14);
  const ref = (act: (v: number) => number): Float64Array => {
    const h = matmul(X, 11, 5, weights[0], 7).map((v, i) => act(v + biases[0][i % 7]));
    return matmul(Float32Array.from(h), 11, 7, weights[1], 3).map((v, i) => v + biases[1][i % 3]);
  };

  it('gives softmax probabilities of the reference logits (tanh)', () => {
    const z = ref(Math.tanh);
    const p = mlpForward({ sizes, weights, biases, activation: ACT_TANH }, X, 11, 'proba');
    for (let i = 0; i < 11; i++) {
      const row = Array.from(z.subarray(i * 3, i * 3 + 3));
      const mx = Math.max(...row);
      const e = row.map((v) => Math.exp(v - mx));
      const s = e.reduce((x, y) => x + y, 0);
      assertClose(
        p.subarray(i * 3, i * 3 + 3),
        e.map((v) => v / s),
        1e-5,
      );
    }
  });

  it('predicts the argmax of the reference logits (relu)', () => {
    const z = ref((v) => Math.max(0, v));
    const pred = mlpForward({ sizes, weights, biases, activation: ACT_RELU }, X, 11, 'argmax');
    for (let i = 0; i < 11; i++) {
      const row = Array.from(z.subarray(i * 3, i * 3 + 3));
      assert.equal(pred[i], row.indexOf(Math.max(...row)));
    }
  });

  it('handles more rows than one forward block', () => {
    const n = 600;
    const Xb = random(n * 5, 15);
    const net = { sizes, weights, biases, activation: ACT_RELU } as const;
    const all = mlpForward(net, Xb, n, 'argmax');
    const tail = mlpForward(net, Xb.subarray(300 * 5), 300, 'argmax');
    assert.deepEqual(all.subarray(300), tail);
  });
});

describe('mlpActivate', () => {
  // Lanes of four and a scalar tail; tiny, moderate, branch-edge (0.625) and saturating values.
  const xs = Float32Array.from([
    0, -0, 1e-6, -3e-4, 0.1, -0.5, 0.6249, 0.625, -0.7, 1, -2.5, 4, 8.9, -9, 15, -40, 88, -100,
    0.33,
  ]);
  const grid = Float32Array.from({ length: 401 }, (_, i) => (i - 200) / 20);

  it('tanh matches Math.tanh to float32 precision', () => {
    for (const v of [xs, grid]) {
      const got = mlpApplyActivation(v, ACT_TANH);
      v.forEach((x, i) => {
        const want = Math.tanh(x);
        assert.ok(
          Math.abs(got[i] - want) <= 3e-7 * Math.max(Math.abs(want), 1e-3),
          `tanh(${x}) = ${got[i]}, want ${want}`,
        );
        assert.equal(Math.sign(got[i]), Math.sign(want) || Math.sign(got[i]));
      });
    }
  });

  it('logistic matches 1/(1 + e^−x) to float32 precision, without overflow', () => {
    for (const v of [xs, grid]) {
      const got = mlpApplyActivation(v, ACT_LOGISTIC);
      v.forEach((x, i) => {
        const want = 1 / (1 + Math.exp(-x));
        assert.ok(
          Math.abs(got[i] - want) <= 3e-7 * Math.max(want, 1e-30) + 1e-38,
          `logistic(${x}) = ${got[i]}, want ${want}`,
        );
      });
    }
  });

  it('relu and identity', () => {
    assert.deepEqual(
      Array.from(mlpApplyActivation(xs, ACT_RELU)),
      Array.from(xs, (x) => (x > 0 ? x : 0)),
    );
    assert.deepEqual(mlpApplyActivation(xs, ACT_IDENTITY), xs);
  });
});
