/**
 * `fmnist queue status|clear --queue <redis-url>`: what a distributed benchmark's queue
 * holds, and emptying it (e.g. to drop the jobs of a run you no longer want).
 */
import type { Command } from 'commander';
import { clearQueue, queueStatus, type QueueStatus } from '../../benchmark/queue/admin.js';
import { connectRedis } from '../../benchmark/queue/connection.js';
import { DEFAULT_QUEUE_NAME } from '../../benchmark/queue/worker.js';

interface QueueOptions {
  queue: string;
  queueName: string;
  force?: boolean;
}

function describeJobs(s: QueueStatus): string {
  const parts = s.repeatsWithFitParts
    ? `, fit parts kept for ${s.repeatsWithFitParts} unfinished repeat(s)`
    : '';
  return `${s.waiting} waiting, ${s.active} active, ${s.completed} completed, ${s.failed} failed${s.delayed ? `, ${s.delayed} delayed` : ''}${parts}`;
}

export function register(program: Command): void {
  const queue = program
    .command('queue')
    .description('look at or empty the BullMQ queue of `fmnist benchmark --queue`');

  queue
    .command('status')
    .description('jobs waiting, running, finished and failed, and the workers listening')
    .requiredOption('--queue <redis-url>', 'the Redis of the queue, e.g. redis://127.0.0.1:6379')
    .option('--queue-name <name>', 'BullMQ queue name', DEFAULT_QUEUE_NAME)
    .action(async (opts: QueueOptions) => {
      const connection = await connectRedis(opts.queue);
      try {
        const s = await queueStatus(connection, opts.queueName);
        process.stdout.write(
          `queue '${opts.queueName}' on ${opts.queue}: ${describeJobs(s)}; ${s.workers} worker(s) connected\n`,
        );
      } finally {
        connection.disconnect();
      }
    });

  queue
    .command('clear')
    .description(
      'remove every job of the queue and its kept fit parts (results already in a store stay there)',
    )
    .requiredOption('--queue <redis-url>', 'the Redis of the queue, e.g. redis://127.0.0.1:6379')
    .option('--queue-name <name>', 'BullMQ queue name', DEFAULT_QUEUE_NAME)
    .option('--force', 'also drop jobs that workers are running')
    .action(async (opts: QueueOptions) => {
      const connection = await connectRedis(opts.queue);
      try {
        const s = await clearQueue(connection, opts.queueName, { force: opts.force });
        process.stdout.write(`cleared queue '${opts.queueName}': ${describeJobs(s)}\n`);
      } finally {
        connection.disconnect();
      }
    });
}
