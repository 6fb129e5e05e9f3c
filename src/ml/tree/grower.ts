/**
 * Grows one tree on binned data with scikit-learn 0.19's DepthFirstTreeBuilder semantics:
 * a node is a leaf at max_depth, below min_samples_split (or 2·min_samples_leaf) samples,
 * when its impurity is ≤ 1e-7, or when no feature offers a valid split. Features are
 * drawn in random order exactly as sklearn's splitters draw them (Fisher–Yates without
 * replacement, constant features remembered for the subtree, extra features drawn while
 * all drawn ones were constant). Classification uses gini or entropy on integer sample
 * weights (bootstrap counts); regression uses friedman_mse (gradient boosting).
 *
 * When every feature is examined (max_features = all, best splitter), big nodes keep a
 * histogram of all features and hand it down by sibling subtraction: the smaller child's
 * histogram is built from its samples, the larger child's is parent − smaller.
 *
 * Classification keeps lean histograms (class weights only, see fillClassLean) whenever
 * sample counts cannot matter: unit weights, or min_samples_leaf ≤ 1. Small nodes check a
 * feature for constancy before filling its histogram.
 *
 * When the codes live in kernel memory (binFeatures with `arena`) the hot loops run in the
 * WASM kernels (src/kernels/assembly/trees.ts) over scratch from a TreeScratch region; they
 * compute what the TypeScript loops of tree-split.ts compute, in the same order, so the
 * trees are bit-for-bit the same (setTreeKernels('ts') forces the TypeScript loops).
 */
import {
  binAtOrBelow,
  codesLike,
  midpointThreshold,
  type BinCodes,
  type BinnedData,
} from '../../kernels/histogram-bins.js';
import {
  FEATURE_THRESHOLD,
  classProxy,
  classStride,
  classBinSpan,
  classWeightsAtOrBelow,
  closeNeighbours,
  clearBins,
  clearClassBins,
  clearClassLean,
  fillClassAllFeatures,
  fillClassAllLean,
  fillClassFeature,
  fillClassLean,
  fillRegressionAllFeatures,
  fillRegressionFeature,
  gatherBlock,
  gatherRows,
  partitionPairByBin,
  nodeBinRange,
  nonEmptyBins,
  partitionByBin,
  regressionAtOrBelow,
  subtractHistogram,
  sweepClass,
  sweepClassLean,
  sweepRegression,
  xlogxTable,
} from '../../kernels/tree-split.js';
import { LEAN_CTX, arenaTreeScratch, type TreeScratch } from '../../kernels/tree-wasm.js';
import type { Rng } from '../random.js';
import type { FlatTree } from './flat-tree.js';
import { FlatTreeBuilder } from './flat-tree-builder.js';

export interface GrowOptions {
  /** Infinity for unlimited. */
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features examined per node (1..d). */
  readonly maxFeatures: number;
  readonly splitter: 'best' | 'random';
  readonly rng: Rng;
  /** Nodes with at least this many samples use whole-node histograms (best splitter, all features). */
  readonly fullHistogramMin?: number;
  /** Grow a subtree on these rows only (ascending; weights still apply) instead of all rows. */
  readonly samples?: Int32Array;
  /** Depth of the subtree's root in the whole tree (max_depth counts from the real root). */
  readonly depthOffset?: number;
  /**
   * Where the grower keeps its scratch for the WASM kernels (a worker's fixed region).
   * Default: the process arena when the codes live there (see treeKernelMode), else none
   * (the TypeScript loops).
   */
  readonly scratch?: TreeScratch | null;
  /** Called for every leaf with its rows idx[start, end) (e.g. to grow it further elsewhere). */
  readonly onLeaf?: (
    node: number,
    depth: number,
    idx: Int32Array,
    start: number,
    end: number,
  ) => void;
}

export interface ClassTarget {
  readonly kind: 'class';
  readonly criterion: 'gini' | 'entropy';
  /** Encoded labels 0..K-1, one per row of the binned data. */
  readonly y: Int32Array;
  readonly nClasses: number;
  /** Integer sample weights (bootstrap counts); rows with weight 0 are left out. null = all 1. */
  readonly weights: Int32Array | null;
}

export interface RegressionTarget {
  readonly kind: 'regression';
  /** The target per row (friedman_mse). */
  readonly r: Float64Array;
  /** The output of a leaf holding samples idx[start, end). */
  leafValue(idx: Int32Array, start: number, end: number): number;
}

export type Target = ClassTarget | RegressionTarget;

/**
 * Default whole-node histogram thresholds: below them, per-feature fills are cheaper than
 * subtracting whole histograms (a class histogram has K+2 slots per bin, a regression one 2).
 */
const FULL_HISTOGRAM_MIN_CLASS = 2048;
const FULL_HISTOGRAM_MIN_REGRESSION = 1024;
/** Nodes below this many samples (all-features mode, row-major codes given) use a local block. */
const BLOCK_MAX = 2048;
/** Subtrees below this many samples (feature-subset modes) read a cached copy of their rows. */
const LOCAL_MAX = 1024;
/**
 * Nodes up to this many samples (any size when reading a contiguous block) check for a
 * constant feature before filling its histogram.
 */
const CONSTANT_CHECK_MAX = 256;
/** scikit-learn 0.19's default min_impurity_split. */
const MIN_IMPURITY = 1e-7;

interface NodeTask {
  start: number;
  end: number;
  depth: number;
  parent: number;
  isLeft: boolean;
  nConstants: number;
  /** A whole-node histogram for this node, or null. */
  hist: Int32Array | Float64Array | null;
}

let kernelMode: 'wasm' | 'ts' = 'wasm';

/** closeNeighbours per binning: a forest's trees share one (it scans every bin). */
const closeCache = new WeakMap<Float64Array, Uint8Array>();

function closeNeighboursOf(b: BinnedData): Uint8Array {
  let close = closeCache.get(b.values);
  if (close === undefined) {
    close = closeNeighbours(b.values, b.offsets, b.nBins);
    closeCache.set(b.values, close);
  }
  return close;
}

