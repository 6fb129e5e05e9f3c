import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedArena } from '../../kernels/arena.js';
import { matrix } from '../matrix.js';
import { fitOnBins } from './binned-fit.js';
import { syntheticClasses } from './synthetic.fixture.js';
import { forestTree, type ForestJob } from './tree-jobs.js';

const job: ForestJob = {
  criterion: 'entropy',
  bootstrap: true,
  maxDepth: Infinity,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 2,
  splitter: 'best',
  seed: 9,
};

test('fitOnBins grows on the workers what it grows in this thread, and frees the codes', async () => {
  const { X, y } = syntheticClasses(300, 5, 5);
  const live = sharedArena().liveBytes();
  let serial = null;
  let parallel = null;
  for (const workers of [1, 2]) {
    await fitOnBins(matrix(X, 300, 5), workers, { y, nClasses: 3 }, async (binned, pool) => {
      assert.equal(pool === null, workers === 1);
      const tree = pool === null ? forestTree(binned, y, 3, job) : await pool.forest(job);
      if (workers === 1) serial = tree;
      else parallel = tree;
    });
    assert.equal(sharedArena().liveBytes(), live, `codes freed (${workers} workers)`);
  }
  assert.ok(serial !== null);
  assert.deepEqual(parallel, serial);
});

test('fitOnBins stops its workers and frees the codes when growing fails', async () => {
  const { X, y } = syntheticClasses(200, 4, 5);
  const live = sharedArena().liveBytes();
  await assert.rejects(
    fitOnBins(matrix(X, 200, 4), 2, { y, nClasses: 3 }, async () => {
      throw new Error('grow failed');
    }),
    /grow failed/,
  );
  assert.equal(sharedArena().liveBytes(), live);
});
