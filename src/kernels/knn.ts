/**
 * Exact k nearest neighbours over a reference set held once in the shared arena. Query
 * rows are split into blocks; each block is scanned against the whole reference set in
 * cache-sized tiles (distance tile, then a running top-k), on the calling thread or over
 * the worker pool. Results are ordered by (distance, index); distances are computed
 * directly in float32 (an exact duplicate is at exactly 0).
 *
 * Two searches, same answers:
 * - 'brute': every distance. Euclidean candidates are screened with the GEMM identity
 *   (keeping EXTRA_CANDIDATES more than k), then their distances recomputed directly and
 *   re-sorted; Manhattan is direct.
 * - 'bounded' (Euclidean, large sets): lower bounds from a 64-column projection (the top
 *   principal directions plus the energy outside them; see projection.ts). The true
 *   distances of the SCREEN_CANDIDATES rows with the smallest bounds give a threshold;
 *   a second pass computes true distances only for rows whose bound (minus a rounding
 *   margin) is within the running threshold. Every true neighbour passes that test, so
 *   the answer is brute force's; on standardized Fashion-MNIST a query needs about a
 *   thousand true distances instead of 60,000.
 * - 'bounded' (Manhattan, large sets): the same two passes with the lower bound
 *   Σ_groups |Σ_group (q − x)| ≤ ‖q − x‖₁ over disjoint feature groups (featureGroups).
 */
import { sharedArena, type SharedArena } from './arena.js';
import { checkShape, localKernels } from './local.js';
import { kernelPool, type KernelPool, type KernelTask } from './pool.js';
import { principalBasis } from './projection.js';

export type Metric = 'euclidean' | 'manhattan';

export interface Neighbours {
  /** rows×k distances (Euclidean or Manhattan, not squared), each row ascending. */
  distances: Float32Array;
  /** rows×k indices into the reference set, matching `distances`. */
  indices: Int32Array;
  rows: number;
  k: number;
}

export interface KnnOptions {
  /** Run on the worker pool (default) or on the calling thread ('local'). */
  mode?: 'pool' | 'local';
  /** The pool to use (default: the process-wide pool, FMNIST_THREADS or 2 workers). */
  pool?: KernelPool;
  /**
   * 'auto' (default) uses the bounded search on large sets (≥ 1024 reference rows,
   * k ≤ 32, enough columns) and brute force otherwise; 'brute' always computes every
   * distance. Both return the same neighbours.
   */
  search?: 'auto' | 'brute';
}

/** What the last query did (for benchmarks and tests). */
export interface SearchStats {
  search: 'brute' | 'bounded';
  /** True distances computed per query (mean): every reference row for brute force. */
  distancesPerQuery: number;
}

/** Query rows per block (one pool task): 64 rows × a 256-row tile is 64 KB of scratch. */
const QUERY_BLOCK = 64;
/**
 * Query rows per bounded-search block: its true distances read reference rows from
 * memory once per block, so larger blocks share each read among more queries.
 */
const BOUNDED_QUERY_BLOCK = 256;
/**
 * Extra candidates kept by the GEMM screen: rounding in the identity would have to
 * misorder more than this many rows to lose a true neighbour.
 */
const EXTRA_CANDIDATES = 8;
/** Basis directions of the bounded search; +1 column for the energy outside the basis. */
const BASIS_DIMS = 63;
/** Rows per query whose true distances set the bounded search's first threshold. */
const SCREEN_CANDIDATES = 64;
/** Fraction of the reference rows the threshold's candidates are drawn from. */
const SCREEN_FRACTION = 0.125;
/**
 * Rounding margin of the bound tests, relative to ‖q‖² + ‖x‖² (Euclidean) or
 * ‖q‖₁ + ‖x‖₁ (Manhattan). Float32 rounding of the bounds and of the true distances is
 * typically ~1e-6 of that, so 1e-3 is a wide safety factor (bounded == brute, bit for
 * bit, in the tests and on 500 Fashion-MNIST / 300 MNIST test rows), though not a proof:
 * a worst case with every rounding error aligned could exceed it.
 */
const BOUND_TOLERANCE = 1e-3;

const release = new FinalizationRegistry<{ arena: SharedArena; ptrs: number[] }>(
  ({ arena, ptrs }) => {
    for (const p of ptrs) arena.release(p);
  },
);

