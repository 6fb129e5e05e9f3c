import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const DEBIAN = '/usr/share/datasets/fashion-mnist';
const FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

function fmnist(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { env: { ...process.env, FMNIST_DATA_DIR: '' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-cli-dl-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test(
  'fmnist download fashion: verified files already in the cache are kept, no network',
  { skip: !existsSync(join(DEBIAN, FILES[0])) && 'Debian Fashion-MNIST absent' },
  () =>
    withTemp(async (home) => {
      await mkdir(join(home, 'fashion'));
      for (const f of FILES) await symlink(join(DEBIAN, f), join(home, 'fashion', f));
      // A mirror that cannot be reached proves nothing was fetched.
      const { code, stdout, stderr } = await fmnist([
        'download',
        'fashion',
        '--home',
        home,
        '--mirror',
        'http://127.0.0.1:9/',
      ]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, `fashion: ready in ${join(home, 'fashion')}\n`);
      assert.equal(stderr.match(/already in the cache and verified/g)?.length, 4);
    }),
);

test('fmnist download: every mirror failing exits 1, names each mirror and leaves no files', () =>
  withTemp(async (home) => {
    const server = createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const { code, stdout, stderr } = await fmnist([
        'download',
        'mnist',
        '--home',
        home,
        '--mirror',
        'http://127.0.0.1:9/',
        `http://127.0.0.1:${port}/m/`,
      ]);
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /could not download train-images-idx3-ubyte\.gz; every mirror failed/);
      assert.match(
        stderr,
        /http:\/\/127\.0\.0\.1:9\/train-images-idx3-ubyte\.gz: connection refused/,
      );
      assert.match(
        stderr,
        new RegExp(`127\\.0\\.0\\.1:${port}/m/train-images-idx3-ubyte\\.gz: HTTP 404`),
      );
      assert.deepEqual(await readdir(join(home, 'mnist')), []);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }));

test('fmnist download with an unknown dataset exits 1 and lists the valid ones', async () => {
  const { code, stderr } = await fmnist(['download', 'emnist']);
  assert.equal(code, 1);
  assert.match(stderr, /unknown dataset 'emnist'; expected one of: fashion, mnist/);
});

test('fmnist download --help documents the options', async () => {
  const { code, stdout } = await fmnist(['download', '--help']);
  assert.equal(code, 0);
  assert.match(stdout, /--home <dir>/);
  assert.match(stdout, /--mirror <url\.\.\.>/);
  assert.match(stdout, /fashion-mnist\.s3-website\.eu-central-1\.amazonaws\.com/);
});
