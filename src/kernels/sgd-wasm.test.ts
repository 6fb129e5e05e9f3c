import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedArena } from './arena.js';
import { localKernels } from './local.js';
import { TS_ROW_OPS, type SgdRowOps } from './sgd.js';
import { LOSS_HINGE, LOSS_LOG, LOSS_MODIFIED_HUBER, type LossCode } from './sgd-loss.js';
import {
  PENALTY_ELASTICNET,
  PENALTY_L1,
  PENALTY_L2,
  SCHEDULE_CONSTANT,
  SCHEDULE_OPTIMAL,
  SCHEDULE_PA1,
  trainSgdProblems,
  type BinarySgdConfig,
  type PenaltyCode,
  type ScheduleCode,
} from './sgd-train.js';
import { BASE, Lcg } from './sgd-train.fixture.js';
import { wasmRowOps, type SgdKernels } from './sgd-wasm.js';

const WASM = wasmRowOps(localKernels() as unknown as SgdKernels);
const arena = sharedArena();

/** Deterministic values in [−1, 1), with exact zeros sprinkled in (the truncation's z = 0 case). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return i % 11 === 3 ? 0 : s / 2147483648 - 1;
  });
}

function f64InArena(v: readonly number[]): Float64Array {
  const a = new Float64Array(arena.buffer(), arena.alloc(v.length * 8), v.length);
  a.set(v);
  return a;
}

function f32InArena(v: readonly number[]): Float32Array {
  const a = arena.allocF32(v.length);
  a.set(v);
  return a;
}

/** Bits of a float64 array, so a −0 or a last-ulp difference is not waved through. */
function bits(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

test('each WASM row operation gives the TypeScript reference’s bits (d with and without a tail)', () => {
  const before = arena.liveBytes();
  for (const d of [784, 13, 3, 1]) {
    const X = f32InArena(values(3 * d, 11 + d));
    const w0 = values(d, 5).map((v) => v * 0.3);
    // q within [−u, u], as the truncation's invariant has it.
    const q0 = values(d, 6).map((v) => v * 0.01);
    const o = d;
    const oNext = 2 * d;
    const cases: Array<
      [string, (ops: SgdRowOps, w: Float64Array, q: Float64Array) => number | void]
    > = [
      ['dotRow', (ops, w) => ops.dotRow(w, X, o, d)],
      ['addRow', (ops, w) => ops.addRow(w, X, o, d, 0.37)],
      ['addRowDotNext', (ops, w) => ops.addRowDotNext(w, X, o, oNext, d, -0.21)],
      ['truncateDotRow', (ops, w, q) => ops.truncateDotRow(w, q, 0.8, 0.05, X, o, d)],
      ['addRowTruncate', (ops, w, q) => ops.addRowTruncate(w, q, 0.8, 0.05, X, o, d, 0.4)],
      [
        'addRowTruncateDotNext',
        (ops, w, q) => ops.addRowTruncateDotNext(w, q, 1.3, 0.03, X, o, oNext, d, -0.4),
      ],
      ['peekTruncatedDotRow', (ops, w, q) => ops.peekTruncatedDotRow(w, q, 0.05, X, o, d)],
      [
        'catchUpAddRowTruncate',
        (ops, w, q) => ops.catchUpAddRowTruncate(w, q, 0.02, 0.05, X, o, d, 0.25),
      ],
    ];
    for (const [name, run] of cases) {
      const wTs = f64InArena(w0);
      const qTs = f64InArena(q0);
      const wWasm = f64InArena(w0);
      const qWasm = f64InArena(q0);
      const expected = run(TS_ROW_OPS, wTs, qTs);
      const got = run(WASM, wWasm, qWasm);
      assert.ok(Object.is(got, expected), `${name} d=${d}: returned ${got}, reference ${expected}`);
      assert.equal(bits(wWasm), bits(wTs), `${name} d=${d}: weights`);
      assert.equal(bits(qWasm), bits(qTs), `${name} d=${d}: l1 record`);
      for (const a of [wTs, qTs, wWasm, qWasm]) arena.release(a.byteOffset);
    }
    arena.releaseView(X);
  }
  assert.equal(arena.liveBytes(), before);
});

test('whole one-vs-rest trainings on the WASM ops equal the reference bit for bit', () => {
  const n = 300;
  const d = 29;
  const X = f32InArena(values(n * d, 3));
  const labels = Int32Array.from({ length: n }, (_, i) => {
    const v = X[i * d] + 0.5 * X[i * d + 1];
    return v < -0.3 ? 0 : v < 0.3 ? 1 : 2;
  });
  const rowSqNorms = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] ** 2;
    return s;
  });
  const config = (
    loss: LossCode,
    penalty: PenaltyCode,
    schedule: ScheduleCode,
  ): BinarySgdConfig => ({
    ...BASE,
    loss,
    penalty,
    schedule,
    alpha: 1e-3,
    eta0: 1,
  });
  const configs = [
    config(LOSS_HINGE, PENALTY_L2, SCHEDULE_OPTIMAL),
    config(LOSS_HINGE, PENALTY_L1, SCHEDULE_OPTIMAL), // the lazy l1 path
    config(LOSS_LOG, PENALTY_ELASTICNET, SCHEDULE_OPTIMAL),
    config(LOSS_MODIFIED_HUBER, PENALTY_L1, SCHEDULE_CONSTANT),
    config(LOSS_HINGE, PENALTY_L2, SCHEDULE_PA1),
  ];
  for (const cfg of configs) {
    const data = { X, rows: n, cols: d, labels, rowSqNorms };
    const reference = trainSgdProblems(data, [0, 1, 2], cfg, new Lcg(9));
    const weights = {
      W: [0, 1, 2].map(() => f64InArena(new Array<number>(d).fill(0))),
      Q: [0, 1, 2].map(() => f64InArena(new Array<number>(d).fill(0))),
    };
    const got = trainSgdProblems(data, [0, 1, 2], cfg, new Lcg(9), WASM, weights);
    const label = `loss ${cfg.loss} penalty ${cfg.penalty} schedule ${cfg.schedule}`;
    got.forEach((r, k) => {
      assert.equal(bits(r.coef), bits(reference[k].coef), `${label}, class ${k}`);
      assert.ok(Object.is(r.intercept, reference[k].intercept), label);
      assert.ok(
        r.coef.some((v) => v !== 0),
        `${label}: a trained model`,
      );
    });
    for (const a of [...weights.W, ...weights.Q]) arena.release(a.byteOffset);
  }
  arena.releaseView(X);
});
