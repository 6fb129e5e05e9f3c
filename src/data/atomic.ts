/**
 * Atomic file writes: write a temp file beside the target, then rename over it, so a
 * reader never sees a half-written file and a crash leaves the old file intact.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

export interface AtomicWriteOptions {
  /**
   * fsync the temp file before the rename, so the new content also survives a power loss.
   * Batches of many small outputs (the pipeline's PNGs) turn it off for speed.
   * @default true
   */
  durable?: boolean;
}

/** A temp path in the same directory as `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.${basename(target)}.${process.pid}.${threadId}.${counter}.part`);
}

/** Write `bytes` to `target` atomically, creating its directory if needed. */
export async function writeFileAtomic(
  target: string,
  bytes: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      if (options.durable ?? true) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Synchronous variant: cheaper for many tiny files written from a worker thread. */
export function writeFileAtomicSync(
  target: string,
  bytes: Uint8Array | string,
  options: AtomicWriteOptions = {},
): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const fd = openSync(temp, 'w');
    try {
      const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
      if (options.durable ?? true) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
