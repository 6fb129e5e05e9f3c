import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadDataset, downloadFile, type DownloadEvent } from './download.js';
import { DownloadError } from './errors.js';
import { makeTinyDataset } from './fixtures.js';
import { loadDataset } from './load.js';
import { FILE_ROLES, type DatasetName } from './registry.js';

delete process.env.FMNIST_DATA_DIR;
delete process.env.FMNIST_HOME;

const tiny = makeTinyDataset({ name: 'tiny' });
const other = makeTinyDataset({ name: 'tiny', salt: 9 });
const byName = new Map(FILE_ROLES.map((r) => [tiny.spec.files[r].name, tiny.files[r].gz]));
const otherByName = new Map(FILE_ROLES.map((r) => [other.spec.files[r].name, other.files[r].gz]));

let server: Server;
let base = '';
let downPort = 0;
const hits: string[] = [];

// Routes: /good/ the right files, /bad/ other content, /html/ an HTML page with 200,
// /trunc/ announces more bytes than it sends, /missing/ 404, /redirect/ → /good/.
before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits.push(url);
    const [, route, name] = url.split('/');
    const body = byName.get(name ?? '');
    if (route === 'good' && body) {
      res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/gzip' });
      res.end(body);
    } else if (route === 'bad' && body) {
      const wrong = otherByName.get(name) as Uint8Array;
      res.writeHead(200, { 'content-length': wrong.length });
      res.end(wrong);
    } else if (route === 'html') {
      const page = '<!DOCTYPE html><html><body>Moved to a new site</body></html>';
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': page.length,
      });
      res.end(page);
    } else if (route === 'trunc' && body) {
      res.writeHead(200, { 'content-length': body.length + 1000 });
      res.write(body, () => res.socket?.destroy());
    } else if (route === 'hang') {
      // Never answer: the client's timeout must fire.
    } else if (route === 'empty') {
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    } else if (route === 'redirect') {
      res.writeHead(302, { location: `/good/${name}` });
      res.end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nobody listens on: open a server, note its port, close it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  downPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});

