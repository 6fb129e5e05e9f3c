import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isComplete, PAPER_PROTOCOL, repeatSeed } from './protocol.js';
import { ResultsStore } from './store.js';

const FIXTURE = fileURLToPath(new URL('./resume.fixture.js', import.meta.url));
const KEY = {
  dataset: 'toy',
  classifier: 'SlowCentroids',
  params: 'subset=0.5',
  protocol: 'repeats<=5 seed=0 test=400 train=60',
};

type FixtureEvent = { type: string; repeat?: number; resumed?: number };

/** Runs the fixture; with killAfterFirstRepeat, SIGKILLs it as soon as one repeat is stored. */
function runFixture(
  store: string,
  killAfterFirstRepeat: boolean,
): Promise<{ events: FixtureEvent[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, store], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const events: FixtureEvent[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const e = JSON.parse(line) as FixtureEvent;
      events.push(e);
      if (killAfterFirstRepeat && e.type === 'repeat-done') child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ events, signal }));
  });
}

describe('protocol', () => {
  it('stops after two repeats that agree within the tolerance, else at the maximum', () => {
    assert.equal(isComplete([0.8], PAPER_PROTOCOL), false);
    assert.equal(isComplete([0.8, 0.8005], PAPER_PROTOCOL), true);
    assert.equal(isComplete([0.8, 0.802], PAPER_PROTOCOL), false);
    assert.equal(isComplete([0.8, 0.802, 0.81, 0.79], PAPER_PROTOCOL), false);
    assert.equal(isComplete([0.8, 0.802, 0.81, 0.79, 0.8], PAPER_PROTOCOL), true);
    assert.equal(isComplete([0.8], { ...PAPER_PROTOCOL, maxRepeats: 1 }), true);
  });

  it('derives a different, reproducible seed per repeat', () => {
    const seeds = [0, 1, 2, 3, 4].map((r) => repeatSeed(0, r));
    assert.equal(new Set(seeds).size, 5);
    assert.deepEqual(
      seeds,
      [0, 1, 2, 3, 4].map((r) => repeatSeed(0, r)),
    );
  });

  it('resumes a run killed with SIGKILL without redoing a finished repeat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-resume-'));
    try {
      const killedStore = join(dir, 'killed.sqlite');
      const first = await runFixture(killedStore, true);
      assert.equal(first.signal, 'SIGKILL', 'the fixture should have been killed mid-run');
      const s1 = ResultsStore.open(killedStore);
      const before = s1.repeatsOf(KEY);
      s1.close();
      assert.ok(
        before.length >= 1 && before.length < 5,
        `${before.length} repeats survived the kill`,
      );

      const second = await runFixture(killedStore, false);
      assert.equal(second.signal, null);
      assert.equal(second.events.find((e) => e.type === 'config-start')?.resumed, before.length);
      const rerun = second.events
        .filter((e) => e.type === 'repeat-start')
        .map((e) => e.repeat as number);
      assert.ok(
        rerun.every((r) => r >= before.length),
        `repeats ${rerun} were run again`,
      );

      const s2 = ResultsStore.open(killedStore);
      const after = s2.repeatsOf(KEY);
      s2.close();
      assert.equal(after.length, 5);
      assert.deepEqual(after.slice(0, before.length), before, 'finished repeats must be untouched');

      // An uninterrupted run gives the same scores: the resumed run is the same run.
      const cleanStore = join(dir, 'clean.sqlite');
      await runFixture(cleanStore, false);
      const s3 = ResultsStore.open(cleanStore);
      const clean = s3.repeatsOf(KEY);
      s3.close();
      assert.deepEqual(
        after.map((r) => r.accuracy),
        clean.map((r) => r.accuracy),
      );
      assert.ok(new Set(clean.map((r) => r.accuracy)).size > 1, 'the toy should vary by seed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
