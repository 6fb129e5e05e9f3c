/**
 * One-vs-rest over liblinear binary problems, as liblinear's train() does for more than
 * two classes: class k against the rest, for every k, each problem independent. With
 * nJobs > 1 the problems run on worker threads that all read one SharedArrayBuffer copy
 * of the data. Each problem's seed is drawn up front, in class order, so the result does
 * not depend on which worker ran what.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ArenaRegion, WasmLinearOps, binaryScratchBytes } from '../../kernels/linear-ops.js';
import { columnMajorWithBias } from '../../kernels/liblinear.js';
import { kernelModule } from '../../kernels/wasm.js';
import type { Rng } from '../random.js';
import type { BinaryResult, BinarySpec } from './liblinear-binary.js';
import { trainBinary } from './liblinear-binary.js';
import { solveSvmDual } from './liblinear-dual-cd.js';
import { LiblinearStream } from './liblinear-stream.js';
import type { LinearProblem } from './liblinear-problem.js';
import { oneVsRestLabels, weightSize } from './liblinear-problem.js';
import { type SubproblemStates, timedCheckpoints } from './solver-checkpoints.js';

export interface OvrModel {
  /** nW weight vectors of `size` entries, class-major (nW = 1 for two classes). */
  coef: Float64Array;
  nW: number;
  /** Solver iterations per binary problem. */
  iterations: number[];
}

/**
 * Where finished one-vs-rest problems are kept and found again (see class-parts.ts), with
 * the checkpoints of a class's solver while it runs (newGLMNET's, the one that keeps them).
 */
export interface ClassKeeper extends SubproblemStates<number> {
  /** Class `positive`'s weights (of `size` entries) from an earlier, interrupted fit, or null. */
  restore(positive: number, size: number): BinaryResult | null;
  keep(positive: number, result: BinaryResult): void;
}

/** Task sent to a worker: which binary problem to solve. */
export interface WorkerTask {
  readonly id: number;
  readonly positive: number;
  readonly seed: number;
  /** The solver checkpoint to continue from, if any. */
  readonly state: Uint8Array | null;
  /** How often to send checkpoints back (null: keep none). */
  readonly checkpointSeconds: number | null;
}

/** What a worker posts: a checkpoint of a task's solver, or the task's result. */
export type WorkerMessage =
  | { kind: 'state'; id: number; bytes: Uint8Array }
  | {
      kind: 'result';
      id: number;
      w: Float64Array;
      iterations: number;
      continuedFrom: number | null;
    };

/**
 * What a worker is started with. With `memory` set (the WASM ops), the data is at
 * `byteOffset` in that memory and the worker's vectors go to [scratch, scratch+scratchBytes);
 * otherwise `data` is a SharedArrayBuffer and the worker runs the TypeScript ops.
 */
export interface WorkerInit {
  readonly data: SharedArrayBuffer | null;
  readonly memory: WebAssembly.Memory | null;
  readonly module: WebAssembly.Module | null;
  readonly scratch: number;
  readonly scratchBytes: number;
  /** Byte offset of the column-major copy in `memory` (0: none). */
  readonly columns: number;
  readonly byteOffset: number;
  readonly rows: number;
  readonly cols: number;
  readonly biasValue: number;
  readonly labels: SharedArrayBuffer;
  readonly spec: BinarySpec;
}

export async function trainOneVsRest(
  problem: LinearProblem,
  y: Int32Array,
  nClasses: number,
  spec: BinarySpec,
  rng: Rng,
  nJobs: number,
  keeper: ClassKeeper | null = null,
): Promise<OvrModel> {
  // newGLMNET walks features: one column-major copy in the kernels' memory serves every
  // class and every worker.
  const columnRegion =
    spec.solver === 'l1r_lr' && problem.ops instanceof WasmLinearOps && !problem.columns
      ? new ArenaRegion()
      : null;
  try {
    const p = columnRegion === null ? problem : withColumns(problem, columnRegion);
    return await trainEach(p, y, nClasses, spec, rng, nJobs, keeper);
  } finally {
    columnRegion?.release();
  }
}

