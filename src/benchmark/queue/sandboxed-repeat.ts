/**
 * BullMQ's sandboxed processor for repeat jobs: the worker runs it in a child process of
 * its own, so a fit that keeps the CPU for an hour (Crammer–Singer runs on one thread)
 * never stops the worker from renewing the job's lock, and a crash fails only the job.
 * The child is reused for later jobs and keeps the last prepared dataset.
 * Environment: FMNIST_HOME (cache root), FMNIST_WORKER_DOWNLOAD=1 (use the mirrors),
 * FMNIST_FIT_PARTS_REDIS and FMNIST_FIT_PARTS_QUEUE (keep fit parts in that Redis, under
 * that queue's name; set by the worker).
 */
import { connectRedis } from './connection.js';
import { parseRepeatJob, type RepeatJobResult } from './repeat-job.js';
import { datasetLoader, runRepeatJob, type JobFitPartsStore } from './run-job.js';

const load = datasetLoader({ download: process.env.FMNIST_WORKER_DOWNLOAD === '1' });

let partsStore: Promise<JobFitPartsStore | null> | null = null;

/** The Redis for fit parts, opened once per job process; without it, jobs keep none. */
function fitPartsStore(): Promise<JobFitPartsStore | null> {
  const url = process.env.FMNIST_FIT_PARTS_REDIS;
  if (!url) return Promise.resolve(null);
  return (partsStore ??= connectRedis(url, { option: 'FMNIST_FIT_PARTS_REDIS' }).then(
    (redis) => ({ redis, queueName: process.env.FMNIST_FIT_PARTS_QUEUE || 'fmnist' }),
    (err: unknown) => {
      process.stderr.write(
        `fmnist job: fit parts will not be kept: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return null;
    },
  ));
}

export default async function processRepeatJob(job: { data: unknown }): Promise<RepeatJobResult> {
  return runRepeatJob(parseRepeatJob(job.data), load, await fitPartsStore());
}
