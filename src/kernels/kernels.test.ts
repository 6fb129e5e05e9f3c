import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedArena, sharedArena } from './arena.js';
import { axpy, dot } from './blas.js';
import { manhattanDistances, rowSqNorms, sqEuclideanDistances } from './distances.js';
import { gemmAbt } from './gemm.js';
import {
  axpyRef,
  dotRef,
  gemmAbtRef,
  manhattanRef,
  rowSqNormsRef,
  sqEuclideanRef,
  topkSmallestRef,
} from './reference.js';
import { topkSmallest } from './topk.js';
import { Rng } from '../ml/random.js';

function randomMatrix(rng: Rng, rows: number, cols: number): Float32Array {
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = rng.nextNormal();
  return a;
}

/** |got − want| ≤ tol·(1 + |want|) everywhere (float32 sums against float64 ones). */
function assertClose(got: Float32Array, want: Float32Array, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    assert.ok(
      err <= tol * (1 + Math.abs(want[i])),
      `${what}[${i}]: got ${got[i]}, want ${want[i]}`,
    );
  }
}

// Shapes chosen to hit every edge: rows not multiples of 4, columns not multiples of 2
// or of the 256-row cache block, widths not multiples of 4 or 8.
const SHAPES: Array<[m: number, n: number, d: number]> = [
  [1, 1, 1],
  [3, 5, 3],
  [13, 259, 37],
  [7, 517, 11],
  [9, 6, 784],
];

describe('WASM kernels vs the TypeScript references', () => {
  const rng = new Rng(42);

  it('dot and axpy', () => {
    for (const n of [0, 1, 3, 7, 8, 9, 101]) {
      const x = randomMatrix(rng, 1, n);
      const y = randomMatrix(rng, 1, n);
      assert.ok(Math.abs(dot(x, y) - dotRef(x, y)) <= 1e-5 * (1 + n), `dot n=${n}`);
      const want = axpyRef(0.75, x, y);
      axpy(0.75, x, y);
      assertClose(y, want, 1e-6, `axpy n=${n}`);
    }
    assert.throws(
      () => dot(new Float32Array(3), new Float32Array(4)),
      /x has 3 values but y has 4/,
    );
  });

  it('row squared norms', () => {
    for (const [m, , d] of SHAPES) {
      const a = randomMatrix(rng, m, d);
      assertClose(rowSqNorms(a, m, d), rowSqNormsRef(a, m, d), 1e-5, `norms ${m}×${d}`);
    }
  });

  it('GEMM A·Bᵀ', () => {
    for (const [m, n, d] of SHAPES) {
      const a = randomMatrix(rng, m, d);
      const b = randomMatrix(rng, n, d);
      assertClose(gemmAbt(a, m, b, n, d), gemmAbtRef(a, m, b, n, d), 1e-4, `gemm ${m}×${n}×${d}`);
    }
  });

  it('squared Euclidean and Manhattan distance blocks', () => {
    for (const [m, n, d] of SHAPES) {
      const a = randomMatrix(rng, m, d);
      const b = randomMatrix(rng, n, d);
      // The GEMM identity loses relative precision on small distances: compare against
      // the scale of the norms rather than of the distance itself.
      const sq = sqEuclideanDistances(a, m, b, n, d);
      const ref = sqEuclideanRef(a, m, b, n, d);
      for (let i = 0; i < ref.length; i++)
        assert.ok(Math.abs(sq[i] - ref[i]) <= 1e-4 * (1 + 4 * d), `sq ${i}`);
      assert.ok(
        sq.every((v) => v >= 0),
        'squared distances are clamped at 0',
      );
      assertClose(
        manhattanDistances(a, m, b, n, d),
        manhattanRef(a, m, b, n, d),
        1e-5,
        `l1 ${m}×${n}×${d}`,
      );
    }
  });

  it('a row at distance 0 from itself stays ≥ 0 under the GEMM identity', () => {
    const a = Float32Array.from([1e3, -7.25, 3.5, 0.1, 9]);
    const sq = sqEuclideanDistances(a, 1, a, 1, 5);
    assert.ok(sq[0] >= 0 && sq[0] < 1e-1);
  });

  it('rejects arrays that do not match their shape, naming the argument', () => {
    assert.throws(
      () => gemmAbt(new Float32Array(5), 2, new Float32Array(4), 2, 2),
      /gemmAbt: A should hold 2×2 = 4 values. Got 5/,
    );
  });
});

describe('top-k selection', () => {
  it('matches a stable sort on random rows of awkward length', () => {
    const rng = new Rng(7);
    const rows = 5;
    const cols = 301;
    const v = randomMatrix(rng, rows, cols);
    for (const k of [1, 4, 9, 301]) {
      const got = topkSmallest(v, rows, cols, k);
      const want = topkSmallestRef(v, rows, cols, k);
      assert.deepEqual(got.indices, want.indices, `k=${k}`);
      assert.deepEqual(got.values, want.values, `k=${k}`);
    }
  });

  it('breaks ties by the lower index', () => {
    const v = Float32Array.from([3, 1, 2, 1, 1, 0, 2, 0]);
    const got = topkSmallest(v, 1, 8, 5);
    assert.deepEqual([...got.indices], [5, 7, 1, 3, 4]);
    assert.deepEqual([...got.values], [0, 0, 1, 1, 1]);
  });

  it('rejects k outside [1, cols]', () => {
    assert.throws(() => topkSmallest(new Float32Array(4), 1, 4, 5), /k must be an int in \[1, 4\]/);
    assert.throws(() => topkSmallest(new Float32Array(4), 1, 4, 0), RangeError);
  });
});

describe('SharedArena', () => {
  it('reuses and merges freed ranges, and grows the memory on demand', () => {
    const arena = new SharedArena(1);
    const a = arena.alloc(100);
    const b = arena.alloc(1000);
    const c = arena.alloc(10);
    assert.equal(a % 16, 0);
    assert.ok(b >= a + 100 && c >= b + 1000);
    arena.release(a);
    arena.release(b);
    // The merged hole of a and b fits 1100 bytes at a's old place.
    assert.equal(arena.alloc(1100), a);
    const big = arena.allocF32(200_000); // > 1 initial page
    assert.ok(arena.owns(big));
    big[199_999] = 5;
    assert.equal(new Float32Array(arena.buffer(), big.byteOffset, 200_000)[199_999], 5);
    assert.throws(() => arena.release(12345), /not a live allocation/);
  });

  it('lends arrays that live in it without copying', () => {
    const arena = sharedArena();
    const inside = arena.allocF32(8);
    assert.equal(arena.borrow(inside).ptr, inside.byteOffset);
    const outside = new Float32Array(8);
    const lent = arena.borrow(outside);
    assert.notEqual(lent.ptr, outside.byteOffset);
    const before = arena.liveBytes();
    lent.done();
    assert.ok(arena.liveBytes() < before);
    arena.releaseView(inside);
  });
});
