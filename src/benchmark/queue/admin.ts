/**
 * Looking at and emptying a benchmark queue: what is waiting, running, finished or failed,
 * and how many workers listen. Clearing never touches a results store; what a coordinator
 * recorded stays there.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface QueueStatus {
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly delayed: number;
  readonly workers: number;
}

async function withQueue<T>(
  connection: Redis,
  name: string,
  use: (q: Queue) => Promise<T>,
): Promise<T> {
  const queue = new Queue(name, { connection });
  queue.on('error', () => {});
  try {
    return await use(queue);
  } finally {
    await queue.close();
  }
}

async function statusOf(queue: Queue): Promise<QueueStatus> {
  const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  return {
    waiting: c.waiting ?? 0,
    active: c.active ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
    delayed: c.delayed ?? 0,
    workers: (await queue.getWorkers()).length,
  };
}

export function queueStatus(connection: Redis, name: string): Promise<QueueStatus> {
  return withQueue(connection, name, statusOf);
}

/**
 * Removes every job of the queue and returns what it held. Jobs a worker is running make
 * it refuse unless `force` (their results would be dropped).
 */
export function clearQueue(
  connection: Redis,
  name: string,
  { force = false }: { force?: boolean } = {},
): Promise<QueueStatus> {
  return withQueue(connection, name, async (queue) => {
    const before = await statusOf(queue);
    if (before.active > 0 && !force) {
      throw new Error(
        `Queue '${name}' has ${before.active} job(s) a worker is running; stop the workers first, or pass --force to drop them too.`,
      );
    }
    await queue.obliterate({ force: true });
    return before;
  });
}
