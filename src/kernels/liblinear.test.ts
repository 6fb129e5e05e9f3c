import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../ml/random.js';
import {
  columnMajorWithBias,
  matTVec,
  matVec,
  rowDot,
  rowDot2,
  rowSquaredNorms,
  subWeightedGramVec,
  weightedGramVec,
} from './liblinear.js';

const rows = 13;
const cols = 7; // odd on purpose: exercises the unrolled loops' tails
const rng = new Rng(3);
const data = Float32Array.from({ length: rows * cols }, () => rng.nextNormal());
const v = Float64Array.from({ length: cols + 1 }, () => rng.nextNormal());
const x = (i: number, j: number, bias: number): number => (j < cols ? data[i * cols + j] : bias);

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${i}: ${a[i]} vs ${b[i]}`);
}

describe('liblinear kernels against naive loops', () => {
  for (const bias of [0, 1, 2.5]) {
    const size = cols + (bias > 0 ? 1 : 0);
    it(`X·v and Xᵀ·u with bias ${bias}`, () => {
      const out = new Float64Array(rows);
      matVec(data, rows, cols, v, bias, out);
      const ref = Array.from({ length: rows }, (_, i) => {
        let s = 0;
        for (let j = 0; j < size; j++) s += x(i, j, bias) * v[j];
        return s;
      });
      close(out, ref);
      const u = Float64Array.from({ length: rows }, (_, i) => (i % 4 === 0 ? 0 : i - 6));
      const g = new Float64Array(size);
      matTVec(data, rows, cols, u, bias, g);
      const gref = Array.from({ length: size }, (_, j) => {
        let s = 0;
        for (let i = 0; i < rows; i++) s += u[i] * x(i, j, bias);
        return s;
      });
      close(g, gref);
    });

    it(`Xᵀ diag(d) X v, whole and over a row subset, bias ${bias}`, () => {
      const d = Float64Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 0 : 0.1 * i));
      const out = new Float64Array(size);
      weightedGramVec(data, rows, cols, v, d, bias, out);
      const ref = new Float64Array(size);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < size; j++) s += x(i, j, bias) * v[j];
        for (let j = 0; j < size; j++) ref[j] += d[i] * s * x(i, j, bias);
      }
      close(out, ref);
      const index = Int32Array.from([1, 4, 5, 11]);
      subWeightedGramVec(data, cols, index, index.length, v, 0.7, bias, out);
      ref.fill(0);
      for (const i of index) {
        let s = 0;
        for (let j = 0; j < size; j++) s += x(i, j, bias) * v[j];
        for (let j = 0; j < size; j++) ref[j] += 0.7 * s * x(i, j, bias);
      }
      close(out, ref);
    });

    it(`rowDot2 scores one row against two weight vectors, bias ${bias}`, () => {
      const W = Float64Array.from({ length: 3 * size }, () => rng.nextNormal());
      const out = new Float64Array(4);
      for (let i = 0; i < rows; i++) {
        rowDot2(data, i * cols, cols, W, 2 * size, 0, bias, out, 1);
        close(
          [out[1], out[2]],
          [
            rowDot(data, i * cols, cols, W, 2 * size, bias),
            rowDot(data, i * cols, cols, W, 0, bias),
          ],
        );
      }
    });

    it(`row norms and the column-major copy, bias ${bias}`, () => {
      const norms = rowSquaredNorms(data, rows, cols, bias);
      close(
        norms,
        Array.from({ length: rows }, (_, i) => {
          let s = 0;
          for (let j = 0; j < size; j++) s += x(i, j, bias) ** 2;
          return s;
        }),
      );
      const t = columnMajorWithBias(data, rows, cols, bias);
      assert.equal(t.length, size * rows);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < size; j++) assert.equal(t[j * rows + i], Math.fround(x(i, j, bias)));
    });
  }
});
