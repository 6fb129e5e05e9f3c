import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FmnistError } from '../errors.js';
import { Rng } from '../ml/random.js';
import { sharedArena } from './arena.js';
import {
  binAtOrBelow,
  binFeatures,
  midpointThreshold,
  permuteBinned,
  releaseBinned,
} from './histogram-bins.js';

/** Scaled-uint8-like data: each feature an affine image of random bytes. */
function scaledBytes(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) data[i * d + j] = (rng.nextInt(256) - 100.5) * (0.013 + j * 0.001);
  return data;
}

test('every code is the rank of the value among its feature’s sorted distinct values', () => {
  const n = 700;
  const d = 5;
  const data = scaledBytes(n, d, 1);
  const b = binFeatures(data, n, d, { rowMajor: true });
  assert.ok(b.codes instanceof Uint8Array);
  for (let j = 0; j < d; j++) {
    const distinct = [...new Set(Array.from({ length: n }, (_, i) => data[i * d + j]))].sort(
      (x, y) => x - y,
    );
    assert.equal(b.nBins[j], distinct.length);
    assert.deepEqual(
      Array.from(b.values.subarray(b.offsets[j], b.offsets[j] + b.nBins[j])),
      distinct,
    );
    for (let i = 0; i < n; i++) {
      assert.equal(b.codes[j * n + i], distinct.indexOf(data[i * d + j]));
      assert.equal((b.rowCodes as Uint8Array)[i * d + j], b.codes[j * n + i]);
    }
  }
});

test('permuting binned rows gives what binning the permuted rows gives, in every layout', () => {
  const n = 530;
  const d = 7;
  const data = scaledBytes(n, d, 5);
  for (let i = 0; i < n; i++) data[i * d + 3] = 2.5; // a constant feature: one bin
  const order = new Rng(9).permutation(n);
  const permuted = new Float32Array(n * d);
  for (let i = 0; i < n; i++) permuted.set(data.subarray(order[i] * d, order[i] * d + d), i * d);
  // Row-major codes come from the source's rows when it has them, else by transposing.
  const sources = [binFeatures(data, n, d), binFeatures(data, n, d, { rowMajor: true })];
  const layouts = [
    {},
    { rowMajor: true },
    { rowMajor: true, shared: true },
    { rowMajor: true, arena: true },
  ];
  for (const [options, source] of layouts.flatMap((o) => sources.map((src) => [o, src] as const))) {
    const want = binFeatures(permuted, n, d, options);
    const got = permuteBinned(source, order, options);
    assert.ok(got !== null);
    const label = `${JSON.stringify(options)}, source rows ${source.rowCodes !== null}`;
    assert.deepEqual(Array.from(got.codes), Array.from(want.codes), label);
    assert.deepEqual(
      got.rowCodes && Array.from(got.rowCodes),
      want.rowCodes && Array.from(want.rowCodes),
      label,
    );
    assert.deepEqual(
      [got.nBins, got.offsets, got.values, got.maxBins],
      [want.nBins, want.offsets, want.values, want.maxBins],
    );
    assert.equal(got.inKernelMemory === true, want.inKernelMemory === true, label);
    assert.equal(
      got.codes.buffer instanceof SharedArrayBuffer,
      want.codes.buffer instanceof SharedArrayBuffer,
      label,
    );
    releaseBinned(got);
    releaseBinned(want);
  }
  assert.throws(
    () => permuteBinned(sources[0], order.subarray(1)),
    /order must list all 530 rows\. Got 529/,
  );
  const wide = binFeatures(
    Float32Array.from({ length: 300 }, (_, i) => i),
    300,
    1,
  );
  assert.equal(
    permuteBinned(wide, new Rng(1).permutation(300)),
    null,
    'two-byte codes: bin as usual',
  );
});

test('more than 256 distinct values fall back to exact Uint16 codes', () => {
  const n = 1000;
  const data = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    data[2 * i] = Math.fround(Math.sin(i) * 3); // ~1000 distinct
    data[2 * i + 1] = i % 3;
  }
  const b = binFeatures(data, n, 2);
  assert.ok(b.codes instanceof Uint16Array);
  const sorted = Array.from(new Set(Array.from({ length: n }, (_, i) => data[2 * i]))).sort(
    (x, y) => x - y,
  );
  assert.equal(b.nBins[0], sorted.length);
  assert.equal(b.nBins[1], 3);
  for (let i = 0; i < n; i++) {
    assert.equal(b.values[b.offsets[0] + b.codes[i]], data[2 * i]);
    assert.equal(b.codes[n + i], i % 3);
  }
});

