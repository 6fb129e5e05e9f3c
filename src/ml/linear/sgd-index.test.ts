import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFittedError } from '../../errors.js';
import { findEstimator } from '../registry.js';
import { entries } from './sgd-index.js';
import { blobs } from './sgd-test-data.js';

// What the shared conformance suite does, on its small data (200×16, 3 classes).
test('conformance entries: registered, fit returns this, ≥ 0.6 accuracy, deterministic, invalid params refused', async () => {
  const { X, y } = blobs(200, 16, 3, 42, 1.5);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['SGDClassifier', 'Perceptron', 'PassiveAggressiveClassifier'],
  );
  for (const entry of entries) {
    assert.equal(findEstimator(entry.name), entry, `${entry.name} is in the registry`);
    const clf = entry.create(entry.conformance.params);
    await assert.rejects(clf.predict(X), NotFittedError);
    assert.equal(await clf.fit(X, y), clf);
    const pred = await clf.predict(X);
    assert.equal(pred.length, 200);
    assert.ok((await clf.score(X, y)) >= 0.6, entry.name);
    const again = await entry.create(entry.conformance.params).fit(X, y);
    assert.deepEqual(await again.predict(X), pred);
    for (const bad of entry.conformance.invalid) {
      const cls = bad.error === 'TypeError' ? TypeError : RangeError;
      assert.throws(
        () => entry.create(bad.params),
        cls,
        `${entry.name} ${JSON.stringify(bad.params)}`,
      );
    }
  }
});