interface Projection {
  /** Orthonormal rows, BASIS_DIMS×cols. */
  basis: Float32Array;
  /** Projected reference rows plus the outside-energy column, rows×r1. */
  aug: Float32Array;
  augNorms: Float32Array;
  /** augNorms × (1 − BOUND_TOLERANCE). */
  slackNorms: Float32Array;
  r1: number;
}

interface Pooling {
  /** The group of each feature. */
  group: Int32Array;
  /** Groups, padded to a multiple of 4. */
  g: number;
  /** Per-group sums of each reference row, rows×g. */
  xPool: Float32Array;
  /** L1 norm of each reference row. */
  xL1: Float32Array;
}

/**
 * Disjoint feature groups for the Manhattan bound. Square widths are taken for images
 * (28×28 for MNIST): 4×4 pixel blocks, whose neighbouring pixels move together, keep the
 * bound within ~15% of the true distance on Fashion-MNIST. Other widths: runs of 16
 * consecutive features. Any grouping gives a valid bound.
 */
export function featureGroups(cols: number): Int32Array {
  const group = new Int32Array(cols);
  const side = Math.round(Math.sqrt(cols));
  if (side * side === cols && side >= 8) {
    const blocksPerRow = Math.ceil(side / 4);
    for (let j = 0; j < cols; j++) {
      group[j] = Math.floor(Math.floor(j / side) / 4) * blocksPerRow + Math.floor((j % side) / 4);
    }
  } else {
    for (let j = 0; j < cols; j++) group[j] = Math.floor(j / 16);
  }
  return group;
}

export class KnnIndex {
  readonly rows: number;
  readonly cols: number;
  /** How the last query searched. */
  lastSearch: SearchStats | null = null;
  private readonly arena: SharedArena;
  /** The reference rows, in the arena. */
  private readonly data: Float32Array;
  /** Their squared norms, in the arena. */
  private readonly norms: Float32Array;
  private readonly owned: number[];
  private projection: Projection | null = null;
  private pooling: Pooling | null = null;
  private disposed = false;

  /** Indexes `data` (rows×cols); copies it into the shared arena unless it already lives there. */
  constructor(data: Float32Array, rows: number, cols: number) {
    checkShape('KnnIndex', 'data', data, rows, cols);
    // The kernels on this thread and in the pool run over the process-wide arena.
    const arena = sharedArena();
    this.rows = rows;
    this.cols = cols;
    this.arena = arena;
    this.owned = [];
    if (arena.owns(data)) this.data = data;
    else {
      this.data = arena.allocF32(data.length);
      this.data.set(data);
      this.owned.push(this.data.byteOffset);
    }
    this.norms = arena.allocF32(rows);
    this.owned.push(this.norms.byteOffset);
    localKernels().rowSqNorms(this.data.byteOffset, rows, cols, this.norms.byteOffset);
    release.register(this, { arena, ptrs: this.owned }, this);
  }

  /** The k nearest reference rows of each of `nq` query rows, by (distance, index). */
  async query(
    queries: Float32Array,
    nq: number,
    k: number,
    metric: Metric,
    options: KnnOptions = {},
  ): Promise<Neighbours> {
    checkShape('KnnIndex.query', 'queries', queries, nq, this.cols);
    if (this.disposed) throw new Error('KnnIndex.query: the index has been disposed.');
    if (!Number.isInteger(k) || k < 1 || k > this.rows) {
      throw new RangeError(
        `KnnIndex.query: k must be an int in [1, ${this.rows}] (the reference rows). Got ${k}.`,
      );
    }
    if (metric !== 'euclidean' && metric !== 'manhattan') {
      throw new RangeError(
        `KnnIndex.query: metric must be 'euclidean' or 'manhattan'. Got '${String(metric)}'.`,
      );
    }
    const arena = this.arena;
    const taken: number[] = [];
    const take = (bytes: number): number => {
      const p = arena.alloc(bytes);
      taken.push(p);
      return p;
    };
    try {
      let q = queries.byteOffset;
      if (!arena.owns(queries)) {
        q = take(queries.length * 4);
        new Float32Array(arena.buffer(), q, queries.length).set(queries);
      }
      const qNorms = take(nq * 4);
      localKernels().rowSqNorms(q, nq, this.cols, qNorms);
      const large = this.rows >= 16 * SCREEN_CANDIDATES && k <= SCREEN_CANDIDATES / 2;
      if (options.search !== 'brute' && large) {
        if (metric === 'euclidean' && this.cols >= 2 * (BASIS_DIMS + 1)) {
          return await this.boundedSearch(q, qNorms, nq, k, options, take);
        }
        if (metric === 'manhattan' && this.cols >= 64) {
          return await this.boundedL1Search(q, nq, k, options, take);
        }
      }
      this.lastSearch = { search: 'brute', distancesPerQuery: this.rows };
      return await this.brute(q, qNorms, nq, k, metric, options, take);
    } finally {
      for (const p of taken.reverse()) arena.release(p);
    }
  }

