/**
 * `fmnist convert` as a library call: many inputs → PNGs + manifest.csv, on all cores.
 * Worker threads run the 7 steps; sharp decodes on libuv's pool. Chunks are handed out
 * on demand so a slow file does not stall a whole thread's share.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeFileAtomic } from '../../data/atomic.js';
import { type ManifestRow, formatManifest } from '../manifest.js';
import type { ConvertTask } from './collect-inputs.js';
import { type FileConvertOptions, convertFiles } from './convert-file.js';
import type { ChunkMessage } from './worker.js';

export interface BatchOptions extends FileConvertOptions {
  /**
   * Worker threads; 0 converts on the calling thread (as do batches of fewer than two
   * chunks). @default available cores
   */
  workers?: number;
  /** Concurrent decodes per thread. @default 8 */
  inFlight?: number;
  /** Tasks per message to a worker. @default 32 */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BatchSummary {
  rows: ManifestRow[];
  counts: Record<ManifestRow['status'], number>;
  manifestPath: string;
}

function summarise(rows: ManifestRow[], manifestPath: string): BatchSummary {
  const counts = { ok: 0, 'low-contrast': 0, empty: 0, error: 0 };
  for (const r of rows) counts[r.status]++;
  return { rows, counts, manifestPath };
}

export async function convertBatch(
  tasks: readonly ConvertTask[],
  options: BatchOptions,
): Promise<BatchSummary> {
  mkdirSync(options.outDir, { recursive: true });
  const fileOptions: FileConvertOptions = {
    outDir: options.outDir,
    sharpen: options.sharpen,
    keepLowContrast: options.keepLowContrast,
    steps: options.steps,
  };
  const inFlight = options.inFlight ?? 8;
  const chunkSize = options.chunkSize ?? 32;
  // A worker costs ~0.1–0.5 s to start (module loading): small batches stay on this thread.
  const workers =
    tasks.length < 2 * chunkSize
      ? 0
      : Math.min(options.workers ?? availableParallelism(), Math.ceil(tasks.length / chunkSize));
  const rows: ManifestRow[] = new Array(tasks.length);
  let done = 0;
  if (workers <= 0) {
    for (let i = 0; i < tasks.length; i += chunkSize) {
      const part = await convertFiles(tasks.slice(i, i + chunkSize), fileOptions, inFlight);
      part.forEach((r, k) => (rows[i + k] = r));
      done += part.length;
      options.onProgress?.(done, tasks.length);
    }
  } else {
    await runOnWorkers(tasks, rows, workers, chunkSize, { options: fileOptions, inFlight }, (n) => {
      done += n;
      options.onProgress?.(done, tasks.length);
    });
  }
  const manifestPath = join(options.outDir, 'manifest.csv');
  await writeFileAtomic(manifestPath, formatManifest(rows));
  return summarise(rows, manifestPath);
}

function runOnWorkers(
  tasks: readonly ConvertTask[],
  rows: ManifestRow[],
  count: number,
  chunkSize: number,
  workerData: { options: FileConvertOptions; inFlight: number },
  progressed: (n: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let nextStart = 0;
    let pending = 0;
    let failed = false;
    const pool: Worker[] = [];
    const finish = (err?: Error) => {
      if (failed) return;
      if (err) failed = true;
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const feed = (worker: Worker) => {
      if (nextStart >= tasks.length) {
        if (pending === 0) finish();
        return;
      }
      const msg: ChunkMessage = {
        id: nextStart,
        tasks: tasks.slice(nextStart, nextStart + chunkSize),
      };
      nextStart += msg.tasks.length;
      pending++;
      worker.postMessage(msg);
    };
    for (let k = 0; k < count; k++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData });
      pool.push(worker);
      worker.on('message', (msg: { id: number; rows?: ManifestRow[]; error?: string }) => {
        pending--;
        if (msg.error !== undefined || !msg.rows)
          return finish(new Error(`convert worker failed: ${msg.error}`));
        msg.rows.forEach((r, i) => (rows[msg.id + i] = r));
        progressed(msg.rows.length);
        feed(worker);
      });
      worker.on('error', (err) => finish(err));
      // Two chunks in flight per worker so it never waits on the main thread.
      feed(worker);
      feed(worker);
    }
  });
}
