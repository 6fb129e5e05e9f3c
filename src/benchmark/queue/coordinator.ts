/**
 * Runs a benchmark plan on BullMQ workers instead of in this process. The coordinator
 * never loads the data: it reads the store, queues the repeats still missing (the first
 * two of every configuration at once; the rest once those two are known and do not end
 * the protocol, exactly as a local run decides), records every finished repeat in its
 * store the moment it arrives, and returns what runBenchmark returns. Workers can sit on
 * any machine that reaches the Redis server; a worker that dies mid-job loses nothing,
 * as BullMQ hands the job to another one.
 */
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GridRow } from '../grid-row.js';
import { configKey, protocolTextFor, repeatsToRunNext } from '../protocol.js';
import { specForRow, type BenchmarkPlan, type RowResult, type RunnerEvent } from '../runner.js';
import { parseRepeatLine } from '../store-file.js';
import type { RepeatKey, RepeatRecord, ResultsStore } from '../store.js';
import { meanAndStd2 } from '../summary.js';
import {
  REPEAT_JOB_RESULT_FORMAT,
  makeRepeatJob,
  repeatJobId,
  shareKey,
  type RepeatJobData,
} from './repeat-job.js';
import { DEFAULT_QUEUE_NAME } from './worker.js';

export interface QueuedRunOptions {
  /** For the queue's commands. */
  readonly connection: Redis;
  /** For listening to job events (a blocking connection of its own). */
  readonly eventsConnection: Redis;
  readonly queueName?: string;
  /** A seeded training subset and the first n test rows, as the workers will prepare them. */
  readonly trainSize: number | null;
  readonly testSize: number | null;
  /** Full set sizes of a dataset (for the store key; the coordinator never loads data). */
  readonly datasetSizes: (dataset: string) => { readonly train: number; readonly test: number };
}

/** Finished jobs are kept this long, so a coordinator started again can still collect them. */
const KEEP_JOBS_SECONDS = 7 * 24 * 3600;

interface ConfigState {
  readonly row: GridRow;
  readonly dataset: 'fashion' | 'mnist';
  readonly key: RepeatKey;
  readonly done: Map<number, RepeatRecord>;
  readonly pending: Set<number>;
  readonly resumed: number;
  error: string | null;
  finished: boolean;
}

export async function runQueuedBenchmark(
  plan: BenchmarkPlan,
  store: ResultsStore,
  q: QueuedRunOptions,
  onEvent: (e: RunnerEvent) => void = () => {},
): Promise<RowResult[]> {
  const queueName = q.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = new Queue(queueName, { connection: q.connection });
  const events = new QueueEvents(queueName, { connection: q.eventsConnection });
  // Each job waited on listens for the queue closing: allow as many as there are jobs.
  queue.setMaxListeners(0);
  queue.on('error', () => {});
  events.on('error', () => {});
  try {
    await events.waitUntilReady();
    return await coordinate(plan, store, q, queue, events, onEvent);
  } finally {
    await events.close();
    await queue.close();
  }
}

