/**
 * The dashboard in a real browser: headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core) opens the page from file:// with the network off, then
 * sorts, filters and switches views, checking what is shown against the fixture store.
 * A screenshot is taken too; with FMNIST_KEEP_SCREENSHOTS=1 it is kept in a temp dir and its
 * path printed (otherwise removed, so test runs leave nothing behind). Skips when Chromium
 * is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { GRID } from '../benchmark/grid.js';
import { renderDashboard } from './dashboard.js';
import { embed, embeddingRecords } from './embedding.js';
import { embeddingHtml } from './embedding-output.js';
import { readSummaries } from './results.js';
import { buildTable3 } from './table3.js';
import { HOSTILE_PARAMS, writeFixtureStore } from './fixture-store.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser test`;

const KEEP_SCREENSHOTS = process.env.FMNIST_KEEP_SCREENSHOTS === '1';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function withBrowser(
  fn: (ctx: BrowserContext, outDir: string, external: string[]) => Promise<void>,
): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'fmnist-browser-'));
  // A new, empty profile per run, removed afterwards; outDir (screenshots) only on request.
  const profile = mkdtempSync(join(tmpdir(), 'fmnist-chromium-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    offline: true,
    viewport: { width: 1400, height: 1000 },
  });
  // Anything but file:// would mean the page is not self-contained: record and refuse it.
  const external: string[] = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:'))
      return route.continue();
    external.push(url);
    return route.abort();
  });
  try {
    await fn(ctx, outDir, external);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
    const keep = KEEP_SCREENSHOTS && readdirSync(outDir).length > 0;
    if (!keep) rmSync(outDir, { recursive: true, force: true });
  }
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** The visible table as text: one array of cell texts per body row. */
function tableText(page: Page): Promise<string[][]> {
  return page.$$eval('#results tbody tr', (trs) =>
    trs.map((tr) =>
      Array.from(tr.querySelectorAll('td'), (td: { textContent: string | null }) =>
        (td.textContent ?? '').trim(),
      ),
    ),
  );
}

