/**
 * SVC as scikit-learn 0.19 ran it (libsvm's C-SVC): SMO with second-order working-set
 * selection and shrinking on each of the K(K−1)/2 one-vs-one pairs, prediction by votes.
 * The paper's defaults: gamma = 1/n_features ('auto'), coef0 = 0, degree = 3, tol = 1e-3.
 * See smo.ts for the solver and ovo.ts for how the pairs share the data and the cores.
 */
import { availableParallelism } from 'node:os';
import { sharedArena } from '../../kernels/arena.js';
import { localKernels, withBorrowed } from '../../kernels/local.js';
import { threadCount } from '../../kernels/pool.js';
import type { KernelName, KernelSpec } from '../../kernels/svm.js';
import { BaseClassifier } from '../estimator.js';
import { ResumeTally, resumedNote, type FitParts, type ResumedParts } from '../fit-parts.js';
import type { Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import type { RandomState } from '../random.js';
import { predictOneVsOne, trainOneVsOne, type OvoModel } from './ovo.js';
import { pairKeeper } from './pair-parts.js';

export interface SVCParams {
  /** Penalty on the slack (upper bound of each α). @default 1.0 */
  C: number;
  /** 'linear' x·y, 'poly' (γx·y + coef0)^degree, 'rbf' exp(−γ‖x−y‖²), 'sigmoid' tanh(γx·y + coef0). @default 'rbf' */
  kernel: KernelName;
  /** Degree of the poly kernel (ignored by the others). @default 3 */
  degree: number;
  /**
   * Kernel coefficient for rbf, poly and sigmoid: 'auto' = 1/n_features (scikit-learn
   * 0.19's default and the paper's), 'scale' = 1/(n_features·Var(X)), or a number ≥ 0.
   * @default 'auto'
   */
  gamma: 'auto' | 'scale' | number;
  /** Independent term of poly and sigmoid. @default 0.0 */
  coef0: number;
  /** Use libsvm's shrinking heuristic. @default true */
  shrinking: boolean;
  /** Stopping tolerance: SMO stops when m(α) − M(α) < tol. @default 1e-3 */
  tol: number;
  /**
   * Kernel-row cache in MB per subproblem being solved (one per worker thread, so at most
   * cache_size × threads in all; a Fashion-MNIST pair's full Q is ≈ 550 MB, so the
   * default holds every row a pair asks for). scikit-learn's default is 200. @default 2000
   */
  cache_size: number;
  /** SMO iterations per pair; −1 means no limit. @default -1 */
  max_iter: number;
  /** Accepted for scikit-learn compatibility; C-SVC training uses no randomness. @default null */
  random_state: RandomState | null;
  /**
   * fmnist's addition: worker threads for the pairs and for prediction (null = the kernel
   * pool's count, FMNIST_THREADS or 2; −1 = every core). @default null
   */
  n_jobs: number | null;
}

const SCHEMA: Schema<SVCParams> = {
  C: [{ kind: 'float', min: 0, closed: 'neither' }],
  kernel: [{ kind: 'enum', values: ['linear', 'poly', 'rbf', 'sigmoid'] }],
  degree: [{ kind: 'int', min: 0 }],
  gamma: [
    { kind: 'enum', values: ['scale', 'auto'] },
    { kind: 'float', min: 0 },
  ],
  coef0: [{ kind: 'float' }],
  shrinking: [{ kind: 'bool' }],
  tol: [{ kind: 'float', min: 0, closed: 'neither' }],
  cache_size: [{ kind: 'float', min: 0, closed: 'neither' }],
  max_iter: [
    { kind: 'int', min: -1, max: -1 },
    { kind: 'int', min: 1 },
  ],
  random_state: [{ kind: 'null' }, { kind: 'random-state' }],
  n_jobs: [{ kind: 'null' }, { kind: 'int', min: 1 }, { kind: 'int', min: -1, max: -1 }],
};

const DEFAULTS: SVCParams = {
  C: 1.0,
  kernel: 'rbf',
  degree: 3,
  gamma: 'auto',
  coef0: 0.0,
  shrinking: true,
  tol: 1e-3,
  cache_size: 2000,
  max_iter: -1,
  random_state: null,
  n_jobs: null,
};

/** Below this many training rows the pairs run on the calling thread (no worker start-up). */
const MIN_ROWS_FOR_WORKERS = 2000;
/** Likewise for prediction (test rows). */
const MIN_TEST_ROWS_FOR_WORKERS = 512;
/**
 * Rows computed together with a missing one (the most violating uncached indices, likely
 * asked for next): four rows cost one pass over the data, about 1.8× one row.
 */
const PREFETCH = 3;

export class SVC extends BaseClassifier<SVCParams> {
  /** The support vectors, nSV × n_features, grouped by class (scikit-learn's support_vectors_). */
  supportVectors: Float32Array | null = null;
  /** Training-row index of each support vector (support_). */
  support: Int32Array | null = null;
  /** Support vectors per class (n_support_). */
  nSupport: Int32Array | null = null;
  /** −ρ per pair (intercept_), pairs in libsvm's order. */
  intercept: Float64Array | null = null;
  /**
   * SMO iterations per pair (n_iter_). Float64, not int32: a hard pair can go past 2³¹
   * (Fashion-MNIST linear C = 100, pair 0-6: over 2.3·10⁹), and the count stays exact.
   */
  nIter: Float64Array | null = null;
  /** The gamma used (after resolving 'auto' / 'scale'). */
  gammaUsed = 0;
  /**
   * Where the solver's loops run: 'wasm' (kernel rows cached in WASM memory) or 'ts' (the
   * TypeScript reference, rows in ordinary arrays). The model is the same bit for bit.
   */
  kernels: 'wasm' | 'ts' = 'wasm';
  /**
   * Whether the solver gathers the rows it reads into position order once shrinking leaves
   * few variables active (faster on hard pairs; the same model bit for bit). False reads
   * every row through the position permutation, for comparisons (bench/smo-pair.ts).
   */
  gatherActiveRows = true;
  /**
   * False when max_iter stopped some pair before tol was met (scikit-learn then warns
   * "Solver terminated early").
   */
  converged = true;
  /** How many of the class pairs stopped at the iteration cap. */
  unconvergedPairs = 0;
  /** Kernel rows computed over all pairs (rows recomputed after eviction count again). */
  kernelRowsComputed = 0;
  /** Rows the solver gathered into position order once few variables were active. */
  rowsGathered = 0;
  /** Iterations the WASM loops ran whole on gathered rows (no JavaScript in between). */
  runIterations = 0;
  /** Class pairs whose solver loops ran in WASM at the last fit (all of them, unless memory ran short). */
  wasmLoopPairs = 0;
  private model: OvoModel | null = null;
  private fitParts: FitParts | null = null;
  /** What the last fit restored from its FitParts (see useFitParts), or null. */
  resumedParts: ResumedParts | null = null;

  constructor(params?: Partial<SVCParams>) {
    super('SVC', SCHEMA, DEFAULTS, params);
  }

  get benchmarkNote(): string | null {
    if (this.model === null) return null;
    const pairs = this.model.rho.length;
    const early = this.converged
      ? ''
      : `; solver terminated early (max_iter=${this.params.max_iter}) on ${this.unconvergedPairs} of ${pairs} class pairs`;
    return `${this.model.svIndex.length} support vectors, ${this.kernelRowsComputed} kernel rows, cache ${this.params.cache_size} MB per worker${early}${resumedNote(this.resumedParts, 'class pairs')}`;
  }

  /**
   * Keeps each class pair in `parts` as soon as it is solved, and takes the pairs found
   * there instead of solving them: a fit of hours that is killed resumes (the benchmark
   * hands every repeat its own parts in the results store).
   */
  useFitParts(parts: FitParts | null): void {
    this.fitParts = parts;
  }

  private spec(): KernelSpec {
    const { kernel, coef0, degree } = this.params;
    return { kernel, gamma: this.gammaUsed, coef0, degree };
  }

  private threads(n: number, min = MIN_ROWS_FOR_WORKERS): number {
    if (n < min) return 1;
    const jobs = this.params.n_jobs;
    if (jobs === null) return threadCount();
    return jobs === -1 ? availableParallelism() : jobs;
  }

  protected async fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> {
    if (nClasses < 2) {
      throw new RangeError(
        'SVC.fit: The number of classes has to be greater than one; got 1 class.',
      );
    }
    const { rows: n, cols: d } = X;
    this.gammaUsed = resolveGamma(this.params.gamma, X);
    const spec = this.spec();
    const { C, tol, shrinking, max_iter, cache_size } = this.params;
    // The one shared copy of the data, grouped by class (stable): every pair's rows are
    // then two contiguous runs, which the kernel streams instead of gathering.
    const order = classOrder(y, nClasses);
    const ySorted = Int32Array.from(order, (i) => y[i]);
    const arena = sharedArena();
    const xs = arena.allocF32(n * d);
    const norms = arena.allocF32(n);
    let model: OvoModel;
    const tally = new ResumeTally((nClasses * (nClasses - 1)) / 2);
    try {
      for (let s = 0; s < n; s++) xs.set(X.data.subarray(order[s] * d, (order[s] + 1) * d), s * d);
      localKernels().rowSqNorms(xs.byteOffset, n, d, norms.byteOffset);
      model = await trainOneVsOne(
        xs.byteOffset,
        n,
        d,
        norms.byteOffset,
        ySorted,
        nClasses,
        spec,
        {
          C,
          eps: tol,
          shrinking,
          maxIter: max_iter,
          cacheBytes: cache_size * 1024 * 1024,
          prefetch: PREFETCH,
          rowsInWasm: this.kernels === 'wasm',
          gatherActiveRows: this.gatherActiveRows,
        },
        this.threads(n),
        arena,
        this.fitParts === null ? null : pairKeeper(this.fitParts, tally),
      );
    } finally {
      arena.releaseView(norms);
      arena.releaseView(xs);
    }
    this.resumedParts = this.fitParts === null ? null : tally.result();
    model.svIndex = model.svIndex.map((s) => order[s]);
    this.model = model;
    const sv = new Float32Array(model.svIndex.length * d);
    model.svIndex.forEach((g, s) => sv.set(X.data.subarray(g * d, (g + 1) * d), s * d));
    this.supportVectors = sv;
    this.support = model.svIndex;
    this.nSupport = model.nSupport;
    this.intercept = model.rho.map((r) => -r);
    this.nIter = model.iterations;
    this.kernelRowsComputed = model.rowsComputed;
    this.rowsGathered = model.rowsGathered;
    this.runIterations = model.runIterations;
    this.wasmLoopPairs = model.wasmLoopPairs;
    this.converged = model.converged;
    this.unconvergedPairs = model.unconvergedPairs;
  }

  protected async predictEncoded(X: Matrix): Promise<Int32Array> {
    const model = this.model as OvoModel;
    const sv = this.supportVectors as Float32Array;
    const { rows: m, cols: d } = X;
    const nSV = model.svIndex.length;
    const spec = this.spec();
    return withBorrowed([X.data, sv], async ([xPtr, svPtr], arena) => {
      const xNorms = arena.allocF32(Math.max(1, m));
      const svNorms = arena.allocF32(Math.max(1, nSV));
      try {
        const k = localKernels();
        k.rowSqNorms(xPtr, m, d, xNorms.byteOffset);
        k.rowSqNorms(svPtr, nSV, d, svNorms.byteOffset);
        return await predictOneVsOne(
          model,
          svPtr,
          svNorms.byteOffset,
          xPtr,
          xNorms.byteOffset,
          m,
          d,
          spec,
          this.threads(m, MIN_TEST_ROWS_FOR_WORKERS),
          arena,
        );
      } finally {
        arena.releaseView(xNorms);
        arena.releaseView(svNorms);
      }
    });
  }
}

/** Row indices grouped by class, in training order within a class (libsvm's grouping). */
export function classOrder(y: Int32Array, nClasses: number): Int32Array {
  const start = new Int32Array(nClasses + 1);
  for (const c of y) start[c + 1]++;
  for (let c = 0; c < nClasses; c++) start[c + 1] += start[c];
  const order = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) order[start[y[i]]++] = i;
  return order;
}

/** scikit-learn's gamma: 'auto' = 1/d, 'scale' = 1/(d·Var(X)) (1 when Var(X) = 0). */
export function resolveGamma(gamma: SVCParams['gamma'], X: Matrix): number {
  if (gamma === 'auto') return 1 / X.cols;
  if (gamma === 'scale') {
    let s = 0;
    let s2 = 0;
    for (const v of X.data) {
      s += v;
      s2 += v * v;
    }
    const N = X.data.length;
    const mean = s / N;
    const variance = s2 / N - mean * mean;
    return variance > 0 ? 1 / (X.cols * variance) : 1;
  }
  return gamma;
}
