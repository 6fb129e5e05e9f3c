import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { splitSizes } from '../../data/registry.js';
import { selectRows } from '../grid.js';
import { PAPER_PROTOCOL, type PreparedData, type ProtocolOptions } from '../protocol.js';
import { runBenchmark, type RowResult, type RunnerEvent } from '../runner.js';
import { ResultsStore, type RepeatRecord } from '../store.js';
import { QueueConnectionError, connectRedis, parseRedisUrl } from './connection.js';
import { runQueuedBenchmark } from './coordinator.js';
import {
  freePort,
  hasRedisServer,
  startRedisServer,
  type RedisServer,
} from './redis-server.fixture.js';
import { makeRepeatJob, repeatJobId } from './repeat-job.js';
import { clearQueue, queueStatus } from './admin.js';
import { datasetLoader } from './run-job.js';
import { startRepeatWorker, type WorkerEvent } from './worker.js';

const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const TRAIN = 600;
const TEST = 300;
const OPTIONS: ProtocolOptions = { ...PAPER_PROTOCOL, maxRepeats: 3 };
// Deterministic (stops after 2 repeats), seed-dependent (needs the third) and a share group
// (the six k-NN rows with p=2 travel as one job per repeat).
const ROWS = selectRows('GaussianNB,SGDClassifier loss=hinge penalty=l2,KNeighborsClassifier p=2');
const skip = hasRedisServer()
  ? false
  : 'redis-server is not installed (apt-get install redis-server)';

/** Every repeat's (row, repeat, accuracy), sorted: what two runs must agree on. */
function scoresOf(store: ResultsStore): string[] {
  return store
    .allRepeats()
    .map((r: RepeatRecord) => `${r.dataset} ${r.classifier} ${r.params} #${r.repeat} ${r.accuracy}`)
    .sort();
}