/**
 * 'wasm' (default): grow with the WASM kernels whenever the codes live in kernel memory;
 * 'ts': always the TypeScript reference loops (for tests and identity checks).
 */
export function setTreeKernels(mode: 'wasm' | 'ts'): void {
  kernelMode = mode;
}

export function treeKernelMode(): 'wasm' | 'ts' {
  return kernelMode;
}

export function growTree(binned: BinnedData, target: Target, options: GrowOptions): FlatTree {
  const own =
    options.scratch === undefined &&
    kernelMode === 'wasm' &&
    binned.inKernelMemory === true &&
    binned.codes instanceof Uint8Array;
  const scratch = own
    ? arenaTreeScratch()
    : kernelMode === 'wasm'
      ? (options.scratch ?? null)
      : null;
  try {
    return new Grower(binned, target, options, scratch).grow();
  } finally {
    if (own) scratch?.release();
  }
}

class Grower {
  private readonly b: BinnedData;
  private readonly t: Target;
  private readonly o: GrowOptions;
  private readonly K: number;
  private readonly isClass: boolean;
  private readonly entropy: boolean;
  private readonly y: Int32Array;
  private readonly w: Int32Array;
  private readonly r: Float64Array;
  // Per-node gathered targets and scratch.
  private readonly idx: Int32Array;
  private readonly scratch: Int32Array;
  private readonly yNode: Int32Array;
  private readonly wNode: Int32Array;
  private readonly rNode: Float64Array;
  private readonly featHist: Int32Array;
  private readonly featHistR: Float64Array;
  private readonly touched: Int32Array;
  private readonly seen: Int32Array;
  /** Lean class histograms (class weights only, see fillClassLean) and their scratch. */
  private readonly lean: boolean;
  private readonly unitWeights: boolean;
  private readonly mark: Uint8Array;
  private readonly mark32: Int32Array;
  private readonly binIota: Int32Array;
  private readonly span: Int32Array;
  /** Per feature: some neighbouring values within FEATURE_THRESHOLD (see sweepClassLean). */
  private readonly close: Uint8Array;
  private readonly pairScratch: Float64Array;
  private readonly totals: Int32Array;
  private readonly leftCounts: Int32Array;
  private readonly out: Float64Array;
  private readonly outI: Int32Array;
  /** The WASM kernels and their scratch region, or null (TypeScript loops). */
  private readonly ws: TreeScratch | null;
  /** Kernel-memory copies of the bin tables (for the sweeps). */
  private readonly valuesK: Float64Array;
  private readonly offsetsK: Int32Array;
  private readonly nBinsK: Int32Array;
  /** Kernel-memory copies of y, w, r (for the node gathers), or empty. */
  private readonly yK: Int32Array;
  private readonly wK: Int32Array;
  private readonly rK: Float64Array;
  /** treeEvalLeanAt's context (see LEAN_CTX), or empty. */
  private readonly ctx: Int32Array;
  /** Whole-node histograms that live in kernel memory. */
  private readonly kHists = new WeakSet<Int32Array | Float64Array>();
  private readonly xlogx: Float64Array;
  private readonly features: Int32Array;
  /** The Rng's state in kernel memory, handed to treeFindSplitLean and back (or empty). */
  private readonly rngK: Uint32Array;
  private readonly constantFeatures: Int32Array;
  private readonly useFull: boolean;
  private readonly fullMin: number;
  private readonly pool: (Int32Array | Float64Array)[] = [];
  /** Node-local column-major codes of the node being split (see gatherBlock), or null. */
  private readonly block: BinCodes | null;
  private readonly iota: Int32Array;
  private blockActive = false;
  /** Feature-subset modes: the rows of the current small subtree (see gatherRows). */
  private readonly local: BinCodes | null;
  private readonly localKey: Int32Array;
  private readonly scratchKey: Int32Array;
  private localStart = -1;
  private localEnd = -1;
  /** Where the node being split reads its codes: [codes, key array, stride of a feature]. */
  private src: BinCodes;
  private srcKey: Int32Array;
  private srcLocal = false;
  // Node statistics of the node being split.
  private nodeWeight = 0;
  private nodeSamples = 0;
  private nodeSum = 0;
  // The tree under construction.
  private readonly tree: FlatTreeBuilder;

