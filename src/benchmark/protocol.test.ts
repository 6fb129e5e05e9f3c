import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedArena } from '../kernels/arena.js';
import type { Classifier } from '../ml/estimator.js';
import { packPart, type FitParts, type ResumableFit, type ResumedParts } from '../ml/fit-parts.js';
import { matrix, type Labels, type Matrix } from '../ml/matrix.js';
import {
  configKey,
  isComplete,
  PAPER_PROTOCOL,
  protocolText,
  repeatSeed,
  runConfig,
  type PreparedData,
  type ProtocolEvent,
  repeatsToRunNext,
} from './protocol.js';
import { ResultsStore } from './store.js';

const FIXTURE = fileURLToPath(new URL('./resume.fixture.js', import.meta.url));
const KEY = {
  dataset: 'toy',
  classifier: 'SlowCentroids',
  params: 'subset=0.5',
  protocol: 'seed=0 test=400 train=60',
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

/** Training rows whose first feature is their index, so a shuffled copy can be traced. */
function indexedData(rows: number, cols: number): PreparedData {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = i + j / 100;
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
  return {
    name: 'toy',
    train: matrix(data, rows, cols),
    trainLabels: labels,
    test: matrix(data.slice(), rows, cols),
    testLabels: labels,
  };
}

/** Records what each fit saw; optionally holds `holdMB` of touched memory during the fit. */
function spyClassifier(seen: { X: Matrix; y: Labels }[], holdMB = 0): Classifier {
  return {
    estimatorName: 'Spy',
    params: {},
    async fit(X: Matrix, y: Labels) {
      seen.push({ X, y: y.slice() });
      if (holdMB > 0) new Uint8Array(holdMB * 2 ** 20).fill(1);
      return this;
    },
    async predict(X: Matrix) {
      return new Int32Array(X.rows);
    },
    async score() {
      return seen.length / 10; // a different score per repeat, so all five run
    },
  };
}

describe('protocol', () => {
  it('shuffles every repeat into one reused arena block, freed when the configuration ends', async () => {
    const data = indexedData(50, 3);
    const store = ResultsStore.open(':memory:');
    const arena = sharedArena();
    const liveBefore = arena.liveBytes();
    const seen: { X: Matrix; y: Labels }[] = [];
    const outcome = await runConfig(
      { classifier: 'Spy', params: {}, create: () => spyClassifier(seen) },
      data,
      store,
    );
    assert.equal(outcome.repeats.length, 5);
    assert.equal(arena.liveBytes(), liveBefore, 'the shuffle block went back to the arena');
    // One block: every repeat's X is the same memory, and it lives in the arena.
    assert.ok(
      seen.every((s) => arena.owns(s.X.data) && s.X.data.byteOffset === seen[0].X.data.byteOffset),
    );
    // Each fit saw a permutation of the training rows with their own labels, in a new order.
    for (const { y } of seen) assert.equal(y.length, 50);
    const order = (X: Matrix): number[] =>
      Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols]);
    // X was overwritten by later repeats, so only the last fit's order can still be read.
    const last = order(seen[4].X);
    assert.deepEqual(
      [...last].sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.deepEqual(
      Array.from(seen[4].y),
      last.map((i) => i % 2),
    );
    assert.notDeepEqual(
      last,
      Array.from({ length: 50 }, (_, i) => i),
      'the rows were shuffled',
    );
    store.close();
  });

  it(
    "records each repeat's peak RSS, which covers what the fit held",
    { skip: process.platform !== 'linux' },
    async () => {
      const store = ResultsStore.open(':memory:');
      const outcome = await runConfig(
        { classifier: 'Spy', params: {}, create: () => spyClassifier([], 256) },
        indexedData(20, 2),
        store,
        { ...PAPER_PROTOCOL, maxRepeats: 2 },
      );
      for (const r of outcome.repeats) {
        assert.ok(r.peakRssMB !== null && r.peakRssMB >= 256, `peak ${r.peakRssMB} MB`);
      }
      assert.deepEqual(
        store.repeatsOf(outcome.key).map((r) => r.peakRssMB),
        outcome.repeats.map((r) => r.peakRssMB),
        'stored with the repeat',
      );
      store.close();
    },
  );

  it('continues a run made with a lower repeat cap instead of redoing its repeats', async () => {
    const data = indexedData(30, 2);
    const store = ResultsStore.open(':memory:');
    const seen: { X: Matrix; y: Labels }[] = [];
    const spec = { classifier: 'Spy', params: {}, create: () => spyClassifier(seen) };
    await runConfig(spec, data, store, { ...PAPER_PROTOCOL, maxRepeats: 1 });
    assert.equal(seen.length, 1);
    const more = await runConfig(spec, data, store, { ...PAPER_PROTOCOL, maxRepeats: 3 });
    assert.equal(more.resumed, 1, 'repeat 0 came from the store');
    assert.equal(seen.length, 3, 'only repeats 1 and 2 were fitted');
    assert.deepEqual(
      more.repeats.map((r) => r.repeat),
      [0, 1, 2],
    );
    store.close();
  });

  it('books a fit that an estimator deferred into predict as fit time', async () => {
    const busy = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const deferredFit: Classifier & { benchmarkDeferredFitSeconds: number } = {
      estimatorName: 'Deferred',
      params: {},
      benchmarkDeferredFitSeconds: 0,
      async fit() {
        return this;
      },
      async predict(X: Matrix) {
        return new Int32Array(X.rows);
      },
      async score() {
        busy(120); // the shared fit
        this.benchmarkDeferredFitSeconds = 0.12;
        busy(30); // the prediction
        return 0.5;
      },
    };
    const store = ResultsStore.open(':memory:');
    const outcome = await runConfig(
      { classifier: 'Deferred', params: {}, create: () => deferredFit },
      indexedData(20, 2),
      store,
      { ...PAPER_PROTOCOL, maxRepeats: 1 },
    );
    const [r] = outcome.repeats;
    assert.ok(r.fitSeconds >= 0.12 && r.fitSeconds < 0.14, `fit ${r.fitSeconds} s`);
    // What is left of the score call is prediction (at least the 30 ms it busied).
    assert.ok(r.predictSeconds >= 0.03, `predict ${r.predictSeconds} s`);
    store.close();
  });

  it('resumes a fit from the parts an interrupted run kept, counts their time, then drops them', async () => {
    /** Two parts, "a" and "b"; the first run crashes after finishing "a". */
    const partsClassifier = (crash: boolean): Classifier & ResumableFit => {
      let parts: FitParts | null = null;
      const c = {
        estimatorName: 'TwoParts',
        params: {},
        resumedParts: null as ResumedParts | null,
        useFitParts(p: FitParts | null) {
          parts = p;
        },
        async fit() {
          const tally = { restored: 0, total: 2, continued: 0, seconds: 0 };
          for (const name of ['a', 'b']) {
            const got = parts?.load(name) ?? null;
            if (got !== null) {
              tally.restored++;
              tally.seconds += got.seconds;
              continue;
            }
            parts?.save(name, { bytes: packPart({ name }, []), seconds: 5 });
            if (crash) throw new Error('killed');
          }
          c.resumedParts = tally;
          return c;
        },
        async predict(X: Matrix) {
          return new Int32Array(X.rows);
        },
        async score() {
          return 0.5;
        },
      };
      return c;
    };
    const store = ResultsStore.open(':memory:');
    const data = indexedData(20, 2);
    const spec = (crash: boolean) => ({
      classifier: 'TwoParts',
      params: {},
      create: () => partsClassifier(crash),
    });
    const protocol = { ...PAPER_PROTOCOL, maxRepeats: 1 };
    const events: ProtocolEvent[] = [];
    await assert.rejects(
      runConfig(spec(true), data, store, protocol, (e) => events.push(e)),
      /killed/,
    );
    const key = configKey(spec(false), 'toy', protocolText(protocol, data));
    assert.equal(store.fitPartCount(key, 0), 1, 'the part finished before the crash is kept');
    assert.deepEqual(
      events.filter((e) => e.type === 'fit-part-kept'),
      [{ type: 'fit-part-kept', key, repeat: 0, part: 'a', kept: 1 }],
      'and announced',
    );
    const [r] = (await runConfig(spec(false), data, store, protocol)).repeats;
    assert.ok(r.fitSeconds >= 5 && r.fitSeconds < 6, `the kept part's 5 s count: ${r.fitSeconds}`);
    assert.equal(store.fitPartCount(key, 0), 0, 'and is dropped once the repeat is recorded');
    store.close();
  });

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

describe('repeatsToRunNext', () => {
  const five = { ...PAPER_PROTOCOL, maxRepeats: 5 };
  it('starts the first two repeats together, the rest only after them', () => {
    assert.deepEqual(repeatsToRunNext([], five), [0, 1]);
    assert.deepEqual(repeatsToRunNext([0.8], five), [1]);
    assert.deepEqual(repeatsToRunNext([0.8, 0.81], five), [2, 3, 4]);
    assert.deepEqual(repeatsToRunNext([0.8, 0.81, 0.8], five), [3, 4]);
  });

  it('runs nothing once the protocol is complete', () => {
    assert.deepEqual(repeatsToRunNext([0.8, 0.8005], five), []);
    assert.deepEqual(repeatsToRunNext([0.8, 0.81, 0.8, 0.79, 0.8], five), []);
  });

  it('respects a cap below two', () => {
    assert.deepEqual(repeatsToRunNext([], { ...five, maxRepeats: 1 }), [0]);
    assert.deepEqual(repeatsToRunNext([0.8], { ...five, maxRepeats: 1 }), []);
  });
});