async function coordinate(
  plan: BenchmarkPlan,
  store: ResultsStore,
  q: QueuedRunOptions,
  queue: Queue,
  events: QueueEvents,
  onEvent: (e: RunnerEvent) => void,
): Promise<RowResult[]> {
  const results: Array<RowResult | ConfigState> = [];
  const configs = new Map<string, ConfigState>();
  for (const dataset of plan.datasets) {
    if (dataset !== 'fashion' && dataset !== 'mnist') {
      throw new RangeError(
        `A queued benchmark runs on fashion or mnist (what every worker can load). Got dataset '${dataset}'.`,
      );
    }
    const full = q.datasetSizes(dataset);
    const protocol = protocolTextFor(plan.options, {
      train: q.trainSize ?? full.train,
      test: q.testSize ?? full.test,
    });
    for (const row of plan.rows) {
      const spec = specForRow(row);
      if (!spec) {
        results.push({ row, dataset, status: 'not-implemented' });
        onEvent({ type: 'row-skipped', row, dataset, reason: 'not implemented' });
        continue;
      }
      const key = configKey(spec, dataset, protocol);
      const stored = store.repeatsOf(key);
      const state: ConfigState = {
        row,
        dataset,
        key,
        done: new Map(stored.map((r) => [r.repeat, r])),
        pending: new Set(),
        resumed: stored.length,
        error: null,
        finished: false,
      };
      configs.set(JSON.stringify(key), state);
      results.push(state);
      onEvent({ type: 'config-start', key, resumed: stored.length });
    }
  }

  // Jobs by id, to say which repeats a worker has started.
  const queuedJobs = new Map<string, { members: ConfigState[]; repeat: number }>();
  const onActive = ({ jobId }: { jobId: string }): void => {
    const job = queuedJobs.get(jobId);
    if (!job) return;
    for (const s of job.members) onEvent({ type: 'repeat-start', key: s.key, repeat: job.repeat });
  };
  events.on('active', onActive);
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>): void => {
    inFlight.add(p);
    // A failure reaches the caller through Promise.race below; this copy only cleans up.
    p.finally(() => inFlight.delete(p)).catch(() => {});
  };

  const schedule = async (states: readonly ConfigState[]): Promise<number> => {
    // (dataset, share group, repeat) → the rows that need that repeat.
    const groups = new Map<string, { states: ConfigState[]; repeat: number }>();
    for (const s of states) {
      if (s.error !== null || s.finished) continue;
      const next = repeatsToRunNext(prefixScores(s), plan.options).filter(
        (r) => !s.pending.has(r) && !s.done.has(r),
      );
      if (next.length === 0 && s.pending.size === 0) {
        s.finished = true;
        onConfigDone(s);
        continue;
      }
      for (const repeat of next) {
        const g = `${s.dataset}\u0000${shareKey(s.row)}\u0000${repeat}`;
        const group = groups.get(g) ?? { states: [], repeat };
        group.states.push(s);
        groups.set(g, group);
      }
    }
    for (const { states: members, repeat } of groups.values()) {
      const data = makeRepeatJob(
        members[0].dataset,
        members.map((s) => s.row),
        repeat,
        plan.options,
        { trainSize: q.trainSize, testSize: q.testSize },
      );
      members.forEach((s) => s.pending.add(repeat));
      // Known before the add: a worker may take the job before addJob returns.
      const jobId = repeatJobId(data);
      queuedJobs.set(jobId, { members, repeat });
      const job = await addJob(queue, jobId, data);
      track(
        job
          .waitUntilFinished(events)
          .then(
            (value: unknown) => collect(job.id ?? '?', value, members, repeat),
            (err: unknown) => fail(members, repeat, err),
          )
          .then(() => schedule(members))
          .then(() => {}),
      );
    }
    return groups.size;
  };

  const collect = (id: string, value: unknown, members: ConfigState[], repeat: number): void => {
    const lines = resultLines(id, value);
    for (const [i, line] of lines.entries()) {
      const record = parseRepeatLine(line, `queue job ${id}`, i + 1);
      const state = configs.get(JSON.stringify(keyOf(record)));
      if (!state || record.repeat !== repeat) {
        throw new Error(
          `queue job ${id} returned a repeat nobody asked for: ${record.classifier} ${record.params} repeat ${record.repeat}`,
        );
      }
      const earlier = store.repeatsOf(state.key).find((r) => r.repeat === record.repeat);
      if (earlier && earlier.accuracy !== record.accuracy) {
        throw new Error(
          `queue job ${id}: ${record.dataset} ${record.classifier} ${record.params} repeat ${record.repeat} scored ${record.accuracy}, but the store already holds ${earlier.accuracy} for it`,
        );
      }
      if (!earlier) store.record(record);
      state.done.set(record.repeat, earlier ?? record);
      onEvent({ type: 'repeat-done', record: earlier ?? record });
    }
    for (const s of members) s.pending.delete(repeat);
  };

  const fail = (members: ConfigState[], repeat: number, err: unknown): void => {
    const message = err instanceof Error ? err.message : String(err);
    for (const s of members) {
      s.pending.delete(repeat);
      if (s.error !== null) continue;
      s.error = message;
      onEvent({
        type: 'row-skipped',
        row: s.row,
        dataset: s.dataset,
        reason: `failed: ${message}`,
      });
    }
  };

  const onConfigDone = (s: ConfigState): void => {
    const scores = prefixScores(s);
    onEvent({ type: 'config-done', key: s.key, scores, ...meanAndStd2(scores) });
  };

  const queued = await schedule([...configs.values()]);
  onEvent({ type: 'queued', queue: queue.name, jobs: queued, workers: await workerCount(queue) });
  try {
    while (inFlight.size > 0) await Promise.race(inFlight);
  } finally {
    events.off('active', onActive);
  }

  return results.map((r): RowResult => {
    if (!('key' in r)) return r;
    if (r.error !== null)
      return { row: r.row, dataset: r.dataset, status: 'failed', error: r.error };
    const repeats = [...r.done.values()].sort((a, b) => a.repeat - b.repeat);
    return {
      row: r.row,
      dataset: r.dataset,
      status: 'done',
      outcome: { key: r.key, repeats, resumed: r.resumed },
    };
  });
}

/** The scores of repeats 0, 1, … as far as they are all known (jobs may finish out of order). */
function prefixScores(s: ConfigState): number[] {
  const scores: number[] = [];
  for (let r = 0; s.done.has(r); r++) scores.push((s.done.get(r) as RepeatRecord).accuracy);
  return scores;
}

function keyOf(r: RepeatRecord): RepeatKey {
  return { dataset: r.dataset, classifier: r.classifier, params: r.params, protocol: r.protocol };
}

/**
 * Adds a job under its content id. A job of that id that finished before (an earlier
 * coordinator's) is reused; one that failed is removed first, so a rerun tries again.
 */
async function addJob(queue: Queue, jobId: string, data: RepeatJobData): Promise<Job> {
  const existing = await Job.fromId(queue, jobId);
  if (existing) {
    if ((await existing.getState()) !== 'failed') return existing;
    await existing.remove();
  }
  return queue.add('repeat', data, {
    jobId,
    attempts: 1,
    removeOnComplete: { age: KEEP_JOBS_SECONDS },
    removeOnFail: { age: KEEP_JOBS_SECONDS },
  });
}

function resultLines(id: string, value: unknown): readonly string[] {
  const v = value as { format?: unknown; lines?: unknown } | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    v.format !== REPEAT_JOB_RESULT_FORMAT ||
    !Array.isArray(v.lines) ||
    !v.lines.every((l) => typeof l === 'string')
  ) {
    throw new Error(
      `queue job ${id} returned something that is not a "${REPEAT_JOB_RESULT_FORMAT}" result`,
    );
  }
  return v.lines as string[];
}

async function workerCount(queue: Queue): Promise<number> {
  return (await queue.getWorkers()).length;
}
