import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleRepeat } from './repeat-record.fixture.js';
import { ResultsStore, type RepeatRecord } from './store.js';
import { RepeatsFileError, exportRepeats, importRepeats } from './store-file.js';

const record = (repeat: number, accuracy: number, dataset = 'fashion'): RepeatRecord =>
  sampleRepeat(repeat, accuracy, dataset, {
    fitSeconds: 1.25,
    note: repeat === 1 ? 'reused' : null,
    peakRssMB: repeat === 1 ? null : 900 + repeat,
  });

function storeWith(...records: RepeatRecord[]): ResultsStore {
  const store = ResultsStore.open(':memory:');
  for (const r of records) store.record(r);
  return store;
}

describe('results file', () => {
  it('round-trips every field of every repeat through export and import', () => {
    const source = storeWith(record(0, 0.5), record(1, 0.6), record(0, 0.52, 'mnist'));
    const text = exportRepeats(source);
    assert.equal(text.split('\n').length, 4, 'three lines and a final newline');
    const target = ResultsStore.open(':memory:');
    assert.deepEqual(importRepeats(target, text, 'r.jsonl'), {
      added: 3,
      alreadyPresent: 0,
      setAside: 0,
    });
    assert.deepEqual(target.allRepeats(), source.allRepeats());
    assert.equal(exportRepeats(target), text);
    // An unmeasured peak is left out of the line, so older exports read the same.
    assert.deepEqual(
      text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { peakRssMB?: number }).peakRssMB),
      [900, undefined, 900],
    );
  });

  it("sets aside an imported SVC repeat cut by libsvm's iteration cap, and says so", () => {
    const capped = sampleRepeat(0, 0.7345, 'fashion', {
      classifier: 'SVC',
      params: 'C=100 kernel=linear',
      note: "solver terminated early (libsvm's cap of max(10⁷, 100·l) iterations) on 13 of 45 class pairs",
    });
    const text = exportRepeats(storeWith(capped, record(0, 0.5)));
    const target = ResultsStore.open(':memory:');
    assert.deepEqual(importRepeats(target, text, 'old.jsonl'), {
      added: 2,
      alreadyPresent: 0,
      setAside: 1,
    });
    assert.deepEqual(
      target.allRepeats().map((r) => r.classifier),
      ['GaussianNB'],
    );
  });

  it('skips repeats already stored with the same accuracy and adds the rest', () => {
    const text = exportRepeats(storeWith(record(0, 0.5), record(1, 0.6)));
    const target = storeWith(record(0, 0.5));
    assert.deepEqual(importRepeats(target, text, 'r.jsonl'), {
      added: 1,
      alreadyPresent: 1,
      setAside: 0,
    });
    assert.equal(target.allRepeats().length, 2);
  });

  it('refuses a repeat stored with another accuracy, names the line, and writes nothing', () => {
    const text = exportRepeats(storeWith(record(0, 0.5), record(1, 0.6)));
    const target = storeWith(record(1, 0.7));
    assert.throws(
      () => importRepeats(target, text, 'r.jsonl'),
      (e: unknown) =>
        e instanceof RepeatsFileError &&
        e.line === 2 &&
        /r\.jsonl, line 2: .*accuracy 0\.7, not 0\.6; nothing was imported/.test(e.message),
    );
    assert.deepEqual(
      target.allRepeats().map((r) => r.repeat),
      [1],
      'repeat 0 was not half-imported',
    );
  });

  it('names the file, the line and the field of a malformed line', () => {
    const good = exportRepeats(storeWith(record(0, 0.5))).trim();
    const cases: Array<[string, RegExp]> = [
      ['not json', /f\.jsonl, line 2: expected one JSON object, found text that is not JSON/],
      ['[1,2]', /line 2: expected one JSON object per line/],
      [good.replace('fmnist-repeat/1', 'other/9'), /line 2: expected "format": "fmnist-repeat\/1"/],
      [
        good.replace('"accuracy":0.5', '"accuracy":1.5'),
        /line 2: field 'accuracy' must be in \[0, 1\]/,
      ],
      [good.replace('"repeat":0', '"repeat":0.5'), /line 2: field 'repeat' must be an integer ≥ 0/],
      [
        good.replace('"dataset":"fashion"', '"dataset":""'),
        /line 2: field 'dataset' must be a non-empty string/,
      ],
      [good.replace('"note":null', '"note":3'), /line 2: field 'note' must be a string or null/],
      [
        good.replace('"peakRssMB":900', '"peakRssMB":"lots"'),
        /line 2: field 'peakRssMB' must be a number ≥ 0, null, or absent/,
      ],
      [good, /line 2: repeat 0 of this row is also on line 1/],
    ];
    for (const [second, message] of cases) {
      const store = ResultsStore.open(':memory:');
      assert.throws(() => importRepeats(store, `${good}\n${second}\n`, 'f.jsonl'), message);
      assert.equal(store.allRepeats().length, 0, `nothing written for: ${second.slice(0, 30)}`);
    }
  });

  it('exports an empty store as an empty file', () => {
    assert.equal(exportRepeats(ResultsStore.open(':memory:')), '');
  });
});
