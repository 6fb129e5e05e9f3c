import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../random.js';
import { iterationLimit, type QRows, solveCSVC } from './smo.js';

/** Q from an explicit kernel matrix, with counters and the optional batch entry point. */
function denseQ(K: Float64Array, y: Int8Array, withPrefetch = false): QRows & { computed: number } {
  const l = y.length;
  const rows = new Map<number, Float32Array>();
  const make = (i: number): Float32Array => {
    const r = new Float32Array(l);
    for (let j = 0; j < l; j++) r[j] = y[i] * y[j] * K[i * l + j];
    rows.set(i, r);
    q.computed++;
    return r;
  };
  const q = {
    l,
    QD: Float64Array.from({ length: l }, (_, i) => K[i * l + i]),
    computed: 0,
    row: (i: number) => rows.get(i) ?? make(i),
    cached: (i: number) => rows.has(i),
    ...(withPrefetch
      ? { prefetch: (w: readonly number[]) => w.forEach((i) => rows.has(i) || make(i)) }
      : {}),
  };
  return q;
}

function rbfProblem(n: number, d: number, seed: number, overlap: number) {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.nextNormal());
  const y = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3 === 0 ? -1 : 1;
    x[i * d] += y[i] * overlap;
  }
  const gamma = 1 / d;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (x[i * d + k] - x[j * d + k]) ** 2;
      K[i * n + j] = Math.exp(-gamma * s);
    }
  }
  return { K, y };
}

/** max over I_up of −y G minus min over I_low of −y G (≤ eps at a solution). */
function kktViolation(K: Float64Array, y: Int8Array, alpha: Float64Array, C: number): number {
  const l = y.length;
  let m = -Infinity;
  let M = Infinity;
  for (let i = 0; i < l; i++) {
    let g = -1;
    for (let j = 0; j < l; j++) g += y[i] * y[j] * K[i * l + j] * alpha[j];
    const v = -y[i] * g;
    const up = (y[i] === 1 && alpha[i] < C) || (y[i] === -1 && alpha[i] > 0);
    const low = (y[i] === 1 && alpha[i] > 0) || (y[i] === -1 && alpha[i] < C);
    if (up) m = Math.max(m, v);
    if (low) M = Math.min(M, v);
  }
  return m - M;
}