async function settled(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

test(
  'dashboard: views, filters, sorting and charts match the store',
  { skip, timeout: 180_000 },
  async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'fmnist-dashboard-page-'));
    const storePath = join(outDir, 'results.sqlite');
    writeFixtureStore(storePath);
    const rows = buildTable3(GRID, readSummaries(storePath), { isImplemented: (n) => n !== 'SVC' });
    const htmlPath = join(outDir, 'dashboard.html');
    writeFileSync(htmlPath, renderDashboard(rows, { source: storePath }));

    await withBrowser(async (ctx, shotDir, external) => {
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await page.goto(pathToFileURL(htmlPath).href);
      await settled(page);

      // Initial view: Fashion-MNIST, every grid row plus the one outside the grid.
      assert.equal(await page.getAttribute('#view-fashion', 'aria-pressed'), 'true');
      assert.equal(
        await page.textContent('#row-count'),
        `Showing ${GRID.length + 1} of ${GRID.length + 1} configurations`,
      );
      let table = await tableText(page);
      const knn = table.find(
        (r) => r[0] === 'KNeighborsClassifier' && r[1] === 'weights=uniform n_neighbors=5 p=1',
      );
      assert.deepEqual(knn, [
        'KNeighborsClassifier',
        'weights=uniform n_neighbors=5 p=1',
        '0.852',
        '0.862 ± 0.000 n=2',
        '+0.010',
        '1 min 35 s',
        '740', // peak MB: the fixture's fifth run
      ]);
      const unrun = table.find((r) => r[1] === 'weights=uniform n_neighbors=9 p=2');
      assert.equal(unrun?.[3], 'not run');
      const tree = table.find((r) => r[0] === 'DecisionTreeClassifier');
      assert.equal(tree?.[3], 'not run'); // the fixture says only SVC is unimplemented
      // The hostile parameter text is shown as text, not markup.
      assert.ok(table.some((r) => r[1].startsWith(HOSTILE_PARAMS)));
      assert.equal(await page.$$eval('#results img', (x) => x.length), 0);

      // Both charts drew: 126 paper crosses and 3 of ours (rows run on both datasets).
      assert.equal(await page.getAttribute('#chart-scatter', 'data-rendered'), 'done');
      assert.equal(await page.$$eval('#chart-scatter g.layer_0_marks path', (x) => x.length), 126);
      assert.equal(await page.$$eval('#chart-scatter g.layer_2_marks path', (x) => x.length), 3);
      // Accuracy vs time: 5 Fashion-MNIST results, 4 of them with the paper's tick.
      assert.equal(await page.$$eval('#chart-time g.layer_2_marks path', (x) => x.length), 5);
      assert.equal(await page.$$eval('#chart-time g.layer_1_marks path', (x) => x.length), 4);

      // Filter by classifier.
      await page.selectOption('#filter-classifier', 'KNeighborsClassifier');
      await settled(page);
      table = await tableText(page);
      assert.equal(
        table.length,
        GRID.filter((g) => g.classifier === 'KNeighborsClassifier').length,
      );
      assert.ok(table.every((r) => r[0] === 'KNeighborsClassifier'));
      assert.equal(await page.$$eval('#chart-time g.layer_2_marks path', (x) => x.length), 2);

      // …and by parameter text.
      await page.fill('#filter-text', 'p=1');
      await settled(page);
      table = await tableText(page);
      assert.equal(table.length, 6);
      assert.ok(table.every((r) => r[1].endsWith('p=1')));

      // MNIST view.
      await page.selectOption('#filter-classifier', '');
      await page.fill('#filter-text', '');
      await page.click('#view-mnist');
      await settled(page);
      assert.equal(await page.getAttribute('#view-mnist', 'aria-pressed'), 'true');
      table = await tableText(page);
      const knnM = table.find((r) => r[1] === 'weights=distance n_neighbors=5 p=2');
      assert.deepEqual(knnM?.slice(2, 5), ['0.945', '0.969 ± 0.000 n=2', '+0.024']);
      assert.equal(knnM?.[6], '730');
      // A row whose repeats predate the peak-memory field shows no peak, not a zero.
      const knnNoPeak = table.find((r) => r[1] === 'weights=uniform n_neighbors=5 p=1');
      assert.deepEqual(knnNoPeak?.slice(5), ['1 min 28 s', '']);
      const sgd = table.find((r) => r[0] === 'SGDClassifier' && r[1] === 'loss=hinge penalty=l2');
      assert.match(sgd?.[3] ?? '', /^0\.908 ± 0\.010 n=5 subset$/);

      // Side by side, only rows run, sorted by Fashion-MNIST accuracy (descending first).
      await page.click('#view-both');
      await page.check('#filter-run-only');
      await settled(page);
      assert.deepEqual(
        await page.$$eval('#results thead tr.groups th', (ths) => ths.map((t) => t.textContent)),
        ['', '', 'Fashion-MNIST', 'MNIST', 's / repeat', 'peak MB'],
      );
      await page.click('th[data-key="fashion.mean"] button');
      await settled(page);
      assert.equal(
        await page.getAttribute('th[data-key="fashion.mean"]', 'aria-sort'),
        'descending',
      );
      table = await tableText(page);
      assert.deepEqual(
        table.map((r) => r[3].split(' ')[0]),
        ['0.897', '0.862', '0.855', '0.600', '0.586', 'not'], // SGD has no Fashion-MNIST run: last
      );
      await page.click('th[data-key="fashion.mean"] button');
      await settled(page);
      assert.equal(
        await page.getAttribute('th[data-key="fashion.mean"]', 'aria-sort'),
        'ascending',
      );
      table = await tableText(page);
      assert.deepEqual(
        table.map((r) => r[3].split(' ')[0]),
        ['0.586', '0.600', '0.855', '0.862', '0.897', 'not'],
      );
      // Sorting by a text column.
      await page.click('th[data-key="classifier"] button');
      await settled(page);
      table = await tableText(page);
      assert.deepEqual(
        table.map((r) => r[0]),
        [
          'GaussianNB',
          'GaussianNB',
          'KNeighborsClassifier',
          'KNeighborsClassifier',
          'SGDClassifier',
          'SVC',
        ],
      );
      assert.equal(await page.$$eval('#chart-time g.layer_2_marks path', (x) => x.length), 9);

      const shot = join(shotDir, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      if (KEEP_SCREENSHOTS) console.log(`dashboard screenshot: ${shot}`);

      assert.deepEqual(errors, []);
      assert.deepEqual(external, [], 'no request left the machine');
    });
    rmSync(outDir, { recursive: true, force: true });
  },
);

test(
  'embedding page renders one dot per example, offline',
  { skip, timeout: 120_000 },
  async () => {
    const count = 90;
    const images = new Uint8Array(count * 16);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = i % 3;
      images.fill(60 * labels[i] + (i % 7), i * 16, (i + 1) * 16);
    }
    const split = { images, labels, count, height: 4, width: 4 };
    const e = embed(split, { method: 'pca', n: 60, seed: 1 });
    const classes = ['a', 'b', 'c'];
    const html = embeddingHtml({
      records: embeddingRecords(e, labels, classes),
      classes,
      title: 'Test embedding',
      axisNames: e.axisNames,
      description: e.description,
    });
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-embed-page-'));
    const path = join(dir, 'embed.html');
    writeFileSync(path, html);
    await withBrowser(async (ctx, _shotDir, external) => {
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await page.goto(pathToFileURL(path).href);
      await settled(page);
      assert.equal(await page.$$eval('#chart g.mark-symbol.role-mark path', (x) => x.length), 60);
      const legend = await page.$$eval('#chart g.role-legend text', (ts) =>
        ts.map((t) => t.textContent),
      );
      for (const c of classes) assert.ok(legend.includes(c), `legend has ${c}`);
      assert.deepEqual(errors, []);
      assert.deepEqual(external, []);
    });
    rmSync(dir, { recursive: true, force: true });
  },
);
