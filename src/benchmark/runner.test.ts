import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../ml/matrix.js';
import { selectRows } from './grid.js';
import { row } from './grid-row.js';
import { PAPER_PROTOCOL, type PreparedData } from './protocol.js';
import { runBenchmark, type RunnerEvent } from './runner.js';
import { ResultsStore } from './store.js';

describe('runBenchmark', () => {
  it('reports a row with no registered estimator as not implemented, without loading data for it', async () => {
    const unknown = row('QuantumClassifier', 'qubits=4', 0.9, 0.99);
    const events: RunnerEvent[] = [];
    let loads = 0;
    const store = ResultsStore.open(':memory:');
    const results = await runBenchmark(
      { datasets: ['toy'], rows: [unknown], options: PAPER_PROTOCOL },
      async () => {
        loads++;
        throw new Error('no data should be loaded for unimplemented rows');
      },
      store,
      (e) => events.push(e),
    );
    store.close();
    assert.equal(loads, 0);
    assert.deepEqual(
      results.map((r) => r.status),
      ['not-implemented'],
    );
    assert.ok(
      events.some(
        (e) => e.type === 'row-skipped' && e.row === unknown && e.reason === 'not implemented',
      ),
    );
  });

  it('keeps the grid order and runs the implemented rows beside the unimplemented ones', async () => {
    // Ten classes, as the GaussianNB row's priors expect.
    const data: PreparedData = {
      name: 'toy',
      train: matrix(
        Float32Array.from({ length: 80 }, (_, i) => ((i >> 1) % 10) + 0.1 * (i % 7)),
        40,
        2,
      ),
      trainLabels: Uint8Array.from({ length: 40 }, (_, i) => i % 10),
      test: matrix(
        Float32Array.from({ length: 20 }, (_, i) => (i >> 1) % 10),
        10,
        2,
      ),
      testLabels: Uint8Array.from({ length: 10 }, (_, i) => i),
    };
    const rows = [row('QuantumClassifier', 'qubits=4', 0.9, 0.99), ...selectRows('GaussianNB')];
    const store = ResultsStore.open(':memory:');
    const results = await runBenchmark(
      { datasets: ['toy'], rows, options: { ...PAPER_PROTOCOL, maxRepeats: 2 } },
      async () => data,
      store,
    );
    store.close();
    assert.deepEqual(
      results.map((r) => [r.row.classifier, r.status]),
      [
        ['QuantumClassifier', 'not-implemented'],
        ['GaussianNB', 'done'],
      ],
    );
  });
});
