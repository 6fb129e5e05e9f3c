import assert from 'node:assert/strict';
import { test } from 'node:test';
import { principalComponents, projectRows } from './pca.js';

/** A tiny seeded uniform source, so the test needs nothing from src/ml. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Points spread along two known orthonormal directions (sd 5 and 2) plus small noise. */
function planted(n: number, d: number, seed: number) {
  const rand = lcg(seed);
  const u = new Float64Array(d);
  const w = new Float64Array(d);
  // u = (1,1,1,1,0,…)/2, w = (1,−1,1,−1,0,…)/2: orthonormal, not axis-aligned.
  for (let j = 0; j < 4; j++) {
    u[j] = 0.5;
    w[j] = j % 2 === 0 ? 0.5 : -0.5;
  }
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = 5 * gaussian(rand);
    const b = 2 * gaussian(rand);
    for (let j = 0; j < d; j++) data[i * d + j] = 3 + a * u[j] + b * w[j] + 0.05 * gaussian(rand);
  }
  return { data, u, w };
}

function absCos(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return Math.abs(s);
}

test('finds planted principal directions in decreasing order of variance', () => {
  const n = 2000;
  const d = 12;
  const { data, u, w } = planted(n, d, 7);
  const pca = principalComponents(data, n, d, { k: 2, random: lcg(1) });
  const c0 = pca.components.subarray(0, d);
  const c1 = pca.components.subarray(d, 2 * d);
  assert.ok(absCos(c0, u) > 0.999, `first component ≈ u, |cos| = ${absCos(c0, u)}`);
  assert.ok(absCos(c1, w) > 0.999, `second component ≈ w, |cos| = ${absCos(c1, w)}`);
  assert.ok(absCos(c0, c1) < 1e-9, 'components are orthogonal');
  // Variances near 25 and 4 (sampling error of a 2,000-point sample: a few percent).
  assert.ok(Math.abs(pca.explainedVariance[0] - 25) < 2.5, `λ1 = ${pca.explainedVariance[0]}`);
  assert.ok(Math.abs(pca.explainedVariance[1] - 4) < 0.4, `λ2 = ${pca.explainedVariance[1]}`);
  assert.ok(Math.abs(pca.mean[0] - 3) < 0.3);
});

test('projections have the explained variance and zero mean', () => {
  const n = 1000;
  const d = 8;
  const { data } = planted(n, d, 3);
  const pca = principalComponents(data, n, d, { random: lcg(2) });
  const proj = projectRows(data, n, d, pca);
  assert.equal(proj.length, n * 2);
  for (let c = 0; c < 2; c++) {
    let s = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      s += proj[i * 2 + c];
      ss += proj[i * 2 + c] ** 2;
    }
    assert.ok(Math.abs(s / n) < 1e-3, 'centred');
    const variance = (ss - (s * s) / n) / (n - 1);
    assert.ok(Math.abs(variance - pca.explainedVariance[c]) / pca.explainedVariance[c] < 1e-4);
  }
});

test('the result does not depend on the start vector (signs are fixed)', () => {
  const { data } = planted(500, 6, 11);
  const a = principalComponents(data, 500, 6, { random: lcg(1) });
  const b = principalComponents(data, 500, 6, { random: lcg(99) });
  for (let j = 0; j < a.components.length; j++) {
    assert.ok(Math.abs(a.components[j] - b.components[j]) < 1e-6);
  }
});

test('rejects inputs of the wrong shape', () => {
  assert.throws(
    () => principalComponents(new Float32Array(10), 3, 4, { random: lcg(1) }),
    /expected n×d = 3×4/,
  );
  assert.throws(
    () => principalComponents(new Float32Array(8), 2, 4, { k: 5, random: lcg(1) }),
    /k must be an int in \[1, 4\]/,
  );
  assert.throws(
    () => principalComponents(new Float32Array(4), 1, 4, { random: lcg(1) }),
    /at least 2 rows/,
  );
});
