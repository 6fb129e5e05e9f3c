import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleRepeat } from './repeat-record.fixture.js';
import { ResultsStore } from './store.js';
import { summarize } from './summary.js';

const record = sampleRepeat;

describe('ResultsStore', () => {
  it('keeps repeats by configuration and never overwrites one', () => {
    const store = ResultsStore.open(':memory:');
    store.record(record(0, 0.5));
    store.record(record(1, 0.6));
    assert.throws(() => store.record(record(1, 0.9)), /UNIQUE/);
    assert.deepEqual(
      store.repeatsOf(record(0, 0)).map((r) => r.accuracy),
      [0.5, 0.6],
    );
    store.close();
  });

  it('summarises like the paper: mean, 2×population std, seconds per repeat, paper value', () => {
    const store = ResultsStore.open(':memory:');
    store.record(record(0, 0.5));
    store.record(record(1, 0.6));
    store.record(record(0, 0.52, 'mnist'));
    const [fashion, mnist] = summarize(store);
    assert.equal(fashion.dataset, 'fashion');
    assert.ok(Math.abs(fashion.mean - 0.55) < 1e-12);
    assert.ok(Math.abs(fashion.std2 - 0.1) < 1e-12);
    assert.equal(fashion.repeats, 2);
    assert.equal(fashion.secondsPerRepeat, 1.5);
    assert.equal(fashion.paper, 0.511);
    assert.equal(mnist.paper, 0.524);
    assert.equal(fashion.startedAt, '2026-01-01T00:00:00Z');
    assert.equal(fashion.finishedAt, '2026-01-01T00:00:02Z');
    store.close();
  });
});
