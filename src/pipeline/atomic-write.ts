/** Files the user owns are never half-written: write a temp file beside, then rename. */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${threadId}.${counter++}.tmp`);
}

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPath(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** Synchronous variant: cheaper for many tiny files written from a worker thread. */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const temp = tempPath(path);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file was never created
    }
    throw err;
  }
}
