import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinearSVC } from '../ml/linear/linear-svc.js';
import { matrix, takeLabels, takeRows } from '../ml/matrix.js';
import { Rng } from '../ml/random.js';
import { selectRows } from './grid.js';
import { PAPER_PROTOCOL, repeatSeed, type PreparedData } from './protocol.js';
import { runBenchmark } from './runner.js';
import { ResultsStore } from './store.js';

function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const X = new Float32Array(n * 8);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 8; j++) X[i * 8 + j] = rng.nextNormal() + (j % 3 === y[i] ? 1.5 : 0);
  }
  return { X: matrix(X, n, 8), y };
}

describe('shared Crammer–Singer fits in the benchmark', () => {
  it('fits once per C and repeat, and every row scores what its own fit scores', async () => {
    const train = blobs(240, 3);
    const test = blobs(90, 4);
    const data: PreparedData = {
      name: 'toy',
      train: train.X,
      trainLabels: train.y,
      test: test.X,
      testLabels: test.y,
    };
    const store = ResultsStore.open(':memory:');
    const rows = selectRows('LinearSVC').filter((r) => r.params.multi_class === 'crammer_singer');
    assert.equal(rows.length, 12);
    const results = await runBenchmark(
      { datasets: ['toy'], rows, options: { ...PAPER_PROTOCOL, maxRepeats: 1 } },
      async () => data,
      store,
    );
    store.close();

    const seed = repeatSeed(0, 0);
    const order = new Rng(seed).permutation(240);
    const X = takeRows(train.X, order);
    const y = takeLabels(train.y, order);
    for (const r of results) {
      assert.equal(r.status, 'done');
      const direct = await new LinearSVC({ ...r.row.params, random_state: seed }).fit(X, y);
      assert.equal(
        r.outcome?.repeats[0].accuracy,
        await direct.score(test.X, test.y),
        r.row.paramsText,
      );
    }
    const notes = results.map((r) => r.outcome?.repeats[0].note ?? null);
    assert.equal(notes.filter((n) => n === null).length, 3, 'one fit per C');
    assert.equal(notes.filter((n) => n?.startsWith('Crammer–Singer fit')).length, 9);
  });
});
