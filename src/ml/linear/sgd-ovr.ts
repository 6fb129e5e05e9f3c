/**
 * One-vs-rest for the SGD family: one binary problem per class (a single one, class 1
 * positive, for two classes). The problems share one seed, hence one shuffled order per
 * epoch, and are trained side by side (kernels/sgd-train.ts's trainSgdProblems), so a
 * problem's result does not depend on which others ran with it: with n_jobs > 1 the
 * classes are split between worker threads that read one SharedArrayBuffer copy of the
 * data, and the model is the same as on one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  trainSgdProblems,
  type BinarySgdConfig,
  type BinarySgdData,
  type BinarySgdResult,
} from '../../kernels/sgd-train.js';
import { FmnistError, type ErrorCode } from '../../errors.js';
import { Rng } from '../random.js';

export interface SgdOvrModel {
  coef: Float64Array;
  intercept: Float64Array;
  nIter: number;
}

/** What every worker is started with. */
export interface SgdWorkerInit {
  readonly X: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly rows: number;
  readonly cols: number;
  readonly labels: SharedArrayBuffer;
  readonly rowSqNorms: SharedArrayBuffer | null;
  readonly cfg: BinarySgdConfig;
}

/** A share of the binary problems for one worker. */
export interface SgdWorkerTask {
  readonly positives: readonly number[];
  readonly seed: number;
}

export interface SgdWorkerReply {
  readonly results?: BinarySgdResult[];
  readonly error?: { message: string; code?: string };
}

/** scikit-learn's n_jobs: null → 1, −1 → every core, −2 → all but one, … */
export function resolveSgdJobs(nJobs: number | null): number {
  if (nJobs === null) return 1;
  if (nJobs < 0) return Math.max(1, availableParallelism() + 1 + nJobs);
  return nJobs;
}

export async function fitOneVsRest(
  data: Omit<BinarySgdData, 'positive'>,
  nClasses: number,
  cfg: BinarySgdConfig,
  rng: Rng,
  nJobs: number,
): Promise<SgdOvrModel> {
  const positives = nClasses === 2 ? [1] : Array.from({ length: nClasses }, (_, k) => k);
  const seed = rng.nextUint32() | 0;
  const workers = Math.min(nJobs, positives.length);
  let results: BinarySgdResult[];
  if (workers <= 1) {
    results = trainSgdProblems(data, positives, cfg, new Rng(seed));
  } else {
    // Contiguous shares of the classes, as even as possible.
    const shares = Array.from({ length: workers }, (_, w) =>
      positives.slice(
        Math.floor((w * positives.length) / workers),
        Math.floor(((w + 1) * positives.length) / workers),
      ),
    );
    results = (
      await runOnWorkers(
        data,
        cfg,
        shares.map((share) => ({ positives: share, seed })),
      )
    ).flat();
  }
  const d = data.cols;
  const coef = new Float64Array(results.length * d);
  const intercept = new Float64Array(results.length);
  let nIter = 0;
  results.forEach((r, k) => {
    coef.set(r.coef, k * d);
    intercept[k] = r.intercept;
    nIter = Math.max(nIter, r.nIter);
  });
  return { coef, intercept, nIter };
}

/** Runs each task on its own worker thread; resolves to the tasks' results in order. */
async function runOnWorkers(
  data: Omit<BinarySgdData, 'positive'>,
  cfg: BinarySgdConfig,
  tasks: SgdWorkerTask[],
): Promise<BinarySgdResult[][]> {
  const X = toShared(data.X);
  const init: SgdWorkerInit = {
    X: X.buffer,
    byteOffset: X.byteOffset,
    rows: data.rows,
    cols: data.cols,
    labels: sharedCopy(data.labels),
    rowSqNorms: data.rowSqNorms ? sharedCopy(data.rowSqNorms) : null,
    cfg,
  };
  const url = new URL('./sgd-worker.js', import.meta.url);
  const pool = tasks.map(() => new Worker(url, { workerData: init }));
  try {
    return await Promise.all(
      pool.map(
        (worker, w) =>
          new Promise<BinarySgdResult[]>((resolve, reject) => {
            worker.once('message', (reply: SgdWorkerReply) => {
              if (reply.error) {
                const { message, code } = reply.error;
                reject(code ? new FmnistError(code as ErrorCode, message) : new Error(message));
              } else {
                resolve(reply.results as BinarySgdResult[]);
              }
            });
            worker.once('error', reject);
            worker.once('exit', (code) =>
              reject(new Error(`SGD worker exited early with code ${code}.`)),
            );
            worker.postMessage(tasks[w]);
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

type Shareable = Float32Array | Float64Array | Int32Array;

/** The data in shared memory: as is when it already is, else copied once. */
function toShared(a: Float32Array): { buffer: SharedArrayBuffer; byteOffset: number } {
  if (a.buffer instanceof SharedArrayBuffer) return { buffer: a.buffer, byteOffset: a.byteOffset };
  return { buffer: sharedCopy(a), byteOffset: 0 };
}

/** A copy of the array's bytes in a new SharedArrayBuffer (starting at offset 0). */
function sharedCopy(a: Shareable): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return buffer;
}
