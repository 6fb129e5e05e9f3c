import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { GRID } from '../benchmark/grid.js';
import { createDashboardServer, listen } from './server.js';
import { buildTable3 } from './table3.js';

const rows = buildTable3(
  GRID,
  [
    {
      dataset: 'fashion',
      classifier: 'GaussianNB',
      paramsText: GRID[24].paramsText,
      scores: [0.5856],
      mean: 0.5856,
      std2: 0,
      repeats: 1,
      secondsPerRepeat: 0.5,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
      paper: 0.511,
      note: null,
    },
  ],
  { isImplemented: () => true },
);
let reads = 0;
const server = createDashboardServer({ rows: () => (reads++, rows), source: 'fixture' });
let port = 0;
before(async () => {
  const url = await listen(server, 0, '127.0.0.1');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function fetchRaw(method: string, path: string, host = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

test('GET / serves the dashboard, rebuilt from the rows on every request', async () => {
  const before = reads;
  const res = await fetchRaw('GET', '/');
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.ok(res.body.startsWith('<!doctype html>'));
  assert.ok(res.body.includes('id="fmnist-dashboard"'));
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(reads, before + 1);
});

test('the data routes: /data.json, /results.jsonl, /report.md', async () => {
  const json = await fetchRaw('GET', '/data.json');
  assert.equal(json.status, 200);
  const data = JSON.parse(json.body) as {
    rows: Array<{ classifier: string; fashion: { mean: number | null } }>;
  };
  assert.equal(data.rows.length, GRID.length);
  assert.equal(data.rows.find((r) => r.classifier === 'GaussianNB')?.fashion.mean, 0.5856);
  const jsonl = await fetchRaw('GET', '/results.jsonl');
  assert.equal(JSON.parse(jsonl.body.trim()).name, 'GaussianNB');
  const md = await fetchRaw('GET', '/report.md?x=1');
  assert.match(md.body, /^# Table 3/);
});

test('read-only: anything but GET and HEAD is 405 with an Allow header', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const res = await fetchRaw(method, '/');
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.allow, 'GET, HEAD');
  }
  const head = await fetchRaw('HEAD', '/data.json');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.ok(Number(head.headers['content-length']) > 1000);
});

test('unknown paths are 404; foreign Host headers are refused', async () => {
  assert.equal((await fetchRaw('GET', '/../etc/passwd')).status, 404);
  assert.equal((await fetchRaw('GET', '/nope')).status, 404);
  assert.equal((await fetchRaw('GET', '/', 'evil.example:80')).status, 403);
  assert.equal((await fetchRaw('GET', '/', `localhost:${port}`)).status, 200);
});

test('a failing store read is a 500 with the reason, not a crash', async () => {
  const broken = createDashboardServer({
    rows: () => {
      throw new Error('No results store at /nowhere.');
    },
  });
  await listen(broken, 0, '127.0.0.1');
  const p = (broken.address() as AddressInfo).port;
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port: p, path: '/' }, (r) => {
      let body = '';
      r.on('data', (c: Buffer) => (body += c.toString()));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
  await new Promise<void>((resolve) => broken.close(() => resolve()));
  assert.equal(res.status, 500);
  assert.match(res.body, /No results store at \/nowhere\./);
});
