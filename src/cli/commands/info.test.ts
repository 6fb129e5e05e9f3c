import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyDataset, writeTinyDataset } from '../../data/fixtures.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const HAVE_FASHION = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');

function fmnist(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { env: { ...process.env, FMNIST_DATA_DIR: '', ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

test(
  'fmnist info fashion: source, checksums, shape and per-class counts',
  { skip: !HAVE_FASHION && 'Debian Fashion-MNIST absent' },
  async () => {
    const home = await mkdtemp(join(tmpdir(), 'fmnist-cli-'));
    try {
      const { code, stdout, stderr } = await fmnist(['info', 'fashion'], { FMNIST_HOME: home });
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^Fashion-MNIST \(fashion\)\n/);
      assert.match(stdout, /source: +debian \/usr\/share\/datasets\/fashion-mnist/);
      assert.match(stdout, /checksums: +verified/);
      assert.match(stdout, /images: +28×28 uint8 pixels/);
      assert.match(stdout, /train: +60,000 images/);
      assert.match(stdout, /9 Ankle boot +6000 +1000/);
      assert.match(stdout, /total +60000 +10000/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  },
);

test('fmnist info mnist --json', async () => {
  const home = await mkdtemp(join(tmpdir(), 'fmnist-cli-'));
  try {
    const { code, stdout, stderr } = await fmnist(['info', 'mnist', '--json'], {
      FMNIST_HOME: home,
    });
    assert.equal(code, 0, stderr);
    const info = JSON.parse(stdout);
    assert.equal(info.name, 'mnist');
    assert.equal(info.checksums, 'verified');
    assert.equal(info.train.count, 60000);
    assert.equal(
      info.train.perClass.reduce((a: number, b: number) => a + b, 0),
      60000,
    );
    assert.equal(info.test.perClass[1], 1135);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test('fmnist info with an unknown dataset exits 1 and lists the valid ones', async () => {
  const { code, stdout, stderr } = await fmnist(['info', 'cifar'], {});
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /unknown dataset 'cifar'; expected one of: fashion, mnist/);
});

test('fmnist info on an empty --dir exits 1 and says what was looked for', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-cli-'));
  try {
    const { code, stderr } = await fmnist(['info', 'fashion', '--dir', dir], {});
    assert.equal(code, 1);
    assert.match(stderr, /dataset 'fashion' not found/);
    assert.ok(stderr.includes(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('fmnist info <directory>: a custom MNIST-format directory, then show from it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'fmnist-cli-'));
  try {
    const dir = join(root, 'my-pack');
    await writeTinyDataset(makeTinyDataset({ trainCount: 6, testCount: 3, classes: 3 }), dir);
    const { code, stdout, stderr } = await fmnist(['info', dir], {});
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Directory \(my-pack\)\n/);
    assert.match(stdout, /checksums: +not checked \(custom directory without SHA256SUMS\)/);
    assert.match(stdout, /2 2 +2 +1/);
    const shown = await fmnist(['show', dir, 'test', '2', '--ascii'], {});
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^my-pack test\[2\]: 0 \(label 0\)\n/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
