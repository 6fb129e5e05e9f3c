import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GRID } from '../benchmark/grid.js';
import { DASHBOARD_SCRIPT } from './dashboard-client.js';
import { dashboardData, renderDashboard, type DashboardData } from './dashboard.js';
import { escapeHtml, jsonForScript, scriptForInline } from './html-escape.js';
import { readSummaries } from './results.js';
import { buildTable3 } from './table3.js';
import { HOSTILE_PARAMS, writeFixtureStore } from './fixture-store.js';

const dir = mkdtempSync(join(tmpdir(), 'fmnist-dashboard-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const storePath = join(dir, 'results.sqlite');
writeFixtureStore(storePath);
const rows = buildTable3(GRID, readSummaries(storePath), { isImplemented: (n) => n !== 'SVC' });
const html = renderDashboard(rows, {
  source: '<store & "path">',
  generatedAt: new Date('2026-02-03T04:05:06Z'),
});

function island(page: string, id: string): string {
  const start = page.indexOf(`<script type="application/json" id="${id}">`);
  assert.ok(start >= 0, `data island ${id}`);
  const from = page.indexOf('>', start) + 1;
  return page.slice(from, page.indexOf('</script>', from));
}

test('the page is self-contained: no external scripts, styles, images or fetches', () => {
  assert.doesNotMatch(html, /<script[^>]*\ssrc=/i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /<img\b/i);
  assert.doesNotMatch(html, /<iframe\b/i);
  // vega and vega-lite are inlined (their UMD headers define the globals).
  assert.ok(html.includes('.vega={}'), 'vega inlined');
  assert.ok(html.includes('.vegaLite={}'), 'vega-lite inlined');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('data from the store is escaped wherever it lands', () => {
  // The hostile parameter text never appears as markup: not in the island, not in the body.
  assert.ok(!html.includes('</script><img'), 'no raw closing script tag from data');
  assert.ok(!html.includes('<b>not bold</b>'));
  assert.ok(html.includes('&lt;store &amp; &quot;path&quot;&gt;'), 'source escaped in the header');
  // …yet the data round-trips exactly.
  const data = JSON.parse(island(html, 'fmnist-dashboard')) as DashboardData;
  assert.ok(data.rows.some((r) => r.paramsText === HOSTILE_PARAMS));
  assert.equal(data.source, '<store & "path">');
});

test('the embedded data matches the store: statuses, means, paper values', () => {
  const data = JSON.parse(island(html, 'fmnist-dashboard')) as DashboardData;
  assert.equal(data.rows.length, GRID.length + 1);
  assert.equal(data.generatedAt, '2026-02-03T04:05:06.000Z');
  const knn = data.rows.find(
    (r) =>
      r.classifier === 'KNeighborsClassifier' &&
      r.paramsText === 'weights=uniform n_neighbors=5 p=1',
  );
  assert.ok(knn);
  assert.equal(knn.fashion.status, 'run');
  assert.ok(Math.abs((knn.fashion.mean ?? 0) - 0.8623) < 1e-12);
  assert.equal(knn.fashion.paper, 0.852);
  assert.equal(knn.fashion.repeats, 2);
  assert.equal(knn.fashion.peakRssMB, 740);
  assert.equal(knn.mnist.peakRssMB, null, 'repeats stored before peak memory was measured');
  const svc = data.rows.find((r) => r.classifier === 'SVC' && r.paramsText === 'C=10 kernel=rbf');
  assert.equal(svc?.mnist.status, 'not implemented');
  const sgd = data.rows.find(
    (r) => r.classifier === 'SGDClassifier' && r.paramsText === 'loss=hinge penalty=l2',
  );
  assert.equal(sgd?.mnist.subset, 'train=2000 test=500');
  assert.equal(sgd?.fashion.status, 'not run');
  assert.deepEqual(data.classifiers, [...new Set(GRID.map((g) => g.classifier))]);
  assert.ok('layer' in data.specs.fashionVsMnist && 'layer' in data.specs.accuracyVsTime);
});

test('the summary cards show rows run and within ±0.01', () => {
  assert.match(html, /id="stat-fashion-run"><div class="value">4 \/ 126</);
  assert.match(html, /id="stat-fashion-within"><div class="value">2 \/ 4</);
  assert.match(html, /id="stat-mnist-run"><div class="value">4 \/ 126</);
});

test('the page script parses as JavaScript', () => {
  assert.doesNotThrow(() => new Function(DASHBOARD_SCRIPT));
  assert.ok(
    !DASHBOARD_SCRIPT.includes('innerHTML'),
    'data reaches the DOM through textContent only',
  );
});

test('dashboardData works with an empty store', () => {
  const empty = dashboardData(buildTable3(GRID, [], { isImplemented: () => false }));
  assert.equal(empty.rows.length, GRID.length);
  assert.ok(
    empty.rows.every((r) => r.fashion.status === 'not implemented' && r.fashion.mean === null),
  );
});

test('escaping helpers', () => {
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
  );
  const json = jsonForScript({ s: '</script><!-- \u2028' });
  assert.ok(!json.includes('<') && !json.includes('\u2028'));
  assert.deepEqual(JSON.parse(json), { s: '</script><!-- \u2028' });
  assert.equal(scriptForInline('x = "</script>" + "<!--"'), 'x = "<\\/script>" + "<\\!--"');
});
