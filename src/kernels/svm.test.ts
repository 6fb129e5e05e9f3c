import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../ml/random.js';
import { kernelRows, kernelRowsRef, type KernelSpec } from './svm.js';

function randomMatrix(rng: Rng, rows: number, cols: number): Float32Array {
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = rng.nextNormal();
  return a;
}

const SPECS: KernelSpec[] = [
  { kernel: 'linear', gamma: 0, coef0: 0, degree: 3 },
  { kernel: 'poly', gamma: 0.05, coef0: 0.5, degree: 3 },
  { kernel: 'poly', gamma: 0.1, coef0: 0, degree: 0 },
  { kernel: 'rbf', gamma: 0.05, coef0: 0, degree: 3 },
  { kernel: 'sigmoid', gamma: 0.02, coef0: -0.3, degree: 3 },
];

describe('svmKernelRows (WASM) against the float64 reference', () => {
  // Widths that are and are not multiples of 4 and 8; row counts that hit the 4-row
  // groups and the remainder loop.
  for (const [n, d] of [
    [7, 1],
    [13, 6],
    [20, 33],
    [31, 784],
  ] as const) {
    for (const spec of SPECS) {
      it(`${spec.kernel} (degree ${spec.degree}) on ${n}×${d}`, () => {
        const rng = new Rng(n * 1000 + d);
        const x = randomMatrix(rng, n, d);
        for (const nRows of [1, 3, 4, 5, 9]) {
          const rows = Int32Array.from({ length: nRows }, () => rng.nextInt(n));
          const cols = Int32Array.from({ length: n - 2 }, (_, c) => (c * 5) % n);
          const got = kernelRows(x, n, d, rows, cols, spec);
          const want = kernelRowsRef(x, d, rows, cols, spec);
          // Scale of the values: dot products grow like d; compare relative to that.
          const scale =
            spec.kernel === 'linear'
              ? Math.sqrt(d)
              : spec.kernel === 'poly'
                ? 1 + (0.1 * d) ** 3
                : 1;
          for (let i = 0; i < want.length; i++) {
            assert.ok(
              Math.abs(got[i] - want[i]) <= 1e-4 * (scale + Math.abs(want[i])),
              `${spec.kernel} rows=${nRows} [${i}]: got ${got[i]}, want ${want[i]}`,
            );
          }
        }
      });
    }
  }

  it('gives the same bits for a row whatever rows are computed with it', () => {
    // The solver computes rows in batches that depend on what its cache holds; a kernel
    // value that changed with the batch would make a resumed fit part from an
    // uninterrupted one.
    for (const d of [1, 6, 33, 784]) {
      const rng = new Rng(d);
      const n = 23;
      const x = randomMatrix(rng, n, d);
      const cols = Int32Array.from({ length: n - 2 }, (_, c) => (c * 5) % n); // 21: not a multiple of 4
      for (const spec of SPECS) {
        for (const nRows of [2, 4, 5, 7, 9]) {
          const rows = Int32Array.from({ length: nRows }, () => rng.nextInt(n));
          const batch = kernelRows(x, n, d, rows, cols, spec);
          rows.forEach((r, q) => {
            const alone = kernelRows(x, n, d, Int32Array.of(r), cols, spec);
            assert.deepEqual(
              alone,
              batch.subarray(q * cols.length, (q + 1) * cols.length),
              `${spec.kernel}, d=${d}: row ${q} of ${nRows} alone`,
            );
          });
        }
      }
    }
  });

  it('rbf of a row with itself is 1 and values stay in (0, 1]', () => {
    const rng = new Rng(5);
    const x = randomMatrix(rng, 10, 50);
    const all = Int32Array.from({ length: 10 }, (_, i) => i);
    const k = kernelRows(x, 10, 50, all, all, { kernel: 'rbf', gamma: 0.1, coef0: 0, degree: 3 });
    for (let i = 0; i < 10; i++) {
      assert.ok(Math.abs(k[i * 10 + i] - 1) < 1e-5);
      for (let j = 0; j < 10; j++) assert.ok(k[i * 10 + j] > 0 && k[i * 10 + j] <= 1);
    }
  });

  it('rejects row indices outside the matrix', () => {
    const x = new Float32Array(12);
    assert.throws(
      () => kernelRows(x, 3, 4, Int32Array.of(3), Int32Array.of(0), SPECS[0]),
      /outside \[0, 3\)/,
    );
  });
});
