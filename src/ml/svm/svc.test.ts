import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sharedArena } from '../../kernels/arena.js';
import { loadDataset } from '../../data/load.js';
import { matrix, type Matrix } from '../matrix.js';
import { predictOneVsOne, type OvoModel } from './ovo.js';
import { resolveGamma, SVC, type SVCParams } from './svc.js';

const FASHION = '/usr/share/datasets/fashion-mnist';

/** The first n training and m test rows of Fashion-MNIST, scaled as x/255 − 0.3. */
async function fashion(n: number, m: number) {
  const home = await mkdtemp(join(tmpdir(), 'fmnist-svc-'));
  try {
    const ds = await loadDataset('fashion', { home });
    const take = (bytes: Uint8Array, rows: number): Matrix =>
      matrix(
        Float32Array.from(bytes.subarray(0, rows * 784), (v) => v / 255 - 0.3),
        rows,
        784,
      );
    return {
      X: take(ds.train.images, n),
      y: Int32Array.from(ds.train.labels.subarray(0, n)),
      Xt: take(ds.test.images, m),
      yt: Int32Array.from(ds.test.labels.subarray(0, m)),
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

describe('SVC one-vs-one voting', () => {
  /** A 3-class model with one SV whose coefficients are 0: decisions are −ρ. */
  function constantModel(rho: number[]): OvoModel {
    return {
      nClasses: 3,
      svIndex: Int32Array.of(0),
      svClass: Int32Array.of(0),
      nSupport: Int32Array.of(1, 0, 0),
      coef: new Float64Array(3),
      rho: Float64Array.from(rho),
      iterations: new Float64Array(3),
      converged: true,
      unconvergedPairs: 0,
      rowsComputed: 0,
      passes: 0,
      wasmLoopPairs: 0,
      rowsGathered: 0,
      runIterations: 0,
    };
  }
  async function predictWith(rho: number[]): Promise<number> {
    const arena = sharedArena();
    const sv = arena.allocF32(2);
    const norms = arena.allocF32(2);
    try {
      const spec = { kernel: 'linear' as const, gamma: 1, coef0: 0, degree: 3 };
      const out = await predictOneVsOne(
        constantModel(rho),
        sv.byteOffset,
        norms.byteOffset,
        sv.byteOffset,
        norms.byteOffset,
        1,
        2,
        spec,
        1,
        arena,
      );
      return out[0];
    } finally {
      arena.releaseView(sv);
      arena.releaseView(norms);
    }
  }

  it('breaks a three-way tie towards the lowest class index', async () => {
    // Pairs (0,1), (0,2), (1,2): 0 beats 1, 2 beats 0, 1 beats 2 → one vote each.
    assert.equal(await predictWith([-1, 1, -1]), 0);
  });

  it('votes for the first class of a pair only when the decision value is > 0', async () => {
    // Every decision value is exactly 0: class 1 gets (0,1), class 2 gets (0,2) and (1,2).
    assert.equal(await predictWith([0, 0, 0]), 2);
    // (0,1) and (0,2) positive → class 0 wins outright.
    assert.equal(await predictWith([-1, -1, 1]), 0);
  });
});

describe('SVC', () => {
  it("resolves gamma like scikit-learn: 'auto' = 1/d, 'scale' = 1/(d·Var X)", () => {
    const X = matrix(Float32Array.of(0, 2, 4, 6), 2, 2);
    assert.equal(resolveGamma('auto', X), 0.5);
    assert.ok(Math.abs(resolveGamma('scale', X) - 1 / (2 * 5)) < 1e-12);
    assert.equal(resolveGamma('scale', matrix(new Float32Array(4), 2, 2)), 1);
    assert.equal(resolveGamma(0.25, X), 0.25);
  });

  it("validates params with scikit-learn's messages", () => {
    assert.throws(
      () => new SVC({ C: 0 }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message === "The 'C' parameter of SVC must be a float in (0, inf). Got 0.",
    );
    assert.throws(
      () => new SVC({ kernel: 'precomputed' as never }),
      /'kernel' parameter of SVC must be a str among \{'linear', 'poly', 'rbf', 'sigmoid'\}/,
    );
    assert.throws(
      () => new SVC({ gamma: 'fast' as never }),
      /'gamma' parameter of SVC must be a str among \{'scale', 'auto'\} or a float in \[0, inf\)/,
    );
    assert.throws(() => new SVC({ max_iter: 0 }), RangeError);
    assert.throws(
      () => new SVC({ probability: true } as never),
      /Invalid parameter 'probability' for estimator SVC/,
    );
    assert.equal(new SVC({ max_iter: -1, n_jobs: -1, gamma: 0.5 }).params.gamma, 0.5);
    assert.deepEqual(
      { ...new SVC().params },
      {
        C: 1,
        kernel: 'rbf',
        degree: 3,
        gamma: 'auto',
        coef0: 0,
        shrinking: true,
        tol: 1e-3,
        cache_size: 2000,
        max_iter: -1,
        random_state: null,
        n_jobs: null,
      },
    );
  });

  it('reports a fit that max_iter cut short', async () => {
    const X = matrix(
      Float32Array.from({ length: 60 * 4 }, (_, i) => Math.sin(i * 1.7)),
      60,
      4,
    );
    const y = Int32Array.from({ length: 60 }, (_, i) => i % 2);
    const clf = await new SVC({ C: 100, max_iter: 2 }).fit(X, y);
    assert.equal(clf.converged, false);
    assert.deepEqual(Array.from(clf.nIter as Float64Array), [2]);
    assert.match(clf.benchmarkNote ?? '', /terminated early \(max_iter=2\) on 1 of 1 class pairs/);
  });

  it("refuses a single class with scikit-learn's message", async () => {
    const X = matrix(Float32Array.of(0, 1, 2, 3), 2, 2);
    await assert.rejects(
      new SVC().fit(X, Int32Array.of(4, 4)),
      /has to be greater than one; got 1 class/,
    );
  });

  it(
    'matches scikit-learn on 1000 Fashion-MNIST rows (rbf, C=10): same support vectors per class and intercepts',
    { skip: !existsSync(FASHION) && 'Debian Fashion-MNIST not installed' },
    async () => {
      const { X, y } = await fashion(1000, 0);
      const clf = await new SVC({ C: 10, kernel: 'rbf', n_jobs: 1 }).fit(X, y);
      // scikit-learn 1.2.1: SVC(C=10, kernel='rbf', gamma='auto').fit(X.astype(float64), y)
      assert.deepEqual(
        Array.from(clf.nSupport as Int32Array),
        [63, 31, 72, 57, 73, 79, 98, 49, 50, 44],
      );
      const want = [-0.75129, 0.68713, 0.18404, 0.66108, -2.03602];
      want.forEach((w, p) =>
        assert.ok(Math.abs((clf.intercept as Float64Array)[p] - w) < 2e-3, `intercept[${p}]`),
      );
    },
  );

  it(
    'gives the same model with a cache far too small for the problem (rows evicted and recomputed)',
    { skip: !existsSync(FASHION) && 'Debian Fashion-MNIST not installed' },
    async () => {
      const { X, y } = await fashion(600, 0);
      const big = await new SVC({ C: 10, n_jobs: 1 }).fit(X, y);
      // 0.005 MB holds 10 rows of a 120-row pair: most rows are computed many times.
      const tiny = await new SVC({ C: 10, n_jobs: 1, cache_size: 0.005 }).fit(X, y);
      assert.ok(tiny.kernelRowsComputed > 2 * big.kernelRowsComputed);
      assert.deepEqual(tiny.nSupport, big.nSupport);
      const a = tiny.intercept as Float64Array;
      const b = big.intercept as Float64Array;
      for (let p = 0; p < b.length; p++) assert.ok(Math.abs(a[p] - b[p]) < 1e-3, `pair ${p}`);
    },
  );
  it(
    'fits 2000 Fashion-MNIST rows on worker threads exactly as on one thread, with the expected accuracy',
    { skip: !existsSync(FASHION) && 'Debian Fashion-MNIST not installed' },
    async () => {
      const { X, y, Xt, yt } = await fashion(2000, 1000);
      const one = await new SVC({ C: 10, n_jobs: 1 }).fit(X, y);
      const two = await new SVC({ C: 10, n_jobs: 2 }).fit(X, y);
      assert.deepEqual(two.support, one.support);
      assert.deepEqual(two.intercept, one.intercept);
      const p1 = await one.predict(Xt);
      const p2 = await two.predict(Xt); // 1000 test rows: split over the workers
      assert.deepEqual(p2, p1);
      let hits = 0;
      for (let i = 0; i < yt.length; i++) if (p1[i] === yt[i]) hits++;
      const acc = hits / yt.length;
      // scikit-learn's SVC(C=10, gamma='auto') on a random 2000-row subset scores 0.8265.
      assert.ok(acc > 0.79 && acc < 0.88, `accuracy ${acc}`);
    },
  );

  it(
    'runs the solver loops in WASM with the same model, bit for bit, as the TypeScript reference',
    { skip: !existsSync(FASHION) && 'Debian Fashion-MNIST not installed' },
    async () => {
      const { X, y } = await fashion(800, 0);
      const cases: Array<[string, Partial<SVCParams>]> = [
        ['linear', { kernel: 'linear', C: 1 }],
        // Variables reach and leave C while the loops run whole iterations in WASM (7 such
        // exits to the solver here), so Ḡ is updated after a run.
        ['linear, C = 0.1', { kernel: 'linear', C: 0.1 }],
        ['rbf, no shrinking', { kernel: 'rbf', C: 10, shrinking: false }],
        ['sigmoid', { kernel: 'sigmoid', C: 10 }],
        // 0.005 MB: 7 rows of a 160-row pair, so slots of the slab are reused all the time.
        ['poly, tiny cache', { kernel: 'poly', C: 1, cache_size: 0.005 }],
      ];
      for (const [label, params] of cases) {
        for (const n_jobs of [1, 2]) {
          const ts = new SVC({ ...params, n_jobs });
          ts.kernels = 'ts';
          await ts.fit(X, y);
          const wasm = await new SVC({ ...params, n_jobs }).fit(X, y);
          const what = `${label}, n_jobs=${n_jobs}`;
          assert.equal(wasm.wasmLoopPairs, 45, `${what}: every pair in WASM`);
          assert.equal(ts.wasmLoopPairs, 0, `${what}: the reference in TypeScript`);
          assert.deepEqual(wasm.nIter, ts.nIter, `${what}: iterations`);
          assert.deepEqual(wasm.support, ts.support, `${what}: support vectors`);
          assert.deepEqual(wasm.intercept, ts.intercept, `${what}: intercepts`);
          assert.deepEqual(wasm.kernelRowsComputed, ts.kernelRowsComputed, `${what}: rows`);
          assert.equal(wasm.rowsGathered, ts.rowsGathered, `${what}: rows gathered`);
          if (label.startsWith('linear')) {
            assert.ok(wasm.rowsGathered > 0, `${what}: gathered rows read`);
            assert.ok(wasm.runIterations > 0, `${what}: whole iterations in WASM`);
          }
          assert.equal(ts.runIterations, 0, `${what}: none in TypeScript`);
        }
      }
    },
  );
});