  constructor(
    binned: BinnedData,
    target: Target,
    options: GrowOptions,
    scratch: TreeScratch | null,
  ) {
    this.b = binned;
    const ws =
      scratch !== null && binned.inKernelMemory === true && binned.codes instanceof Uint8Array
        ? scratch
        : null;
    this.ws = ws;
    const I32 = (len: number): Int32Array => (ws === null ? new Int32Array(len) : ws.i32(len));
    const F64 = (len: number): Float64Array => (ws === null ? new Float64Array(len) : ws.f64(len));
    this.span = I32(2);
    this.out = F64(3);
    this.outI = I32(2);
    this.valuesK = ws === null ? binned.values : F64(binned.values.length);
    if (ws !== null) this.valuesK.set(binned.values);
    this.offsetsK = ws === null ? binned.offsets : I32(binned.d);
    if (ws !== null) this.offsetsK.set(binned.offsets);
    this.nBinsK = ws === null ? binned.nBins : I32(binned.d);
    if (ws !== null) this.nBinsK.set(binned.nBins);
    this.t = target;
    this.o = options;
    const n = binned.n;
    this.isClass = target.kind === 'class';
    this.K = target.kind === 'class' ? target.nClasses : 1;
    this.tree = FlatTreeBuilder.acquire(this.K);
    this.entropy = target.kind === 'class' && target.criterion === 'entropy';
    this.y = target.kind === 'class' ? target.y : new Int32Array(0);
    this.r = target.kind === 'regression' ? target.r : new Float64Array(0);
    let w: Int32Array;
    if (target.kind === 'class' && target.weights !== null) w = target.weights;
    else w = new Int32Array(n).fill(1);
    this.w = w;
    const rows = options.samples;
    let m = 0;
    let totalWeight = 0;
    if (rows !== undefined) {
      const kept = rows.filter((i) => w[i] > 0);
      m = kept.length;
      this.idx = I32(m);
      this.idx.set(kept);
      for (let p = 0; p < m; p++) totalWeight += w[this.idx[p]];
    } else {
      for (let i = 0; i < n; i++)
        if (w[i] > 0) {
          m++;
          totalWeight += w[i];
        }
      this.idx = I32(m);
      for (let i = 0, p = 0; i < n; i++) if (w[i] > 0) this.idx[p++] = i;
    }
    this.scratch = I32(m);
    this.yNode = I32(this.isClass ? m : 0);
    this.wNode = I32(this.isClass ? m : 0);
    this.rNode = F64(this.isClass ? 0 : m);
    const S = classStride(this.K);
    this.featHist = I32(this.isClass ? binned.maxBins * S : 0);
    this.featHistR = F64(this.isClass ? 0 : binned.maxBins * 2);
    this.touched = I32(binned.maxBins + 1);
    this.seen = I32((binned.maxBins + 31) >>> 5);
    this.unitWeights = !(target.kind === 'class' && target.weights !== null);
    this.lean = this.isClass && (this.unitWeights || options.minSamplesLeaf <= 1);
    this.mark32 = I32(this.lean ? (binned.maxBins + 3) >>> 2 : 0);
    this.mark = new Uint8Array(this.mark32.buffer, this.mark32.byteOffset, 4 * this.mark32.length);
    this.binIota = I32(this.lean ? binned.maxBins : 0);
    this.close = this.lean ? closeNeighboursOf(binned) : new Uint8Array(0);
    for (let b = 0; b < this.binIota.length; b++) this.binIota[b] = b;
    this.yK = ws === null ? new Int32Array(0) : I32(this.y.length);
    if (ws !== null) this.yK.set(this.y);
    this.wK = ws === null || !this.isClass ? new Int32Array(0) : I32(n);
    if (this.wK.length > 0) this.wK.set(w);
    this.rK = ws === null ? new Float64Array(0) : F64(this.r.length);
    if (ws !== null) this.rK.set(this.r);
    // Two accumulators per feature; the WASM kernel fills two features at a time.
    this.pairScratch = F64(this.isClass ? 0 : (ws === null ? 4 : 8) * binned.maxBins);
    this.totals = I32(this.K);
    this.leftCounts = I32(this.K);
    this.xlogx = F64(this.entropy ? totalWeight + 1 : 0);
    if (this.entropy) this.xlogx.set(xlogxTable(totalWeight));
    this.features = I32(binned.d);
    const rngWords = ws === null || !this.lean ? null : ws.i32(4);
    this.rngK =
      rngWords === null
        ? new Uint32Array(0)
        : new Uint32Array(rngWords.buffer, rngWords.byteOffset, 4);
    for (let j = 0; j < binned.d; j++) this.features[j] = j;
    this.constantFeatures = new Int32Array(binned.d);
    this.useFull = options.splitter === 'best' && options.maxFeatures >= binned.d;
    this.fullMin =
      options.fullHistogramMin ??
      (this.isClass ? FULL_HISTOGRAM_MIN_CLASS : FULL_HISTOGRAM_MIN_REGRESSION);
    const blockRows = Math.min(m, Math.max(this.fullMin, BLOCK_MAX));
    const codesOf = (len: number): BinCodes =>
      ws === null ? codesLike(binned.codes, len) : ws.u8(len);
    this.block = this.useFull && binned.rowCodes !== null ? codesOf(blockRows * binned.d) : null;
    this.iota = new Int32Array(this.block === null ? 0 : blockRows);
    for (let p = 0; p < this.iota.length; p++) this.iota[p] = p;
    const localRows = Math.min(m, LOCAL_MAX);
    this.local = !this.useFull && binned.rowCodes !== null ? codesOf(localRows * binned.d) : null;
    this.localKey = I32(this.local === null ? 0 : m);
    this.scratchKey = I32(this.local === null ? 0 : m);
    this.src = binned.codes;
    this.srcKey = this.idx;
    this.ctx = ws === null || !this.lean ? new Int32Array(0) : I32(LEAN_CTX.size);
    if (ws !== null && this.lean) {
      const c = this.ctx;
      const closeK = ws.u8(binned.d);
      closeK.set(this.close);
      c[LEAN_CTX.yNode] = this.yNode.byteOffset;
      c[LEAN_CTX.wNode] = this.wNode.byteOffset;
      c[LEAN_CTX.K] = this.K;
      c[LEAN_CTX.hist] = this.featHist.byteOffset;
      c[LEAN_CTX.touched] = this.touched.byteOffset;
      c[LEAN_CTX.seen] = this.seen.byteOffset;
      c[LEAN_CTX.mark] = this.mark.byteOffset;
      c[LEAN_CTX.values] = this.valuesK.byteOffset;
      c[LEAN_CTX.totals] = this.totals.byteOffset;
      c[LEAN_CTX.unit] = this.unitWeights ? 1 : 0;
      c[LEAN_CTX.minLeaf] = options.minSamplesLeaf;
      c[LEAN_CTX.entropy] = this.entropy ? 1 : 0;
      c[LEAN_CTX.xlogx] = this.xlogx.byteOffset;
      c[LEAN_CTX.left] = this.leftCounts.byteOffset;
      c[LEAN_CTX.out] = this.out.byteOffset;
      c[LEAN_CTX.nBins] = this.nBinsK.byteOffset;
      c[LEAN_CTX.offsets] = this.offsetsK.byteOffset;
      c[LEAN_CTX.close] = closeK.byteOffset;
    }
  }

