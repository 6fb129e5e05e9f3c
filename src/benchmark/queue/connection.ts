/**
 * Redis connections for the distributed benchmark (BullMQ). A connection is checked when
 * it opens, so a wrong URL or a Redis that is not running is a clear error at once instead
 * of a run that waits forever; once up, a dropped connection is retried as usual.
 */
import { Redis } from 'ioredis';

export class QueueConnectionError extends Error {
  readonly code = 'QUEUE_UNREACHABLE';
  constructor(message: string) {
    super(message);
    this.name = 'QueueConnectionError';
  }
}

/** Checks that `text` is a redis:// (or rediss://) URL; `option` names it in the error. */
export function parseRedisUrl(text: string, option = '--queue'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(
      `${option} must be a Redis URL such as redis://127.0.0.1:6379. Got '${text}'.`,
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RangeError(
      `${option} must be a Redis URL (redis:// or rediss://), such as redis://127.0.0.1:6379. Got '${text}'.`,
    );
  }
  return url;
}

/** The URL without its password, for messages. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.href);
  if (shown.password) shown.password = '***';
  return shown.href;
}

/**
 * Opens a connection BullMQ can use (also for blocking commands: no per-request retry
 * limit). Rejects with QueueConnectionError if Redis does not answer within timeoutMs.
 */
export async function connectRedis(
  urlText: string,
  { option = '--queue', timeoutMs = 5000 }: { option?: string; timeoutMs?: number } = {},
): Promise<Redis> {
  const url = parseRedisUrl(urlText, option);
  let ready = false;
  const redis = new Redis(url.href, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: timeoutMs,
    // Give up at once while opening (the error below says why); retry once it was up.
    retryStrategy: (times) => (ready ? Math.min(times * 200, 2000) : null),
  });
  // ioredis reports the cause (e.g. ECONNREFUSED) as an event, then rejects with a generic
  // "Connection is closed"; keep the cause for the message.
  let cause: Error | null = null;
  redis.on('error', (err: Error) => {
    cause = err;
  });
  try {
    await redis.connect();
    await redis.ping();
    ready = true;
    return redis;
  } catch (err) {
    redis.disconnect();
    const failure: unknown = cause ?? err;
    const detail = (failure instanceof Error ? failure.message : String(failure)).replace(
      /\.$/,
      '',
    );
    throw new QueueConnectionError(
      `Cannot reach Redis at ${displayUrl(url)} (${option}): ${detail}. Start a Redis server there (e.g. redis-server --port ${url.port || 6379}) or give another URL.`,
    );
  }
}
