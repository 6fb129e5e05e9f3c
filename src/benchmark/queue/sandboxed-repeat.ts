/**
 * BullMQ's sandboxed processor for repeat jobs: the worker runs it in a child process of
 * its own, so a fit that keeps the CPU for an hour (Crammer–Singer runs on one thread)
 * never stops the worker from renewing the job's lock, and a crash fails only the job.
 * The child is reused for later jobs and keeps the last prepared dataset.
 * Environment: FMNIST_HOME (cache root), FMNIST_WORKER_DOWNLOAD=1 (use the mirrors).
 */
import { parseRepeatJob, type RepeatJobResult } from './repeat-job.js';
import { datasetLoader, runRepeatJob } from './run-job.js';

const load = datasetLoader({ download: process.env.FMNIST_WORKER_DOWNLOAD === '1' });

export default async function processRepeatJob(job: { data: unknown }): Promise<RepeatJobResult> {
  return runRepeatJob(parseRepeatJob(job.data), load);
}