  /** Returns the arena memory now instead of when the index is garbage-collected. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    release.unregister(this);
    for (const p of this.owned) this.arena.release(p);
  }

  /** Every distance: query rows at pointer q (nq×cols) against all reference rows. */
  private async brute(
    q: number,
    qNorms: number,
    nq: number,
    k: number,
    metric: Metric,
    options: KnnOptions,
    take: (bytes: number) => number,
  ): Promise<Neighbours> {
    const d = this.cols;
    const m = metric === 'euclidean' ? Math.min(this.rows, k + EXTRA_CANDIDATES) : k;
    const tileCols = localKernels().knnTileCols();
    const dist = take(nq * m * 4);
    const idx = take(nq * m * 4);
    const tiles = take(Math.ceil(nq / QUERY_BLOCK) * QUERY_BLOCK * tileCols * 4);
    const tasks: KernelTask[] = [];
    for (let r = 0, b = 0; r < nq; r += QUERY_BLOCK, b++) {
      const rows = Math.min(QUERY_BLOCK, nq - r);
      const args = [
        q + r * d * 4,
        rows,
        qNorms + r * 4,
        this.data.byteOffset,
        this.rows,
        this.norms.byteOffset,
        d,
        metric === 'euclidean' ? 2 : 1,
        m,
        tiles + b * QUERY_BLOCK * tileCols * 4,
        dist + r * m * 4,
        idx + r * m * 4,
      ];
      tasks.push({ fn: 'knnBlock', batches: [args] });
    }
    await this.run(tasks, options);
    return this.firstK(dist, idx, nq, m, k);
  }

  private async boundedSearch(
    q: number,
    qNorms: number,
    nq: number,
    k: number,
    options: KnnOptions,
    take: (bytes: number) => number,
  ): Promise<Neighbours> {
    const d = this.cols;
    const p = await this.ensureProjection(options);
    const c = SCREEN_CANDIDATES;
    const qAug = take(nq * p.r1 * 4);
    const qAugNorms = take(nq * 4);
    const qSlackNorms = take(nq * 4);
    await this.project(q, nq, qNorms, p, qAug, options);
    this.augNorms(qAug, nq, p.r1, qAugNorms, qSlackNorms);
    const screenRows = Math.max(c, Math.min(this.rows, Math.ceil(this.rows * SCREEN_FRACTION)));
    const tileCols = localKernels().knnTileCols();
    const cDist = take(nq * c * 4);
    const cIdx = take(nq * c * 4);
    const dist = take(nq * k * 4);
    const idx = take(nq * k * 4);
    const evals = take(nq * 4);
    const tiles = take(Math.ceil(nq / BOUNDED_QUERY_BLOCK) * BOUNDED_QUERY_BLOCK * tileCols * 4);
    const tasks: KernelTask[] = [];
    for (let r = 0, b = 0; r < nq; r += BOUNDED_QUERY_BLOCK, b++) {
      const rows = Math.min(BOUNDED_QUERY_BLOCK, nq - r);
      const args = [
        q + r * d * 4,
        rows,
        qAug + r * p.r1 * 4,
        qAugNorms + r * 4,
        qSlackNorms + r * 4,
        this.data.byteOffset,
        this.rows,
        p.aug.byteOffset,
        p.augNorms.byteOffset,
        p.slackNorms.byteOffset,
        screenRows,
        d,
        p.r1,
        k,
        c,
        tiles + b * BOUNDED_QUERY_BLOCK * tileCols * 4,
        cDist + r * c * 4,
        cIdx + r * c * 4,
        dist + r * k * 4,
        idx + r * k * 4,
        evals + r * 4,
      ];
      tasks.push({ fn: 'knnBoundedBlock', batches: [args] });
    }
    await this.run(tasks, options);
    this.recordEvals(evals, nq);
    return this.firstK(dist, idx, nq, k, k);
  }