  /** Chooses where this node reads codes: the cached rows of its small subtree, or global columns. */
  private selectSource(start: number, end: number): void {
    this.srcLocal = false;
    this.src = this.b.codes;
    this.srcKey = this.idx;
    if (this.local === null) return;
    if (start < this.localStart || end > this.localEnd) {
      if (end - start > LOCAL_MAX) return;
      if (this.ws !== null)
        this.ws.k.treeGatherRows(
          (this.b.rowCodes as BinCodes).byteOffset,
          this.b.d,
          this.idx.byteOffset,
          start,
          end,
          (this.local as BinCodes).byteOffset,
          this.localKey.byteOffset,
        );
      else
        gatherRows(
          this.b.rowCodes as BinCodes,
          this.b.d,
          this.idx,
          start,
          end,
          this.local,
          this.localKey,
        );
      this.localStart = start;
      this.localEnd = end;
    }
    this.srcLocal = true;
    this.src = this.local;
    this.srcKey = this.localKey;
  }

  /** Column base of feature f in the current source. */
  private colBase(f: number): number {
    return this.srcLocal ? f : f * this.b.n;
  }

  grow(): FlatTree {
    const o = this.o;
    const root: NodeTask = {
      start: 0,
      end: this.idx.length,
      depth: o.depthOffset ?? 0,
      parent: -1,
      isLeft: false,
      nConstants: 0,
      hist: null,
    };
    if (this.useFull && root.end >= this.fullMin) root.hist = this.buildFull(0, root.end);
    const stack: NodeTask[] = [root];
    while (stack.length > 0) {
      const task = stack.pop() as NodeTask;
      const { start, end, depth } = task;
      const nodeSamples = end - start;
      this.gatherNode(start, end);
      const id = this.addNode(task);
      let isLeaf =
        depth >= o.maxDepth ||
        nodeSamples < o.minSamplesSplit ||
        nodeSamples < 2 * o.minSamplesLeaf ||
        this.nodeImpurityTiny();
      let split: Split | null = null;
      if (!isLeaf) {
        this.selectSource(start, end);
        split = this.findSplit(start, end, task.nConstants, task.hist);
        if (split === null) isLeaf = true;
      }
      if (isLeaf || split === null) {
        this.release(task.hist);
        this.writeLeaf(id, start, end);
        o.onLeaf?.(id, depth, this.idx, start, end);
        continue;
      }
      this.tree.setSplit(id, split.feature, split.threshold, split.cut);
      const mid =
        this.ws !== null
          ? this.partitionK(split, start, end)
          : this.srcLocal
            ? partitionPairByBin(
                this.src,
                this.colBase(split.feature),
                this.localKey,
                this.idx,
                start,
                end,
                split.cut,
                this.scratchKey,
                this.scratch,
              )
            : partitionByBin(
                this.b.codes,
                split.feature * this.b.n,
                this.idx,
                start,
                end,
                split.cut,
                this.scratch,
              );
      let leftHist: Int32Array | Float64Array | null = null;
      let rightHist: Int32Array | Float64Array | null = null;
      // Children at max_depth are leaves: no histograms for them.
      if (task.hist !== null && depth + 1 < o.maxDepth)
        [leftHist, rightHist] = this.childHistograms(task.hist, start, mid, end);
      else this.release(task.hist);
      // Push right then left so the left subtree is grown first, as sklearn does. (Plain
      // literals: an object spread here costs more than a small node's split.)
      const nConstants = split.nConstants;
      stack.push({
        start: mid,
        end,
        depth: depth + 1,
        parent: id,
        isLeft: false,
        nConstants,
        hist: rightHist,
      });
      stack.push({
        start,
        end: mid,
        depth: depth + 1,
        parent: id,
        isLeft: true,
        nConstants,
        hist: leftHist,
      });
    }
    return this.tree.build();
  }

  /** partitionByBin / partitionPairByBin in the WASM kernels. */
  private partitionK(split: Split, start: number, end: number): number {
    const k = (this.ws as TreeScratch).k;
    return this.srcLocal
      ? k.treePartitionPair(
          this.src.byteOffset,
          this.colBase(split.feature),
          this.localKey.byteOffset,
          this.idx.byteOffset,
          start,
          end,
          split.cut,
          this.scratchKey.byteOffset,
          this.scratch.byteOffset,
        )
      : k.treePartition(
          this.b.codes.byteOffset,
          split.feature * this.b.n,
          this.idx.byteOffset,
          start,
          end,
          split.cut,
          this.scratch.byteOffset,
        );
  }

  /** Sibling subtraction: build the smaller child's histogram, parent − smaller is the larger's. */
  private childHistograms(
    parent: Int32Array | Float64Array,
    start: number,
    mid: number,
    end: number,
  ): [Int32Array | Float64Array | null, Int32Array | Float64Array | null] {
    const nl = mid - start;
    const nr = end - mid;
    if (Math.max(nl, nr) < this.fullMin) {
      this.release(parent);
      return [null, null];
    }
    const leftSmaller = nl <= nr;
    const small = leftSmaller ? this.buildFull(start, mid) : this.buildFull(mid, end);
    if (this.ws !== null && this.kHists.has(parent) && this.kHists.has(small)) {
      if (parent instanceof Int32Array)
        this.ws.k.treeSubtractI32(parent.byteOffset, small.byteOffset, parent.length);
      else this.ws.k.treeSubtractF64(parent.byteOffset, small.byteOffset, parent.length);
    } else subtractHistogram(parent, small);
    let smallKept: Int32Array | Float64Array | null = small;
    if (Math.min(nl, nr) < this.fullMin) {
      this.release(small);
      smallKept = null;
    }
    return leftSmaller ? [smallKept, parent] : [parent, smallKept];
  }

