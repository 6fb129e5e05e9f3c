import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { writeEdgeCases, writeThumbnailCorpus, readGrayPng } from '../fixtures.js';
import { convertImage } from '../convert-image.js';
import { parseManifest } from '../manifest.js';
import { collectInputs } from './collect-inputs.js';
import { convertBatch } from './convert-batch.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-convert-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('collectInputs: directories recurse, names stay unique, missing inputs are named', () =>
  withDir(async (dir) => {
    await writeThumbnailCorpus(join(dir, 'a'), 2);
    await writeThumbnailCorpus(join(dir, 'a', 'sub'), 1);
    await writeFile(join(dir, 'a', '.hidden.jpg'), 'x');
    const tasks = collectInputs([join(dir, 'a'), join(dir, 'a', 'thumb-0000.jpg')]);
    assert.deepEqual(
      tasks.map((t) => t.output),
      ['sub/thumb-0000.png', 'thumb-0000.png', 'thumb-0001.png', 'thumb-0000~2.png'],
    );
    assert.throws(() => collectInputs([join(dir, 'nope')]), /input '.*nope' does not exist/);
  }));

test('convertBatch on 2 workers: PNGs equal convertImage, manifest reports every input', () =>
  withDir(async (dir) => {
    const thumbs = await writeThumbnailCorpus(join(dir, 'in', 'thumbs'), 12);
    const edges = await writeEdgeCases(join(dir, 'in', 'edge'));
    const tasks = collectInputs([join(dir, 'in')]);
    const out = join(dir, 'out');
    let progress = 0;
    const summary = await convertBatch(tasks, {
      outDir: out,
      sharpen: 'plain',
      keepLowContrast: false,
      steps: true,
      workers: 2,
      chunkSize: 4,
      onProgress: (d) => (progress = d),
    });
    assert.equal(progress, tasks.length);
    const rows = parseManifest(await readFile(join(out, 'manifest.csv'), 'utf8'));
    assert.deepEqual(rows, summary.rows);
    assert.equal(rows.length, thumbs.length + edges.length);
    const bySource = new Map(rows.map((r) => [r.source, r]));
    for (const c of edges) {
      const row = bySource.get(c.path)!;
      const expected = c.expect === 'invalid' ? 'error' : c.expect;
      assert.equal(row.status, expected, `${c.name}: ${row.reason}`);
      if (row.status === 'error') assert.ok(row.reason.length > 0);
      assert.equal(
        row.output === '',
        row.status !== 'ok',
        `${c.name}: output written only when ok`,
      );
    }
    for (const f of thumbs.slice(0, 4)) {
      const row = bySource.get(f)!;
      assert.equal(row.status, 'ok');
      const ours = await convertImage(await readFile(f), { sharpen: 'plain' });
      assert.deepEqual(await readGrayPng(join(out, row.output)), ours.pixels);
      assert.equal(row.p99, ours.p99);
      const strip = await sharp(join(out, row.output.replace(/\.png$/, '.steps.png'))).metadata();
      assert.equal(strip.height, 120);
      assert.ok((strip.width ?? 0) > 7 * 28);
    }
    const leftovers = (await readdir(join(out, 'thumbs')))
      .concat(await readdir(join(out, 'edge')))
      .filter((n) => n.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
    // --keep-low-contrast writes the flagged output too
    const kept = await convertBatch(
      tasks.filter((t) => t.source.endsWith('pale.jpg')),
      {
        outDir: join(dir, 'kept'),
        sharpen: 'adaptive',
        keepLowContrast: true,
        steps: false,
        workers: 0,
      },
    );
    assert.equal(kept.rows[0].status, 'low-contrast');
    assert.ok(existsSync(join(dir, 'kept', kept.rows[0].output)));
  }));

test('CLI: fmnist convert → fmnist pack → fmnist benchmark --only GaussianNB --data-dir', () =>
  withDir(async (dir) => {
    const files = await writeThumbnailCorpus(join(dir, 'photos'), 40);
    await writeFile(join(dir, 'photos', 'notes.txt'), 'not an image');
    const convert = await run(process.execPath, [
      CLI,
      'convert',
      join(dir, 'photos'),
      '--out',
      join(dir, 'png'),
      '--workers',
      '1',
    ]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal((convert as { code?: number }).code, 2, 'exit code 2 when some input failed');
    assert.match(convert.stdout, /converted 40 of 41/);
    assert.match(convert.stderr, /notes\.txt: error: /);
    // 10 classes: the paper's GaussianNB row fixes 10 priors
    const names = [
      'top',
      'trouser',
      'pullover',
      'dress',
      'coat',
      'sandal',
      'shirt',
      'sneaker',
      'bag',
      'boot',
    ];
    const labels = files.map((f, i) => `${f.split('/').pop()},${names[i % 10]}`);
    await writeFile(join(dir, 'labels.csv'), labels.join('\n') + '\n');
    await writeFile(join(dir, 'names.txt'), names.join('\n') + '\n');
    const pack = await run(process.execPath, [
      CLI,
      'pack',
      '--images',
      join(dir, 'png'),
      '--labels',
      join(dir, 'labels.csv'),
      '--out',
      join(dir, 'ds'),
      '--test-per-class',
      '1',
      '--seed',
      '1',
      '--classes',
      join(dir, 'names.txt'),
    ]);
    assert.match(pack.stdout, /packed 30 training \+ 10 test images, 10 classes/);
    const bench = await run(
      process.execPath,
      [
        CLI,
        'benchmark',
        '--only',
        'GaussianNB',
        '--data-dir',
        join(dir, 'ds'),
        '--repeats',
        '1',
        '--store',
        join(dir, 'store.sqlite'),
        '--json',
      ],
      { maxBuffer: 1 << 22 },
    );
    assert.match(bench.stdout, /GaussianNB/);
    assert.match(bench.stdout, /"status":"done"/);
    const bad = await run(process.execPath, [
      CLI,
      'pack',
      '--images',
      join(dir, 'png'),
      '--labels',
      join(dir, 'labels.csv'),
      '--out',
      join(dir, 'ds2'),
      '--test-per-class',
      '4',
      '--classes',
      join(dir, 'names.txt'),
    ]).catch((e: { stderr: string }) => e);
    assert.match(
      bad.stderr,
      /labels\.csv:1: class 0 \(top\) has 4 usable images.*needs at least 5/,
    );
  }));
