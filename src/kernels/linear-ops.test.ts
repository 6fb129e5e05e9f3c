import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../ml/random.js';
import { ArenaRegion, FixedRegion, WasmLinearOps, tsLinearOps } from './linear-ops.js';

describe('WASM liblinear kernels equal the TypeScript reference', () => {
  const region = new ArenaRegion();
  const wasm = new WasmLinearOps(region);
  const rng = new Rng(9);
  for (const [rows, cols, bias] of [
    [7, 1, 0],
    [13, 6, 1],
    [9, 17, 2.5],
    [5, 785, 1],
  ] as const) {
    it(`every op at ${rows}×${cols}, bias ${bias}`, () => {
      const data = region.f32(rows * cols);
      for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal();
      const size = cols + (bias > 0 ? 1 : 0);
      const fill = (v: Float64Array): Float64Array => {
        for (let i = 0; i < v.length; i++) v[i] = rng.nextNormal();
        return v;
      };
      const v = fill(wasm.f64(size));
      const u = fill(wasm.f64(rows));
      const index = wasm.i32(3);
      index.set([rows - 1, 0, Math.floor(rows / 2)]);
      const near = (a: ArrayLike<number>, b: ArrayLike<number>, what: string): void => {
        assert.equal(a.length, b.length);
        for (let i = 0; i < a.length; i++)
          assert.ok(Math.abs(a[i] - b[i]) <= 1e-9 * (1 + Math.abs(b[i])), `${what}[${i}]`);
      };
      for (let i = 0; i < rows; i++) {
        near(
          [wasm.rowDot(data, i * cols, cols, v, 0, bias)],
          [tsLinearOps.rowDot(data, i * cols, cols, v, 0, bias)],
          'rowDot',
        );
      }
      const a = wasm.f64(size);
      const b = new Float64Array(size);
      wasm.rowAxpy(data, cols, cols, 0.7, a, 0, bias);
      tsLinearOps.rowAxpy(data, cols, cols, 0.7, b, 0, bias);
      near(a, b, 'rowAxpy');
      const outW = wasm.f64(rows);
      const outT = new Float64Array(rows);
      wasm.matVec(data, rows, cols, v, bias, outW);
      tsLinearOps.matVec(data, rows, cols, v, bias, outT);
      near(outW, outT, 'matVec');
      wasm.subMatVec(data, cols, index, 3, v, bias, outW);
      tsLinearOps.subMatVec(data, cols, index, 3, v, bias, outT);
      near(outW.subarray(0, 3), outT.subarray(0, 3), 'subMatVec');
      const tW = wasm.f64(size);
      const tT = new Float64Array(size);
      wasm.matTVec(data, rows, cols, u, bias, tW);
      tsLinearOps.matTVec(data, rows, cols, u, bias, tT);
      near(tW, tT, 'matTVec');
      wasm.subMatTVec(data, cols, index, 3, u, bias, tW);
      tsLinearOps.subMatTVec(data, cols, index, 3, u, bias, tT);
      near(tW, tT, 'subMatTVec');
      wasm.weightedGramVec(data, rows, cols, v, u, bias, tW);
      tsLinearOps.weightedGramVec(data, rows, cols, v, u, bias, tT);
      near(tW, tT, 'weightedGramVec');
      wasm.subWeightedGramVec(data, cols, index, 3, v, 0.3, bias, tW);
      tsLinearOps.subWeightedGramVec(data, cols, index, 3, v, 0.3, bias, tT);
      near(tW, tT, 'subWeightedGramVec');
    });
  }

  it('columnAxpyDot3 is columnAxpy then columnDot3, bit for bit, on both ops', () => {
    for (const rows of [1, 3, 4, 9, 64, 1001]) {
      const cols = 3;
      const c = region.f32(rows * cols);
      for (let i = 0; i < c.length; i++) c[i] = rng.nextNormal();
      for (const ops of [wasm, tsLinearOps]) {
        const u = ops.f64(rows);
        const v1 = ops.f64(rows);
        for (let i = 0; i < rows; i++) {
          u[i] = rng.nextNormal();
          v1[i] = rng.nextNormal();
        }
        const v2 = ops.f64(rows);
        v2.set(v1);
        const a = rng.nextNormal();
        ops.columnAxpy(c, 2 * rows, rows, a, v1);
        const two = ops.columnDot3(c, 0, rows, u, v1);
        const one = ops.columnAxpyDot3(c, 2 * rows, a, 0, rows, u, v2);
        assert.ok(Object.is(one, two), `${ops.kind}, ${rows} rows: ${one} vs ${two}`);
        assert.deepEqual(Array.from(v2), Array.from(v1), `${ops.kind}, ${rows} rows: v`);
      }
    }
  });

  it('a worker region refuses to overflow, and reset frees it all', () => {
    const r = new FixedRegion(region.memory, region.alloc(64), 64);
    const first = r.alloc(48);
    assert.throws(() => r.alloc(32), /32 bytes requested with 16 left of 64/);
    r.reset();
    assert.equal(r.alloc(16), first);
  });
});