  private buildFull(start: number, end: number): Int32Array | Float64Array {
    const b = this.b;
    let h = this.pool.pop();
    if (h === undefined) {
      const len = b.values.length * (this.isClass ? classStride(this.K) : 2);
      // In kernel memory while the region has room, else JS memory (and the TS loops).
      const k = this.ws === null ? null : this.isClass ? this.ws.tryI32(len) : this.ws.tryF64(len);
      if (k !== null) this.kHists.add(k);
      h = k ?? (this.isClass ? new Int32Array(len) : new Float64Array(len));
    } else {
      h.fill(0);
    }
    this.gatherNode(start, end);
    const ws = this.ws;
    if (ws !== null && this.kHists.has(h)) {
      const args = [b.codes.byteOffset, b.n, b.d, this.offsetsK.byteOffset] as const;
      if (this.lean || this.isClass) {
        const fill = this.lean ? ws.k.treeFillClassAllLean : ws.k.treeFillClassAll;
        fill(
          ...args,
          this.idx.byteOffset,
          start,
          end,
          this.yNode.byteOffset,
          this.wNode.byteOffset,
          this.K,
          h.byteOffset,
        );
      } else {
        ws.k.treeFillRegressionAll(
          ...args,
          this.nBinsK.byteOffset,
          this.idx.byteOffset,
          start,
          end,
          this.rNode.byteOffset,
          h.byteOffset,
          this.pairScratch.byteOffset,
          this.pairScratch.length >>> 2,
        );
      }
    } else if (this.lean) {
      fillClassAllLean(
        b.codes,
        b.n,
        b.d,
        b.offsets,
        this.idx,
        start,
        end,
        this.yNode,
        this.wNode,
        this.K,
        h as Int32Array,
      );
    } else if (this.isClass) {
      fillClassAllFeatures(
        b.codes,
        b.n,
        b.d,
        b.offsets,
        this.idx,
        start,
        end,
        this.yNode,
        this.wNode,
        this.K,
        h as Int32Array,
      );
    } else {
      fillRegressionAllFeatures(
        b.codes,
        b.n,
        b.d,
        b.offsets,
        b.nBins,
        this.idx,
        start,
        end,
        this.rNode,
        h as Float64Array,
        this.pairScratch,
      );
    }
    return h;
  }

  private release(h: Int32Array | Float64Array | null): void {
    if (h !== null) this.pool.push(h);
  }

  /** Gathers the node's targets contiguously and its totals. */
  private gatherNode(start: number, end: number): void {
    const idx = this.idx;
    const ws = this.ws;
    if (ws !== null) {
      if (this.isClass) {
        this.nodeWeight = ws.k.treeGatherClass(
          this.yK.byteOffset,
          this.wK.byteOffset,
          idx.byteOffset,
          start,
          end,
          this.yNode.byteOffset,
          this.wNode.byteOffset,
          this.totals.byteOffset,
          this.K,
        );
      } else {
        this.nodeSum = ws.k.treeGatherRegression(
          this.rK.byteOffset,
          idx.byteOffset,
          start,
          end,
          this.rNode.byteOffset,
        );
        this.nodeWeight = end - start;
      }
      this.nodeSamples = end - start;
      return;
    }
    if (this.isClass) {
      const { y, w, yNode, wNode, totals } = this;
      totals.fill(0);
      let W = 0;
      for (let t = start; t < end; t++) {
        const s = idx[t];
        const p = t - start;
        yNode[p] = y[s];
        wNode[p] = w[s];
        totals[y[s]] += w[s];
        W += w[s];
      }
      this.nodeWeight = W;
    } else {
      const { r, rNode } = this;
      let sum = 0;
      for (let t = start; t < end; t++) {
        const v = r[idx[t]];
        rNode[t - start] = v;
        sum += v;
      }
      this.nodeSum = sum;
      this.nodeWeight = end - start;
    }
    this.nodeSamples = end - start;
  }

  /** sklearn's `impurity <= min_impurity_split` (1e-7) for the gathered node. */
  private nodeImpurityTiny(): boolean {
    if (this.isClass) {
      let max = 0;
      for (let k = 0; k < this.K; k++) max = Math.max(max, this.totals[k]);
      return max === this.nodeWeight; // any impure node has gini/entropy ≫ 1e-7
    }
    const m = this.nodeSamples;
    let sq = 0;
    for (let p = 0; p < m; p++) sq += this.rNode[p] * this.rNode[p];
    const mean = this.nodeSum / m;
    return sq / m - mean * mean <= MIN_IMPURITY;
  }

  /** sklearn's splitter loop; returns null when no valid split exists. */
  private findSplit(
    start: number,
    end: number,
    nKnownConstants: number,
    full: Int32Array | Float64Array | null,
  ): Split | null {
    const { features, constantFeatures, o, b } = this;
    const d = b.d;
    const rng = o.rng;
    let fi = d;
    let nVisited = 0;
    let nFound = 0;
    let nDrawn = 0;
    let nTotal = nKnownConstants;
    let bestProxy = -Infinity;
    let best: Split | null = null;
    this.blockActive = full === null && this.block !== null && end - start <= this.iota.length;
    if (this.blockActive) {
      if (this.ws !== null)
        this.ws.k.treeGatherBlock(
          (b.rowCodes as BinCodes).byteOffset,
          d,
          this.idx.byteOffset,
          start,
          end,
          (this.block as BinCodes).byteOffset,
        );
      else gatherBlock(b.rowCodes as BinCodes, d, this.idx, start, end, this.block as BinCodes);
    }
    if (this.ctx.length > 0) this.ctx[LEAN_CTX.weight] = this.nodeWeight;
    if (this.ctx.length > 0 && full === null && !this.blockActive && o.splitter === 'best')
      return this.findSplitLeanK(start, end, nKnownConstants);
    while (fi > nTotal && (nVisited < o.maxFeatures || nVisited <= nFound + nDrawn)) {
      nVisited++;
      let fj = nDrawn + rng.nextInt(fi - nFound - nDrawn);
      if (fj < nKnownConstants) {
        swap(features, fj, nDrawn);
        nDrawn++;
        continue;
      }
      fj += nFound;
      const f = features[fj];
      const status = this.evaluate(f, start, end, full);
      if (status === CONSTANT) {
        swap(features, fj, nTotal);
        nFound++;
        nTotal++;
        continue;
      }
      fi--;
      swap(features, fi, fj);
      if (status === FOUND && this.out[0] > bestProxy) {
        bestProxy = this.out[0];
        best = { feature: f, cut: this.out[1], threshold: this.splitThreshold, nConstants: 0 };
      }
    }
    // sklearn's invariant: known constants first, then the ones found here.
    features.set(constantFeatures.subarray(0, nKnownConstants), 0);
    constantFeatures.set(
      features.subarray(nKnownConstants, nKnownConstants + nFound),
      nKnownConstants,
    );
    if (best !== null) best.nConstants = nTotal;
    return best;
  }

