import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GRID } from '../benchmark/grid.js';
import { renderJsonLines } from './json-lines.js';
import { readSummaries } from './results.js';
import { buildTable3 } from './table3.js';
import { writeFixtureStore } from './fixture-store.js';

const dir = mkdtempSync(join(tmpdir(), 'fmnist-jsonl-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const storePath = join(dir, 'results.sqlite');
writeFixtureStore(storePath);
const rows = buildTable3(GRID, readSummaries(storePath), { isImplemented: () => true });
const records = renderJsonLines(rows)
  .trimEnd()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>);

test("one line per configuration run, with the original dashboard's field names in sorted order", () => {
  assert.equal(records.length, 9); // 5 Fashion-MNIST (incl. the extra row) + 4 MNIST
  for (const r of records) {
    assert.deepEqual(Object.keys(r), [
      'dataset',
      'done_time',
      'mean_accuracy',
      'name',
      'num_repeat',
      'parameter',
      'score',
      'start_time',
      'std_accuracy',
      'time_per_repeat',
    ]);
  }
  assert.deepEqual(
    records.map((r) => r.dataset),
    ['fashion', 'fashion', 'fashion', 'fashion', 'fashion', 'mnist', 'mnist', 'mnist', 'mnist'],
  );
});

test('values: parameters as an object, scores, 2σ, epoch-second times', () => {
  const knn = records.find(
    (r) =>
      r.dataset === 'mnist' &&
      r.name === 'KNeighborsClassifier' &&
      (r.parameter as { p: number }).p === 2,
  );
  assert.ok(knn);
  assert.deepEqual(knn.parameter, { weights: 'distance', n_neighbors: 5, p: 2 });
  assert.deepEqual(knn.score, [0.9691, 0.9691]);
  assert.equal(knn.num_repeat, 2);
  assert.equal(knn.std_accuracy, 0);
  assert.ok(Math.abs((knn.time_per_repeat as number) - 11.9) < 1e-9);
  assert.equal(typeof knn.start_time, 'number');
  assert.ok((knn.done_time as number) >= (knn.start_time as number));
  assert.equal(knn.start_time, Math.floor(Date.parse('2026-01-02T03:04:05Z') / 1000) + 30);
  const sgd = records.find((r) => r.name === 'SGDClassifier');
  assert.ok(sgd);
  const scores = [0.91, 0.905, 0.915, 0.9, 0.91];
  const mean = scores.reduce((a, b) => a + b) / 5;
  const std = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / 5);
  assert.ok(Math.abs((sgd.mean_accuracy as number) - mean) < 1e-12);
  assert.ok(Math.abs((sgd.std_accuracy as number) - 2 * std) < 1e-12);
  const priors = records.find((r) => r.name === 'GaussianNB' && r.dataset === 'mnist');
  assert.deepEqual(priors?.parameter, {
    priors: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
  });
});

test('an empty store gives no lines', () => {
  assert.equal(renderJsonLines(buildTable3(GRID, [], { isImplemented: () => true })), '');
});
