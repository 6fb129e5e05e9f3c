/**
 * Atomic file writes: write a temp file beside the target, then rename over it, so a
 * reader never sees a half-written file and a crash leaves the old file intact.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temp path in the same directory as `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.${counter}.part`);
}

/** Write `bytes` to `target` atomically, creating its directory if needed. */
export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