  private async boundedL1Search(
    q: number,
    nq: number,
    k: number,
    options: KnnOptions,
    take: (bytes: number) => number,
  ): Promise<Neighbours> {
    const d = this.cols;
    const pool = this.ensurePooling();
    const c = SCREEN_CANDIDATES;
    const qPool = take(nq * pool.g * 4);
    const qL1 = take(nq * 4);
    this.poolRows(q, nq, pool, qPool, qL1);
    const screenRows = Math.max(c, Math.min(this.rows, Math.ceil(this.rows * SCREEN_FRACTION)));
    const tileCols = localKernels().knnTileCols();
    const cDist = take(nq * c * 4);
    const cIdx = take(nq * c * 4);
    const dist = take(nq * k * 4);
    const idx = take(nq * k * 4);
    const evals = take(nq * 4);
    const tiles = take(Math.ceil(nq / BOUNDED_QUERY_BLOCK) * BOUNDED_QUERY_BLOCK * tileCols * 4);
    const tasks: KernelTask[] = [];
    for (let r = 0, b = 0; r < nq; r += BOUNDED_QUERY_BLOCK, b++) {
      const rows = Math.min(BOUNDED_QUERY_BLOCK, nq - r);
      const args = [
        q + r * d * 4,
        rows,
        qPool + r * pool.g * 4,
        qL1 + r * 4,
        this.data.byteOffset,
        this.rows,
        pool.xPool.byteOffset,
        pool.xL1.byteOffset,
        pool.g,
        BOUND_TOLERANCE,
        screenRows,
        d,
        k,
        c,
        tiles + b * BOUNDED_QUERY_BLOCK * tileCols * 4,
        cDist + r * c * 4,
        cIdx + r * c * 4,
        dist + r * k * 4,
        idx + r * k * 4,
        evals + r * 4,
      ];
      tasks.push({ fn: 'knnBoundedL1Block', batches: [args] });
    }
    await this.run(tasks, options);
    this.recordEvals(evals, nq);
    return this.firstK(dist, idx, nq, k, k);
  }

  private recordEvals(evals: number, nq: number): void {
    const counts = new Int32Array(this.arena.buffer(), evals, nq);
    let total = 0;
    for (let i = 0; i < nq; i++) total += counts[i];
    this.lastSearch = { search: 'bounded', distancesPerQuery: nq > 0 ? Math.round(total / nq) : 0 };
  }

  /** The pooled reference rows and their L1 norms, built on the first bounded L1 query. */
  private ensurePooling(): Pooling {
    if (this.pooling !== null) return this.pooling;
    const group = featureGroups(this.cols);
    let g = 0;
    for (let j = 0; j < this.cols; j++) g = Math.max(g, group[j] + 1);
    g = Math.ceil(g / 4) * 4;
    const xPool = this.arena.allocF32(this.rows * g);
    const xL1 = this.arena.allocF32(this.rows);
    this.owned.push(xPool.byteOffset, xL1.byteOffset);
    const p: Pooling = { group, g, xPool, xL1 };
    this.poolRows(this.data.byteOffset, this.rows, p, xPool.byteOffset, xL1.byteOffset);
    this.pooling = p;
    return p;
  }

