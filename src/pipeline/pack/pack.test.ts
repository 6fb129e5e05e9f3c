import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { encodeGrayPng } from '../png.js';
import { formatManifest } from '../manifest.js';
import { LabelsFormatError } from '../errors.js';
import { packDataset, PACK_FILES } from './pack.js';
import { loadDataset } from '../../data/load.js';

const CLASSES = ['shirt', 'shoe', 'bag'];

/** 3 classes × 5 images; image k is filled with the value k + 1 so it can be recognised. */
async function makeImages(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const rows: string[] = [];
  for (let k = 0; k < 15; k++) {
    const name = `img-${String(k).padStart(2, '0')}.png`;
    await writeFile(join(dir, name), encodeGrayPng(new Uint8Array(784).fill(k + 1), 28, 28));
    const label = k % 3;
    // mix class names and indices, and refer to some images by their source name
    rows.push(
      `${k % 4 === 0 ? name.replace('.png', '.jpg') : name},${k % 2 === 0 ? CLASSES[label] : label}`,
    );
  }
  return rows;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-pack-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('pack: per-class split, sorted by label, loads back with loadDataset', () =>
  withDir(async (dir) => {
    const rows = await makeImages(join(dir, 'images'));
    await writeFile(join(dir, 'labels.csv'), ['image,label', ...rows].join('\n') + '\n');
    await writeFile(join(dir, 'names.txt'), CLASSES.join('\n') + '\n');
    const out = join(dir, 'packed');
    const summary = await packDataset({
      imagesDir: join(dir, 'images'),
      labelsPath: join(dir, 'labels.csv'),
      outDir: out,
      testPerClass: 2,
      seed: 7,
      classesPath: join(dir, 'names.txt'),
    });
    assert.deepEqual([summary.train, summary.test], [9, 6]);
    const files = (await readdir(out)).sort();
    assert.deepEqual(files, [...PACK_FILES, 'SHA256SUMS', 'classes.txt'].sort());
    const sums = await readFile(join(out, 'SHA256SUMS'), 'utf8');
    for (const f of PACK_FILES) {
      const hash = createHash('sha256')
        .update(await readFile(join(out, f)))
        .digest('hex');
      assert.ok(sums.includes(`${hash}  ${f}\n`), `SHA256SUMS lists ${f}`);
    }
    const ds = await loadDataset({ dir: out });
    assert.equal(ds.checksums, 'manifest');
    assert.deepEqual(ds.classes, CLASSES);
    assert.deepEqual(Array.from(ds.test.labels), [0, 0, 1, 1, 2, 2]);
    assert.deepEqual(Array.from(ds.train.labels), [0, 0, 0, 1, 1, 1, 2, 2, 2]);
    // every image lands once, with its own label (image k has value k+1 and label k % 3)
    const seen: number[] = [];
    for (const split of [ds.train, ds.test]) {
      for (let i = 0; i < split.count; i++) {
        const k = split.images[i * 784] - 1;
        assert.ok(split.images.subarray(i * 784, (i + 1) * 784).every((v) => v === k + 1));
        assert.equal(split.labels[i], k % 3);
        seen.push(k);
      }
      // stable by image name within a label
      for (let i = 1; i < split.count; i++) {
        if (split.labels[i] === split.labels[i - 1])
          assert.ok(split.images[i * 784] > split.images[(i - 1) * 784]);
      }
    }
    assert.deepEqual(
      seen.sort((a, b) => a - b),
      Array.from({ length: 15 }, (_, k) => k),
    );

    // same seed → same bytes; another seed → another split
    const again = join(dir, 'again');
    await packDataset({
      imagesDir: join(dir, 'images'),
      labelsPath: join(dir, 'labels.csv'),
      outDir: again,
      testPerClass: 2,
      seed: 7,
      classesPath: join(dir, 'names.txt'),
    });
    assert.equal(await readFile(join(again, 'SHA256SUMS'), 'utf8'), sums);
    const other = join(dir, 'other');
    await packDataset({
      imagesDir: join(dir, 'images'),
      labelsPath: join(dir, 'labels.csv'),
      outDir: other,
      testPerClass: 2,
      seed: 8,
      classesPath: join(dir, 'names.txt'),
    });
    assert.notEqual(await readFile(join(other, 'SHA256SUMS'), 'utf8'), sums);
  }));

test('pack: images flagged by convert are skipped unless --keep-low-contrast', () =>
  withDir(async (dir) => {
    const rows = await makeImages(join(dir, 'images'));
    await writeFile(join(dir, 'labels.csv'), rows.join('\n'));
    await writeFile(
      join(dir, 'images', 'manifest.csv'),
      formatManifest([
        {
          source: '/photos/img-01.jpg',
          output: 'img-01.png',
          status: 'low-contrast',
          reason: 'p99 12',
          p99: 12,
        },
        { source: '/photos/img-02.jpg', output: 'img-02.png', status: 'ok', reason: '', p99: 200 },
      ]),
    );
    const base = {
      imagesDir: join(dir, 'images'),
      labelsPath: join(dir, 'labels.csv'),
      testPerClass: 1,
      classesPath: undefined,
    };
    const skipped = await packDataset({ ...base, outDir: join(dir, 'a') });
    assert.deepEqual(
      skipped.skipped.map((s) => [s.image, s.line]),
      [['img-01.png', 2]],
    );
    assert.equal(skipped.train + skipped.test, 14);
    const kept = await packDataset({ ...base, outDir: join(dir, 'b'), keepLowContrast: true });
    assert.equal(kept.train + kept.test, 15);
    // without names.txt and with mixed labels, the classes are the sorted distinct labels
    assert.deepEqual(kept.classes, ['0', '1', '2', 'bag', 'shirt', 'shoe']);
  }));

test('pack: bad label files are rejected with the offending line', () =>
  withDir(async (dir) => {
    const rows = await makeImages(join(dir, 'images'));
    await writeFile(join(dir, 'names.txt'), CLASSES.join('\n'));
    const attempt = async (lines: string[], testPerClass = 1) => {
      await writeFile(join(dir, 'labels.csv'), ['image,label', ...lines].join('\n'));
      return packDataset({
        imagesDir: join(dir, 'images'),
        labelsPath: join(dir, 'labels.csv'),
        outDir: join(dir, 'out'),
        testPerClass,
        classesPath: join(dir, 'names.txt'),
      });
    };
    const rejects = (lines: string[], line: number, pattern: RegExp, testPerClass = 1) =>
      assert.rejects(attempt(lines, testPerClass), (err: unknown) => {
        assert.ok(err instanceof LabelsFormatError, String(err));
        assert.equal(err.code, 'LABELS_FORMAT');
        assert.equal(err.line, line);
        assert.match(err.message, new RegExp(`labels\\.csv:${line}: `));
        assert.match(err.message, pattern);
        return true;
      });
    await rejects([...rows.slice(0, 9), 'nope.png,shirt'], 11, /unknown image 'nope\.png'/);
    await rejects(
      [...rows.slice(0, 9), rows[1]],
      11,
      /duplicate image 'img-01\.png' \(first on line 3\)/,
    );
    await rejects(
      [...rows.slice(0, 9), 'img-12.png,hat'],
      11,
      /label 'hat' of 'img-12\.png' is not in the class list/,
    );
    await rejects([...rows.slice(0, 9), 'img-12.png,3'], 11, /label '3'/);
    await rejects([...rows.slice(0, 9), 'img-12.png'], 11, /expected 2 fields/);
    // class 0 has images on lines 2 and 5: not enough for 2 test + 1 train
    await rejects(
      rows.slice(0, 6),
      2,
      /class 0 \(shirt\) has 2 usable images.*needs at least 3/,
      2,
    );
    await assert.rejects(attempt(rows.slice(0, 2), 0), /class 2 \(bag\) has no images/);
    await assert.rejects(
      packDataset({
        imagesDir: join(dir, 'images'),
        labelsPath: join(dir, 'labels.csv'),
        outDir: join(dir, 'x'),
        testPerClass: -1,
      }),
      /--test-per-class must be an integer ≥ 0/,
    );
  }));
