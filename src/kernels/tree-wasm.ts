/**
 * The tree family's WASM kernels (src/kernels/assembly/trees.ts): their exports, and the
 * context a tree grower needs to call them — the kernels instantiated over the shared
 * memory and a region of that memory for its scratch. The bin codes live in the same
 * memory (binFeatures with `arena`), so every thread hands the kernels pointers (typed
 * arrays' byteOffset) and nothing is copied. The TypeScript loops in tree-split.ts stay
 * the reference: the kernels compute the same histograms and sums in the same order.
 */
import { sharedArena } from './arena.js';
import { ArenaRegion, FixedRegion } from './linear-ops.js';
import { instantiateKernels, kernelModule } from './wasm.js';

export interface TreeKernelExports {
  treeKernelsVersion(): number;
  treeFillClassLean(
    codes: number,
    colBase: number,
    idx: number,
    start: number,
    end: number,
    yNode: number,
    wNode: number,
    K: number,
    nBins: number,
    hist: number,
    touched: number,
    seen: number,
    mark: number,
  ): number;
  treeClearClassLean(hist: number, K: number, touched: number, u: number): void;
  treeClassBinSpan(hist: number, base: number, K: number, nBins: number, out: number): void;
  treeSweepClassLean(
    hist: number,
    base: number,
    K: number,
    bins: number,
    t0: number,
    t1: number,
    dense: number,
    checkGaps: number,
    values: number,
    valueOffset: number,
    totals: number,
    totalWeight: number,
    unitWeights: number,
    minLeaf: number,
    entropy: number,
    xlogx: number,
    left: number,
    out: number,
  ): void;
  treeAllSame8(p: number, m: number): number;
  treeAllSameIdx8(codes: number, colBase: number, key: number, start: number, end: number): number;
  treeFillClassAllLean(
    codes: number,
    n: number,
    d: number,
    binOffsets: number,
    idx: number,
    start: number,
    end: number,
    yNode: number,
    wNode: number,
    K: number,
    hist: number,
  ): void;
  treeFillClassAll(
    codes: number,
    n: number,
    d: number,
    binOffsets: number,
    idx: number,
    start: number,
    end: number,
    yNode: number,
    wNode: number,
    K: number,
    hist: number,
  ): void;
  treeFillRegressionAll(
    codes: number,
    n: number,
    d: number,
    binOffsets: number,
    nBins: number,
    idx: number,
    start: number,
    end: number,
    rNode: number,
    hist: number,
    scratch: number,
    half: number,
  ): void;
  treeFillRegression(
    codes: number,
    colBase: number,
    idx: number,
    start: number,
    end: number,
    rNode: number,
    nBins: number,
    hist: number,
    touched: number,
    seen: number,
  ): number;
  treeSweepRegression(
    hist: number,
    base: number,
    touched: number,
    u: number,
    values: number,
    valueOffset: number,
    totalSum: number,
    totalCount: number,
    minLeaf: number,
    out: number,
  ): void;
  treeClearBinsF64(hist: number, stride: number, touched: number, u: number): void;
  treeSubtractI32(parent: number, child: number, n: number): void;
  treeSubtractF64(parent: number, child: number, n: number): void;
  treePartition(
    codes: number,
    colBase: number,
    idx: number,
    start: number,
    end: number,
    cut: number,
    scratch: number,
  ): number;
  treePartitionPair(
    codes: number,
    colBase: number,
    key: number,
    other: number,
    start: number,
    end: number,
    cut: number,
    scratchKey: number,
    scratchOther: number,
  ): number;
  treeGatherBlock(
    rowCodes: number,
    d: number,
    idx: number,
    start: number,
    end: number,
    block: number,
  ): void;
  treeGatherClass(
    y: number,
    w: number,
    idx: number,
    start: number,
    end: number,
    yNode: number,
    wNode: number,
    totals: number,
    K: number,
  ): number;
  treeGatherRegression(r: number, idx: number, start: number, end: number, rNode: number): number;
  treeEvalLeanAt(
    ctx: number,
    f: number,
    codes: number,
    colBase: number,
    key: number,
    start: number,
    end: number,
    checkConstant: number,
  ): number;
  treeRngNextUint32(state: number): number;
  treeRngNextInt(state: number, n: number): number;
  treeBootstrapCounts(state: number, n: number, counts: number): void;
  treeFindSplitLean(
    ctx: number,
    rng: number,
    features: number,
    d: number,
    nKnownConstants: number,
    maxFeatures: number,
    codes: number,
    colStride: number,
    key: number,
    start: number,
    end: number,
    checkConstant: number,
    res: number,
  ): number;
  treeEvalRegressionFull(
    hist: number,
    base: number,
    nBins: number,
    touched: number,
    values: number,
    vOff: number,
    totalSum: number,
    totalCount: number,
    minLeaf: number,
    out: number,
  ): number;
  treeBinRange(
    codes: number,
    colBase: number,
    key: number,
    start: number,
    end: number,
    out: number,
  ): void;
  treeClassWeightsAtOrBelow(
    codes: number,
    colBase: number,
    key: number,
    start: number,
    end: number,
    yNode: number,
    wNode: number,
    cut: number,
    K: number,
    left: number,
    out: number,
  ): void;
  treeRawRange(
    col: number,
    idx: number,
    start: number,
    end: number,
    xNode: number,
    out: number,
  ): void;
  treeRawCountLeft(
    xNode: number,
    m: number,
    t: number,
    yNode: number,
    wNode: number,
    K: number,
    left: number,
    outI: number,
  ): void;
  treeRawPartition(
    col: number,
    idx: number,
    start: number,
    end: number,
    thr: number,
    scratch: number,
  ): number;
  treeGatherRows(
    rowCodes: number,
    d: number,
    idx: number,
    start: number,
    end: number,
    local: number,
    key: number,
  ): void;
}

