import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CLI = fileURLToPath(new URL('../main.js', import.meta.url));
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fmnist-cli-bench-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function fmnist(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, FMNIST_HOME: dir },
      maxBuffer: 1 << 24,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('fmnist benchmark', () => {
  it('runs GaussianNB on MNIST and prints the paper beside ours, then resumes from the store', async () => {
    const store = join(dir, 'r.sqlite');
    const first = await fmnist(
      'benchmark',
      '--only',
      'GaussianNB',
      '--dataset',
      'mnist',
      '--store',
      store,
      '--json',
    );
    assert.equal(first.code, 0, first.stderr);
    const [line] = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(line.dataset, 'mnist');
    assert.equal(line.classifier, 'GaussianNB');
    assert.equal(line.paper, 0.524);
    assert.equal(line.status, 'done');
    assert.equal(line.repeats, line.scores.length);
    assert.ok(Math.abs(line.mean - 0.524) < 0.002, `mean ${line.mean}`);
    assert.equal(line.resumedRepeats, 0);

    const table = await fmnist(
      'benchmark',
      '--only',
      'GaussianNB',
      '--dataset',
      'mnist',
      '--store',
      store,
    );
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /MNIST paper\s+MNIST ours/);
    assert.match(table.stdout, /GaussianNB\s+priors=\[0\.1, .*\]\s+0\.524\s+0\.524 ± 0\.000 \(2\)/);
    assert.match(table.stderr, /already in the store, not rerun/);
  });

  it('rejects bad options with a message naming them', async () => {
    const badDataset = await fmnist('benchmark', '--dataset', 'cifar10');
    assert.equal(badDataset.code, 1);
    assert.match(
      badDataset.stderr,
      /--dataset: unknown dataset 'cifar10'\. Expected one of: fashion, mnist/,
    );
    const badFilter = await fmnist('benchmark', '--only', 'SVC kernel=cubic');
    assert.match(badFilter.stderr, /--only "SVC kernel=cubic" matches no row/);
    // Every --only counts, not only the last one.
    const repeated = await fmnist(
      'benchmark',
      '--only',
      'SVC kernel=cubic',
      '--only',
      'GaussianNB',
    );
    assert.equal(repeated.code, 1);
    assert.match(repeated.stderr, /--only "SVC kernel=cubic" matches no row/);
    const badRepeats = await fmnist('benchmark', '--repeats', '0', '--only', 'GaussianNB');
    assert.match(badRepeats.stderr, /--repeats must be an integer ≥ 1\. Got '0'/);
  });
});
