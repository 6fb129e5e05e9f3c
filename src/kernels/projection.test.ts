import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orthonormalRows, principalBasis } from './projection.js';
import { Rng } from '../ml/random.js';

function gram(v: Float32Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: rows }, (_, j) => {
      let s = 0;
      for (let t = 0; t < cols; t++) s += v[i * cols + t] * v[j * cols + t];
      return s;
    }),
  );
}

describe('principalBasis', () => {
  it('returns orthonormal rows led by the direction of largest variance', () => {
    const rng = new Rng(9);
    const rows = 2000;
    const cols = 11;
    // Variance 100 along (1,1,0,…)/√2, 1 elsewhere.
    const x = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const big = 10 * rng.nextNormal();
      for (let j = 0; j < cols; j++)
        x[i * cols + j] = rng.nextNormal() + (j < 2 ? big / Math.SQRT2 : 0);
    }
    const r = 4;
    const v = principalBasis(x, rows, cols, r, { sampleRows: 1000 });
    const g = gram(v, r, cols);
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++)
        assert.ok(Math.abs(g[i][j] - (i === j ? 1 : 0)) < 1e-5, `G[${i}][${j}] = ${g[i][j]}`);
    assert.ok(
      Math.abs(Math.abs(v[0] + v[1]) / Math.SQRT2 - 1) < 0.02,
      `first direction ${v[0]}, ${v[1]}`,
    );
  });

  it('caps the rank at the number of columns', () => {
    const x = Float32Array.from({ length: 30 }, (_, i) => (i * 7) % 5);
    assert.equal(principalBasis(x, 10, 3, 8).length, 9);
  });
});

describe('orthonormalRows', () => {
  it('zeroes rows that depend on earlier ones', () => {
    const v = orthonormalRows(Float32Array.from([3, 0, 0, 6, 0, 0, 1, 1, 0]), 3, 3);
    assert.deepEqual([...v], [1, 0, 0, 0, 0, 0, 0, 1, 0]);
  });
});