  /**
   * findSplit's loop for lean nodes without a whole-node histogram as one WASM call
   * (treeFindSplitLean): the same draws from o.rng, evaluations and tie-breaking.
   */
  private findSplitLeanK(start: number, end: number, nKnownConstants: number): Split | null {
    const { features, constantFeatures, o, b } = this;
    const k = (this.ws as TreeScratch).k;
    const rngK = this.rngK;
    o.rng.getState(rngK);
    const f = k.treeFindSplitLean(
      this.ctx.byteOffset,
      rngK.byteOffset,
      features.byteOffset,
      b.d,
      nKnownConstants,
      o.maxFeatures,
      this.src.byteOffset,
      this.srcLocal ? 1 : b.n,
      this.srcKey.byteOffset,
      start,
      end,
      end - start <= CONSTANT_CHECK_MAX ? 1 : 0,
      this.outI.byteOffset,
    );
    o.rng.setState(rngK);
    const nFound = this.outI[0];
    const nTotal = this.outI[1];
    features.set(constantFeatures.subarray(0, nKnownConstants), 0);
    constantFeatures.set(
      features.subarray(nKnownConstants, nKnownConstants + nFound),
      nKnownConstants,
    );
    if (f < 0) return null;
    const vOff = b.offsets[f];
    const out = this.out;
    return {
      feature: f,
      cut: out[1],
      threshold: midpointThreshold(b.values[vOff + out[1]], b.values[vOff + out[2]]),
      nConstants: nTotal,
    };
  }

  private splitThreshold = 0;

  /** Evaluates feature f on the node: CONSTANT, NONE (no valid split) or FOUND (out = proxy, cut). */
  private evaluate(
    f: number,
    start: number,
    end: number,
    full: Int32Array | Float64Array | null,
  ): number {
    const b = this.b;
    const colBase = this.colBase(f);
    const src = this.src;
    const key = this.srcKey;
    const vOff = b.offsets[f];
    const values = b.values;
    const minLeaf = this.o.minSamplesLeaf;
    if (this.o.splitter === 'random') {
      const ws = this.ws;
      if (ws !== null)
        ws.k.treeBinRange(
          src.byteOffset,
          colBase,
          key.byteOffset,
          start,
          end,
          this.outI.byteOffset,
        );
      else nodeBinRange(src, colBase, key, start, end, this.outI);
      const lo = values[vOff + this.outI[0]];
      const hi = values[vOff + this.outI[1]];
      if (hi <= lo + FEATURE_THRESHOLD) return CONSTANT;
      let t = lo + (hi - lo) * this.o.rng.nextFloat();
      if (t === hi) t = lo;
      const cut = binAtOrBelow(b, f, t);
      let nl: number;
      if (this.isClass) {
        if (ws !== null)
          ws.k.treeClassWeightsAtOrBelow(
            src.byteOffset,
            colBase,
            key.byteOffset,
            start,
            end,
            this.yNode.byteOffset,
            this.wNode.byteOffset,
            cut,
            this.K,
            this.leftCounts.byteOffset,
            this.outI.byteOffset,
          );
        else
          classWeightsAtOrBelow(
            src,
            colBase,
            key,
            start,
            end,
            this.yNode,
            this.wNode,
            cut,
            this.K,
            this.leftCounts,
            this.outI,
          );
        nl = this.outI[1];
        if (nl < minLeaf || this.nodeSamples - nl < minLeaf) return NONE;
        this.out[0] = classProxy(
          this.leftCounts,
          this.totals,
          this.K,
          this.outI[0],
          this.nodeWeight,
          this.entropy,
          this.xlogx,
        );
      } else {
        regressionAtOrBelow(src, colBase, key, start, end, this.rNode, cut, this.out);
        const sl = this.out[0];
        nl = this.out[1];
        if (nl < minLeaf || this.nodeSamples - nl < minLeaf) return NONE;
        const nr = this.nodeSamples - nl;
        const diff = nr * sl - nl * (this.nodeSum - sl);
        this.out[0] = (diff * diff) / (nl * nr);
      }
      this.out[1] = cut;
      this.splitThreshold = t;
      return FOUND;
    }
    const touched = this.touched;
    let u: number;
    if (this.lean) return this.evaluateLean(f, start, end, full);
    if (!this.isClass && this.ws !== null && full !== null && this.kHists.has(full)) {
      const status = this.ws.k.treeEvalRegressionFull(
        full.byteOffset,
        vOff * 2,
        b.nBins[f],
        touched.byteOffset,
        this.valuesK.byteOffset,
        vOff,
        this.nodeSum,
        this.nodeSamples,
        minLeaf,
        this.out.byteOffset,
      );
      if (status === FOUND)
        this.splitThreshold = midpointThreshold(
          values[vOff + this.out[1]],
          values[vOff + this.out[2]],
        );
      return status;
    }
    if (!this.isClass && this.ws !== null && (full === null || this.kHists.has(full)))
      return this.evaluateRegressionK(f, start, end, full as Float64Array | null);
    if (this.isClass) {
      const S = classStride(this.K);
      let hist: Int32Array;
      let base: number;
      if (full !== null) {
        hist = full as Int32Array;
        base = vOff * S;
        u = nonEmptyBins(hist, base, S, this.K, b.nBins[f], touched);
      } else if (this.blockActive) {
        hist = this.featHist;
        base = 0;
        const m = end - start;
        u = fillClassFeature(
          this.block as BinCodes,
          f * m,
          this.iota,
          0,
          m,
          this.yNode,
          this.wNode,
          this.K,
          b.nBins[f],
          hist,
          touched,
          this.seen,
        );
      } else {
        hist = this.featHist;
        base = 0;
        u = fillClassFeature(
          src,
          colBase,
          key,
          start,
          end,
          this.yNode,
          this.wNode,
          this.K,
          b.nBins[f],
          hist,
          touched,
          this.seen,
        );
      }
      if (
        u <= 1 ||
        values[vOff + touched[u - 1]] <= values[vOff + touched[0]] + FEATURE_THRESHOLD
      ) {
        if (full === null) clearClassBins(hist, this.K, touched, u);
        return CONSTANT;
      }
      sweepClass(
        hist,
        base,
        this.K,
        touched,
        u,
        values,
        vOff,
        this.totals,
        this.nodeWeight,
        this.nodeSamples,
        minLeaf,
        this.entropy,
        this.xlogx,
        this.leftCounts,
        this.out,
      );
      if (full === null) clearClassBins(hist, this.K, touched, u);
    } else {
      let hist: Float64Array;
      let base: number;
      if (full !== null) {
        hist = full as Float64Array;
        base = vOff * 2;
        u = 0;
        for (let bin = 0; bin < b.nBins[f]; bin++)
          if (hist[base + 2 * bin + 1] !== 0) touched[u++] = bin;
      } else if (this.allOneBinCheap(f, start, end)) {
        return CONSTANT;
      } else if (this.blockActive) {
        hist = this.featHistR;
        base = 0;
        const m = end - start;
        u = fillRegressionFeature(
          this.block as BinCodes,
          f * m,
          this.iota,
          0,
          m,
          this.rNode,
          b.nBins[f],
          hist,
          touched,
          this.seen,
        );
      } else {
        hist = this.featHistR;
        base = 0;
        u = fillRegressionFeature(
          src,
          colBase,
          key,
          start,
          end,
          this.rNode,
          b.nBins[f],
          hist,
          touched,
          this.seen,
        );
      }
      if (
        u <= 1 ||
        values[vOff + touched[u - 1]] <= values[vOff + touched[0]] + FEATURE_THRESHOLD
      ) {
        if (full === null) clearBins(hist, 2, touched, u);
        return CONSTANT;
      }
      sweepRegression(
        hist,
        base,
        touched,
        u,
        values,
        vOff,
        this.nodeSum,
        this.nodeSamples,
        minLeaf,
        this.out,
      );
      if (full === null) clearBins(hist, 2, touched, u);
    }
    if (this.out[0] === -Infinity) return NONE;
    this.splitThreshold = midpointThreshold(values[vOff + this.out[1]], values[vOff + this.out[2]]);
    return FOUND;
  }

