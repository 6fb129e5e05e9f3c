import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinearSVC } from '../ml/linear/linear-svc.js';
import { matrix, takeLabels, takeRows } from '../ml/matrix.js';
import { Rng } from '../ml/random.js';
import { selectRows } from './grid.js';
import {
  PAPER_PROTOCOL,
  configKey,
  protocolText,
  repeatSeed,
  runRepeat,
  type PreparedData,
} from './protocol.js';
import { runBenchmark } from './runner.js';
import { sharedCrammerSingerSpec } from './shared-crammer-singer.js';
import { ShuffledTrain } from './shuffled-train.js';
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

/** n training and 90 test blobs, as the benchmark's prepared data. */
function toyData(n: number, trainSeed: number, testSeed: number) {
  const train = blobs(n, trainSeed);
  const test = blobs(90, testSeed);
  const data: PreparedData = {
    name: 'toy',
    train: train.X,
    trainLabels: train.y,
    test: test.X,
    testLabels: test.y,
  };
  return { train, test, data };
}

describe('shared Crammer–Singer fits in the benchmark', () => {
  it('fits once per C and repeat, and every row scores what its own fit scores', async () => {
    const { train, test, data } = toyData(240, 3, 4);
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
    assert.equal(
      notes.filter((n) => /^Crammer–Singer solver: \d+ passes, converged$/.test(n ?? '')).length,
      3,
      'one fit per C, which says how its solver ended',
    );
    assert.equal(notes.filter((n) => n?.startsWith('Crammer–Singer fit')).length, 9);
  });

  it('resumes the fit of a killed repeat from its solver checkpoint, and books its time', async () => {
    const { train, test, data } = toyData(300, 5, 6);
    const [row] = selectRows('LinearSVC C=10 multi_class=crammer_singer');
    const spec = sharedCrammerSingerSpec(row);
    const key = configKey(spec, 'toy', protocolText(PAPER_PROTOCOL, data));
    const store = ResultsStore.open(':memory:');
    const parts = { ...store.fitParts(key, 0, () => 'toy-data'), checkpointSeconds: 0 };
    const shuffled = new ShuffledTrain(data.train);
    let saves = 0;
    const dying = {
      ...parts,
      save: (name: string, part: Parameters<typeof parts.save>[1]) => {
        if (++saves === 3) throw new Error('killed');
        parts.save(name, part);
      },
    };
    await assert.rejects(runRepeat(spec, data, shuffled, key, 0, 0, dying), /killed/);
    assert.equal(store.fitPartCount(key, 0), 1, 'the last checkpoint is kept');

    const record = await runRepeat(spec, data, shuffled, key, 0, 0, parts);
    shuffled.release();
    assert.match(
      record.note ?? '',
      /^Crammer–Singer solver: \d+ passes, converged; resumed at pass 2 of an interrupted fit/,
    );
    const restored = Number(/its ([\d.]+) s counted/.exec(record.note ?? '')?.[1]);
    assert.ok(record.fitSeconds >= restored, `${record.fitSeconds} s ≥ ${restored} s`);

    const seed = repeatSeed(0, 0);
    const order = new Rng(seed).permutation(300);
    const direct = await new LinearSVC({ ...row.params, random_state: seed }).fit(
      takeRows(train.X, order),
      takeLabels(train.y, order),
    );
    assert.equal(record.accuracy, await direct.score(test.X, test.y));
    store.record(record);
    assert.equal(store.fitPartCount(key, 0), 0, 'recording the repeat drops the checkpoint');
    store.close();
  });
});
