import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packPart, unpackPart, type FitParts, type StoredPart } from './fit-parts.js';
import { LinearSVC } from './linear/linear-svc.js';
import { LogisticRegression } from './linear/logistic-regression.js';
import { matrix, type Matrix } from './matrix.js';
import { Rng } from './random.js';
import { SVC } from './svm/svc.js';

/** FitParts in a Map, counting what was saved. */
function memoryParts(
  checkpointSeconds?: number,
): FitParts & { map: Map<string, StoredPart>; saves: number } {
  const map = new Map<string, StoredPart>();
  const parts = {
    map,
    saves: 0,
    checkpointSeconds,
    load: (name: string) => map.get(name) ?? null,
    save: (name: string, part: StoredPart) => {
      parts.saves++;
      map.set(name, part);
    },
  };
  return parts;
}

const rng = new Rng(4);
const n = 240;
const d = 10;
const data = new Float32Array(n * d);
const y = new Int32Array(n);
for (let i = 0; i < n; i++) {
  y[i] = i % 4;
  for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal() + (j === y[i] ? 1.5 : 0);
}
const X = matrix(data, n, d);

/** 2,100 rows of 3 classes in 6 features (enough for SVC's worker threads), class k shifted by `shift` in feature k. */
function threeClasses(seed: number, shift: number): { X: Matrix; y: Int32Array } {
  const rows = 2100;
  const r = new Rng(seed);
  const x = new Float32Array(rows * 6);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < 6; j++) x[i * 6 + j] = r.nextNormal() + (j === labels[i] ? shift : 0);
  }
  return { X: matrix(x, rows, 6), y: labels };
}