describe('solveCSVC (libsvm SMO, WSS2, shrinking)', () => {
  it('solves the two-point hard-margin problem exactly: α = ½, ½ and ρ = 0', () => {
    // x = ±1 on a line, linear kernel: w = 1, b = 0, so α1 = α2 = 1/2.
    const K = Float64Array.of(1, -1, -1, 1);
    const y = Int8Array.of(1, -1);
    const s = solveCSVC(denseQ(K, y), y, { C: 100, eps: 1e-3, shrinking: true, maxIter: -1 });
    assert.ok(Math.abs(s.alpha[0] - 0.5) < 1e-12 && Math.abs(s.alpha[1] - 0.5) < 1e-12);
    assert.ok(Math.abs(s.rho) < 1e-12);
    assert.ok(Math.abs(s.obj - -0.5) < 1e-12);
  });

  for (const [C, overlap] of [
    [1, 0.5],
    [10, 2],
    [100, 1],
  ] as const) {
    it(`meets the KKT conditions within tol (C=${C}, overlap ${overlap})`, () => {
      const { K, y } = rbfProblem(120, 5, C, overlap);
      const eps = 1e-3;
      const s = solveCSVC(denseQ(K, y), y, { C, eps, shrinking: true, maxIter: -1 });
      assert.ok(s.converged);
      let ya = 0;
      for (let i = 0; i < y.length; i++) {
        assert.ok(s.alpha[i] >= 0 && s.alpha[i] <= C, `α_${i} = ${s.alpha[i]} outside [0, C]`);
        ya += y[i] * s.alpha[i];
      }
      assert.ok(Math.abs(ya) < 1e-9, `yᵀα = ${ya}`);
      assert.ok(kktViolation(K, y, s.alpha, C) < eps * 1.01);
      // The objective agrees with a much tighter solve, without shrinking.
      const tight = solveCSVC(denseQ(K, y), y, { C, eps: 1e-9, shrinking: false, maxIter: -1 });
      assert.ok(
        Math.abs(s.obj - tight.obj) <= 1e-3 * Math.abs(tight.obj),
        `${s.obj} vs ${tight.obj}`,
      );
      assert.ok(Math.abs(s.rho - tight.rho) < 2e-2, `ρ ${s.rho} vs ${tight.rho}`);
    });
  }

  it('gives the same answer with and without prefetching extra rows', () => {
    const { K, y } = rbfProblem(150, 4, 7, 1);
    const opts = { C: 10, eps: 1e-3, shrinking: true, maxIter: -1 };
    const plainQ = denseQ(K, y);
    const plain = solveCSVC(plainQ, y, opts);
    const batched = solveCSVC(denseQ(K, y, true), y, { ...opts, prefetch: 3 });
    assert.deepEqual(batched.alpha, plain.alpha);
    assert.equal(batched.rho, plain.rho);
    assert.equal(batched.iterations, plain.iterations);
  });

  it("has no iteration limit for max_iter = -1 (scikit-learn drops libsvm's 10⁷ cap)", () => {
    assert.equal(iterationLimit(-1), Infinity);
    assert.equal(iterationLimit(10_000_000), 10_000_000);
    assert.equal(iterationLimit(5), 5);
  });

  it('continues from a checkpoint to the very solution of an uninterrupted solve', () => {
    const { K, y } = rbfProblem(400, 3, 11, 0.1);
    const opts = { C: 1000, eps: 1e-3, shrinking: true, maxIter: -1 };
    const saved: Uint8Array[] = [];
    const everyTime = {
      restore: () => null,
      due: () => true,
      save: (b: Uint8Array) => saved.push(b),
    };
    const whole = solveCSVC(denseQ(K, y), y, { ...opts, checkpoints: everyTime });
    assert.equal(whole.continuedFrom, null);
    assert.ok(saved.length >= 3, `${saved.length} checkpoints over ${whole.iterations} iterations`);
    const middle = saved[Math.floor(saved.length / 2)];
    const resumed = solveCSVC(denseQ(K, y), y, {
      ...opts,
      checkpoints: { restore: () => middle, due: () => false, save: () => {} },
    });
    assert.equal(resumed.continuedFrom, Math.floor(saved.length / 2) * 1024);
    assert.deepEqual(resumed.alpha, whole.alpha);
    assert.equal(resumed.rho, whole.rho);
    assert.equal(resumed.iterations, whole.iterations);
    // A checkpoint of another problem's size is not used: the solve starts afresh.
    const twoPoints = Int8Array.of(1, -1);
    const other = solveCSVC(denseQ(Float64Array.of(1, -1, -1, 1), twoPoints), twoPoints, {
      ...opts,
      checkpoints: { restore: () => middle, due: () => false, save: () => {} },
    });
    assert.equal(other.continuedFrom, null);
  });

  it('reads gathered rows once few variables are active: the very same solution', () => {
    const { K, y } = rbfProblem(400, 3, 11, 0.1);
    const opts = { C: 1000, eps: 1e-3, shrinking: true, maxIter: -1 };
    const plain = solveCSVC(denseQ(K, y), y, opts);
    const activeRows = new Float32Array(200 * 200);
    const gathered = solveCSVC(denseQ(K, y), y, { ...opts, activeRows });
    assert.equal(plain.rowsGathered, 0);
    assert.ok(gathered.rowsGathered > 0, 'shrinking left at most half the variables active');
    assert.deepEqual(gathered.alpha, plain.alpha);
    assert.equal(gathered.rho, plain.rho);
    assert.equal(gathered.obj, plain.obj);
    assert.equal(gathered.iterations, plain.iterations);
    // Room too small for the active rows: rows are read through perm, as without room.
    const cramped = solveCSVC(denseQ(K, y), y, {
      ...opts,
      activeRows: new Float32Array(4),
    });
    assert.equal(cramped.rowsGathered, 0);
    assert.deepEqual(cramped.alpha, plain.alpha);
  });

  it('stops at max_iter and says it did not converge', () => {
    const { K, y } = rbfProblem(100, 4, 3, 0.2);
    const s = solveCSVC(denseQ(K, y), y, { C: 100, eps: 1e-3, shrinking: true, maxIter: 5 });
    assert.equal(s.iterations, 5);
    assert.equal(s.converged, false);
  });
});
