import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnknownDatasetError } from './errors.js';
import { splitSizes } from './registry.js';

describe('splitSizes', () => {
  it('gives the set sizes from the registered label files', () => {
    assert.deepEqual(splitSizes('fashion'), { train: 60000, test: 10000 });
    assert.deepEqual(splitSizes('mnist'), { train: 60000, test: 10000 });
  });

  it('refuses an unknown dataset, listing the known ones', () => {
    assert.throws(() => splitSizes('cifar'), UnknownDatasetError);
  });
});