function withColumns(p: LinearProblem, region: ArenaRegion): LinearProblem {
  const size = weightSize(p);
  const columns = region.f32(size * p.rows);
  columnMajorWithBias(p.data, p.rows, p.cols, p.biasValue, columns);
  return { ...p, columns };
}

async function trainEach(
  p: LinearProblem,
  y: Int32Array,
  nClasses: number,
  spec: BinarySpec,
  rng: Rng,
  nJobs: number,
  keeper: ClassKeeper | null,
): Promise<OvrModel> {
  const size = weightSize(p);
  // Two classes: a single problem with class 1 as +1 (scikit-learn's convention).
  const positives = nClasses === 2 ? [1] : Array.from({ length: nClasses }, (_, k) => k);
  const tasks = positives.map((positive, id) => ({ id, positive, seed: rng.nextUint32() | 0 }));
  const results = new Array<BinaryResult>(tasks.length);
  // Every seed is drawn above, so a restored problem leaves the others' seeds as they were.
  const todo = tasks.filter((t) => {
    const restored = keeper?.restore(t.positive, size) ?? null;
    if (restored !== null) results[t.id] = restored;
    return restored === null;
  });
  const done = (t: { id: number; positive: number }, r: BinaryResult): void => {
    results[t.id] = r;
    keeper?.keep(t.positive, r);
  };
  const workers = Math.min(resolveJobs(nJobs), todo.length);
  if (workers <= 1) {
    for (const t of todo) {
      const checkpoints =
        keeper === null
          ? null
          : timedCheckpoints(keeper.loadState(t.positive), keeper.checkpointSeconds, (bytes) =>
              keeper.saveState(t.positive, bytes),
            );
      const r = trainBinary(p, oneVsRestLabels(y, t.positive), spec, t.seed, checkpoints);
      done(t, { ...r, w: r.w.slice() });
    }
  } else {
    const workerTasks: WorkerTask[] = todo.map((t) => ({
      ...t,
      state: keeper?.loadState(t.positive) ?? null,
      checkpointSeconds: keeper?.checkpointSeconds ?? null,
    }));
    await runOnWorkers(p, y, spec, workerTasks, workers, {
      result: (id, r) => done(tasks[id], r),
      state: (id, bytes) => keeper?.saveState(tasks[id].positive, bytes),
    });
  }
  const coef = new Float64Array(tasks.length * size);
  results.forEach((r, k) => coef.set(r.w, k * size));
  return { coef, nW: tasks.length, iterations: results.map((r) => r.iterations) };
}

/**
 * One-vs-rest exactly as scikit-learn's liblinear runs it, for the dual coordinate descent
 * solvers: the rows grouped by class (ascending, each group in data order: its
 * group_classes), then every class's problem in turn on one thread, all drawing from one
 * LiblinearStream seeded as scikit-learn seeds it. Given the same rows and random_state,
 * the weights are scikit-learn's up to rounding. Sequential by nature (each problem starts
 * where the previous one left the stream), so nothing runs in parallel and nothing resumes.
 */
export function trainOneVsRestInSklearnOrder(
  p: LinearProblem,
  y: Int32Array,
  nClasses: number,
  spec: BinarySpec,
  liblinearSeed: number,
): OvrModel {
  if (spec.solver !== 'l2r_l1loss_svc_dual' && spec.solver !== 'l2r_l2loss_svc_dual') {
    throw new RangeError(
      `scikit-learn's random stream is replicated for the dual coordinate descent solvers only; got ${spec.solver}.`,
    );
  }
  const loss = spec.solver === 'l2r_l1loss_svc_dual' ? 'hinge' : 'squared_hinge';
  const grouped = new Int32Array(y.length);
  let at = 0;
  for (let k = 0; k < nClasses; k++)
    for (let i = 0; i < y.length; i++) if (y[i] === k) grouped[at++] = i;
  const stream = new LiblinearStream(liblinearSeed);
  const size = weightSize(p);
  // Two classes: one problem with class 1 as +1, as liblinear's label order gives it.
  const positives = nClasses === 2 ? [1] : Array.from({ length: nClasses }, (_, k) => k);
  const coef = new Float64Array(positives.length * size);
  const iterations = positives.map((positive, k) => {
    const labels = oneVsRestLabels(y, positive);
    const r = solveSvmDual(p, labels, spec.C, loss, spec.eps, spec.maxIter, stream, grouped);
    coef.set(r.w, k * size);
    return r.iterations;
  });
  return { coef, nW: positives.length, iterations };
}

