import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../ml/random.js';
import { classColumnMeanVar, columnMeanVar, pooledColumnVariance } from './columns.js';

describe('column statistics', () => {
  const rng = new Rng(4);
  const rows = 500;
  const cols = 7;
  const data = new Float32Array(rows * cols).map(() => rng.nextNormal() * 3 + 100);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);

  it('gives per-class stats equal to a direct two-pass computation', () => {
    const { mean, variance, counts } = classColumnMeanVar(data, rows, cols, labels, 3);
    for (let k = 0; k < 3; k++) {
      const idx = [...labels.keys()].filter((i) => labels[i] === k);
      assert.equal(counts[k], idx.length);
      for (let j = 0; j < cols; j++) {
        const xs = idx.map((i) => data[i * cols + j]);
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
        assert.ok(Math.abs(mean[k * cols + j] - m) < 1e-9);
        assert.ok(Math.abs(variance[k * cols + j] - v) < 1e-9);
      }
    }
  });

  it('gives exactly zero variance to a feature constant within a class', () => {
    const c = new Float32Array([123.456, 1, 123.456, 2, 123.456, 3]);
    const { variance } = classColumnMeanVar(c, 3, 2, new Int32Array(3), 1);
    assert.equal(variance[0], 0);
  });

  it('pools class stats into the whole-data variance', () => {
    const { mean, variance, counts } = classColumnMeanVar(data, rows, cols, labels, 3);
    const pooled = pooledColumnVariance(mean, variance, counts, cols);
    const direct = columnMeanVar(data, rows, cols).variance;
    for (let j = 0; j < cols; j++) assert.ok(Math.abs(pooled[j] - direct[j]) < 1e-8);
  });
});
