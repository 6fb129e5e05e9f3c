import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../../benchmark/queue/redis-server.fixture.js';

const CLI = fileURLToPath(new URL('../main.js', import.meta.url));
const run = promisify(execFile);

async function fmnist(...args: string[]): Promise<{ stderr: string; code: number }> {
  try {
    const { stderr } = await run(process.execPath, [CLI, ...args]);
    return { stderr, code: 0 };
  } catch (err) {
    const e = err as { stderr: string; code: number };
    return { stderr: e.stderr, code: e.code };
  }
}

describe('fmnist worker and benchmark --queue: bad options', () => {
  it('needs --queue', async () => {
    const r = await fmnist('worker');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /required option '--queue <redis-url>' not specified/);
  });

  it('names a bad --concurrency or --lock-seconds before connecting', async () => {
    const c = await fmnist('worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '0');
    assert.equal(c.code, 1);
    assert.match(c.stderr, /--concurrency must be an integer ≥ 1\. Got '0'/);
    const l = await fmnist('worker', '--queue', 'redis://127.0.0.1:1', '--lock-seconds', 'soon');
    assert.equal(l.code, 1);
    assert.match(l.stderr, /--lock-seconds must be an integer ≥ 1\. Got 'soon'/);
  });

  it('says which Redis it could not reach, for the worker and the coordinator', async () => {
    const port = await freePort();
    const w = await fmnist('worker', '--queue', `redis://127.0.0.1:${port}`);
    assert.equal(w.code, 1);
    assert.match(
      w.stderr,
      new RegExp(
        `Cannot reach Redis at redis://127\\.0\\.0\\.1:${port}/? \\(--queue\\): connect ECONNREFUSED`,
      ),
    );
    const b = await fmnist(
      'benchmark',
      '--queue',
      `redis://127.0.0.1:${port}`,
      '--only',
      'GaussianNB',
    );
    assert.equal(b.code, 1);
    assert.match(b.stderr, /Cannot reach Redis at/);
  });

  it('refuses --queue with --custom or --data-dir', async () => {
    const r = await fmnist('benchmark', '--queue', 'redis://127.0.0.1:6379', '--data-dir', '/tmp');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /does not take --data-dir/);
  });
});
