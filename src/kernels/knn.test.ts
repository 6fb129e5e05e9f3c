import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { featureGroups, KnnIndex, parallelKnn, type Metric } from './knn.js';
import { KernelPool } from './pool.js';
import { knnRef } from './reference.js';
import { Rng } from '../ml/random.js';

function randomMatrix(rng: Rng, rows: number, cols: number): Float32Array {
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = rng.nextNormal();
  return a;
}

const METRICS: Metric[] = ['euclidean', 'manhattan'];
const pool = new KernelPool(2);
after(() => pool.close());

describe('brute-force k-NN', () => {
  const rng = new Rng(3);
  // 301 reference rows cross the 256-row tile; 130 queries make 3 query blocks (64, 64, 2).
  const nx = 301;
  const nq = 130;
  const d = 37;
  const X = randomMatrix(rng, nx, d);
  const Q = randomMatrix(rng, nq, d);

  for (const metric of METRICS) {
    it(`${metric}: matches the definition (direct distances, stable sort)`, async () => {
      for (const k of [1, 6, 9]) {
        const got = await parallelKnn(X, nx, Q, nq, d, k, metric, { mode: 'local' });
        const want = knnRef(X, nx, Q, nq, d, k, metric);
        assert.deepEqual(got.indices, want.indices, `k=${k}`);
        for (let i = 0; i < want.distances.length; i++) {
          assert.ok(
            Math.abs(got.distances[i] - want.distances[i]) <= 1e-5 * (1 + want.distances[i]),
          );
        }
      }
    });

    it(`${metric}: two workers give exactly the single-thread result`, async () => {
      const index = new KnnIndex(X, nx, d);
      const local = await index.query(Q, nq, 5, metric, { mode: 'local' });
      const parallel = await index.query(Q, nq, 5, metric, { pool });
      assert.deepEqual(parallel.indices, local.indices);
      assert.deepEqual(parallel.distances, local.distances);
      index.dispose();
    });
  }

  it('finds exact duplicates at distance exactly 0, and orders equal distances by index', async () => {
    // Rows 1 and 3 equal the query; rows 0 and 2 are both at distance 1 from it.
    const train = Float32Array.from(
      [1, 0, 0, 5, 0, 0, 7, 0, 0, 5, 0, 0, 3, 0, 0].map((v, i) => (i % 3 === 0 ? v : i)),
    );
    const rows = [
      [4, 1, 2],
      [5, 1, 2],
      [6, 1, 2],
      [5, 1, 2],
      [9, 1, 2],
    ];
    train.set(rows.flat());
    const query = Float32Array.from([5, 1, 2]);
    for (const metric of METRICS) {
      const got = await parallelKnn(train, 5, query, 1, 3, 5, metric, { mode: 'local' });
      assert.deepEqual([...got.indices], [1, 3, 0, 2, 4], metric);
      assert.deepEqual([...got.distances], [0, 0, 1, 1, 4], metric);
    }
  });

  it('bounded searches return exactly what brute force returns', async () => {
    // Large enough for the bounded search (≥ 1024 rows, ≥ 128 columns): one structured
    // set (low rank + noise, tight bounds) and one isotropic set (loose bounds).
    const r = new Rng(21);
    // 144 = 12² columns: the Manhattan bound pools 4×4 blocks of a 12×12 "image".
    const [n, nqb, dd] = [1100, 70, 144];
    const latent = randomMatrix(r, 8, dd);
    const structured = (rows: number): Float32Array => {
      const a = new Float32Array(rows * dd);
      for (let i = 0; i < rows; i++) {
        const z = Array.from({ length: 8 }, () => r.nextNormal());
        for (let j = 0; j < dd; j++) {
          let s = 0.2 * r.nextNormal();
          for (let t = 0; t < 8; t++) s += z[t] * latent[t * dd + j];
          a[i * dd + j] = s;
        }
      }
      return a;
    };
    for (const [train, queries] of [
      [structured(n), structured(nqb)],
      [randomMatrix(r, n, dd), randomMatrix(r, nqb, dd)],
    ]) {
      // Exact duplicates and a tie: query 0 equals rows 5 and 900.
      train.set(train.subarray(5 * dd, 6 * dd), 900 * dd);
      queries.set(train.subarray(5 * dd, 6 * dd), 0);
      const index = new KnnIndex(train, n, dd);
      for (const metric of METRICS) {
        for (const k of [1, 9]) {
          const what = `${metric} k=${k}`;
          const bounded = await index.query(queries, nqb, k, metric, { pool });
          assert.equal(index.lastSearch?.search, 'bounded');
          const brute = await index.query(queries, nqb, k, metric, {
            mode: 'local',
            search: 'brute',
          });
          assert.deepEqual(bounded.indices, brute.indices, what);
          assert.deepEqual(bounded.distances, brute.distances, what);
          const ref = knnRef(train, n, queries, nqb, dd, k, metric);
          assert.deepEqual(bounded.indices, ref.indices, what);
          assert.equal(bounded.distances[0], 0);
          assert.equal(bounded.indices[0], 5);
          if (k === 9) assert.equal(bounded.indices[1], 900);
        }
      }
      index.dispose();
    }
  });

  it('groups square widths into 4×4 blocks and others into runs of 16', () => {
    const g = featureGroups(64); // 8×8
    assert.deepEqual([g[0], g[3], g[4], g[8 * 4], g[63]], [0, 0, 1, 2, 3]);
    assert.deepEqual(
      [...featureGroups(40)].filter((_, j) => j % 16 === 0),
      [0, 1, 2],
    );
  });

  it('rejects k beyond the reference rows and unknown metrics', async () => {
    const index = new KnnIndex(X, nx, d);
    await assert.rejects(index.query(Q, nq, nx + 1, 'euclidean'), /k must be an int in \[1, 301\]/);
    await assert.rejects(
      index.query(Q, nq, 1, 'cosine' as Metric),
      /metric must be 'euclidean' or 'manhattan'/,
    );
    await assert.rejects(
      index.query(Q.subarray(1), nq, 1, 'euclidean'),
      /queries should hold 130×37/,
    );
    index.dispose();
    await assert.rejects(index.query(Q, nq, 1, 'euclidean'), /disposed/);
  });

  it('keeps data that already lives in the arena in place and frees what it allocated', async () => {
    const { sharedArena } = await import('./arena.js');
    const arena = sharedArena();
    const before = arena.liveBytes();
    const inArena = arena.allocF32(nx * d);
    inArena.set(X);
    const index = new KnnIndex(inArena, nx, d);
    // Only the norms were allocated besides the data (sizes rounded up to 16 bytes).
    const rounded = (bytes: number): number => Math.ceil(bytes / 16) * 16;
    assert.equal(arena.liveBytes() - before, rounded(inArena.byteLength) + rounded(nx * 4));
    await index.query(Q, nq, 3, 'euclidean', { pool });
    index.dispose();
    arena.releaseView(inArena);
    assert.equal(arena.liveBytes(), before);
  });
});
