/**
 * One-vs-rest for the SGD family: one binary problem per class (a single one, class 1
 * positive, for two classes). The problems share one seed, hence one shuffled order per
 * epoch, and are trained side by side (kernels/sgd-train.ts's trainSgdProblems), so a
 * problem's result does not depend on which others ran with it: with n_jobs > 1 the
 * classes are split between worker threads that read the one copy of the data in the
 * shared arena, and the model is the same as on one thread. The row operations run on the
 * WASM SIMD kernels (or, for tests and benchmarks, on the TypeScript reference: same bits).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sharedArena } from '../../kernels/arena.js';
import { TS_ROW_OPS, type SgdRowOps } from '../../kernels/sgd.js';
import { wasmRowOps, type SgdKernels } from '../../kernels/sgd-wasm.js';
import { instantiateKernels, kernelModule } from '../../kernels/wasm.js';
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

/** Which row operations run the problems: the WASM SIMD kernels, or the TypeScript reference. */
export type SgdKernelsChoice = 'wasm' | 'ts';

/**
 * What every worker is started with: the arena's memory (the data and every weight vector
 * live there) and where the data is in it.
 */
export interface SgdWorkerInit {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module | null;
  readonly xPtr: number;
  readonly rows: number;
  readonly cols: number;
  readonly labels: SharedArrayBuffer;
  readonly rowSqNorms: SharedArrayBuffer | null;
  readonly cfg: BinarySgdConfig;
}

/** A share of the binary problems for one worker, and the arena pointers of their weights. */
export interface SgdWorkerTask {
  readonly positives: readonly number[];
  readonly seed: number;
  readonly wPtrs: readonly number[];
  readonly qPtrs: readonly number[];
}

export interface SgdWorkerReply {
  readonly results?: BinarySgdResult[];
  readonly error?: { message: string; code?: string };
}

/** Views of d float64s at each pointer of the arena's memory. */
export function weightViews(
  memory: WebAssembly.Memory,
  ptrs: readonly number[],
  d: number,
): Float64Array[] {
  return ptrs.map((p) => new Float64Array(memory.buffer, p, d));
}

/** The row operations for `kernels`, over the kernels instantiated on this thread's memory. */
export function rowOpsFor(
  kernels: SgdKernelsChoice,
  memory: WebAssembly.Memory,
  module?: WebAssembly.Module,
): SgdRowOps {
  if (kernels === 'ts') return TS_ROW_OPS;
  return wasmRowOps(instantiateKernels(memory, module) as unknown as SgdKernels);
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
  kernels: SgdKernelsChoice = 'wasm',
): Promise<SgdOvrModel> {
  const positives = nClasses === 2 ? [1] : Array.from({ length: nClasses }, (_, k) => k);
  const seed = rng.nextUint32() | 0;
  const workers = Math.min(nJobs, positives.length);
  const d = data.cols;
  // The data (unless it is there already) and every weight vector go into the arena, where
  // the WASM kernels, on this thread or a worker, read them in place.
  const arena = sharedArena();
  const X = arena.borrow(data.X);
  const wPtrs = positives.map(() => arena.alloc(d * 8));
  const qPtrs = positives.map(() => arena.alloc(d * 8));
  try {
    for (const p of [...wPtrs, ...qPtrs]) new Float64Array(arena.buffer(), p, d).fill(0);
    let results: BinarySgdResult[];
    if (workers <= 1) {
      const memory = arena.memory;
      results = trainSgdProblems(
        { ...data, X: new Float32Array(arena.buffer(), X.ptr, data.X.length) },
        positives,
        cfg,
        new Rng(seed),
        rowOpsFor(kernels, memory, kernelModule()),
        { W: weightViews(memory, wPtrs, d), Q: weightViews(memory, qPtrs, d) },
      );
    } else {
      // Contiguous shares of the classes, as even as possible.
      const share = (a: readonly number[], w: number): number[] =>
        a.slice(Math.floor((w * a.length) / workers), Math.floor(((w + 1) * a.length) / workers));
      const tasks = Array.from({ length: workers }, (_, w) => ({
        positives: share(positives, w),
        seed,
        wPtrs: share(wPtrs, w),
        qPtrs: share(qPtrs, w),
      }));
      results = (await runOnWorkers(data, X.ptr, cfg, kernels, tasks)).flat();
    }
    const coef = new Float64Array(results.length * d);
    const intercept = new Float64Array(results.length);
    let nIter = 0;
    results.forEach((r, k) => {
      coef.set(r.coef, k * d);
      intercept[k] = r.intercept;
      nIter = Math.max(nIter, r.nIter);
    });
    return { coef, intercept, nIter };
  } finally {
    for (const p of [...wPtrs, ...qPtrs]) arena.release(p);
    X.done();
  }
}

/** Runs each task on its own worker thread; resolves to the tasks' results in order. */
async function runOnWorkers(
  data: Omit<BinarySgdData, 'positive'>,
  xPtr: number,
  cfg: BinarySgdConfig,
  kernels: SgdKernelsChoice,
  tasks: SgdWorkerTask[],
): Promise<BinarySgdResult[][]> {
  const init: SgdWorkerInit = {
    memory: sharedArena().memory,
    module: kernels === 'wasm' ? kernelModule() : null,
    xPtr,
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

type Shareable = Float64Array | Int32Array;

/** A copy of the array's bytes in a new SharedArrayBuffer (starting at offset 0). */
function sharedCopy(a: Shareable): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return buffer;
}
