import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix, takeLabels, takeRows } from '../ml/matrix.js';
import { KNeighborsClassifier } from '../ml/neighbors/index.js';
import { Rng } from '../ml/random.js';
import { closeKernelPool } from '../kernels/pool.js';
import { selectRows } from './grid.js';
import { PAPER_PROTOCOL, repeatSeed, type PreparedData } from './protocol.js';
import { runBenchmark } from './runner.js';
import { ResultsStore } from './store.js';

function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const X = new Float32Array(n * 8);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 4;
    for (let j = 0; j < 8; j++) X[i * 8 + j] = rng.nextNormal() + (j % 4 === y[i] ? 1.2 : 0);
  }
  return { X: matrix(X, n, 8), y };
}

describe('shared k-NN neighbour lists in the benchmark', () => {
  it('gives every k-NN row the accuracy of its own search, computing each p once per repeat', async () => {
    const train = blobs(300, 1);
    const test = blobs(120, 2);
    const data: PreparedData = {
      name: 'toy',
      train: train.X,
      trainLabels: train.y,
      test: test.X,
      testLabels: test.y,
    };
    const store = ResultsStore.open(':memory:');
    const rows = selectRows('KNeighborsClassifier');
    const options = { ...PAPER_PROTOCOL, maxRepeats: 1 };
    const results = await runBenchmark(
      { datasets: ['toy'], rows, options },
      async () => data,
      store,
    );
    store.close();

    const order = new Rng(repeatSeed(0, 0)).permutation(300);
    const X = takeRows(train.X, order);
    const y = takeLabels(train.y, order);
    for (const r of results) {
      assert.equal(r.status, 'done');
      const direct = await new KNeighborsClassifier({ ...r.row.params }).fit(X, y);
      assert.equal(
        r.outcome?.repeats[0].accuracy,
        await direct.score(test.X, test.y),
        r.row.paramsText,
      );
    }
    const notes = results.map((r) => r.outcome?.repeats[0].note ?? null);
    assert.equal(notes.filter((n) => n === null).length, 2, 'one search per p');
    assert.equal(notes.filter((n) => n?.startsWith('neighbours (k=9')).length, 10);
    await closeKernelPool();
  });
});