describe('queued benchmark (BullMQ on a local redis-server)', { skip, timeout: 240_000 }, () => {
  let redis: RedisServer;
  const connections: Redis[] = [];
  const connect = async (): Promise<Redis> => {
    const c = await connectRedis(redis.url);
    connections.push(c);
    return c;
  };
  // The system copies (Debian, npm), never a user's cache; job processes get the same.
  const HOME = '/nonexistent-fmnist-home';
  const load = datasetLoader({ home: HOME });

  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    for (const c of connections) c.disconnect();
    await redis.stop();
  });

  async function withWorkers<T>(
    n: number,
    queueName: string,
    run: (events: WorkerEvent[]) => Promise<T>,
  ): Promise<{ value: T; events: WorkerEvent[] }> {
    const events: WorkerEvent[] = [];
    const workers: Worker[] = [];
    for (let i = 0; i < n; i++) {
      workers.push(
        startRepeatWorker({
          connection: await connect(),
          queueName,
          env: { ...process.env, FMNIST_HOME: HOME },
          onEvent: (e) => events.push(e),
        }),
      );
    }
    try {
      return { value: await run(events), events };
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }

  async function queued(
    store: ResultsStore,
    queueName: string,
    datasets: string[] = ['fashion'],
    onEvent: (e: RunnerEvent) => void = () => {},
    trainSize = TRAIN,
  ): Promise<RowResult[]> {
    return runQueuedBenchmark(
      { datasets, rows: ROWS, options: OPTIONS },
      store,
      {
        connection: await connect(),
        eventsConnection: await connect(),
        queueName,
        trainSize,
        testSize: TEST,
        datasetSizes: splitSizes,
      },
      onEvent,
    );
  }

  it('records the same repeats as a local run, with the protocol decided by the coordinator', async () => {
    const local = ResultsStore.open(':memory:');
    const localJob = (dataset: 'fashion' | 'mnist') =>
      makeRepeatJob(dataset, [], 0, OPTIONS, { trainSize: TRAIN, testSize: TEST });
    await runBenchmark(
      { datasets: ['fashion'], rows: ROWS, options: OPTIONS },
      (dataset): Promise<PreparedData> => load(localJob(dataset as 'fashion')),
      local,
    );
    const store = ResultsStore.open(':memory:');
    const runnerEvents: RunnerEvent[] = [];
    const { value: results, events } = await withWorkers(2, 'same', () =>
      queued(store, 'same', ['fashion'], (e) => runnerEvents.push(e)),
    );
    // GaussianNB 2 repeats, SGD 3, each k-NN row at least 2.
    assert.ok(scoresOf(local).length >= 2 + 3 + 6 * 2);
    assert.deepEqual(scoresOf(store), scoresOf(local));
    assert.ok(results.every((r) => r.status === 'done'));
    const byRow = new Map(results.map((r) => [r.row.classifier + ' ' + r.row.paramsText, r]));
    // GaussianNB is deterministic: two equal scores end the protocol; SGD's shuffles differ.
    assert.equal(
      byRow.get('GaussianNB priors=[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]')?.outcome
        ?.repeats.length,
      2,
    );
    assert.equal(byRow.get('SGDClassifier loss=hinge penalty=l2')?.outcome?.repeats.length, 3);
    // One job per (share group, repeat): the six k-NN rows went together.
    const done = events.filter((e) => e.type === 'job-done');
    const knnJobs = done.filter(
      (e) => e.type === 'job-done' && e.records[0].classifier === 'KNeighborsClassifier',
    );
    assert.ok(
      knnJobs.length >= 2 && knnJobs.every((e) => e.type === 'job-done' && e.records.length === 6),
    );
    assert.equal(runnerEvents.filter((e) => e.type === 'config-done').length, ROWS.length);
    // Every repeat a worker ran was announced when the worker took its job.
    const announced = runnerEvents
      .filter((e) => e.type === 'repeat-start')
      .map((e) => (e.type === 'repeat-start' ? `${e.key.params} #${e.repeat}` : ''))
      .sort();
    const recorded = store
      .allRepeats()
      .map((r) => `${r.params} #${r.repeat}`)
      .sort();
    assert.deepEqual(announced, recorded);
    local.close();
    store.close();
  });

  it('resumes from the store: only missing repeats are queued', async () => {
    const store = ResultsStore.open(':memory:');
    const first = await withWorkers(1, 'resume', () => queued(store, 'resume'));
    const stored = scoresOf(store);
    assert.ok(first.events.some((e) => e.type === 'job-done'));
    const again = await withWorkers(1, 'resume-2', () => queued(store, 'resume-2'));
    assert.equal(again.events.filter((e) => e.type === 'job-start').length, 0);
    assert.ok(
      again.value.every(
        (r) => r.status === 'done' && r.outcome?.resumed === r.outcome?.repeats.length,
      ),
    );
    assert.deepEqual(scoresOf(store), stored);
    store.close();
  });

  it('collects jobs an earlier coordinator queued and that finished meanwhile, without rerunning them', async () => {
    const a = ResultsStore.open(':memory:');
    await withWorkers(1, 'restart', () => queued(a, 'restart'));
    // A coordinator with an empty store (say, its first run died before recording) gets
    // the finished jobs' results from Redis; no worker runs them again.
    const b = ResultsStore.open(':memory:');
    const { events } = await withWorkers(1, 'restart', () => queued(b, 'restart'));
    assert.equal(events.filter((e) => e.type === 'job-start').length, 0);
    assert.deepEqual(scoresOf(b), scoresOf(a));
    a.close();
    b.close();
  });

  it('finishes a job whose worker was killed mid-fit on another worker', async () => {
    const store = ResultsStore.open(':memory:');
    // A real `fmnist worker` with a 2 s lock, killed with its job process (SIGKILL to the
    // process group) as soon as it has started the job.
    const doomed = spawn(
      process.execPath,
      [CLI, 'worker', '--queue', redis.url, '--queue-name', 'stall', '--lock-seconds', '2'],
      {
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, FMNIST_HOME: HOME },
      },
    );
    let doomedLog = '';
    const killed = new Promise<void>((resolve) => {
      doomed.stderr.on('data', (chunk: Buffer) => {
        doomedLog += chunk.toString();
        if (/^job repeat-/m.test(doomedLog) && doomed.exitCode === null) {
          process.kill(-(doomed.pid as number), 'SIGKILL');
          resolve();
        }
      });
    });
    const run = runQueuedBenchmark(
      {
        datasets: ['fashion'],
        rows: selectRows('SGDClassifier loss=hinge penalty=l2'),
        options: { ...OPTIONS, maxRepeats: 1 },
      },
      store,
      {
        connection: await connect(),
        eventsConnection: await connect(),
        queueName: 'stall',
        trainSize: TRAIN,
        testSize: TEST,
        datasetSizes: splitSizes,
      },
    );
    await killed;
    // Another worker notices the job's lapsed lock and takes it over.
    const rescuerEvents: WorkerEvent[] = [];
    const rescuer = startRepeatWorker({
      connection: await connect(),
      queueName: 'stall',
      env: { ...process.env, FMNIST_HOME: HOME },
      stalledIntervalMs: 500,
      onEvent: (e) => rescuerEvents.push(e),
    });
    const results = await run;
    await rescuer.close();
    assert.equal(results[0].status, 'done');
    assert.equal(store.allRepeats().length, 1);
    assert.deepEqual(
      rescuerEvents.map((e) => e.type),
      ['job-start', 'job-done'],
    );
    store.close();
  });

  it('shows what a queue holds, and clears it (refusing running jobs unless forced)', async () => {
    const connection = await connect();
    const queue = new Queue('admin', { connection });
    const rows = selectRows('GaussianNB');
    for (const repeat of [0, 1]) {
      const data = makeRepeatJob('fashion', rows, repeat, OPTIONS, {
        trainSize: TRAIN,
        testSize: TEST,
      });
      await queue.add('repeat', data, { jobId: repeatJobId(data) });
    }
    await queue.close();
    assert.deepEqual(await queueStatus(connection, 'admin'), {
      waiting: 2,
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 0,
      workers: 0,
      repeatsWithFitParts: 0,
    });
    // A worker takes one job (and is stopped before it can take the other).
    let taken!: () => void;
    const active = new Promise<void>((resolve) => (taken = resolve));
    const worker = startRepeatWorker({
      connection: await connect(),
      queueName: 'admin',
      env: { ...process.env, FMNIST_HOME: HOME },
      onEvent: (e) => e.type === 'job-start' && taken(),
    });
    await active;
    await worker.pause(true);
    const busy = await queueStatus(connection, 'admin');
    assert.equal(busy.active, 1);
    await assert.rejects(
      clearQueue(connection, 'admin'),
      /Queue 'admin' has 1 job\(s\) a worker is running; .*--force/,
    );
    await worker.close();
    // Fit parts an interrupted repeat left for this queue go too; another queue's stay.
    await connection.hset('fmnist:admin:fit-parts:0123', 'pair 0-1', Buffer.alloc(16));
    await connection.hset('fmnist:admin2:fit-parts:0123', 'pair 0-1', Buffer.alloc(16));
    assert.equal((await queueStatus(connection, 'admin')).repeatsWithFitParts, 1);
    const cleared = await clearQueue(connection, 'admin');
    assert.equal(cleared.waiting + cleared.completed, 2);
    assert.equal(cleared.repeatsWithFitParts, 1);
    const after = await queueStatus(connection, 'admin');
    assert.equal(after.waiting + after.active + after.completed + after.failed, 0);
    assert.equal(after.repeatsWithFitParts, 0);
    assert.equal(await connection.exists('fmnist:admin2:fit-parts:0123'), 1);
  });

  it("reports the rows of a failed job with the job process's error", async () => {
    const store = ResultsStore.open(':memory:');
    // Workers prepare the data, so a training subset larger than the set fails there.
    const { value: results, events } = await withWorkers(1, 'fail', () =>
      queued(store, 'fail', ['fashion'], () => {}, 70_000),
    );
    assert.equal(results.length, ROWS.length);
    const expected = 'The training-set size must be an int in [1, 60000] for fashion. Got 70000.';
    assert.ok(results.every((r) => r.status === 'failed' && r.error === expected));
    assert.ok(events.some((e) => e.type === 'job-failed' && e.error === expected));
    assert.equal(store.allRepeats().length, 0);
    store.close();
  });
});

describe('Redis URLs and connections', () => {
  it('refuses what is not a redis:// URL, naming the option', () => {
    assert.throws(
      () => parseRedisUrl('localhost:6379'),
      /--queue must be a Redis URL .*Got 'localhost:6379'/,
    );
    assert.throws(
      () => parseRedisUrl('http://h:1', '--from'),
      /--from must be a Redis URL \(redis:\/\/ or rediss:\/\/\)/,
    );
    assert.equal(parseRedisUrl('redis://h:7000/2').port, '7000');
  });

  it('fails fast with the URL when no Redis answers there', async () => {
    const port = await freePort();
    const t0 = performance.now();
    await assert.rejects(
      connectRedis(`redis://:secret@127.0.0.1:${port}`),
      (err: unknown) =>
        err instanceof QueueConnectionError &&
        err.message.includes(`redis://:***@127.0.0.1:${port}`) &&
        !err.message.includes('secret'),
    );
    assert.ok(performance.now() - t0 < 5000);
  });
});
