/**
 * libsvm's one-vs-one multi-class SVC: one two-class C-SVC per pair of classes (class a
 * as +1, class b as −1, a < b, each class's rows in training order), the union of their
 * support vectors as the model, and prediction by votes (decision value > 0 votes for a;
 * ties go to the lowest class index).
 *
 * The training matrix lives once in the kernels' shared memory (grouped by class by the
 * caller, so a pair's rows are two contiguous runs); each pair is a list of row indices
 * into it, never a copy. Pairs are independent and run on worker threads (likely-hard
 * first, see pair-order.ts, so the last pair to finish is a cheap one); each worker has
 * its own kernel-row cache and scratch. Prediction is a GEMM of a block of test rows
 * against all support vectors, turned into kernel values in place, then a second GEMM
 * against the per-pair coefficient rows gives all 45 decision values at once.
 */
import { Worker } from 'node:worker_threads';
import { sharedArena, type SharedArena } from '../../kernels/arena.js';
import { localKernels } from '../../kernels/local.js';
import {
  asSvmKernels,
  KERNEL_CODES,
  type KernelSpec,
  type SvmKernelExports,
} from '../../kernels/svm.js';
import { kernelModule } from '../../kernels/wasm.js';
import { smoStateBytes, WasmSmoLoops } from '../../kernels/smo-loops.js';
import {
  type BinaryCheckpoints,
  type SubproblemStates,
  timedCheckpoints,
} from '../linear/solver-checkpoints.js';
import { hardestPairsFirst, pairIndex, pairOverlap } from './pair-order.js';
import { type BinarySolution, solveCSVC } from './smo.js';
import { type SharedLayout, WasmQRows } from './q-rows.js';

/** Rows computed per pass over the data at most (the missing row plus hints). */
export const MAX_BATCH = 4;
/**
 * Most bytes per thread for rows gathered into position order (SolverOptions.activeRows):
 * room for up to 8,192 active variables' rows, so every pair of Fashion-MNIST or MNIST
 * (12,000–13,700 rows) gathers whenever at most half its variables are active (144–188 MB).
 */
const ACTIVE_ROWS_BYTES = 256 * 1024 * 1024;
/** Test rows per GEMM block at prediction. */
const PREDICT_BLOCK = 128;

export interface SolveOptions {
  C: number;
  eps: number;
  shrinking: boolean;
  maxIter: number;
  /** Kernel-row cache per subproblem (per worker), in bytes. */
  cacheBytes: number;
  /** Extra candidate rows computed with a missing one (≤ MAX_BATCH − 1). */
  prefetch: number;
  /**
   * Cache kernel rows in WASM memory and run the solver's loops there (default), or keep
   * them in ordinary arrays with the TypeScript loops (the reference; tests compare both).
   */
  rowsInWasm?: boolean;
  /** Gather rows into position order once few variables are active (default; see smo.ts). */
  gatherActiveRows?: boolean;
}

/** One pair's subproblem: global row indices (class a first) and ±1 labels. */
export interface PairTask {
  readonly p: number;
  readonly a: number;
  readonly b: number;
  readonly cols: Int32Array;
  readonly y: Int8Array;
}

export interface PairResult {
  readonly p: number;
  readonly alpha: Float64Array;
  readonly rho: number;
  readonly obj: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly rowsComputed: number;
  readonly passes: number;
  /** Whether the solver's loops ran in WASM (rows cached in WASM memory). */
  readonly wasmLoops: boolean;
  /** The iteration a solver checkpoint let this pair start from (null: from the start). */
  readonly continuedFrom: number | null;
  /** Rows the solver gathered into position order (see SolverOptions.activeRows). */
  readonly rowsGathered: number;
  /** Iterations the WASM loops ran whole on gathered rows (see SmoLoops.run). */
  readonly runIterations: number;
}

/** Where finished pairs are kept and found again (see ml/fit-parts.ts and pair-parts.ts). */
export interface PairKeeper extends SubproblemStates<PairTask> {
  /** The pair's result from an earlier, interrupted fit, or null. */
  restore(task: PairTask): PairResult | null;
  keep(task: PairTask, result: PairResult): void;
}

/** A pair's checkpoints: the one to continue from, and how often to send new ones. */
export interface PairCheckpointing {
  readonly state: Uint8Array | null;
  readonly everySeconds: number;
}

