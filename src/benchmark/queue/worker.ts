/**
 * A benchmark worker: takes repeat jobs from the BullMQ queue and runs each in a child
 * process (sandboxed-repeat.ts), which keeps this process free to hold the job's lock
 * however long the fit takes. Several workers, on any machines that reach the Redis
 * server, share one queue.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseRepeatLine } from '../store-file.js';
import type { RepeatRecord } from '../store.js';
import { parseRepeatJob, type RepeatJobData, type RepeatJobResult } from './repeat-job.js';

export const DEFAULT_QUEUE_NAME = 'fmnist';

export type WorkerEvent =
  | { type: 'job-start'; id: string; job: RepeatJobData }
  | { type: 'job-done'; id: string; records: RepeatRecord[] }
  | { type: 'job-failed'; id: string; error: string };

export interface RepeatWorkerOptions {
  readonly connection: Redis;
  readonly queueName?: string;
  /** Jobs at once, each in its own child process; 1 suits estimators that use every core. @default 1 */
  readonly concurrency?: number;
  /**
   * How long a job's lock lasts without renewal. The worker renews it while the job runs;
   * if the worker dies, the job goes back to the queue after this long. @default 60000
   */
  readonly lockDurationMs?: number;
  /**
   * How often this worker looks for jobs whose lock ran out (their worker died). BullMQ
   * runs one such check per interval across all workers. @default min(30000, lockDurationMs)
   */
  readonly stalledIntervalMs?: number;
  /** Environment of the job processes (default: this process's), e.g. FMNIST_HOME. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The URL of `connection`'s Redis. Given it, job processes keep the finished parts of
   * long fits there (SVC class pairs, one-vs-rest classes), so a job retried after its
   * worker died resumes its fit on any worker. Without it, a retried job starts over.
   */
  readonly redisUrl?: string;
  readonly onEvent?: (e: WorkerEvent) => void;
}

export function startRepeatWorker(options: RepeatWorkerOptions): Worker {
  const onEvent = options.onEvent ?? (() => {});
  const lockDuration = options.lockDurationMs ?? 60_000;
  const worker = new Worker(
    options.queueName ?? DEFAULT_QUEUE_NAME,
    new URL('./sandboxed-repeat.js', import.meta.url),
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      stalledInterval: options.stalledIntervalMs ?? Math.min(30_000, lockDuration),
      workerForkOptions: { env: jobEnv(options) },
    },
  );
  worker.on('active', (job) => {
    try {
      onEvent({ type: 'job-start', id: job.id ?? '?', job: parseRepeatJob(job.data) });
    } catch {
      // The job process refuses it with the reason; nothing to announce.
    }
  });
  worker.on('completed', (job, result: RepeatJobResult) => {
    const id = job.id ?? '?';
    try {
      const records = result.lines.map((line, i) => parseRepeatLine(line, `job ${id}`, i + 1));
      onEvent({ type: 'job-done', id, records });
    } catch (err) {
      // Only the announcement fails; the coordinator checks the result itself.
      onEvent({ type: 'job-failed', id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  worker.on('failed', (job, err) =>
    onEvent({ type: 'job-failed', id: job?.id ?? '?', error: err.message }),
  );
  // Connection trouble is retried by ioredis; the event only needs a listener.
  worker.on('error', () => {});
  return worker;
}

function jobEnv(options: RepeatWorkerOptions): NodeJS.ProcessEnv {
  const env = options.env ?? process.env;
  if (options.redisUrl === undefined) return env;
  return {
    ...env,
    FMNIST_FIT_PARTS_REDIS: options.redisUrl,
    FMNIST_FIT_PARTS_QUEUE: options.queueName ?? DEFAULT_QUEUE_NAME,
  };
}
