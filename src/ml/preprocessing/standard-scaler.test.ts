import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError } from '../../errors.js';
import { matrix } from '../matrix.js';
import { StandardScaler } from './standard-scaler.js';

describe('StandardScaler', () => {
  const X = matrix(Float32Array.from([1, 5, 2, 5, 3, 5, 6, 5]), 4, 2);

  it('uses the population std and maps a constant feature to 0 with scale 1', () => {
    const s = new StandardScaler().fit(X);
    assert.deepEqual([...(s.mean as Float64Array)], [3, 5]);
    assert.ok(Math.abs((s.scale as Float64Array)[0] - Math.sqrt(3.5)) < 1e-12);
    assert.equal((s.scale as Float64Array)[1], 1);
    const Z = s.transform(X);
    const col0 = [0, 2, 4, 6].map((i) => Z.data[i]);
    assert.ok(Math.abs(col0.reduce((a, b) => a + b, 0)) < 1e-6);
    assert.ok(Math.abs(col0.reduce((a, b) => a + b * b, 0) / 4 - 1) < 1e-6);
    assert.deepEqual(
      [1, 3, 5, 7].map((i) => Z.data[i]),
      [0, 0, 0, 0],
    );
  });

  it('writes its output to shared memory for the worker threads', () => {
    const Z = new StandardScaler().fitTransform(X);
    assert.ok(Z.data.buffer instanceof SharedArrayBuffer);
  });

  it('refuses to transform before fit and checks the width', () => {
    assert.throws(() => new StandardScaler().transform(X), NotFittedError);
    const s = new StandardScaler().fit(X);
    assert.throws(() => s.transform(matrix(new Float32Array(3), 1, 3)), /expecting 2 features/);
  });
});
