/**
 * The finished parts of a queued repeat's fit (ml/fit-parts.ts), kept in the queue's own
 * Redis: a job whose worker died mid-fit resumes, on whichever machine takes it next, from
 * the parts the dead worker had finished, as a local run resumes from its SQLite store.
 *
 * One Redis hash per repeat and training data, a field per part (its float64 seconds, then
 * its bytes). FitParts is synchronous and Redis is not, so the hash is read once before
 * the fit and saves are sent as soon as the event loop is free: a fit on worker threads
 * leaves it free, so each part reaches Redis as it is finished, and the Crammer–Singer
 * solver yields after each checkpoint. `settle` waits for the sends.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FitParts, StoredPart } from '../../ml/fit-parts.js';
import type { RepeatKey } from '../store.js';

/** Parts of a repeat nobody resumes (its run was abandoned) expire after a week. */
export const FIT_PARTS_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The hash of one repeat's parts on one training set: its key, repeat and data digest
 * (protocol.ts trainingDataId), under the queue's name so queues never share parts.
 */
export function fitPartsRedisKey(
  queueName: string,
  key: RepeatKey,
  repeat: number,
  dataId: string,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([key.dataset, key.classifier, key.params, key.protocol, repeat, dataId]))
    .digest('hex')
    .slice(0, 32);
  return `${keyPrefix(queueName)}${digest}`;
}

const keyPrefix = (queueName: string): string => `fmnist:${queueName}:fit-parts:`;

/** The hashes of fit parts kept for a queue's repeats (for `fmnist queue status|clear`). */
export async function fitPartsKeysOf(redis: Redis, queueName: string): Promise<string[]> {
  // SCAN's pattern is a glob: a queue name's own glob characters must match literally.
  const pattern = keyPrefix(queueName).replace(/[*?[\]\\]/g, '\\$&') + '*';
  const keys = new Set<string>();
  for await (const batch of redis.scanStream({ match: pattern, count: 500 })) {
    for (const k of batch as string[]) keys.add(k);
  }
  return [...keys];
}

export class RedisFitParts implements FitParts {
  /** Saves not sent yet, the latest per part: a fit that keeps the event loop busy holds one each. */
  private readonly pending = new Map<string, Buffer>();
  private sending: Promise<void> | null = null;
  private failure: string | null = null;

  private constructor(
    private readonly redis: Redis,
    readonly redisKey: string,
    private readonly parts: Map<string, StoredPart>,
    readonly checkpointSeconds: number | undefined,
  ) {}

  /**
   * Reads the parts already stored under `redisKey` (none if the hash does not exist).
   * `checkpointSeconds`: see FitParts (default: the solver's).
   */
  static async open(
    redis: Redis,
    redisKey: string,
    { checkpointSeconds }: { checkpointSeconds?: number } = {},
  ): Promise<RedisFitParts> {
    const fields = await redis.hgetallBuffer(redisKey);
    const parts = new Map<string, StoredPart>();
    for (const [name, value] of Object.entries(fields)) {
      // A field too short to hold its seconds is not a part: the fit solves it again.
      if (value.length < 8) continue;
      parts.set(name, {
        seconds: value.readDoubleLE(0),
        bytes: new Uint8Array(value.subarray(8)),
      });
    }
    return new RedisFitParts(redis, redisKey, parts, checkpointSeconds);
  }

  /** How many parts are held (read at open, plus those saved since). */
  get size(): number {
    return this.parts.size;
  }

  load(name: string): StoredPart | null {
    return this.parts.get(name) ?? null;
  }

  save(name: string, part: StoredPart): void {
    this.parts.set(name, part);
    const value = Buffer.alloc(8 + part.bytes.length);
    value.writeDoubleLE(part.seconds, 0);
    value.set(part.bytes, 8);
    // A newer save of the same part (a solver checkpoint) replaces one not sent yet.
    this.pending.set(name, value);
    this.sending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.send());
  }

  /** Sends every pending save in one transaction, then whatever was saved meanwhile. */
  private async send(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = [...this.pending];
      this.pending.clear();
      const tx = this.redis.multi();
      for (const [name, value] of batch) tx.hset(this.redisKey, name, value);
      try {
        await tx.expire(this.redisKey, FIT_PARTS_TTL_SECONDS).exec();
      } catch (err) {
        // Losing a part only costs a resumed run its time: the fit goes on.
        this.failure ??= err instanceof Error ? err.message : String(err);
      }
    }
    this.sending = null;
  }

  /**
   * Waits for the saves sent so far. Returns why one failed (a retried job would solve
   * that part again), or null when all reached Redis.
   */
  async settle(): Promise<string | null> {
    while (this.sending !== null) await this.sending;
    return this.failure;
  }

  /** Deletes the parts, once the repeat they belong to is finished. */
  async drop(): Promise<void> {
    await this.settle();
    await this.redis.del(this.redisKey);
  }
}