/** scikit-learn's n_jobs: null → 1, −1 → every core. */
export function resolveJobs(nJobs: number | null): number {
  if (nJobs === null) return 1;
  if (nJobs < 0) return Math.max(1, availableParallelism() + 1 + nJobs);
  return nJobs;
}

async function runOnWorkers(
  p: LinearProblem,
  y: Int32Array,
  spec: BinarySpec,
  tasks: WorkerTask[],
  nWorkers: number,
  on: {
    result: (id: number, result: BinaryResult) => void;
    state: (id: number, bytes: Uint8Array) => void;
  },
): Promise<void> {
  const labels = new SharedArrayBuffer(y.length * 4);
  new Int32Array(labels).set(y);
  const wasm = p.ops instanceof WasmLinearOps ? p.ops : null;
  // Each worker's vectors get a range of the shared memory of their own.
  const scratch = wasm === null ? null : new ArenaRegion();
  const scratchBytes = binaryScratchBytes(p.rows, weightSize(p));
  const shared = wasm === null ? sharedCopy(p.data) : null;
  const inits: WorkerInit[] = Array.from({ length: nWorkers }, () => ({
    data: shared?.buffer ?? null,
    memory: wasm?.memory ?? null,
    module: wasm === null ? null : kernelModule(),
    scratch: scratch?.alloc(scratchBytes) ?? 0,
    scratchBytes,
    columns: p.columns?.byteOffset ?? 0,
    byteOffset: shared?.byteOffset ?? p.data.byteOffset,
    rows: p.rows,
    cols: p.cols,
    biasValue: p.biasValue,
    labels,
    spec,
  }));
  const queue = tasks.slice();
  const url = new URL('./liblinear-worker.js', import.meta.url);
  const pool = inits.map((init) => new Worker(url, { workerData: init }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = (): void => {
              const task = queue.shift();
              if (task === undefined) resolve();
              else worker.postMessage(task);
            };
            worker.on('message', (msg: WorkerMessage) => {
              if (msg.kind === 'state') {
                on.state(msg.id, msg.bytes);
                return;
              }
              const { w, iterations, continuedFrom } = msg;
              on.result(msg.id, { w, iterations, continuedFrom });
              next();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (queue.length > 0 || code !== 0)
                reject(new Error(`liblinear worker exited with code ${code}.`));
            });
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
    scratch?.release();
  }
}

/** The data in shared memory: as is when it already is, else copied once. */
function sharedCopy(data: Float32Array): { buffer: SharedArrayBuffer; byteOffset: number } {
  if (data.buffer instanceof SharedArrayBuffer)
    return { buffer: data.buffer, byteOffset: data.byteOffset };
  const buffer = new SharedArrayBuffer(data.byteLength);
  new Float32Array(buffer).set(data);
  return { buffer, byteOffset: 0 };
}

/**
 * Predicted class per row: argmax_k (w_k·x) for nW ≥ 3 (first maximum wins, as
 * liblinear), the sign of w·x for a single vector (positive → class 1).
 */
export function predictLinear(
  data: Float32Array,
  rows: number,
  cols: number,
  coef: Float64Array,
  nW: number,
  biasValue: number,
  scoreRow: (
    data: Float32Array,
    offset: number,
    cols: number,
    w: Float64Array,
    wOffset: number,
    bias: number,
  ) => number,
): Int32Array {
  const size = cols + (biasValue > 0 ? 1 : 0);
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    if (nW === 1) {
      out[i] = scoreRow(data, o, cols, coef, 0, biasValue) > 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < nW; k++) {
      const s = scoreRow(data, o, cols, coef, k * size, biasValue);
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}