test('-0 and +0 are one bin; NaN and infinity are rejected with the row and feature', () => {
  const b = binFeatures(Float32Array.from([0, -0, 1, 0]), 4, 1);
  assert.equal(b.nBins[0], 2);
  assert.deepEqual(Array.from(b.codes), [0, 0, 1, 0]);
  assert.throws(
    () => binFeatures(Float32Array.from([1, 2, NaN, 4]), 2, 2),
    (err: unknown) =>
      err instanceof FmnistError &&
      err.code === 'INVALID_INPUT' &&
      /row 1, feature 0/.test(err.message),
  );
  assert.throws(() => binFeatures(Float32Array.from([Infinity]), 1, 1), FmnistError);
});

test('binning in the WASM kernels gives the TypeScript reference’s bins and codes', () => {
  // 3000 × 784 floats span several of the blocks X is handed to the kernels in; feature 3
  // has more than 256 distinct values in one variant (Uint16 codes, no kernel remap).
  const n = 3000;
  const d = 784;
  const base = scaledBytes(n, d, 7);
  for (let i = 0; i < n; i += 5) base[i * d + 9] = -0; // -0 joins +0's bin
  const wide = Float32Array.from(base);
  for (let i = 0; i < n; i++) wide[i * d + 3] = Math.fround(Math.sin(i) * 3);
  const arena = sharedArena();
  const before = arena.liveBytes();
  for (const data of [base, wide]) {
    for (const rowMajor of [true, false]) {
      const ts = binFeatures(data, n, d, { arena: true, rowMajor, kernels: 'ts' });
      const wasm = binFeatures(data, n, d, { arena: true, rowMajor, kernels: 'wasm' });
      assert.equal(wasm.codes.constructor, ts.codes.constructor);
      assert.deepEqual(wasm.nBins, ts.nBins);
      assert.deepEqual(wasm.offsets, ts.offsets);
      assert.deepEqual(wasm.values, ts.values);
      assert.deepEqual(wasm.codes, ts.codes);
      assert.deepEqual(wasm.rowCodes, ts.rowCodes);
      releaseBinned(ts);
      releaseBinned(wasm);
    }
  }
  // X already in kernel memory is read in place.
  const inArena = arena.allocF32(n * d);
  inArena.set(base);
  const direct = binFeatures(inArena, n, d, { arena: true, rowMajor: true });
  const ref = binFeatures(base, n, d, { rowMajor: true });
  assert.deepEqual(direct.codes, ref.codes);
  assert.deepEqual(direct.rowCodes, ref.rowCodes);
  releaseBinned(direct);
  arena.releaseView(inArena);
  assert.equal(arena.liveBytes(), before, 'every kernel allocation is given back');
});

test('the WASM binning names the row and feature of a NaN and frees what it took', () => {
  const n = 2000;
  const d = 784;
  const data = scaledBytes(n, d, 3);
  data[1500 * d + 17] = NaN; // in the second block handed to the kernels
  const arena = sharedArena();
  const before = arena.liveBytes();
  assert.throws(
    () => binFeatures(data, n, d, { arena: true, rowMajor: true }),
    (err: unknown) =>
      err instanceof FmnistError &&
      err.code === 'INVALID_INPUT' &&
      /row 1500, feature 17: NaN/.test(err.message),
  );
  assert.equal(arena.liveBytes(), before);
});

test('midpoint thresholds separate neighbouring float32 values like scikit-learn', () => {
  const a = 1;
  const next = Math.fround(1 + 2 ** -23); // the next float32 after 1
  const t = midpointThreshold(a, next);
  assert.ok(a <= t && t < next);
  assert.equal(midpointThreshold(-1.5, 2.5), 0.5);
  const b = binFeatures(Float32Array.from([-1.5, 2.5, 7]), 3, 1);
  assert.equal(binAtOrBelow(b, 0, 0.5), 0);
  assert.equal(binAtOrBelow(b, 0, 2.5), 1);
  assert.equal(binAtOrBelow(b, 0, -2), -1);
});
