import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from './random.js';

describe('Rng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    assert.deepEqual(
      sa,
      Array.from({ length: 5 }, () => b.nextUint32()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 5 }, () => c.nextUint32()),
    );
  });

  it('draws floats in [0, 1) with a mean near 1/2', () => {
    const rng = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.nextFloat();
      assert.ok(x >= 0 && x < 1);
      sum += x;
    }
    assert.ok(Math.abs(sum / 100_000 - 0.5) < 0.01);
  });

  it('draws every integer in [0, n) about equally often', () => {
    const rng = new Rng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.nextInt(7)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `count ${c}`);
  });

  it('makes permutations that hold each index once', () => {
    const p = new Rng(5).permutation(1000);
    assert.deepEqual(
      [...p].sort((x, y) => x - y),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.notDeepEqual([...p.subarray(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const rng = new Rng(9);
    let s = 0;
    let s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      s += z;
      s2 += z * z;
    }
    assert.ok(Math.abs(s / n) < 0.02);
    assert.ok(Math.abs(s2 / n - 1) < 0.02);
  });

  it('rejects a non-integer seed', () => {
    assert.throws(() => new Rng(0.5), /seed must be an integer/);
  });
});

describe('Rng state', () => {
  it('getState / setState resume the same stream', () => {
    const a = new Rng(42);
    for (let i = 0; i < 10; i++) a.nextUint32();
    const s = a.getState();
    assert.equal(s.length, 4);
    const b = new Rng(0);
    b.setState(s);
    for (let i = 0; i < 1000; i++) assert.equal(b.nextUint32(), a.nextUint32());
    const into = new Uint32Array(4);
    assert.equal(a.getState(into), into);
    assert.deepEqual(into, b.getState());
  });

  it('rejects a state of the wrong length', () => {
    assert.throws(() => new Rng(1).setState([1, 2, 3]), /expected 4 words/);
  });
});
