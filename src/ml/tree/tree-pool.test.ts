import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binFeatures } from '../../kernels/histogram-bins.js';
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
