import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedArena } from '../../kernels/arena.js';
import { helperJoinedLast } from '../../kernels/bins-shared.js';
import { binFeatures, releaseBinned } from '../../kernels/histogram-bins.js';
import { Rng } from '../random.js';
import { syntheticClasses } from './synthetic.fixture.js';
import { forestTree, type ForestJob } from './tree-jobs.js';
import { TreePool } from './tree-pool.js';

const job = (seed: number): ForestJob => ({
  criterion: 'gini',
  bootstrap: true,
  maxDepth: Infinity,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 3,
  splitter: 'best',
  seed,
});

test('a TreePool spawned before its data queues jobs until start, then grows the trees the main thread grows', async () => {
  const n = 400;
  const d = 6;
  const { X, y } = syntheticClasses(n, d, 3);
  const pool = new TreePool(2);
  try {
    // Jobs handed in before the data exists wait for start().
    const early = [pool.forest(job(1)), pool.forest(job(2))];
    const binned = binFeatures(X, n, d, { shared: true, rowMajor: true });
    pool.start({ binned, y, nClasses: 3 });
    const trees = await Promise.all([...early, pool.forest(job(3))]);
    for (const [i, tree] of trees.entries()) {
      const expected = forestTree(binned, y, 3, job(i + 1));
      assert.ok(expected.nodeCount > 5);
      assert.deepEqual(tree, expected, `tree ${i + 1}`);
    }
    assert.throws(() => pool.start({ binned, y, nClasses: 3 }), /the pool has its data already/);
  } finally {
    await pool.close();
  }
});

test("the pool's first worker bins alongside the main thread: the same bins as binning alone", async () => {
  const n = 20000;
  const d = 30;
  const rng = new Rng(11);
  const X = new Float32Array(new SharedArrayBuffer(n * d * 4));
  for (let i = 0; i < X.length; i++) X[i] = rng.nextInt(200) * 0.37 - 3;
  const pool = new TreePool(2);
  const options = { arena: true, rowMajor: true, shared: true } as const;
  try {
    // Give the worker time to boot, so that it joins (the path under test).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const helper = pool.binHelper();
    const together = binFeatures(X, n, d, { ...options, helper });
    assert.ok(helperJoinedLast(sharedArena().memory, helper.sync), 'the worker took part');
    const alone = binFeatures(X, n, d, options);
    try {
      assert.deepEqual(Array.from(together.values), Array.from(alone.values));
      assert.deepEqual(Array.from(together.nBins), Array.from(alone.nBins));
      assert.ok(Buffer.compare(together.codes as Uint8Array, alone.codes as Uint8Array) === 0);
      assert.ok(
        Buffer.compare(together.rowCodes as Uint8Array, alone.rowCodes as Uint8Array) === 0,
      );
    } finally {
      releaseBinned(together);
      releaseBinned(alone);
    }
    pool.start({
      binned: binFeatures(X, n, d, { shared: true }),
      y: new Int32Array(n),
      nClasses: 1,
    });
    assert.throws(() => pool.binHelper(), /the workers have their data already/);
  } finally {
    await pool.close();
  }
});
