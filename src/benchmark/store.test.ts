import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { sampleRepeat } from './repeat-record.fixture.js';
import { packPart } from '../ml/fit-parts.js';
import { ResultsStore, canonicalProtocol } from './store.js';
import { summarize } from './summary.js';

const record = sampleRepeat;

describe('ResultsStore', () => {
  it('keeps repeats by configuration and never overwrites one', () => {
    const store = ResultsStore.open(':memory:');
    store.record(record(0, 0.5));
    store.record(record(1, 0.6));
    assert.throws(() => store.record(record(1, 0.9)), /UNIQUE/);
    assert.deepEqual(
      store.repeatsOf(record(0, 0)).map((r) => r.accuracy),
      [0.5, 0.6],
    );
    store.close();
  });

  it("keeps a repeat's fit parts per training data until the repeat is recorded", () => {
    const store = ResultsStore.open(':memory:');
    const r = record(0, 0.5);
    let computed = 0;
    const parts = store.fitParts(r, 0, () => {
      computed++;
      return 'data-1';
    });
    assert.equal(parts.load('pair 0-1'), null);
    parts.save('pair 0-1', { bytes: Uint8Array.of(1, 2, 3), seconds: 4.5 });
    parts.save('pair 0-1', { bytes: Uint8Array.of(9), seconds: 1 }); // replaced, not added
    parts.save('pair 0-2', { bytes: Uint8Array.of(7), seconds: 2 });
    assert.deepEqual(parts.load('pair 0-1'), { bytes: Uint8Array.of(9), seconds: 1 });
    assert.equal(computed, 1, 'the data id is computed once');
    assert.equal(store.fitPartCount(r, 0), 2);
    assert.equal(store.fitPartCount(r, 1), 0, 'per repeat');
    // Other training data under the same key sees none of them.
    assert.equal(store.fitParts(r, 0, () => 'data-2').load('pair 0-2'), null);
    store.record(r);
    assert.equal(store.fitPartCount(r, 0), 0, 'recording the repeat drops its parts');
    store.close();
  });

  it('keys repeats by seed and data, not by the repeat cap older fmnist put in the protocol', () => {
    assert.equal(
      canonicalProtocol('repeats<=5 seed=0 test=10000 train=60000'),
      'seed=0 test=10000 train=60000',
    );
    assert.equal(canonicalProtocol('seed=3 test=500 train=1000'), 'seed=3 test=500 train=1000');
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-store-'));
    try {
      // A store written by an older fmnist: one repeat under two caps, parts under one.
      const path = join(dir, 'old.sqlite');
      ResultsStore.open(path).close();
      const db = new Database(path);
      const insert = db.prepare(
        `INSERT INTO repeats (dataset, classifier, params, protocol, repeat, accuracy, fit_seconds,
           predict_seconds, started_at, finished_at, n_train, n_test, note, peak_rss_mb)
         VALUES (?, 'SVC', 'C=1', ?, ?, ?, 1, 1, 't0', 't1', 60000, 10000, NULL, NULL)`,
      );
      insert.run('fashion', 'repeats<=1 seed=0 test=10000 train=60000', 0, 0.8);
      insert.run('fashion', 'repeats<=5 seed=0 test=10000 train=60000', 0, 0.8);
      insert.run('fashion', 'repeats<=5 seed=0 test=10000 train=60000', 1, 0.81);
      insert.run('mnist', 'repeats<=1 seed=0 test=10000 train=60000', 0, 0.9);
      db.prepare(
        `INSERT INTO fit_parts VALUES ('mnist', 'SVC', 'C=1', 'repeats<=1 seed=0 test=10000 train=60000',
           1, 'pair 0-1', 'd', 5, x'00', 't')`,
      ).run();
      // A part of a repeat recorded under another form of the protocol: of no use any more.
      db.prepare(
        `INSERT INTO fit_parts VALUES ('fashion', 'SVC', 'C=1', 'repeats<=2 seed=0 test=10000 train=60000',
           0, 'pair 0-1', 'd', 5, x'00', 't')`,
      ).run();
      // A checkpoint saved under both forms: the later one (here the old form) is the one kept.
      const part = db.prepare(`INSERT INTO fit_parts VALUES ('mnist', 'SVC', 'C=1', ?, 1,
           'crammer-singer state', 'd', ?, ?, ?)`);
      part.run('seed=0 test=10000 train=60000', 60, Buffer.of(1), '2026-12-07T06:00:00Z');
      part.run(
        'repeats<=2 seed=0 test=10000 train=60000',
        120,
        Buffer.of(2),
        '2026-12-07T06:02:00Z',
      );
      db.close();

      const store = ResultsStore.open(path);
      const key = { dataset: 'fashion', classifier: 'SVC', params: 'C=1' };
      const protocol = 'seed=0 test=10000 train=60000';
      assert.deepEqual(
        store.allRepeats().map((r) => [r.dataset, r.protocol, r.repeat, r.accuracy]),
        [
          ['fashion', protocol, 0, 0.8],
          ['fashion', protocol, 1, 0.81],
          ['mnist', protocol, 0, 0.9],
        ],
      );
      // Any cap finds them: a --repeats 5 run continues a --repeats 1 run.
      assert.equal(store.repeatsOf({ ...key, protocol: `repeats<=2 ${protocol}` }).length, 2);
      assert.equal(store.fitPartCount({ ...key, protocol }, 0), 0, 'repeat 0 is recorded');
      const mnist = { ...key, dataset: 'mnist', protocol };
      assert.equal(store.fitPartCount(mnist, 1), 2);
      assert.deepEqual(store.fitParts(mnist, 1, () => 'd').load('crammer-singer state'), {
        seconds: 120,
        bytes: Uint8Array.of(2),
      });
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sets aside SVC repeats cut by upstream libsvm's iteration cap, keeping the others", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-store-'));
    const path = join(dir, 'results.sqlite');
    try {
      const svc = (params: string, note: string) =>
        sampleRepeat(0, 0.8, 'fashion', { classifier: 'SVC', params, note });
      const capped = svc(
        'C=100 kernel=linear',
        "25515 support vectors; solver terminated early (libsvm's cap of max(10⁷, 100·l) iterations) on 13 of 45 class pairs",
      );
      const oldCapped = svc(
        'C=1 kernel=linear',
        '17838 support vectors; solver terminated early (max_iter=-1)',
      );
      const converged = svc('C=1 kernel=rbf', '21586 support vectors, cache 2000 MB per worker');
      const setByUser = svc(
        'C=10 kernel=rbf',
        'solver terminated early (max_iter=5) on 1 of 45 class pairs',
      );
      let store = ResultsStore.open(path);
      for (const r of [capped, oldCapped, converged, setByUser]) store.record(r);
      store.close();

      store = ResultsStore.open(path);
      const kept = store
        .allRepeats()
        .map((r) => r.params)
        .sort();
      store.close();
      assert.deepEqual(kept, ['C=1 kernel=rbf', 'C=10 kernel=rbf']);
      const db = new Database(path, { readonly: true });
      const aside = db
        .prepare('SELECT params, accuracy, note, reason FROM superseded_repeats ORDER BY params')
        .all() as {
        params: string;
        accuracy: number;
        note: string;
        reason: string;
      }[];
      db.close();
      assert.deepEqual(
        aside.map((r) => [r.params, r.accuracy, r.note]),
        [
          ['C=1 kernel=linear', 0.8, oldCapped.note],
          ['C=100 kernel=linear', 0.8, capped.note],
        ],
      );
      assert.match(aside[0].reason, /scikit-learn has no such cap/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the repeats whose fit keeps parts, with how far each got', () => {
    const store = ResultsStore.open(':memory:');
    assert.deepEqual(store.unfinishedRepeats(), []);
    const a = record(0, 0.5);
    const b = { ...record(0, 0.5), params: 'C=10' };
    const partsA1 = store.fitParts(a, 1, () => 'd');
    partsA1.save('class 0', { bytes: Uint8Array.of(1), seconds: 100 });
    partsA1.save('class 1 state', { bytes: Uint8Array.of(1), seconds: 130 });
    store
      .fitParts(b, 0, () => 'd')
      .save('crammer-singer state', { bytes: Uint8Array.of(1), seconds: 7 });
    const unfinished = store.unfinishedRepeats();
    assert.deepEqual(
      unfinished.map((u) => [u.params, u.repeat, u.parts.slice().sort(), u.seconds]),
      [
        ['C=10', 0, ['crammer-singer state'], 7],
        [a.params, 1, ['class 0', 'class 1 state'], 130],
      ],
    );
    assert.match(unfinished[0].savedAt, /^\d{4}-\d\d-\d\dT/);
    // Checkpoints: the iteration from a state's header (null when it has none).
    assert.deepEqual(unfinished[1].checkpoints, [{ part: 'class 1 state', iteration: null }]);
    partsA1.save('class 2 state', { bytes: packPart({ iter: 1234567 }, []), seconds: 140 });
    assert.deepEqual(store.unfinishedRepeats()[1].checkpoints, [
      { part: 'class 1 state', iteration: null },
      { part: 'class 2 state', iteration: 1234567 },
    ]);
    // A finished subproblem's part supersedes its state.
    partsA1.save('class 1', { bytes: Uint8Array.of(1), seconds: 150 });
    assert.deepEqual(store.unfinishedRepeats()[1].checkpoints, [
      { part: 'class 2 state', iteration: 1234567 },
    ]);
    store.record(b);
    assert.deepEqual(
      store.unfinishedRepeats().map((u) => u.params),
      [a.params],
      'a recorded repeat is finished',
    );
    store.close();
  });

  it('summarises like the paper: mean, 2×population std, seconds per repeat, paper value', () => {
    const store = ResultsStore.open(':memory:');
    store.record(record(0, 0.5));
    store.record(record(1, 0.6));
    store.record(record(0, 0.52, 'mnist'));
    const [fashion, mnist] = summarize(store);
    assert.equal(fashion.dataset, 'fashion');
    assert.ok(Math.abs(fashion.mean - 0.55) < 1e-12);
    assert.ok(Math.abs(fashion.std2 - 0.1) < 1e-12);
    assert.equal(fashion.repeats, 2);
    assert.equal(fashion.secondsPerRepeat, 1.5);
    assert.equal(fashion.paper, 0.511);
    assert.equal(mnist.paper, 0.524);
    assert.equal(fashion.startedAt, '2026-01-01T00:00:00Z');
    assert.equal(fashion.finishedAt, '2026-01-01T00:00:02Z');
    store.close();
  });

  it('adds the peak-memory column to a store written before it existed, keeping its repeats', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-store-'));
    try {
      const path = join(dir, 'old.sqlite');
      // The version-1 layout as the first releases wrote it, with one repeat.
      const db = new Database(path);
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE repeats (dataset TEXT NOT NULL, classifier TEXT NOT NULL, params TEXT NOT NULL,
          protocol TEXT NOT NULL, repeat INTEGER NOT NULL, accuracy REAL NOT NULL,
          fit_seconds REAL NOT NULL, predict_seconds REAL NOT NULL, started_at TEXT NOT NULL,
          finished_at TEXT NOT NULL, n_train INTEGER NOT NULL, n_test INTEGER NOT NULL, note TEXT,
          PRIMARY KEY (dataset, classifier, params, protocol, repeat));`);
      const old = record(0, 0.5);
      db.prepare(
        `INSERT INTO repeats VALUES (@dataset, @classifier, @params, @protocol, @repeat, @accuracy,
           @fitSeconds, @predictSeconds, @startedAt, @finishedAt, @nTrain, @nTest, @note)`,
      ).run({ ...old, peakRssMB: undefined });
      db.close();

      const store = ResultsStore.open(path);
      store.record(record(1, 0.6, 'fashion', { peakRssMB: 1234.5 }));
      assert.deepEqual(
        store.allRepeats().map((r) => [r.accuracy, r.peakRssMB]),
        [
          [0.5, null],
          [0.6, 1234.5],
        ],
      );
      assert.equal(summarize(store)[0].peakRssMB, 1234.5, 'the highest measured peak');
      store.close();
      // Opening it again finds the column and leaves it alone.
      ResultsStore.open(path).close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes two benchmark processes writing different rows at once (SQLite WAL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-store-two-'));
    const path = join(dir, 'runs.sqlite');
    const perProcess = 200;
    // Each child opens the store, says ready, waits for "go", then records its repeats one
    // autocommitted insert at a time, as the benchmark does.
    const script = `
      import { ResultsStore } from ${JSON.stringify(new URL('./store.js', import.meta.url).href)};
      const [params, n] = process.argv.slice(1);
      const store = ResultsStore.open(${JSON.stringify(path)});
      process.stdout.write('ready\\n');
      process.stdin.once('data', () => {
        for (let r = 0; r < Number(n); r++)
          store.record({ dataset: 'fashion', classifier: 'GaussianNB', params, protocol: 'p',
            repeat: r, accuracy: 0.5, fitSeconds: 1, predictSeconds: 1, startedAt: 'a',
            finishedAt: 'b', nTrain: 1, nTest: 1, note: null, peakRssMB: null });
        store.close();
        process.exit(0);
      });`;
    try {
      ResultsStore.open(path).close(); // the schema exists before either child starts
      const children = ['var_smoothing=1e-09', 'var_smoothing=1e-08'].map((params) =>
        spawn(
          process.execPath,
          ['--input-type=module', '-e', script, '--', params, String(perProcess)],
          {
            stdio: ['pipe', 'pipe', 'inherit'],
          },
        ),
      );
      await Promise.all(children.map((c) => once(c.stdout!, 'data')));
      const exits = children.map((c) => once(c, 'exit'));
      for (const c of children) c.stdin!.write('go\n');
      assert.deepEqual(
        (await Promise.all(exits)).map(([code]) => code),
        [0, 0],
      );
      const store = ResultsStore.open(path);
      const byParams = new Map<string, number>();
      for (const r of store.allRepeats()) byParams.set(r.params, (byParams.get(r.params) ?? 0) + 1);
      store.close();
      assert.deepEqual(Object.fromEntries(byParams), {
        'var_smoothing=1e-08': perProcess,
        'var_smoothing=1e-09': perProcess,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
