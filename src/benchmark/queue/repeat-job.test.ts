import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectRows } from '../grid.js';
import { PAPER_PROTOCOL } from '../protocol.js';
import {
  RepeatJobError,
  makeRepeatJob,
  parseRepeatJob,
  repeatJobId,
  rowById,
  rowId,
  shareKey,
} from './repeat-job.js';

const sizes = { trainSize: null, testSize: 500 };

describe('repeat jobs', () => {
  it('names every grid row uniquely and finds it again', () => {
    const rows = selectRows(undefined);
    assert.equal(new Set(rows.map(rowId)).size, rows.length);
    for (const row of rows) assert.equal(rowById(rowId(row)), row);
    assert.throws(() => rowById('SVC C=3 kernel=rbf'), RepeatJobError);
  });

  it('groups the rows that share a computation, and only those', () => {
    const knn = selectRows('KNeighborsClassifier');
    assert.deepEqual([...new Set(knn.map(shareKey))].sort(), [
      'KNeighborsClassifier p=1',
      'KNeighborsClassifier p=2',
    ]);
    const cs = selectRows('LinearSVC multi_class=crammer_singer');
    assert.equal(cs.length, 12);
    assert.equal(new Set(cs.map(shareKey)).size, 3);
    const ovr = selectRows('LinearSVC multi_class=ovr');
    assert.equal(new Set(ovr.map(shareKey)).size, ovr.length);
  });

  it('gives a job an id that follows from its content', () => {
    const [a, b] = selectRows('SVC kernel=rbf');
    const job = makeRepeatJob('fashion', [a], 0, PAPER_PROTOCOL, sizes);
    assert.equal(
      repeatJobId(job),
      repeatJobId(makeRepeatJob('fashion', [a], 0, PAPER_PROTOCOL, sizes)),
    );
    assert.notEqual(
      repeatJobId(job),
      repeatJobId(makeRepeatJob('fashion', [a], 1, PAPER_PROTOCOL, sizes)),
    );
    assert.notEqual(
      repeatJobId(job),
      repeatJobId(makeRepeatJob('mnist', [a], 0, PAPER_PROTOCOL, sizes)),
    );
    assert.notEqual(
      repeatJobId(job),
      repeatJobId(makeRepeatJob('fashion', [b], 0, PAPER_PROTOCOL, sizes)),
    );
    assert.match(repeatJobId(job), /^repeat-[0-9a-f]{32}$/);
    // The repeat cap and early stop decide which repeats run, not what repeat 0 gives.
    assert.equal(
      repeatJobId(job),
      repeatJobId(
        makeRepeatJob(
          'fashion',
          [a],
          0,
          { ...PAPER_PROTOCOL, maxRepeats: 1, earlyStopTolerance: 0 },
          sizes,
        ),
      ),
    );
    assert.notEqual(
      repeatJobId(job),
      repeatJobId(makeRepeatJob('fashion', [a], 0, { ...PAPER_PROTOCOL, seed: 1 }, sizes)),
    );
  });

  it('accepts what makeRepeatJob makes, after a trip through JSON', () => {
    const job = makeRepeatJob('mnist', selectRows('GaussianNB'), 1, PAPER_PROTOCOL, sizes);
    assert.deepEqual(parseRepeatJob(JSON.parse(JSON.stringify(job))), job);
  });

  it('refuses a malformed job, naming the field', () => {
    const job = makeRepeatJob('mnist', selectRows('GaussianNB'), 1, PAPER_PROTOCOL, sizes);
    const bad = (patch: Record<string, unknown>, pattern: RegExp): void =>
      assert.throws(() => parseRepeatJob({ ...job, ...patch }), pattern);
    bad(
      { format: 'fmnist-repeat-job/9' },
      /expected format "fmnist-repeat-job\/1", got "fmnist-repeat-job\/9"/,
    );
    bad({ dataset: 'cifar' }, /'dataset' must be "fashion" or "mnist", got "cifar"/);
    bad({ rows: [] }, /'rows' must be a non-empty list/);
    bad({ rows: ['SVC C=3 kernel=rbf'] }, /no grid row is called "SVC C=3 kernel=rbf"/);
    bad({ repeat: -1 }, /'repeat' must be an integer ≥ 0, got -1/);
    bad({ maxRepeats: 0 }, /'maxRepeats' must be an integer ≥ 1/);
    bad({ trainSize: 1.5 }, /'trainSize' must be an integer ≥ 1, got 1.5/);
    assert.throws(() => parseRepeatJob(null), /Invalid benchmark job: not an object/);
  });
});
