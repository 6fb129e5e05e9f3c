import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FmnistError } from '../errors.js';
import { Rng } from '../ml/random.js';
import { binAtOrBelow, binFeatures, midpointThreshold } from './histogram-bins.js';

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