  /** The regression branch of evaluate() with the WASM kernels (full in kernel memory). */
  private evaluateRegressionK(
    f: number,
    start: number,
    end: number,
    full: Float64Array | null,
  ): number {
    const b = this.b;
    const k = (this.ws as TreeScratch).k;
    const vOff = b.offsets[f];
    const values = b.values;
    const touched = this.touched;
    let u: number;
    let hist: Float64Array;
    let base: number;
    if (full !== null) {
      hist = full;
      base = vOff * 2;
      u = 0;
      for (let bin = 0; bin < b.nBins[f]; bin++)
        if (hist[base + 2 * bin + 1] !== 0) touched[u++] = bin;
    } else if (this.allOneBinCheap(f, start, end)) {
      return CONSTANT;
    } else {
      hist = this.featHistR;
      base = 0;
      const m = end - start;
      u = this.blockActive
        ? k.treeFillRegression(
            (this.block as BinCodes).byteOffset,
            f * m,
            0,
            0,
            m,
            this.rNode.byteOffset,
            b.nBins[f],
            hist.byteOffset,
            touched.byteOffset,
            this.seen.byteOffset,
          )
        : k.treeFillRegression(
            this.src.byteOffset,
            this.colBase(f),
            this.srcKey.byteOffset,
            start,
            end,
            this.rNode.byteOffset,
            b.nBins[f],
            hist.byteOffset,
            touched.byteOffset,
            this.seen.byteOffset,
          );
    }
    if (u <= 1 || values[vOff + touched[u - 1]] <= values[vOff + touched[0]] + FEATURE_THRESHOLD) {
      if (full === null) k.treeClearBinsF64(hist.byteOffset, 2, touched.byteOffset, u);
      return CONSTANT;
    }
    k.treeSweepRegression(
      hist.byteOffset,
      base,
      touched.byteOffset,
      u,
      this.valuesK.byteOffset,
      vOff,
      this.nodeSum,
      this.nodeSamples,
      this.o.minSamplesLeaf,
      this.out.byteOffset,
    );
    if (full === null) k.treeClearBinsF64(hist.byteOffset, 2, touched.byteOffset, u);
    if (this.out[0] === -Infinity) return NONE;
    this.splitThreshold = midpointThreshold(values[vOff + this.out[1]], values[vOff + this.out[2]]);
    return FOUND;
  }

  /**
   * allOneBin where it is cheap next to a histogram fill: small nodes (where most features
   * are constant) or a contiguous block; false otherwise.
   */
  private allOneBinCheap(f: number, start: number, end: number): boolean {
    return (this.blockActive || end - start <= CONSTANT_CHECK_MAX) && this.allOneBin(f, start, end);
  }

