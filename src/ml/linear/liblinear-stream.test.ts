import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { LiblinearStream } from './liblinear-stream.js';
import { pythonHas } from './sklearn.fixture.js';

describe('LiblinearStream', () => {
  it('is std::mt19937: the 10000th output for the default seed 5489 is 4123659995', () => {
    const s = new LiblinearStream(5489);
    let x = 0;
    for (let i = 0; i < 10000; i++) x = s.nextUint32();
    assert.equal(x, 4123659995);
  });

  it('draws bounded integers in range, including ranges near 2^32', () => {
    const s = new LiblinearStream(1);
    for (const n of [1, 2, 7, 60000, 3000000000, 4294967295]) {
      for (let i = 0; i < 200; i++) {
        const v = s.nextInt(n);
        assert.ok(Number.isInteger(v) && v >= 0 && v < n, `${v} for n = ${n}`);
      }
    }
    assert.throws(() => s.nextInt(0), /n must be in \[1, 2\^32\)/);
    assert.throws(() => new LiblinearStream(-1), /32-bit unsigned integer/);
  });

  it(
    'matches scikit-learn’s bounded_rand_int draw for draw',
    { skip: !pythonHas('sklearn.svm._newrand') },
    () => {
      const ranges = [60000, 59999, 7, 3000000000, 1, 2147483647, 12345];
      const script = [
        'from sklearn.svm._newrand import set_seed_wrap, bounded_rand_int_wrap',
        'set_seed_wrap(209652396)',
        `print([bounded_rand_int_wrap(r) for r in ${JSON.stringify(ranges)} * 50])`,
      ].join('\n');
      const theirs = JSON.parse(
        execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }),
      );
      const s = new LiblinearStream(209652396);
      const ours = Array.from({ length: 50 }, () => ranges.map((r) => s.nextInt(r))).flat();
      assert.deepEqual(ours, theirs);
    },
  );
});