  /** out (rows×g) = per-group feature sums (zero-padded); l1 (rows) = Σ|x|. */
  private poolRows(x: number, rows: number, p: Pooling, out: number, l1: number): void {
    const d = this.cols;
    const buf = this.arena.buffer();
    const src = new Float32Array(buf, x, rows * d);
    const dst = new Float32Array(buf, out, rows * p.g);
    const norms = new Float32Array(buf, l1, rows);
    const acc = new Float64Array(p.g);
    for (let i = 0; i < rows; i++) {
      acc.fill(0);
      let s = 0;
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const v = src[o + j];
        acc[p.group[j]] += v;
        s += Math.abs(v);
      }
      dst.set(acc, i * p.g);
      norms[i] = s;
    }
  }

  /** Squared norms of projected rows, and the same shrunk by the rounding margin. */
  private augNorms(aug: number, rows: number, r1: number, norms: number, slack: number): void {
    localKernels().rowSqNorms(aug, rows, r1, norms);
    const buf = this.arena.buffer();
    const n = new Float32Array(buf, norms, rows);
    const s = new Float32Array(buf, slack, rows);
    for (let i = 0; i < rows; i++) s[i] = (1 - BOUND_TOLERANCE) * n[i];
  }

  /** Builds the basis and the projected reference rows once, on the first bounded query. */
  private async ensureProjection(options: KnnOptions): Promise<Projection> {
    if (this.projection !== null) return this.projection;
    const arena = this.arena;
    const r = Math.min(BASIS_DIMS, this.cols);
    const r1 = r + 1;
    const basis = arena.allocF32(r * this.cols);
    basis.set(principalBasis(this.data, this.rows, this.cols, r));
    const aug = arena.allocF32(this.rows * r1);
    const augNorms = arena.allocF32(this.rows);
    const slackNorms = arena.allocF32(this.rows);
    this.owned.push(basis.byteOffset, aug.byteOffset, augNorms.byteOffset, slackNorms.byteOffset);
    const p: Projection = { basis, aug, augNorms, slackNorms, r1 };
    await this.project(
      this.data.byteOffset,
      this.rows,
      this.norms.byteOffset,
      p,
      aug.byteOffset,
      options,
    );
    this.augNorms(aug.byteOffset, this.rows, r1, augNorms.byteOffset, slackNorms.byteOffset);
    this.projection = p;
    return p;
  }

  /** out (rows×r1) = [rows projected on the basis, √(‖x‖² − ‖projection‖²)]. */
  private async project(
    x: number,
    rows: number,
    norms: number,
    p: Projection,
    out: number,
    options: KnnOptions,
  ): Promise<void> {
    const d = this.cols;
    const r = p.r1 - 1;
    const tasks: KernelTask[] = [];
    const block = 1024;
    for (let i = 0; i < rows; i += block) {
      const n = Math.min(block, rows - i);
      tasks.push({
        fn: 'gemmAbt',
        batches: [[x + i * d * 4, n, p.basis.byteOffset, r, d, out + i * p.r1 * 4, p.r1]],
      });
    }
    await this.run(tasks, options);
    const buf = this.arena.buffer();
    const a = new Float32Array(buf, out, rows * p.r1);
    const n2 = new Float32Array(buf, norms, rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let t = 0; t < r; t++) s += a[i * p.r1 + t] ** 2;
      a[i * p.r1 + r] = Math.sqrt(Math.max(0, n2[i] - s));
    }
  }

  private async run(tasks: KernelTask[], options: KnnOptions): Promise<void> {
    if (options.mode === 'local') {
      const kern = localKernels() as unknown as Record<string, (...args: number[]) => void>;
      for (const t of tasks) for (const a of t.batches) kern[t.fn](...a);
    } else {
      await (options.pool ?? kernelPool()).runAll(tasks);
    }
  }

  /** Copies the first k of each row's m sorted candidates out of the arena. */
  private firstK(dist: number, idx: number, nq: number, m: number, k: number): Neighbours {
    const buf = this.arena.buffer();
    const allD = new Float32Array(buf, dist, nq * m);
    const allI = new Int32Array(buf, idx, nq * m);
    const distances = new Float32Array(nq * k);
    const indices = new Int32Array(nq * k);
    for (let i = 0; i < nq; i++) {
      distances.set(allD.subarray(i * m, i * m + k), i * k);
      indices.set(allI.subarray(i * m, i * m + k), i * k);
    }
    return { distances, indices, rows: nq, k };
  }
}

/** One-shot k-NN: indexes `train` (nx×d), queries it, frees the index. */
export async function parallelKnn(
  train: Float32Array,
  nx: number,
  queries: Float32Array,
  nq: number,
  d: number,
  k: number,
  metric: Metric,
  options: KnnOptions = {},
): Promise<Neighbours> {
  const index = new KnnIndex(train, nx, d);
  try {
    return await index.query(queries, nq, k, metric, options);
  } finally {
    index.dispose();
  }
}
