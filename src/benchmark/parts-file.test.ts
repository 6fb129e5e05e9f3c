import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packPart } from '../ml/fit-parts.js';
import { PartsFileError, exportParts, importParts } from './parts-file.js';
import { sampleRepeat } from './repeat-record.fixture.js';
import { ResultsStore, type RepeatKey } from './store.js';

const svc: RepeatKey = {
  dataset: 'fashion',
  classifier: 'SVC',
  params: 'C=100 kernel=linear',
  protocol: 'seed=0 test=10000 train=60000',
};

/** A store holding, for SVC repeat 0, a finished pair and a checkpoint of another. */
function storeWithParts(): ResultsStore {
  const store = ResultsStore.open(':memory:');
  const parts = store.fitParts(svc, 0, () => 'data-1');
  parts.save('pair 0-1', {
    bytes: packPart({ rho: 0.5 }, [Float64Array.of(1, -2.5)]),
    seconds: 60,
  });
  parts.save('pair 2-4 state', {
    bytes: packPart({ iter: 2_360_915_848 }, [Float64Array.of(0.25, 3)]),
    seconds: 7200.5,
  });
  return store;
}

describe('fit parts file', () => {
  it('carries every part, bytes and all, to another store, where the fit finds it', () => {
    const text = exportParts(storeWithParts());
    assert.equal(text.split('\n').length, 3, 'two lines and a final newline');
    const target = ResultsStore.open(':memory:');
    assert.deepEqual(importParts(target, text, 'parts.jsonl'), {
      added: 2,
      ofRecordedRepeats: 0,
      keptNewer: 0,
    });
    assert.equal(exportParts(target), text);
    const state = target.fitParts(svc, 0, () => 'data-1').load('pair 2-4 state');
    assert.deepEqual(state, {
      seconds: 7200.5,
      bytes: packPart({ iter: 2_360_915_848 }, [Float64Array.of(0.25, 3)]),
    });
    // Parts keep the data they were made for: another training set gets none of them.
    assert.equal(target.fitParts(svc, 0, () => 'data-2').load('pair 2-4 state'), null);
    assert.deepEqual(target.unfinishedRepeats()[0]?.checkpoints, [
      { part: 'pair 2-4 state', iteration: 2_360_915_848 },
    ]);
  });

  it('never moves a store back to an older checkpoint, and leaves out parts of recorded repeats', () => {
    const older = exportParts(storeWithParts());
    const target = ResultsStore.open(':memory:');
    const newer = packPart({ iter: 2_500_000_000 }, [Float64Array.of(0.5, 4)]);
    // Saved after the exported copy: the store's checkpoint is the later one.
    target.fitParts(svc, 0, () => 'data-1').save('pair 2-4 state', { bytes: newer, seconds: 8000 });
    assert.deepEqual(importParts(target, older, 'old.jsonl'), {
      added: 1,
      ofRecordedRepeats: 0,
      keptNewer: 1,
    });
    assert.deepEqual(target.fitParts(svc, 0, () => 'data-1').load('pair 2-4 state'), {
      seconds: 8000,
      bytes: newer,
    });

    // Times are stored in one spelling (UTC), so the store's text comparison orders instants.
    const [line] = older.split('\n');
    const offset = JSON.stringify({
      ...(JSON.parse(line) as object),
      savedAt: '2026-12-08T01:00:00+02:00',
    });
    const zulu = ResultsStore.open(':memory:');
    importParts(zulu, older.replace(line, offset), 'offset.jsonl');
    assert.equal(zulu.allFitParts()[0]?.savedAt, '2026-12-07T23:00:00.000Z');

    const done = ResultsStore.open(':memory:');
    done.record(sampleRepeat(0, 0.83, 'fashion', { classifier: 'SVC', params: svc.params }));
    assert.deepEqual(importParts(done, older, 'old.jsonl'), {
      added: 0,
      ofRecordedRepeats: 2,
      keptNewer: 0,
    });
    assert.deepEqual(done.allFitParts(), []);
  });

  it('refuses a bad line by file and line number, before writing anything', () => {
    const [good] = exportParts(storeWithParts()).split('\n');
    const line = JSON.parse(good) as Record<string, unknown>;
    const cases: [Record<string, unknown> | string, RegExp][] = [
      ['not json', /p\.jsonl, line 2: expected one JSON object, found text that is not JSON/],
      [
        { ...line, format: 'fmnist-part/9' },
        /line 2: expected "format": "fmnist-part\/1", got "fmnist-part\/9"/,
      ],
      [{ ...line, dataId: '' }, /line 2: field 'dataId' must be a non-empty string/],
      [{ ...line, repeat: -1 }, /line 2: field 'repeat' must be an integer ≥ 0/],
      [{ ...line, savedAt: 'yesterday' }, /line 2: field 'savedAt' must be an ISO 8601 time/],
      [
        { ...line, bytes: 'AAAA' },
        /line 2: field 'bytes' is not a whole fit part \(3 bytes that do not unpack\)/,
      ],
      [line, /line 2: part 'pair 0-1' of this repeat is also on line 1/],
    ];
    for (const [second, error] of cases) {
      const target = ResultsStore.open(':memory:');
      const text = `${good}\n${typeof second === 'string' ? second : JSON.stringify(second)}\n`;
      assert.throws(
        () => importParts(target, text, 'p.jsonl'),
        (e: unknown) => e instanceof PartsFileError && error.test(e.message),
      );
      assert.deepEqual(target.allFitParts(), [], 'nothing written');
    }
  });
});
