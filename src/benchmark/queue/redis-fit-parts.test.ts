import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { selectRows } from '../grid.js';
import { PAPER_PROTOCOL, configKey, protocolText, runRepeat, trainingDataId } from '../protocol.js';
import { LinearSVC } from '../../ml/linear/linear-svc.js';
import { matrix } from '../../ml/matrix.js';
import { Rng } from '../../ml/random.js';
import { specForRow } from '../runner.js';
import { ShuffledTrain } from '../shuffled-train.js';
import { parseRepeatLine } from '../store-file.js';
import { ResultsStore, type RepeatKey } from '../store.js';
import { splitSizes } from '../../data/registry.js';
import { connectRedis } from './connection.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './redis-server.fixture.js';
import {
  FIT_PARTS_TTL_SECONDS,
  RedisFitParts,
  fitPartsKeysOf,
  fitPartsRedisKey,
} from './redis-fit-parts.js';
import { makeRepeatJob, type RepeatJobData } from './repeat-job.js';
import { runQueuedBenchmark } from './coordinator.js';
import { datasetLoader, runRepeatJob } from './run-job.js';
import { startRepeatWorker } from './worker.js';

const skip = hasRedisServer()
  ? false
  : 'redis-server is not installed (apt-get install redis-server)';

const KEY: RepeatKey = {
  dataset: 'fashion',
  classifier: 'SVC',
  params: 'C=1 kernel=linear',
  protocol: 'seed=0 train=600 test=300',
};