describe('fit parts', () => {
  it('packPart / unpackPart round-trip a header and float64 arrays; other bytes give null', () => {
    const a = Float64Array.of(1.5, -2, Number.MIN_VALUE, 1e300);
    const bytes = packPart({ rows: 4, name: 'x' }, [a, new Float64Array(0), Float64Array.of(7)]);
    const u = unpackPart(bytes.slice()); // at another offset, too
    assert.ok(u !== null);
    assert.equal(u.header.rows, 4);
    assert.equal(u.header.name, 'x');
    assert.deepEqual(
      u.arrays.map((x) => Array.from(x)),
      [Array.from(a), [], [7]],
    );
    assert.equal(unpackPart(bytes.subarray(0, bytes.length - 8)), null, 'truncated');
    assert.equal(unpackPart(new Uint8Array(16)), null, 'no magic');
    assert.equal(unpackPart(new Uint8Array(3)), null, 'too short');
  });

  it('SVC keeps every class pair and, fitted again, restores them all: the same model', async () => {
    const parts = memoryParts();
    const first = new SVC({ C: 3, kernel: 'rbf' });
    first.useFitParts(parts);
    await first.fit(X, y);
    assert.equal(parts.saves, 6, 'one part per pair of 4 classes');
    assert.deepEqual(first.resumedParts, { restored: 0, total: 6, continued: 0, seconds: 0 });

    // As after a crash two pairs short of the end: those two are solved, the rest restored.
    parts.map.delete('pair 0-3');
    parts.map.delete('pair 2-3');
    const again = new SVC({ C: 3, kernel: 'rbf' });
    again.useFitParts(parts);
    await again.fit(X, y);
    assert.equal(again.resumedParts?.restored, 4);
    // The interrupted run's time: when its last kept pair was finished (wall clock).
    const latest = Math.max(...[...parts.map.values()].map((p) => p.seconds));
    assert.ok((again.resumedParts?.seconds ?? 0) > 0);
    assert.ok((again.resumedParts?.seconds ?? 0) <= latest);
    assert.match(again.benchmarkNote ?? '', /4 of 6 class pairs restored from an interrupted fit/);
    assert.deepEqual(again.support, first.support);
    assert.deepEqual(again.intercept, first.intercept);
    assert.deepEqual(await again.predict(X), await first.predict(X));
  });

  it('SVC on worker threads (2,000+ rows) keeps and restores pairs the same way', async () => {
    const { X: BX, y: by } = threeClasses(8, 1);
    const parts = memoryParts();
    const first = new SVC({ C: 1, kernel: 'rbf', n_jobs: 2 });
    first.useFitParts(parts);
    await first.fit(BX, by);
    assert.equal(parts.saves, 3);
    parts.map.delete('pair 1-2');
    const again = new SVC({ C: 1, kernel: 'rbf', n_jobs: 2 });
    again.useFitParts(parts);
    await again.fit(BX, by);
    assert.equal(again.resumedParts?.restored, 2);
    assert.deepEqual(again.support, first.support);
    assert.deepEqual(again.intercept, first.intercept);
  });

  it('SVC reports a pair that took more than 2³¹ iterations exactly (a restored hard pair)', async () => {
    const { X: BX, y: by } = threeClasses(8, 1);
    const parts = memoryParts();
    const first = new SVC({ C: 1, kernel: 'rbf' });
    first.useFitParts(parts);
    await first.fit(BX, by);
    // As if pair 0-2 had needed 3·10⁹ iterations (Fashion-MNIST's pair 0-6 passes 2.3·10⁹).
    const stored = parts.map.get('pair 0-2') as StoredPart;
    const u = unpackPart(stored.bytes);
    assert.ok(u !== null);
    parts.map.set('pair 0-2', {
      ...stored,
      bytes: packPart({ ...u.header, iterations: 3_000_000_000 }, u.arrays),
    });
    const again = new SVC({ C: 1, kernel: 'rbf' });
    again.useFitParts(parts);
    await again.fit(BX, by);
    assert.equal(again.resumedParts?.restored, 3);
    assert.deepEqual(Array.from(again.nIter ?? []), [
      first.nIter?.[0],
      3_000_000_000,
      first.nIter?.[2],
    ]);
  });

  it('SVC on worker threads continues an unfinished pair from its solver checkpoint: the same model', async () => {
    const { X: BX, y: by } = threeClasses(9, 0.5);
    // A checkpoint every 1,024 iterations, as if every few minutes had passed.
    const parts = memoryParts(0);
    const first = new SVC({ C: 100, kernel: 'linear', n_jobs: 2 });
    first.useFitParts(parts);
    await first.fit(BX, by);
    const state = parts.map.get('pair 1-2 state');
    assert.ok(state !== undefined, `pair 1-2 took ${first.nIter?.[2]} iterations`);
    // As after a kill while pair 1-2 ran: its last checkpoint is there, its result is not.
    parts.map.delete('pair 1-2');
    const again = new SVC({ C: 100, kernel: 'linear', n_jobs: 2 });
    again.useFitParts(parts);
    await again.fit(BX, by);
    assert.equal(again.resumedParts?.restored, 2);
    assert.equal(again.resumedParts?.continued, 1);
    assert.match(
      again.benchmarkNote ?? '',
      /2 of 3 class pairs restored and 1 continued from a solver checkpoint/,
    );
    assert.deepEqual(again.nIter, first.nIter);
    assert.deepEqual(again.support, first.support);
    assert.deepEqual(again.intercept, first.intercept);
  });

  it('a stored pair of the wrong size is solved again, not used', async () => {
    const parts = memoryParts();
    parts.map.set('pair 0-1', { bytes: packPart({ rows: 3 }, [new Float64Array(3)]), seconds: 9 });
    const svc = new SVC({ C: 1, kernel: 'linear' });
    svc.useFitParts(parts);
    await svc.fit(X, y);
    assert.equal(svc.resumedParts?.restored, 0);
    const plain = await new SVC({ C: 1, kernel: 'linear' }).fit(X, y);
    assert.deepEqual(svc.intercept, plain.intercept);
  });

  it('LinearSVC crammer_singer continues from a checkpoint of its solver: the same passes and weights', async () => {
    const make = (): LinearSVC =>
      new LinearSVC({ multi_class: 'crammer_singer', C: 5, tol: 1e-6, random_state: 7 });
    const plain = make();
    await plain.fit(X, y);
    assert.ok(plain.nIter > 6, `needs a few passes to interrupt (${plain.nIter})`);
    assert.equal(plain.resumedParts, null);

    // A checkpoint after every pass; the run dies while saving the fourth.
    const parts = memoryParts(0);
    const crashing = make();
    crashing.useFitParts({
      ...parts,
      load: parts.load,
      save: (name, part) => {
        if (parts.saves === 3) throw new Error('killed');
        parts.save(name, part);
      },
    });
    await assert.rejects(crashing.fit(X, y), /killed/);
    assert.equal(parts.map.size, 1, 'one state, replaced after each pass');

    const again = make();
    again.useFitParts(parts);
    await again.fit(X, y);
    assert.deepEqual(again.resumedParts?.restored, 1);
    assert.ok((again.resumedParts?.seconds ?? 0) > 0);
    assert.match(
      again.benchmarkNote ?? '',
      /^Crammer–Singer solver: \d+ passes, converged; resumed at pass 3 of an interrupted fit \(its [\d.]+ s counted in the fit time\)$/,
    );
    assert.equal(again.nIter, plain.nIter);
    assert.deepEqual(again.coef, plain.coef);
    assert.deepEqual(again.intercept, plain.intercept);

    // A state of another problem (here: 3 classes, not 4) is not used.
    const other = make();
    other.useFitParts(parts);
    const three = y.map((v) => v % 3);
    await other.fit(X, three);
    assert.equal(other.resumedParts, null);
    assert.deepEqual(other.coef, (await make().fit(X, three)).coef);
  });

  for (const jobs of [1, 2]) {
    it(`LogisticRegression l1 (${jobs} thread(s)) continues a class from its solver checkpoint: the same weights`, async () => {
      const make = (): LogisticRegression =>
        new LogisticRegression({ C: 2, penalty: 'l1', n_jobs: jobs });
      const plain = await make().fit(X, y);

      // Checkpoints after every Newton iteration, each one logged.
      const parts = memoryParts(0);
      const log: [string, StoredPart][] = [];
      const first = make();
      first.useFitParts({
        ...parts,
        save: (name, part) => {
          log.push([name, part]);
          parts.save(name, part);
        },
      });
      await first.fit(X, y);
      assert.deepEqual(first.coef, plain.coef, 'keeping checkpoints changes nothing');
      const states = log.filter(([name]) => name === 'class 1 state').map(([, part]) => part);
      assert.ok(states.length >= 3, `class 1 took ${states.length} Newton iterations`);

      // As after a kill while class 1 was at its second Newton iteration, class 0 finished.
      const killed = memoryParts(0);
      killed.map.set('class 0', parts.map.get('class 0') as StoredPart);
      killed.map.set('class 1 state', states[1]);
      const again = make();
      again.useFitParts(killed);
      await again.fit(X, y);
      assert.equal(again.resumedParts?.restored, 1);
      assert.equal(again.resumedParts?.continued, 1);
      assert.match(
        again.benchmarkNote ?? '',
        /^1 of 4 one-vs-rest problems restored and 1 continued from a solver checkpoint from an interrupted fit/,
      );
      assert.deepEqual(again.coef, plain.coef);
      assert.deepEqual(again.intercept, plain.intercept);
    });
  }

  it('checkpoints saved after a resume carry the interrupted runs’ time on (a fit killed twice)', async () => {
    // Two runs' worth of time behind each checkpoint; the finished class is older.
    const earlier = 1000;
    const lr = (): LogisticRegression => new LogisticRegression({ C: 2, penalty: 'l1', n_jobs: 1 });
    const source = memoryParts(0);
    const log: [string, StoredPart][] = [];
    const first = lr();
    first.useFitParts({
      ...source,
      save: (name, part) => (log.push([name, part]), source.save(name, part)),
    });
    await first.fit(X, y);
    const state = log.find(([name]) => name === 'class 1 state')?.[1] as StoredPart;
    const parts = memoryParts(0);
    parts.map.set('class 0', { ...(source.map.get('class 0') as StoredPart), seconds: 5 });
    parts.map.set('class 1 state', { ...state, seconds: earlier });
    const seen: number[] = [];
    const again = lr();
    again.useFitParts({
      ...parts,
      save: (name, part) => {
        if (name.startsWith('class 1')) seen.push(part.seconds);
        parts.save(name, part);
      },
    });
    await again.fit(X, y);
    assert.ok(seen.length > 0);
    assert.ok(
      seen.every((sec) => sec >= earlier),
      `class 1 saved at ${seen.join(', ')} s`,
    );
    assert.ok((again.resumedParts?.seconds ?? 0) >= earlier);

    // Crammer–Singer: its one state, the same way.
    const cs = (): LinearSVC =>
      new LinearSVC({ multi_class: 'crammer_singer', C: 5, tol: 1e-6, random_state: 7 });
    const csSource = memoryParts(0);
    const csLog: StoredPart[] = [];
    const csFirst = cs();
    csFirst.useFitParts({
      ...csSource,
      save: (name, part) => (csLog.push(part), csSource.save(name, part)),
    });
    await csFirst.fit(X, y);
    assert.ok(csLog.length >= 2, `${csLog.length} Crammer–Singer checkpoints`);
    const csParts = memoryParts(0);
    csParts.map.set('crammer-singer state', { ...csLog[0], seconds: earlier });
    const csSeen: number[] = [];
    const csAgain = cs();
    csAgain.useFitParts({
      ...csParts,
      save: (name, part) => (csSeen.push(part.seconds), csParts.save(name, part)),
    });
    await csAgain.fit(X, y);
    assert.ok(csSeen.length > 0);
    assert.ok(
      csSeen.every((sec) => sec >= earlier),
      `saved at ${csSeen.join(', ')} s`,
    );
  });

  for (const [name, make] of [
    ['LogisticRegression l1', () => new LogisticRegression({ C: 2, penalty: 'l1', n_jobs: 2 })],
    ['LogisticRegression l2', () => new LogisticRegression({ C: 2 })],
    ['LinearSVC hinge ovr', () => new LinearSVC({ C: 2, loss: 'hinge', n_jobs: 2 })],
  ] as const) {
    it(`${name} keeps each one-vs-rest class and restores them: the same weights`, async () => {
      const parts = memoryParts();
      const first = make();
      first.useFitParts(parts);
      await first.fit(X, y);
      assert.equal(parts.saves, 4);
      parts.map.delete('class 1');
      const again = make();
      again.useFitParts(parts);
      await again.fit(X, y);
      assert.equal(again.resumedParts?.restored, 3);
      assert.equal(again.resumedParts?.total, 4);
      assert.match(again.benchmarkNote ?? '', /3 of 4 one-vs-rest problems restored/);
      assert.deepEqual(again.coef, first.coef);
      assert.deepEqual(again.intercept, first.intercept);
    });
  }
});
