import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GRID } from '../benchmark/grid.js';
import { readSummaries } from './results.js';
import { buildTable3, totals } from './table3.js';
import { HOSTILE_PARAMS, writeFixtureStore } from './fixture-store.js';

const dir = mkdtempSync(join(tmpdir(), 'fmnist-table3-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const storePath = join(dir, 'results.sqlite');
writeFixtureStore(storePath);
const implemented = new Set(['GaussianNB', 'KNeighborsClassifier', 'SGDClassifier']);
const rows = buildTable3(GRID, readSummaries(storePath), {
  isImplemented: (n) => implemented.has(n),
});

function find(classifier: string, paramsText: string) {
  const r = rows.find((x) => x.classifier === classifier && x.paramsText === paramsText);
  assert.ok(r, `row ${classifier} ${paramsText}`);
  return r;
}

test('every grid row appears once, in the grid order, plus stored rows outside the grid', () => {
  const inGrid = rows.filter((r) => r.inGrid);
  assert.equal(inGrid.length, GRID.length);
  assert.deepEqual(
    inGrid.map((r) => `${r.classifier} ${r.paramsText}`),
    // The grid is already grouped by classifier, so grouping keeps its order.
    GRID.map((g) => `${g.classifier} ${g.paramsText}`),
  );
  const extra = rows.filter((r) => !r.inGrid);
  assert.equal(extra.length, 1);
  assert.equal(extra[0].paramsText, HOSTILE_PARAMS);
  // Grouped with its classifier, right after GaussianNB's grid row.
  const i = rows.indexOf(extra[0]);
  assert.equal(rows[i - 1].classifier, 'GaussianNB');
});

test('a run row carries ours, the paper and the difference', () => {
  const r = find('KNeighborsClassifier', 'weights=distance n_neighbors=5 p=2');
  assert.equal(r.fashion.status, 'run');
  assert.equal(r.fashion.paper, 0.852);
  assert.equal(r.fashion.ours?.repeats, 2);
  assert.ok(Math.abs((r.fashion.ours?.mean ?? 0) - 0.8554) < 1e-12);
  assert.ok(Math.abs((r.fashion.delta ?? 0) - (0.8554 - 0.852)) < 1e-12);
  assert.ok(Math.abs((r.mnist.delta ?? 0) - (0.9691 - 0.945)) < 1e-12);
  assert.equal(r.fashion.ours?.secondsPerRepeat, 12.5);
});

test('rows never run say "not run", or "not implemented" when no estimator exists', () => {
  assert.equal(
    find('KNeighborsClassifier', 'weights=uniform n_neighbors=9 p=2').fashion.status,
    'not run',
  );
  const svc = find('SVC', 'C=10 kernel=rbf');
  assert.equal(svc.fashion.status, 'run'); // stored results show even without an estimator
  assert.equal(svc.mnist.status, 'not implemented');
  assert.equal(svc.mnist.ours, null);
  assert.equal(svc.mnist.delta, null);
});

test('of two protocols for one row, the one on the full training set is shown', () => {
  const svc = find('SVC', 'C=10 kernel=rbf');
  assert.ok(Math.abs((svc.fashion.ours?.mean ?? 0) - 0.8973) < 1e-12);
  assert.match(svc.fashion.ours?.protocol ?? '', /train=60000/);
});

test('parameter order in the stored text does not matter', () => {
  const summaries = readSummaries(storePath).map((s) =>
    s.classifier === 'KNeighborsClassifier'
      ? { ...s, paramsText: s.paramsText.split(' ').reverse().join(' ') }
      : s,
  );
  const again = buildTable3(GRID, summaries, { isImplemented: () => true });
  const r = again.find((x) => x.paramsText === 'weights=distance n_neighbors=5 p=2');
  assert.equal(r?.fashion.status, 'run');
  assert.equal(again.filter((x) => !x.inGrid).length, 1);
});

test('totals count rows run, rows within ±0.01 of the paper and compute time', () => {
  const f = totals(rows, 'fashion');
  // GaussianNB (+0.075), k-NN p=2 (+0.0034), k-NN p=1 (+0.0103), SVC (+0.0003).
  assert.deepEqual(
    { run: f.run, total: f.total, withinPaper: f.withinPaper },
    { run: 4, total: 126, withinPaper: 2 },
  );
  const expected = 0.42 * 2 + 12.5 * 2 + 95 * 2 + 412 * 2 + 0.3 * 2; // the extra row's time counts too
  assert.ok(Math.abs(f.computeSeconds - expected) < 1e-6, `${f.computeSeconds} vs ${expected}`);
  const m = totals(rows, 'mnist');
  assert.equal(m.run, 4);
  assert.equal(m.withinPaper, 2); // k-NN p=1 (+0.0063), SGD (−0.006 on a subset)
});
