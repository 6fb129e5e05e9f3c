/**
 * The distributed benchmark against a local run on the full datasets: the same rows under
 * the same protocol, once in this process (runBenchmark) and once through BullMQ on a
 * throwaway local redis-server with --workers `fmnist` workers (each job in a child
 * process), both into fresh in-memory stores. Prints one JSON line: wall seconds of each,
 * and whether every repeat scored the same.
 *
 *   npm run bench:build
 *   node dist-bench/bench/queue.js [--only FILTERS] [--dataset fashion|mnist] [--workers N] [--repeats N]
 *
 * --only takes the CLI's filters (default: the quick rows). On one machine the workers
 * share its two cores, so this measures the queue's overhead, not a speed-up.
 */
import './lib/help.js';
import { parseArgs } from 'node:util';
import { splitSizes } from '../src/data/registry.js';
import { QUICK_ROWS, selectRows } from '../src/benchmark/grid.js';
import { PAPER_PROTOCOL } from '../src/benchmark/protocol.js';
import { connectRedis } from '../src/benchmark/queue/connection.js';
import { runQueuedBenchmark } from '../src/benchmark/queue/coordinator.js';
import { startRedisServer } from '../src/benchmark/queue/redis-server.fixture.js';
import { makeRepeatJob } from '../src/benchmark/queue/repeat-job.js';
import { datasetLoader } from '../src/benchmark/queue/run-job.js';
import { startRepeatWorker } from '../src/benchmark/queue/worker.js';
import { runBenchmark } from '../src/benchmark/runner.js';
import { ResultsStore } from '../src/benchmark/store.js';

const { values: v } = parseArgs({
  options: {
    only: { type: 'string', default: QUICK_ROWS },
    dataset: { type: 'string', default: 'fashion' },
    workers: { type: 'string', default: '1' },
    repeats: { type: 'string', default: String(PAPER_PROTOCOL.maxRepeats) },
  },
  strict: true,
});
const dataset = v.dataset;
if (dataset !== 'fashion' && dataset !== 'mnist') {
  throw new RangeError(`--dataset must be fashion or mnist. Got '${dataset}'.`);
}
const workers = Number(v.workers);
const maxRepeats = Number(v.repeats);
if (!Number.isInteger(workers) || workers < 1)
  throw new RangeError('--workers must be an integer ≥ 1');
if (!Number.isInteger(maxRepeats) || maxRepeats < 1)
  throw new RangeError('--repeats must be an integer ≥ 1');

const rows = selectRows(v.only);
const options = { ...PAPER_PROTOCOL, maxRepeats };
const plan = { datasets: [dataset], rows, options };

/** (row, repeat, accuracy) of every repeat, sorted: what both runs must agree on. */
function scores(store: ResultsStore): string[] {
  return store
    .allRepeats()
    .map((r) => `${r.classifier} ${r.params} #${r.repeat} ${r.accuracy}`)
    .sort();
}

const local = ResultsStore.open(':memory:');
const load = datasetLoader();
const t0 = performance.now();
await runBenchmark(
  plan,
  () => load(makeRepeatJob(dataset, [], 0, options, { trainSize: null, testSize: null })),
  local,
);
const localSeconds = (performance.now() - t0) / 1000;

const redis = await startRedisServer();
const queued = ResultsStore.open(':memory:');
const connections = await Promise.all(
  Array.from({ length: workers + 2 }, () => connectRedis(redis.url)),
);
const pool = connections
  .slice(2)
  .map((connection) => startRepeatWorker({ connection, queueName: 'bench' }));
let queuedSeconds: number;
try {
  await Promise.all(pool.map((w) => w.waitUntilReady()));
  const t1 = performance.now();
  await runQueuedBenchmark(plan, queued, {
    connection: connections[0],
    eventsConnection: connections[1],
    queueName: 'bench',
    trainSize: null,
    testSize: null,
    datasetSizes: splitSizes,
  });
  queuedSeconds = (performance.now() - t1) / 1000;
} finally {
  await Promise.all(pool.map((w) => w.close()));
  for (const c of connections) c.disconnect();
  await redis.stop();
}

const a = scores(local);
const b = scores(queued);
process.stdout.write(
  `${JSON.stringify({
    dataset,
    rows: rows.length,
    repeats: a.length,
    workers,
    local_s: Number(localSeconds.toFixed(2)),
    queued_s: Number(queuedSeconds.toFixed(2)),
    overhead_s: Number((queuedSeconds - localSeconds).toFixed(2)),
    identical: a.length === b.length && a.every((s, i) => s === b[i]),
  })}\n`,
);
