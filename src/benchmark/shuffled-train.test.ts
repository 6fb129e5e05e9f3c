import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharedArena } from '../kernels/arena.js';
import { matrix } from '../ml/matrix.js';
import { ShuffledTrain } from './shuffled-train.js';

describe('ShuffledTrain', () => {
  const train = matrix(Float32Array.from([0, 0.5, 1, 1.5, 2, 2.5]), 3, 2);

  it('writes the rows in the given order into one arena block, reused by the next call', () => {
    const arena = sharedArena();
    const before = arena.liveBytes();
    const shuffled = new ShuffledTrain(train);
    const a = shuffled.take([2, 0, 1]);
    assert.deepEqual(Array.from(a.data), [2, 2.5, 0, 0.5, 1, 1.5]);
    assert.ok(arena.owns(a.data));
    const b = shuffled.take([1, 2, 0]);
    assert.equal(b.data.byteOffset, a.data.byteOffset, 'the same block');
    assert.deepEqual(Array.from(b.data), [1, 1.5, 2, 2.5, 0, 0.5]);
    shuffled.release();
    assert.equal(arena.liveBytes(), before);
  });

  it('refuses an order that does not list every row', () => {
    const shuffled = new ShuffledTrain(train);
    assert.throws(() => shuffled.take([0, 1]), /order must list all 3 rows\. Got 2/);
    shuffled.release();
  });
});
