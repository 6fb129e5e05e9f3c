import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedArena } from '../../kernels/arena.js';
import { matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { fitOnBins } from './binned-fit.js';
import { forestTree, type ForestJob } from './tree-jobs.js';

function data(n: number, d: number): { X: Float32Array; y: Int32Array } {
  const rng = new Rng(5);
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextInt(3);
    for (let j = 0; j < d; j++) X[i * d + j] = rng.nextInt(8) + (j === y[i] ? 3 : 0);
  }
  return { X, y };
}

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
  const { X, y } = data(300, 5);
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
  const { X, y } = data(200, 4);
  const live = sharedArena().liveBytes();
  await assert.rejects(
    fitOnBins(matrix(X, 200, 4), 2, { y, nClasses: 3 }, async () => {
      throw new Error('grow failed');
    }),
    /grow failed/,
  );
  assert.equal(sharedArena().liveBytes(), live);
});