export interface OvoModel {
  nClasses: number;
  /** Training-row index of each support vector, grouped by class (libsvm's order). */
  svIndex: Int32Array;
  /** Encoded class of each support vector. */
  svClass: Int32Array;
  /** Support vectors per class. */
  nSupport: Int32Array;
  /** nSV × nClasses: coef[s·K + c] = y·α of SV s in the pair (class(s), c); 0 for c = class(s). */
  coef: Float64Array;
  /** ρ per pair, pairs in libsvm's order (0,1), (0,2), …, (K−2, K−1). */
  rho: Float64Array;
  /** SMO iterations per pair (float64: exact past 2³¹). */
  iterations: Float64Array;
  converged: boolean;
  /** Pairs whose solver stopped at its iteration cap before tol was met. */
  unconvergedPairs: number;
  rowsComputed: number;
  passes: number;
  /** Pairs whose solver loops ran in WASM (the rest ran the TypeScript reference). */
  wasmLoopPairs: number;
  /** Rows gathered into position order by the pairs solved in this fit. */
  rowsGathered: number;
  /** Iterations the WASM loops ran whole, over the pairs solved in this fit. */
  runIterations: number;
}

/** Solves one pair with the kernels `k` over `memory` (on whichever thread calls it). */
export function solvePair(
  k: SvmKernelExports,
  memory: WebAssembly.Memory,
  layout: SharedLayout,
  task: PairTask,
  spec: KernelSpec,
  opts: SolveOptions,
  checkpoints: BinaryCheckpoints | null = null,
): PairResult {
  const Q = new WasmQRows(k, memory, layout, task.cols, task.y, spec, opts.cacheBytes);
  const s: BinarySolution = solveCSVC(Q, task.y, {
    activeRows: activeRowsRoom(memory, layout),
    C: opts.C,
    eps: opts.eps,
    shrinking: opts.shrinking,
    maxIter: opts.maxIter,
    prefetch: Math.min(opts.prefetch, layout.maxBatch - 1),
    // With the rows in WASM memory the solver's loops run there too (same solution).
    loops:
      layout.slabPtr !== 0 ? new WasmSmoLoops(k, memory, layout.smoPtr, layout.maxL) : undefined,
    checkpoints,
  });
  return {
    p: task.p,
    alpha: s.alpha,
    rho: s.rho,
    obj: s.obj,
    iterations: s.iterations,
    converged: s.converged,
    rowsComputed: Q.rowsComputed,
    passes: Q.passes,
    wasmLoops: layout.slabPtr !== 0,
    continuedFrom: s.continuedFrom,
    rowsGathered: s.rowsGathered,
    runIterations: s.runIterations,
  };
}

/** The layout's room for gathered rows as a view, or null. */
function activeRowsRoom(memory: WebAssembly.Memory, layout: SharedLayout): Float32Array | null {
  if (layout.activeRowsPtr === 0) return null;
  return new Float32Array(memory.buffer, layout.activeRowsPtr, layout.activeRowsFloats);
}

/** Messages to the svc worker. */
export type WorkerRequest =
  | {
      kind: 'fit';
      layout: SharedLayout;
      task: PairTask;
      spec: KernelSpec;
      opts: SolveOptions;
      /** Null: keep no checkpoints. */
      checkpointing: PairCheckpointing | null;
    }
  | { kind: 'predict'; job: PredictJob; worker: number; start: number; end: number };

/**
 * Fits all pairs; `threads` ≤ 1 runs them on this thread. With a keeper, pairs it can
 * restore are not solved again, and each pair solved is handed to it at once.
 */
