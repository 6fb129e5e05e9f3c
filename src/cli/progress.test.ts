import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RepeatKey } from '../benchmark/store.js';
import { ProgressReporter, formatDuration } from './progress.js';

const key: RepeatKey = {
  dataset: 'mnist',
  classifier: 'LogisticRegression',
  params: 'C=10 penalty=l1',
  protocol: 'seed=0',
};

/** A log stream (not a terminal) that keeps what is written. */
function logStream(): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY: false, write: (t: string) => ((s.text += t), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('benchmark progress', () => {
  it('formats durations', () => {
    assert.equal(formatDuration(42), '42s');
    assert.equal(formatDuration(125), '2m05s');
    assert.equal(formatDuration(3 * 3600 + 20 * 60), '3h20m');
    // Rounding carries into the next unit instead of printing 60.
    assert.equal(formatDuration(59.6), '1m00s');
    assert.equal(formatDuration(119.7), '2m00s');
    assert.equal(formatDuration(3 * 3600 - 10), '3h00m');
    assert.equal(formatDuration(3599.8), '1h00m');
    assert.equal(formatDuration(Infinity), '?');
  });

  it('tells a log where a long fit is from the parts it keeps, at most once per interval', () => {
    const stream = logStream();
    const progress = new ProgressReporter(1, stream, 0);
    progress.handle({ type: 'repeat-start', key, repeat: 0 });
    progress.handle({ type: 'fit-part-kept', key, repeat: 0, part: 'class 3', kept: 1 });
    assert.match(
      stream.text,
      /^mnist LogisticRegression C=10 penalty=l1 repeat 1: \d+s in, 1 part\(s\) of the fit kept \(last: class 3\); a rerun resumes from them\n$/,
    );

    const quiet = logStream();
    const hourly = new ProgressReporter(1, quiet, 3_600_000);
    hourly.handle({ type: 'repeat-start', key, repeat: 0 });
    hourly.handle({ type: 'fit-part-kept', key, repeat: 0, part: 'class 3', kept: 1 });
    assert.equal(quiet.text, '', 'not before the interval has passed');
  });
});
