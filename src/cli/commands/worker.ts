/**
 * `fmnist worker --queue <redis-url>`: serves the repeats that `fmnist benchmark --queue`
 * puts on the BullMQ queue, on this machine's copy of the datasets, until stopped. Ctrl+C
 * (or SIGTERM) lets the job in hand finish first; a second one stops at once, and BullMQ
 * gives the unfinished job to another worker. Each job runs in a child process, and keeps
 * the finished parts of a long fit in the same Redis, so that worker resumes the fit.
 */
import type { Command } from 'commander';
import { connectRedis } from '../../benchmark/queue/connection.js';
import {
  DEFAULT_QUEUE_NAME,
  startRepeatWorker,
  type WorkerEvent,
} from '../../benchmark/queue/worker.js';
import { parsePositiveInt } from '../options.js';

interface WorkerOptions {
  queue: string;
  queueName: string;
  concurrency: string;
  lockSeconds: string;
  download?: boolean;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run benchmark repeats queued by `fmnist benchmark --queue` (BullMQ on Redis)')
    .requiredOption(
      '--queue <redis-url>',
      'the Redis the coordinator uses, e.g. redis://10.0.0.5:6379',
    )
    .option('--queue-name <name>', 'BullMQ queue name', DEFAULT_QUEUE_NAME)
    .option('--concurrency <n>', 'jobs at once (each estimator already uses both cores)', '1')
    .option(
      '--lock-seconds <n>',
      'if this worker stops answering, its job goes to another worker after about this long',
      '60',
    )
    .option('--download', 'download a dataset from the mirrors if no local copy is found')
    .action(async (opts: WorkerOptions) => {
      const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
      const lockSeconds = parsePositiveInt(opts.lockSeconds, '--lock-seconds');
      const connection = await connectRedis(opts.queue);
      const worker = startRepeatWorker({
        connection,
        redisUrl: opts.queue,
        queueName: opts.queueName,
        concurrency,
        lockDurationMs: lockSeconds * 1000,
        env: { ...process.env, ...(opts.download ? { FMNIST_WORKER_DOWNLOAD: '1' } : {}) },
        onEvent: report,
      });
      await worker.waitUntilReady();
      process.stderr.write(
        `fmnist worker: serving queue '${opts.queueName}' on ${opts.queue} (${concurrency} job(s) at once). Ctrl+C stops after the current job.\n`,
      );
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (): void => {
          if (stopping) process.exit(130);
          stopping = true;
          process.stderr.write('fmnist worker: finishing the current job, then stopping…\n');
          void worker.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      connection.disconnect();
    });
}

function report(e: WorkerEvent): void {
  switch (e.type) {
    case 'job-start':
      process.stderr.write(
        `job ${e.id}: ${e.job.dataset} repeat ${e.job.repeat}, ${e.job.rows.join(' | ')}\n`,
      );
      break;
    case 'job-done':
      for (const r of e.records) {
        process.stderr.write(
          `  ${r.classifier} ${r.params}: ${r.accuracy.toFixed(4)} (fit ${r.fitSeconds.toFixed(1)} s, predict ${r.predictSeconds.toFixed(1)} s)${r.note ? `; ${r.note}` : ''}\n`,
        );
      }
      break;
    case 'job-failed':
      process.stderr.write(`job ${e.id} failed: ${e.error}\n`);
      break;
  }
}