export async function trainOneVsOne(
  xPtr: number,
  n: number,
  d: number,
  normsPtr: number,
  y: Int32Array,
  nClasses: number,
  spec: KernelSpec,
  opts: SolveOptions,
  threads: number,
  arena: SharedArena = sharedArena(),
  keeper: PairKeeper | null = null,
): Promise<OvoModel> {
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < n; i++) byClass[y[i]].push(i);
  const tasks: PairTask[] = [];
  for (let a = 0; a < nClasses; a++) {
    for (let b = a + 1; b < nClasses; b++) {
      const cols = Int32Array.from([...byClass[a], ...byClass[b]]);
      const yy = new Int8Array(cols.length).fill(-1);
      yy.fill(1, 0, byClass[a].length);
      tasks.push({ p: pairIndex(a, b, nClasses), a, b, cols, y: yy });
    }
  }
  const results: PairResult[] = new Array<PairResult>(tasks.length);
  const todo = tasks.filter((t) => {
    const restored = keeper?.restore(t) ?? null;
    if (restored !== null) results[t.p] = restored;
    return restored === null;
  });
  const done = (t: PairTask, r: PairResult): void => {
    results[t.p] = r;
    keeper?.keep(t, r);
  };
  const maxL = Math.max(...todo.map((t) => t.cols.length), 1);
  const nThreads = Math.max(1, Math.min(threads, todo.length));
  const scratch: number[] = [];
  const layouts: SharedLayout[] = [];
  // The kernel-row cache of each thread: never more than the whole Q of the largest pair.
  const slabBytes = Math.ceil(Math.max(8 * maxL, Math.min(opts.cacheBytes, 4 * maxL * maxL)));
  for (let w = 0; w < nThreads; w++) {
    const colsPtr = arena.alloc(maxL * 4);
    const rowsPtr = arena.alloc(MAX_BATCH * 4);
    const outPtr = arena.alloc(MAX_BATCH * maxL * 4);
    scratch.push(colsPtr, rowsPtr, outPtr);
    const slab = opts.rowsInWasm === false ? null : tryAlloc(arena, slabBytes);
    const smo = slab === null ? null : tryAlloc(arena, smoStateBytes(maxL));
    if (slab !== null && smo === null) arena.release(slab);
    const inWasm = slab !== null && smo !== null;
    if (inWasm) scratch.push(slab, smo);
    // Room for every row when at most half of the largest pair's variables are active; a
    // quarter of that (still 2,048+ active variables) when the kernels' 2 GiB is short.
    const half = Math.floor(maxL / 2);
    let activeRowsFloats = Math.min(ACTIVE_ROWS_BYTES / 4, half * half);
    let activeRows: number | null = null;
    for (let tries = 0; opts.gatherActiveRows !== false && tries < 2; tries++) {
      activeRows = tryAlloc(arena, activeRowsFloats * 4);
      if (activeRows !== null) break;
      activeRowsFloats = Math.floor(activeRowsFloats / 4);
    }
    if (activeRows !== null) scratch.push(activeRows);
    layouts.push({
      xPtr,
      d,
      normsPtr,
      colsPtr,
      rowsPtr,
      outPtr,
      maxBatch: MAX_BATCH,
      slabPtr: inWasm ? slab : 0,
      slabBytes: inWasm ? slabBytes : 0,
      smoPtr: inWasm ? smo : 0,
      maxL,
      activeRowsPtr: activeRows ?? 0,
      activeRowsFloats,
    });
  }
  try {
    if (nThreads === 1) {
      const k = asSvmKernels(localKernels());
      for (const t of todo) {
        const checkpoints =
          keeper === null
            ? null
            : timedCheckpoints(keeper.loadState(t), keeper.checkpointSeconds, (bytes) =>
                keeper.saveState(t, bytes),
              );
        done(t, solvePair(k, arena.memory, layouts[0], t, spec, opts, checkpoints));
      }
    } else {
      // Likely-hard pairs first: the stragglers at the end are then the cheap ones. With no
      // more pairs than workers, all start at once and the estimate is not needed.
      const states = new Map(todo.map((t) => [t.p, keeper?.loadState(t) ?? null]));
      const order =
        todo.length <= nThreads
          ? todo
          : hardestPairsFirst(
              todo,
              pairOverlap(new Float32Array(arena.memory.buffer, xPtr, n * d), n, d, y, nClasses),
              (t) => states.get(t.p) !== null,
            );
      await runOnWorkers(
        arena,
        nThreads,
        order.map((task) => {
          const checkpointing =
            keeper === null
              ? null
              : { state: states.get(task.p) ?? null, everySeconds: keeper.checkpointSeconds };
          return (w: number) => ({
            kind: 'fit',
            layout: layouts[w],
            task,
            spec,
            opts,
            checkpointing,
          });
        }),
        (r: PairResult) => done(tasks[r.p], r),
        (p: number, bytes: Uint8Array) => keeper?.saveState(tasks[p], bytes),
      );
    }
  } finally {
    for (const p of scratch) arena.release(p);
  }
  return buildModel(tasks, results, y, nClasses);
}