/** Int32 slots of treeEvalLeanAt's context (see assembly/trees.ts). */
export const LEAN_CTX = {
  yNode: 0,
  wNode: 1,
  K: 2,
  hist: 3,
  touched: 4,
  seen: 5,
  mark: 6,
  values: 7,
  totals: 8,
  weight: 9,
  unit: 10,
  minLeaf: 11,
  entropy: 12,
  xlogx: 13,
  left: 14,
  out: 15,
  nBins: 18,
  offsets: 19,
  close: 20,
  size: 21,
} as const;

/** A bump allocator over (part of) the kernels' shared memory. */
export interface TreeRegion {
  readonly memory: WebAssembly.Memory;
  /** Returns a 16-byte-aligned pointer; throws RangeError when the region is full. */
  alloc(bytes: number): number;
}

/**
 * Typed-array scratch in kernel memory (zeroed, since regions are reused) for one grower.
 * `release` frees what came from the process arena (a worker's FixedRegion is reset by
 * its owner instead).
 */
export class TreeScratch {
  constructor(
    readonly k: TreeKernelExports,
    private readonly region: TreeRegion,
    private readonly onRelease: () => void = () => {},
  ) {}

  i32(n: number): Int32Array {
    const ptr = this.region.alloc(Math.max(1, n) * 4);
    return new Int32Array(this.region.memory.buffer, ptr, n).fill(0);
  }

  f32(n: number): Float32Array {
    const ptr = this.region.alloc(Math.max(1, n) * 4);
    return new Float32Array(this.region.memory.buffer, ptr, n).fill(0);
  }

  f64(n: number): Float64Array {
    const ptr = this.region.alloc(Math.max(1, n) * 8);
    return new Float64Array(this.region.memory.buffer, ptr, n).fill(0);
  }

  u8(n: number): Uint8Array {
    const ptr = this.region.alloc(Math.max(1, n));
    return new Uint8Array(this.region.memory.buffer, ptr, n).fill(0);
  }

  /** Like i32/f64, or null when the region is full (the caller falls back to JS memory). */
  tryI32(n: number): Int32Array | null {
    try {
      return this.i32(n);
    } catch (err) {
      if (err instanceof RangeError) return null;
      throw err;
    }
  }

  tryF64(n: number): Float64Array | null {
    try {
      return this.f64(n);
    } catch (err) {
      if (err instanceof RangeError) return null;
      throw err;
    }
  }

  release(): void {
    this.onRelease();
  }
}

let mainKernels: TreeKernelExports | null = null;

/** Scratch for a grower on the main thread: from the process arena, freed by release(). */
export function arenaTreeScratch(): TreeScratch {
  const arena = sharedArena();
  mainKernels ??= instantiateKernels(arena.memory) as unknown as TreeKernelExports;
  const region = new ArenaRegion(arena);
  return new TreeScratch(mainKernels, region, () => region.release());
}

/** What a tree worker needs to grow in kernel memory: the memory, the module, its range. */
export interface TreeWorkerWasm {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly start: number;
  readonly bytes: number;
}

/** A worker's kernels and fixed region; `scratch()` hands the region out afresh per tree. */
export class WorkerTreeWasm {
  private readonly k: TreeKernelExports;
  private readonly region: FixedRegion;

  constructor(init: TreeWorkerWasm) {
    this.k = instantiateKernels(init.memory, init.module) as unknown as TreeKernelExports;
    this.region = new FixedRegion(init.memory, init.start, init.bytes);
  }

  scratch(): TreeScratch {
    this.region.reset();
    return new TreeScratch(this.k, this.region);
  }
}

/** Whole-node histograms a worker's region holds before falling back to JS memory. */
const WORKER_FULL_HISTOGRAMS = 6;

/**
 * Bytes of a worker's region for trees on n rows × d features (values.length bins in all,
 * maxBins at most per feature, K classes; K = 1 for regression).
 */
export function treeScratchBytes(
  n: number,
  d: number,
  totalBins: number,
  maxBins: number,
  K: number,
): number {
  const S = K + 2;
  // Index/target arrays and a forest tree's bootstrap counts; r, rNode, xlogx.
  const rows = 9 * 4 * n + 3 * 8 * (n + 1);
  const blocks = (2048 + 1024) * d; // node block and subtree rows (see grower.ts)
  const perFeature = 4 * maxBins * (S + 4) + 8 * 10 * maxBins + 1024;
  const tables = 8 * totalBins + 12 * d + 256; // + features (int32 per feature)
  const full = WORKER_FULL_HISTOGRAMS * Math.max(4 * S, 16) * totalBins;
  return rows + blocks + perFeature + tables + full + 65536; // + small arrays, rounding
}

export { kernelModule };
