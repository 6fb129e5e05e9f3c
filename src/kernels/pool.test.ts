import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedArena } from './arena.js';
import { KernelPool, threadCount } from './pool.js';
import { dotRef } from './reference.js';

describe('KernelPool', () => {
  it('runs kernels in workers over the shared memory', async () => {
    const pool = new KernelPool(2);
    const arena = sharedArena();
    const x = arena.allocF32(10);
    const y = arena.allocF32(10);
    x.fill(1);
    y.fill(2);
    // y += 3x, in a worker: the main thread sees the result without any copy.
    await pool.runAll([{ fn: 'axpy', batches: [[3, x.byteOffset, y.byteOffset, 10]] }]);
    assert.deepEqual([...y], Array(10).fill(5));
    assert.equal(dotRef(x, y), 50);
    await assert.rejects(pool.run({ fn: 'nope' as 'dot', batches: [[]] }), /unknown kernel 'nope'/);
    await pool.close();
    await assert.rejects(pool.run({ fn: 'dot', batches: [[0, 0, 0]] }), /closed/);
    arena.releaseView(x);
    arena.releaseView(y);
  });

  it('does not keep a process alive once its work is done', () => {
    const pool = fileURLToPath(new URL('./pool.js', import.meta.url));
    const gemm = fileURLToPath(new URL('./gemm.js', import.meta.url));
    // The child never closes the pool: it must still exit on its own, with its result.
    const script = `
      const { parallelGemm } = await import(${JSON.stringify(gemm)});
      await import(${JSON.stringify(pool)});
      const c = await parallelGemm(new Float32Array(300).fill(1), 100, new Float32Array(6).fill(2), 2, 3);
      console.log(c.length, c[0]);
    `;
    const t = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-pool-'));
    const file = join(dir, 'child.mjs');
    writeFileSync(file, script);
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), '200 6');
    assert.ok(Date.now() - t < 20_000);
  });

  it('reads FMNIST_THREADS', () => {
    const saved = process.env.FMNIST_THREADS;
    try {
      process.env.FMNIST_THREADS = '3';
      assert.equal(threadCount(), 3);
      process.env.FMNIST_THREADS = 'zero';
      assert.throws(() => threadCount(), /FMNIST_THREADS must be an integer >= 1. Got 'zero'/);
      delete process.env.FMNIST_THREADS;
      assert.ok(threadCount() >= 1 && threadCount() <= 2);
    } finally {
      if (saved === undefined) delete process.env.FMNIST_THREADS;
      else process.env.FMNIST_THREADS = saved;
    }
  });
});
