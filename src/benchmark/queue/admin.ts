/**
 * Looking at and emptying a benchmark queue: what is waiting, running, finished or failed,
 * how many workers listen, and the fit parts kept for interrupted repeats. Clearing never
 * touches a results store; what a coordinator recorded stays there.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { fitPartsKeysOf } from './redis-fit-parts.js';

export interface QueueStatus {
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly delayed: number;
  readonly workers: number;
  /** Repeats whose finished fit parts are kept for a retry (redis-fit-parts.ts). */
  readonly repeatsWithFitParts: number;
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

async function statusOf(queue: Queue, connection: Redis, name: string): Promise<QueueStatus> {
  const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  return {
    waiting: c.waiting ?? 0,
    active: c.active ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
    delayed: c.delayed ?? 0,
    workers: (await queue.getWorkers()).length,
    repeatsWithFitParts: (await fitPartsKeysOf(connection, name)).length,
  };
}

export function queueStatus(connection: Redis, name: string): Promise<QueueStatus> {
  return withQueue(connection, name, (queue) => statusOf(queue, connection, name));
}

/**
 * Removes every job of the queue and the fit parts kept for its repeats, and returns what
 * it held. Jobs a worker is running make it refuse unless `force` (their results would be
 * dropped).
 */
export function clearQueue(
  connection: Redis,
  name: string,
  { force = false }: { force?: boolean } = {},
): Promise<QueueStatus> {
  return withQueue(connection, name, async (queue) => {
    const before = await statusOf(queue, connection, name);
    if (before.active > 0 && !force) {
      throw new Error(
        `Queue '${name}' has ${before.active} job(s) a worker is running; stop the workers first, or pass --force to drop them too.`,
      );
    }
    await queue.obliterate({ force: true });
    const parts = await fitPartsKeysOf(connection, name);
    if (parts.length > 0) await connection.del(...parts);
    return before;
  });
}
