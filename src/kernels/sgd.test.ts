import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addRow,
  addRowDotNext,
  addRowTruncate,
  addRowTruncateDotNext,
  catchUpAddRowTruncate,
  dotRow,
  peekTruncatedDotRow,
  rowSquaredNorms,
  truncateAll,
  truncateDotRow,
} from './sgd.js';

/** Deterministic pseudo-random values without Math.random. */
function values(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * 2);
}

test('dotRow and addRow act on the row at the offset (odd lengths too)', () => {
  for (const d of [1, 3, 4, 7, 33]) {
    const X = Float32Array.from(values(3 * d, d));
    const w = Float64Array.from(values(d, 99));
    let expected = 0;
    for (let j = 0; j < d; j++) expected += w[j] * X[d + j];
    assert.ok(Math.abs(dotRow(w, X, d, d) - expected) < 1e-12);
    const w2 = w.slice();
    addRow(w2, X, 2 * d, d, -0.5);
    for (let j = 0; j < d; j++) assert.equal(w2[j], w[j] + -0.5 * X[2 * d + j]);
  }
  const X = Float32Array.from([3, 4, 1, 2, 2, 0]);
  assert.deepEqual(Array.from(rowSquaredNorms(X, 2, 3)), [26, 8]);
});

test('truncation pulls weights toward zero by what is owed, stops exactly at zero, records it in q', () => {
  const w = Float64Array.from([0.5, -0.5, 0.05, -0.05, 0]);
  const q = new Float64Array(5);
  truncateAll(w, q, 1, 0.1);
  assert.deepEqual(Array.from(w), [0.4, -0.4, 0, 0, 0]);
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(q[j] - [-0.1, 0.1, -0.05, 0.05, 0][j]) < 1e-15);
  // The owed total grows to 0.3: each weight pays only the difference.
  truncateAll(w, q, 1, 0.3);
  assert.ok(Math.abs(w[0] - 0.2) < 1e-15 && Math.abs(w[1] + 0.2) < 1e-15);
  assert.equal(w[2], 0);
  // With wscale 2 the real weight is 2·w: a real pull of 0.1 is 0.05 in stored units.
  const ws = Float64Array.from([0.5]);
  const qs = new Float64Array(1);
  truncateAll(ws, qs, 2, 0.1);
  assert.ok(Math.abs(ws[0] - 0.45) < 1e-15 && Math.abs(qs[0] + 0.1) < 1e-15);
});

test('fused variants equal the separate passes', () => {
  const d = 29;
  const X = Float32Array.from(values(2 * d, 5));
  const base = Float64Array.from(values(d, 7).map((v) => v * 0.1));
  const q0 = Float64Array.from(values(d, 8).map((v) => v * 0.01));
  for (const wscale of [1, 0.7]) {
    // truncate then dot
    const a = base.slice();
    const qa = q0.slice();
    truncateAll(a, qa, wscale, 0.05);
    const dotA = dotRow(a, X, d, d);
    const b = base.slice();
    const qb = q0.slice();
    const dotB = truncateDotRow(b, qb, wscale, 0.05, X, d, d);
    assert.deepEqual(b, a);
    assert.deepEqual(qb, qa);
    assert.ok(Math.abs(dotA - dotB) < 1e-12);
    // add then truncate
    const c = base.slice();
    const qc = q0.slice();
    addRow(c, X, 0, d, 0.3);
    truncateAll(c, qc, wscale, 0.02);
    const e = base.slice();
    const qe = q0.slice();
    addRowTruncate(e, qe, wscale, 0.02, X, 0, d, 0.3);
    for (let j = 0; j < d; j++) {
      assert.ok(Math.abs(c[j] - e[j]) < 1e-15 && Math.abs(qc[j] - qe[j]) < 1e-15);
    }
  }
});

test('lazy l1: peeking and catching up equal truncating eagerly at every step', () => {
  const d = 31;
  const X = Float32Array.from(values(4 * d, 11));
  const eager = Float64Array.from(values(d, 3).map((v) => v * 0.05));
  const qEager = new Float64Array(d);
  const lazy = eager.slice();
  const qLazy = new Float64Array(d);
  // Three steps without an update (u grows), then one with an update.
  const us = [0.004, 0.009, 0.015, 0.02];
  for (let s = 0; s < 3; s++) {
    truncateAll(eager, qEager, 1, us[s]);
    const peek = peekTruncatedDotRow(lazy, qLazy, us[s], X, s * d, d);
    assert.ok(Math.abs(peek - dotRow(eager, X, s * d, d)) < 1e-12, `step ${s}`);
  }
  addRowTruncate(eager, qEager, 1, us[3], X, 3 * d, d, -0.2);
  catchUpAddRowTruncate(lazy, qLazy, us[2], us[3], X, 3 * d, d, -0.2);
  for (let j = 0; j < d; j++) {
    assert.ok(Math.abs(eager[j] - lazy[j]) < 1e-15, `w[${j}]`);
    assert.ok(Math.abs(qEager[j] - qLazy[j]) < 1e-15, `q[${j}]`);
  }
});

test("the add-then-next-dot passes equal an add followed by the next row's dot", () => {
  const d = 27;
  const X = Float32Array.from(values(3 * d, 21));
  const base = Float64Array.from(values(d, 22).map((v) => v * 0.1));
  const a = base.slice();
  addRow(a, X, 0, d, 0.7);
  const b = base.slice();
  const dot = addRowDotNext(b, X, 0, 2 * d, d, 0.7);
  assert.deepEqual(b, a);
  assert.ok(Math.abs(dot - dotRow(a, X, 2 * d, d)) < 1e-12);
  const q0 = Float64Array.from(values(d, 23).map((v) => v * 0.01));
  const c = base.slice();
  const qc = q0.slice();
  addRowTruncate(c, qc, 0.8, 0.03, X, d, d, -0.4);
  const e = base.slice();
  const qe = q0.slice();
  const dot2 = addRowTruncateDotNext(e, qe, 0.8, 0.03, X, d, 0, d, -0.4);
  assert.deepEqual(e, c);
  assert.deepEqual(qe, qc);
  assert.ok(Math.abs(dot2 - dotRow(c, X, 0, d)) < 1e-12);
});