  /** Whether all the node's samples share one bin of feature f (a constant feature). */
  private allOneBin(f: number, start: number, end: number): boolean {
    const ws = this.ws;
    if (ws !== null) {
      if (this.blockActive) {
        const m = end - start;
        return ws.k.treeAllSame8((this.block as BinCodes).byteOffset + f * m, m) !== 0;
      }
      return (
        ws.k.treeAllSameIdx8(
          this.src.byteOffset,
          this.colBase(f),
          this.srcKey.byteOffset,
          start,
          end,
        ) !== 0
      );
    }
    if (this.blockActive) {
      const block = this.block as BinCodes;
      const m = end - start;
      const c0 = f * m;
      const first = block[c0];
      for (let p = 1; p < m; p++) if (block[c0 + p] !== first) return false;
      return true;
    }
    const src = this.src;
    const key = this.srcKey;
    const cb = this.colBase(f);
    const first = src[cb + key[start]];
    for (let t = start + 1; t < end; t++) if (src[cb + key[t]] !== first) return false;
    return true;
  }

  /** evaluate() for lean class histograms (best splitter). */
  private evaluateLean(
    f: number,
    start: number,
    end: number,
    full: Int32Array | Float64Array | null,
  ): number {
    if (this.ws !== null && (full === null || this.kHists.has(full)))
      return this.evaluateLeanK(f, start, end, full as Int32Array | null);
    const b = this.b;
    const K = this.K;
    const vOff = b.offsets[f];
    const values = b.values;
    const nBins = b.nBins[f];
    let hist: Int32Array;
    let base: number;
    let bins: Int32Array;
    let t0: number;
    let t1: number;
    const dense = full !== null;
    if (full !== null) {
      hist = full as Int32Array;
      base = vOff * classStride(K);
      classBinSpan(hist, base, K, nBins, this.span);
      const lo = this.span[0];
      const hi = this.span[1];
      if (lo < 0 || hi === lo || values[vOff + hi] <= values[vOff + lo] + FEATURE_THRESHOLD)
        return CONSTANT;
      bins = this.binIota;
      t0 = lo;
      t1 = hi + 1;
    } else {
      hist = this.featHist;
      base = 0;
      bins = this.touched;
      t0 = 0;
      const m = end - start;
      if (this.allOneBinCheap(f, start, end)) return CONSTANT;
      t1 = this.blockActive
        ? fillClassLean(
            this.block as BinCodes,
            f * m,
            null,
            0,
            m,
            this.yNode,
            this.wNode,
            K,
            nBins,
            hist,
            bins,
            this.seen,
            this.mark,
            this.mark32,
          )
        : fillClassLean(
            this.src,
            this.colBase(f),
            this.srcKey,
            start,
            end,
            this.yNode,
            this.wNode,
            K,
            nBins,
            hist,
            bins,
            this.seen,
            this.mark,
            this.mark32,
          );
      if (t1 <= 1 || values[vOff + bins[t1 - 1]] <= values[vOff + bins[0]] + FEATURE_THRESHOLD) {
        clearClassLean(hist, K, bins, t1);
        return CONSTANT;
      }
    }
    sweepClassLean(
      hist,
      base,
      K,
      bins,
      t0,
      t1,
      dense,
      this.close[f] !== 0,
      values,
      vOff,
      this.totals,
      this.nodeWeight,
      this.unitWeights,
      this.o.minSamplesLeaf,
      this.entropy,
      this.xlogx,
      this.leftCounts,
      this.out,
    );
    if (full === null) clearClassLean(hist, K, bins, t1);
    if (this.out[0] === -Infinity) return NONE;
    this.splitThreshold = midpointThreshold(values[vOff + this.out[1]], values[vOff + this.out[2]]);
    return FOUND;
  }

  /** evaluateLean() with the WASM kernels (full, if any, in kernel memory). */
  private evaluateLeanK(f: number, start: number, end: number, full: Int32Array | null): number {
    const b = this.b;
    const k = (this.ws as TreeScratch).k;
    const K = this.K;
    const vOff = b.offsets[f];
    const values = b.values;
    const nBins = b.nBins[f];
    const checkGaps = this.close[f];
    const out = this.out;
    if (full === null) {
      const m = end - start;
      const status = this.blockActive
        ? k.treeEvalLeanAt(
            this.ctx.byteOffset,
            f,
            (this.block as BinCodes).byteOffset,
            f * m,
            0,
            0,
            m,
            1,
          )
        : k.treeEvalLeanAt(
            this.ctx.byteOffset,
            f,
            this.src.byteOffset,
            this.colBase(f),
            this.srcKey.byteOffset,
            start,
            end,
            m <= CONSTANT_CHECK_MAX ? 1 : 0,
          );
      if (status === FOUND)
        this.splitThreshold = midpointThreshold(values[vOff + out[1]], values[vOff + out[2]]);
      return status;
    }
    const base = vOff * classStride(K);
    k.treeClassBinSpan(full.byteOffset, base, K, nBins, this.span.byteOffset);
    const lo = this.span[0];
    const hi = this.span[1];
    if (lo < 0 || hi === lo || values[vOff + hi] <= values[vOff + lo] + FEATURE_THRESHOLD)
      return CONSTANT;
    k.treeSweepClassLean(
      full.byteOffset,
      base,
      K,
      this.binIota.byteOffset,
      lo,
      hi + 1,
      1,
      checkGaps,
      this.valuesK.byteOffset,
      vOff,
      this.totals.byteOffset,
      this.nodeWeight,
      this.unitWeights ? 1 : 0,
      this.o.minSamplesLeaf,
      this.entropy ? 1 : 0,
      this.xlogx.byteOffset,
      this.leftCounts.byteOffset,
      out.byteOffset,
    );
    if (out[0] === -Infinity) return NONE;
    this.splitThreshold = midpointThreshold(values[vOff + out[1]], values[vOff + out[2]]);
    return FOUND;
  }

  private addNode(task: NodeTask): number {
    return this.tree.addNode(task.parent, task.isLeft, task.end - task.start);
  }

  private writeLeaf(id: number, start: number, end: number): void {
    if (this.t.kind === 'class') this.tree.setValues(id, this.totals);
    else this.tree.setValue(id, this.t.leafValue(this.idx, start, end));
  }
}

interface Split {
  feature: number;
  cut: number;
  threshold: number;
  nConstants: number;
}

const CONSTANT = 0;
const NONE = 1;
const FOUND = 2;

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