/** An allocation, or null when the kernels' memory has no room left for it. */
function tryAlloc(arena: SharedArena, bytes: number): number | null {
  try {
    return arena.alloc(bytes);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

function buildModel(tasks: PairTask[], results: PairResult[], y: Int32Array, K: number): OvoModel {
  const n = y.length;
  const isSV = new Uint8Array(n);
  for (const t of tasks) {
    const { alpha } = results[t.p];
    for (let q = 0; q < t.cols.length; q++) if (alpha[q] > 0) isSV[t.cols[q]] = 1;
  }
  const svIndexList: number[] = [];
  const nSupport = new Int32Array(K);
  for (let c = 0; c < K; c++) {
    for (let i = 0; i < n; i++) {
      if (isSV[i] && y[i] === c) {
        svIndexList.push(i);
        nSupport[c]++;
      }
    }
  }
  const svIndex = Int32Array.from(svIndexList);
  const svPos = new Int32Array(n).fill(-1);
  svIndex.forEach((g, s) => (svPos[g] = s));
  const svClass = Int32Array.from(svIndex, (g) => y[g]);
  const coef = new Float64Array(svIndex.length * K);
  const rho = new Float64Array(tasks.length);
  const iterations = new Float64Array(tasks.length);
  let converged = true;
  let unconvergedPairs = 0;
  let rowsComputed = 0;
  let passes = 0;
  let wasmLoopPairs = 0;
  let rowsGathered = 0;
  let runIterations = 0;
  for (const t of tasks) {
    const r = results[t.p];
    rho[t.p] = r.rho;
    iterations[t.p] = r.iterations;
    converged &&= r.converged;
    if (!r.converged) unconvergedPairs++;
    rowsComputed += r.rowsComputed;
    passes += r.passes;
    if (r.wasmLoops) wasmLoopPairs++;
    rowsGathered += r.rowsGathered;
    runIterations += r.runIterations;
    for (let q = 0; q < t.cols.length; q++) {
      if (!(r.alpha[q] > 0)) continue;
      const s = svPos[t.cols[q]];
      coef[s * K + (t.y[q] === 1 ? t.b : t.a)] = t.y[q] * r.alpha[q];
    }
  }
  return {
    nClasses: K,
    svIndex,
    svClass,
    nSupport,
    coef,
    rho,
    iterations,
    converged,
    unconvergedPairs,
    rowsComputed,
    passes,
    wasmLoopPairs,
    rowsGathered,
    runIterations,
  };
}

/** What prediction workers share: pointers into the arena and shared model arrays. */
export interface PredictJob {
  readonly testPtr: number;
  readonly testNormsPtr: number;
  readonly svPtr: number;
  readonly svNormsPtr: number;
  readonly nSV: number;
  readonly d: number;
  readonly spec: KernelSpec;
  readonly K: number;
  /** Pairs (K(K−1)/2). */
  readonly P: number;
  /** P × nSV float32: row p holds each SV's coefficient in pair p (0 if not in the pair). */
  readonly wPtr: number;
  readonly rho: Float64Array;
  /** Scratch per worker: PREDICT_BLOCK × nSV float32 each (kernel values). */
  readonly blockPtrs: number[];
  /** Scratch per worker: PREDICT_BLOCK × P float32 each (decision values). */
  readonly decPtrs: number[];
  /** Output: encoded class per test row (shared). */
  readonly out: Int32Array;
}

/**
 * Predicts test rows [start, end) into job.out using scratch `blockPtrs[w]`: kernel values
 * against all SVs by blocks (gemmAbt + transform), then per-pair decision values and votes.
 */
export function predictRange(
  k: SvmKernelExports,
  memory: WebAssembly.Memory,
  job: PredictJob,
  w: number,
  start: number,
  end: number,
): void {
  const { nSV, d, K, P, rho, spec } = job;
  const blockPtr = job.blockPtrs[w];
  const decPtr = job.decPtrs[w];
  const votes = new Int32Array(K);
  const kind = KERNEL_CODES[spec.kernel];
  for (let r0 = start; r0 < end; r0 += PREDICT_BLOCK) {
    const m = Math.min(PREDICT_BLOCK, end - r0);
    k.gemmAbt(job.testPtr + r0 * d * 4, m, job.svPtr, nSV, d, blockPtr, nSV);
    k.svmKernelFromDots(
      blockPtr,
      m,
      nSV,
      nSV,
      job.testNormsPtr + r0 * 4,
      job.svNormsPtr,
      kind,
      spec.gamma,
      spec.coef0,
      spec.degree,
    );
    // Every pair's Σ coef·K at once: one more GEMM against the coefficient rows.
    k.gemmAbt(blockPtr, m, job.wPtr, P, nSV, decPtr, P);
    const dec = new Float32Array(memory.buffer, decPtr, m * P);
    for (let r = 0; r < m; r++) {
      votes.fill(0);
      let p = 0;
      for (let a = 0; a < K; a++) {
        for (let b = a + 1; b < K; b++, p++) {
          if (dec[r * P + p] - rho[p] > 0) votes[a]++;
          else votes[b]++;
        }
      }
      let best = 0;
      for (let c = 1; c < K; c++) if (votes[c] > votes[best]) best = c;
      job.out[r0 + r] = best;
    }
  }
}

/** Predicts `m` test rows (at testPtr, with norms) with the model's SVs. */
export async function predictOneVsOne(
  model: OvoModel,
  svPtr: number,
  svNormsPtr: number,
  testPtr: number,
  testNormsPtr: number,
  m: number,
  d: number,
  spec: KernelSpec,
  threads: number,
  arena: SharedArena = sharedArena(),
): Promise<Int32Array> {
  const nSV = model.svIndex.length;
  const nThreads = Math.max(1, Math.min(threads, Math.ceil(m / PREDICT_BLOCK)));
  const K = model.nClasses;
  const P = (K * (K - 1)) / 2;
  const blockPtrs = Array.from({ length: nThreads }, () =>
    arena.alloc(PREDICT_BLOCK * Math.max(1, nSV) * 4),
  );
  const decPtrs = Array.from({ length: nThreads }, () => arena.alloc(PREDICT_BLOCK * P * 4));
  const W = arena.allocF32(P * Math.max(1, nSV));
  W.fill(0);
  for (let s = 0; s < nSV; s++) {
    const a = model.svClass[s];
    for (let c = 0; c < K; c++) {
      if (c === a) continue;
      const p = a < c ? pairIndex(a, c, K) : pairIndex(c, a, K);
      W[p * nSV + s] = model.coef[s * K + c];
    }
  }
  const rho = new Float64Array(new SharedArrayBuffer(model.rho.byteLength));
  rho.set(model.rho);
  const job: PredictJob = {
    testPtr,
    testNormsPtr,
    svPtr,
    svNormsPtr,
    nSV,
    d,
    spec,
    K,
    P,
    wPtr: W.byteOffset,
    rho,
    blockPtrs,
    decPtrs,
    out: new Int32Array(new SharedArrayBuffer(m * 4)),
  };
  try {
    if (nThreads === 1) {
      predictRange(asSvmKernels(localKernels()), arena.memory, job, 0, 0, m);
    } else {
      // A few chunks per worker, so a slow worker does not hold up the end.
      const chunk = Math.max(
        PREDICT_BLOCK,
        Math.ceil(m / (nThreads * 4) / PREDICT_BLOCK) * PREDICT_BLOCK,
      );
      const jobs: Array<(w: number) => WorkerRequest> = [];
      for (let s = 0; s < m; s += chunk) {
        const e = Math.min(m, s + chunk);
        jobs.push((w) => ({ kind: 'predict', job, worker: w, start: s, end: e }));
      }
      await runOnWorkers(
        arena,
        nThreads,
        jobs,
        () => {},
        () => {},
      );
    }
  } finally {
    for (const p of [...blockPtrs, ...decPtrs, W.byteOffset]) arena.release(p);
  }
  return job.out.slice();
}

/** What an SVC worker posts: a checkpoint of pair p's solver, a job's result, or its error. */
export type WorkerReply<R> =
  | { ok: true; kind: 'state'; p: number; bytes: Uint8Array }
  | { ok: true; kind: 'result'; result: R }
  | { ok: false; error: string };

/**
 * Runs `jobs` on `nThreads` fresh workers over the arena's memory (each job built for the
 * worker index that takes it), passing each result to `onResult` and each checkpoint a
 * pair's solver sends on the way to `onState`.
 */
async function runOnWorkers<R>(
  arena: SharedArena,
  nThreads: number,
  jobs: Array<(w: number) => WorkerRequest>,
  onResult: (r: R) => void,
  onState: (p: number, bytes: Uint8Array) => void,
): Promise<void> {
  const module = kernelModule();
  const url = new URL('./svc-worker.js', import.meta.url);
  const queue = jobs.slice();
  const workers = Array.from(
    { length: nThreads },
    () => new Worker(url, { workerData: { memory: arena.memory, module } }),
  );
  try {
    await Promise.all(
      workers.map(
        (worker, w) =>
          new Promise<void>((resolve, reject) => {
            let done = false;
            const next = (): void => {
              const job = queue.shift();
              if (job === undefined) {
                done = true;
                resolve();
              } else worker.postMessage(job(w));
            };
            worker.on('message', (msg: WorkerReply<R>) => {
              if (!msg.ok) {
                done = true;
                reject(new Error(`SVC worker: ${msg.error}`));
                return;
              }
              if (msg.kind === 'state') {
                onState(msg.p, msg.bytes);
                return;
              }
              onResult(msg.result);
              next();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (!done) reject(new Error(`SVC worker exited with code ${code}.`));
            });
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