after(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

async function withHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmpdir(), 'fmnist-dl-'));
  try {
    return await fn(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

const file = tiny.spec.files.trainImages;

async function failureOf(mirror: string, home: string): Promise<DownloadError> {
  const dest = join(home, file.name);
  try {
    await downloadFile([mirror], dest, file);
  } catch (err) {
    assert.ok(err instanceof DownloadError, String(err));
    assert.equal(err.code, 'DOWNLOAD_FAILED');
    assert.equal(err.file, file.name);
    // Nothing is left behind: no target, no temp file.
    assert.deepEqual(await readdir(home), []);
    return err;
  }
  assert.fail('download should have failed');
}

test('good file: downloaded, verified and in place', () =>
  withHome(async (home) => {
    const dest = join(home, file.name);
    const used = await downloadFile([`${base}/good/`], dest, file);
    assert.equal(used, `${base}/good/${file.name}`);
    assert.deepEqual(new Uint8Array(await readFile(dest)), tiny.files.trainImages.gz);
    assert.deepEqual(await readdir(home), [file.name]);
  }));

test('wrong checksum is rejected', () =>
  withHome(async (home) => {
    const err = await failureOf(`${base}/bad/`, home);
    assert.match(
      err.message,
      /incomplete or corrupted file: expected \d+ bytes|MD5 mismatch: expected [0-9a-f]{32}, got [0-9a-f]{32}/,
    );
    // Same size, different bytes: only the hash can tell.
    const sameSize = { ...file, gzSize: null };
    await assert.rejects(
      downloadFile([`${base}/bad/`], join(home, 'x.gz'), sameSize),
      /MD5 mismatch/,
    );
    const wrongSha = { ...file, gzSha256: '0'.repeat(64) };
    await assert.rejects(
      downloadFile([`${base}/good/`], join(home, 'y.gz'), wrongSha),
      /SHA-256 mismatch: expected 0{64}/,
    );
    assert.deepEqual(await readdir(home), []);
  }));

test('truncated body (Content-Length larger than sent) is detected', () =>
  withHome(async (home) => {
    const err = await failureOf(`${base}/trunc/`, home);
    assert.match(
      err.message,
      // How many bytes arrive before the close is seen depends on the socket's timing.
      new RegExp(`truncated: .*\\d+ of ${(file.gzSize as number) + 1000} bytes`),
    );
  }));

test('HTTP 404 is reported with its status', () =>
  withHome(async (home) => {
    const err = await failureOf(`${base}/missing/`, home);
    assert.match(err.message, new RegExp(`${base}/missing/${file.name}: HTTP 404 Not Found`));
  }));

test('an HTML page instead of gzip is detected', () =>
  withHome(async (home) => {
    const err = await failureOf(`${base}/html/`, home);
    assert.match(
      err.message,
      /HTML page \(Content-Type text\/html; charset=utf-8, starts "<!DOCTYPE html>/,
    );
  }));

test('an empty 200 response is rejected', () =>
  withHome(async (home) => {
    const err = await failureOf(`${base}/empty/`, home);
    assert.match(err.message, /empty response body \(expected gzip data\)/);
  }));

test('a mirror that never answers times out and the next one is used', () =>
  withHome(async (home) => {
    const used = await downloadFile(
      [`${base}/hang/`, `${base}/good/`],
      join(home, file.name),
      file,
      {
        timeoutMs: 300,
      },
    );
    assert.equal(used, `${base}/good/${file.name}`);
    await assert.rejects(
      downloadFile([`${base}/hang/`], join(home, 'z.gz'), file, { timeoutMs: 300 }),
      /hang\/train-images-idx3-ubyte\.gz: no response for 0\.3 s/,
    );
  }));

test('first mirror down (connection refused): the second mirror is used', () =>
  withHome(async (home) => {
    const events: DownloadEvent[] = [];
    const used = await downloadFile(
      [`http://127.0.0.1:${downPort}/`, `${base}/redirect`],
      join(home, file.name),
      file,
      { onProgress: (e) => events.push(e) },
    );
    assert.equal(used, `${base}/redirect/${file.name}`);
    const failed = events.find((e) => e.type === 'mirror-failed');
    assert.ok(failed && failed.type === 'mirror-failed');
    assert.match(failed.reason, /connection refused/);
    assert.ok(events.some((e) => e.type === 'done'));
  }));

test('all mirrors failing lists each one with its reason', () =>
  withHome(async (home) => {
    await assert.rejects(
      downloadFile(
        [`http://127.0.0.1:${downPort}/`, `${base}/missing/`, `${base}/html/`],
        join(home, file.name),
        file,
      ),
      (err: unknown) => {
        assert.ok(err instanceof DownloadError);
        assert.equal(err.failures.length, 3);
        assert.match(err.message, /connection refused[\s\S]*HTTP 404[\s\S]*HTML page/);
        return true;
      },
    );
  }));

test('loadDataset with download: fetches into the cache, then reuses the cache', () =>
  withHome(async (home) => {
    hits.length = 0;
    const spec = { ...tiny.spec, mirrors: [`http://127.0.0.1:${downPort}/`, `${base}/good/`] };
    const first = await loadDataset('tiny' as DatasetName, { home, spec, download: true });
    assert.deepEqual(first.source, { kind: 'download', path: join(home, 'tiny') });
    assert.equal(first.checksums, 'verified');
    assert.equal(first.train.count, 12);
    assert.equal(hits.length, 4);
    assert.deepEqual(
      (await readdir(join(home, 'tiny'))).sort(),
      FILE_ROLES.map((r) => spec.files[r].name).sort(),
    );

    const second = await loadDataset('tiny' as DatasetName, { home, spec, download: true });
    assert.deepEqual(second.source, { kind: 'cache', path: join(home, 'tiny') });
    assert.equal(hits.length, 4, 'the second load must not touch the network');
    assert.deepEqual(second.train.images, first.train.images);
  }));

test('downloadDataset keeps verified files and replaces a damaged one', () =>
  withHome(async (home) => {
    const spec = { ...tiny.spec, mirrors: [`${base}/good/`] };
    await downloadDataset(spec, { home });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(home, 'tiny', spec.files.testLabels.name), 'garbage');
    const result = await downloadDataset(spec, { home, mirrors: [`${base}/good`] });
    assert.deepEqual(result.downloaded, [spec.files.testLabels.name]);
    assert.equal(result.cached.length, 3);
    const ds = await loadDataset('tiny' as DatasetName, { home, spec });
    assert.equal(ds.checksums, 'verified');
  }));

test('a failed download leaves no partial files in the cache', () =>
  withHome(async (home) => {
    const spec = { ...tiny.spec, mirrors: [`${base}/trunc/`] };
    await assert.rejects(
      loadDataset('tiny' as DatasetName, { home, spec, download: true }),
      DownloadError,
    );
    assert.deepEqual(await readdir(join(home, 'tiny')), []);
  }));