describe('fit parts in the queue’s Redis', { skip, timeout: 120_000 }, () => {
  let server: RedisServer;
  let redis: Redis;

  before(async () => {
    server = await startRedisServer();
    redis = await connectRedis(server.url);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('keys parts by queue, repeat and training data', () => {
    const k = fitPartsRedisKey('q', KEY, 0, 'data-1');
    assert.match(k, /^fmnist:q:fit-parts:[0-9a-f]{32}$/);
    assert.equal(fitPartsRedisKey('q', KEY, 0, 'data-1'), k);
    for (const other of [
      fitPartsRedisKey('other', KEY, 0, 'data-1'),
      fitPartsRedisKey('q', KEY, 1, 'data-1'),
      fitPartsRedisKey('q', KEY, 0, 'data-2'),
      fitPartsRedisKey('q', { ...KEY, params: 'C=10 kernel=linear' }, 0, 'data-1'),
    ]) {
      assert.notEqual(other, k);
    }
  });

  it('finds the parts kept for a queue, and only that queue’s', async () => {
    await redis.hset(fitPartsRedisKey('a*', KEY, 0, 'd'), 'class 0', Buffer.alloc(8));
    await redis.hset(fitPartsRedisKey('ab', KEY, 0, 'd'), 'class 0', Buffer.alloc(8));
    await redis.hset(fitPartsRedisKey('ab', KEY, 1, 'd'), 'class 0', Buffer.alloc(8));
    assert.deepEqual(await fitPartsKeysOf(redis, 'a*'), [fitPartsRedisKey('a*', KEY, 0, 'd')]);
    assert.equal((await fitPartsKeysOf(redis, 'ab')).length, 2);
    assert.deepEqual(await fitPartsKeysOf(redis, 'a'), []);
  });

  it('hands a later opener the parts saved, with their seconds, until dropped', async () => {
    const key = fitPartsRedisKey('t', KEY, 0, 'data');
    const first = await RedisFitParts.open(redis, key);
    assert.equal(first.size, 0);
    first.save('pair 0-1', { bytes: new Uint8Array([1, 2, 3]), seconds: 12.5 });
    first.save('pair 0-2', { bytes: new Uint8Array(0), seconds: 20 });
    assert.deepEqual(first.load('pair 0-1')?.bytes, new Uint8Array([1, 2, 3]));
    assert.equal(await first.settle(), null);
    const ttl = await redis.ttl(key);
    assert.ok(ttl > FIT_PARTS_TTL_SECONDS - 60 && ttl <= FIT_PARTS_TTL_SECONDS, `ttl ${ttl}`);

    // Another process (another worker) reads them back.
    const second = await RedisFitParts.open(redis, key);
    assert.equal(second.size, 2);
    assert.deepEqual(second.load('pair 0-1'), { bytes: new Uint8Array([1, 2, 3]), seconds: 12.5 });
    assert.deepEqual(second.load('pair 0-2'), { bytes: new Uint8Array(0), seconds: 20 });
    assert.equal(second.load('pair 1-2'), null);

    // A field too short to be a part is skipped: that part is solved again.
    await redis.hset(key, 'pair 1-2', Buffer.from([1, 2]));
    assert.equal((await RedisFitParts.open(redis, key)).load('pair 1-2'), null);

    await second.drop();
    assert.equal(await redis.exists(key), 0);
  });

  it('sends only the latest of saves of one part made while the event loop was busy', async () => {
    const key = fitPartsRedisKey('t', KEY, 2, 'data');
    const parts = await RedisFitParts.open(redis, key);
    for (let pass = 1; pass <= 50; pass++) {
      parts.save('crammer-singer state', { bytes: new Uint8Array([pass]), seconds: pass });
    }
    parts.save('class 0', { bytes: new Uint8Array([7]), seconds: 1 });
    assert.equal(await parts.settle(), null);
    const stored = await RedisFitParts.open(redis, key);
    assert.deepEqual(stored.load('crammer-singer state'), {
      bytes: new Uint8Array([50]),
      seconds: 50,
    });
    assert.equal(stored.size, 2);
    await stored.drop();
  });

  it('gets a Crammer–Singer fit’s checkpoints to Redis while the solver runs', async () => {
    const rng = new Rng(5);
    const n = 300;
    const data = new Float32Array(n * 8);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      for (let j = 0; j < 8; j++) data[i * 8 + j] = rng.nextNormal() + (j === y[i] ? 1 : 0);
    }
    // Times at which transactions reached Redis.
    const sentAt: number[] = [];
    const spy = new Proxy(redis, {
      get(target, prop, receiver) {
        if (prop !== 'multi') return Reflect.get(target, prop, receiver) as unknown;
        return () => {
          const tx = target.multi();
          const exec = tx.exec.bind(tx);
          tx.exec = (async () => {
            const r = await exec();
            sentAt.push(performance.now());
            return r;
          }) as typeof tx.exec;
          return tx;
        };
      },
    });
    const key = fitPartsRedisKey('t', KEY, 3, 'data');
    const parts = await RedisFitParts.open(spy, key, { checkpointSeconds: 0 });
    const svc = new LinearSVC({ multi_class: 'crammer_singer', C: 10, random_state: 1 });
    svc.useFitParts(parts);
    await svc.fit(matrix(data, n, 8), y);
    const fitEnd = performance.now();
    assert.ok(svc.nIter > 3, `passes: ${svc.nIter}`);
    assert.ok(
      sentAt.some((t) => t < fitEnd),
      'at least one checkpoint reached Redis before the fit ended',
    );
    assert.equal(await parts.settle(), null);
    await parts.drop();
  });

  it('says when a part could not be saved, without failing the fit', async () => {
    const lost = await connectRedis(server.url);
    const parts = await RedisFitParts.open(lost, fitPartsRedisKey('t', KEY, 1, 'data'));
    lost.disconnect();
    parts.save('class 0', { bytes: new Uint8Array([9]), seconds: 1 });
    assert.deepEqual(parts.load('class 0')?.bytes, new Uint8Array([9]), 'still held locally');
    assert.match((await parts.settle()) ?? '', /Connection is closed/);
  });

  const HOME = '/nonexistent-fmnist-home';
  const load = datasetLoader({ home: HOME });
  const [SVC_ROW] = selectRows('SVC C=1 kernel=linear');
  const sizes = { trainSize: 600, testSize: 300 };

  /**
   * What a worker killed after 25 of the 45 class pairs of `job` leaves in Redis under
   * `queueName`: returns the hash's key.
   */
  async function deadWorkersParts(job: RepeatJobData, queueName: string): Promise<string> {
    const data = await load(job);
    const spec = specForRow(SVC_ROW);
    assert.ok(spec);
    const options = { ...PAPER_PROTOCOL, maxRepeats: job.maxRepeats };
    const key = configKey(spec, data.name, protocolText(options, data));
    const redisKey = fitPartsRedisKey(queueName, key, job.repeat, trainingDataId(data));
    const parts = await RedisFitParts.open(redis, redisKey);
    const shuffled = new ShuffledTrain(data.train);
    await runRepeat(spec, data, shuffled, key, job.repeat, job.seed, parts);
    shuffled.release();
    assert.equal(await parts.settle(), null);
    const names = await redis.hkeys(redisKey);
    assert.equal(names.length, 45);
    await redis.hdel(redisKey, ...names.slice(25));
    return redisKey;
  }

  it('lets a repeat job resume an SVC fit from the class pairs a dead worker finished', async () => {
    const job = makeRepeatJob('fashion', [SVC_ROW], 0, PAPER_PROTOCOL, sizes);
    const uninterrupted = parseRepeatLine((await runRepeatJob(job, load)).lines[0], 'job', 1);
    const redisKey = await deadWorkersParts(job, 'resume');
    const resumed = parseRepeatLine(
      (await runRepeatJob(job, load, { redis, queueName: 'resume' })).lines[0],
      'job',
      1,
    );
    assert.equal(resumed.accuracy, uninterrupted.accuracy, 'the same model');
    assert.match(resumed.note ?? '', /25 of 45 class pairs restored from an interrupted fit/);
    assert.equal(await redis.exists(redisKey), 0, 'a finished repeat drops its parts');
  });

  it('gives a worker’s job processes the queue’s Redis for fit parts', async () => {
    const options = { ...PAPER_PROTOCOL, maxRepeats: 2 };
    const redisKey = await deadWorkersParts(
      makeRepeatJob('fashion', [SVC_ROW], 0, options, sizes),
      'parts',
    );
    const store = ResultsStore.open(':memory:');
    const connections = await Promise.all([1, 2, 3].map(() => connectRedis(server.url)));
    const worker = startRepeatWorker({
      connection: connections[2],
      queueName: 'parts',
      redisUrl: server.url,
      env: { ...process.env, FMNIST_HOME: HOME },
    });
    try {
      await runQueuedBenchmark({ datasets: ['fashion'], rows: [SVC_ROW], options }, store, {
        connection: connections[0],
        eventsConnection: connections[1],
        queueName: 'parts',
        ...sizes,
        datasetSizes: splitSizes,
      });
    } finally {
      await worker.close();
      for (const c of connections) c.disconnect();
    }
    const [first, second] = store.allRepeats().sort((a, b) => a.repeat - b.repeat);
    assert.match(first.note ?? '', /25 of 45 class pairs restored from an interrupted fit/);
    assert.doesNotMatch(second.note ?? '', /restored/, 'repeat 1 had no parts to resume');
    assert.equal(await redis.exists(redisKey), 0);
    store.close();
  });
});
