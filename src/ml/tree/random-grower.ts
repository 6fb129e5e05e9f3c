/**
 * The random splitter (ExtraTree, DecisionTree splitter='random') on the raw float32
 * values, without binning: per node and feature it draws one threshold uniformly between
 * the node's min and max and splits by x ≤ t, both exact on the raw values. It grows the
 * very tree grower.ts grows on bins (same RNG draws, same feature sampling, same
 * arithmetic): a bin's value is the float32 value itself, "bin ≤ cut" is "x ≤ t", and
 * -0 counts as +0 as binning merges them. Only cutBin, which needs a binning, is −1.
 * Binning costs more than this splitter's whole growth, hence this path.
 */
import { sharedArena } from '../../kernels/arena.js';
import { checkFinite } from '../../kernels/histogram-bins.js';
import { FEATURE_THRESHOLD, classProxy, xlogxTable } from '../../kernels/tree-split.js';
import { arenaTreeScratch, type TreeScratch } from '../../kernels/tree-wasm.js';
import type { FlatTree } from './flat-tree.js';
import { FlatTreeBuilder } from './flat-tree-builder.js';
import { treeKernelMode, type ClassTarget, type GrowOptions } from './grower.js';

/** The float32 training data, column-major: Xc[j*n + i] is row i's feature j. */
export interface RawData {
  readonly Xc: Float32Array;
  readonly n: number;
  readonly d: number;
  /** Xc lives in the process arena (kernel memory): free it with releaseRaw. */
  readonly inKernelMemory?: boolean;
}

/** Frees the columns of rawColumns(..., true). Main thread only. */
export function releaseRaw(raw: RawData): void {
  if (raw.inKernelMemory === true) sharedArena().release(raw.Xc.byteOffset);
}

/**
 * Column-major copy of row-major X (n×d), in square tiles so both sides stay in cache: a
 * node's values of one feature are then a gather from one column (its rows ascending).
 * Throws binFeatures' error when X holds NaN or ±Infinity.
 */
export function rawColumns(X: Float32Array, n: number, d: number, arena = false): RawData {
  const a = arena ? sharedArena() : null;
  // Allocate before asking for the buffer: the allocation may grow the memory.
  const ptr = a === null ? 0 : a.alloc(4 * n * d);
  const Xc = a === null ? new Float32Array(n * d) : new Float32Array(a.buffer(), ptr, n * d);
  let bad = 0;
  const TILE = 64;
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let j0 = 0; j0 < d; j0 += TILE) {
      const j1 = Math.min(d, j0 + TILE);
      for (let j = j0; j < j1; j++) {
        const col = j * n;
        for (let i = i0; i < i1; i++) {
          const v = X[i * d + j];
          bad |= v - v === 0 ? 0 : 1; // NaN or ±Infinity
          Xc[col + i] = v;
        }
      }
    }
  }
  if (bad !== 0) {
    a?.release(ptr);
    checkFinite(X, n, d); // throws binFeatures' error for the first bad value
  }
  return { Xc, n, d, inKernelMemory: a !== null };
}

interface NodeTask {
  start: number;
  end: number;
  depth: number;
  parent: number;
  isLeft: boolean;
  nConstants: number;
}

const CONSTANT = 0;
const NONE = 1;
const FOUND = 2;

/**
 * grower.ts's growTree for splitter 'random' and a class target, on raw values; with the
 * WASM kernels (scratch from the arena) when the columns live in kernel memory.
 */
export function growRandomTree(raw: RawData, target: ClassTarget, o: GrowOptions): FlatTree {
  if (o.splitter !== 'random')
    throw new RangeError(`growRandomTree: splitter must be 'random'. Got '${o.splitter}'.`);
  const ws = raw.inKernelMemory === true && treeKernelMode() === 'wasm' ? arenaTreeScratch() : null;
  try {
    return grow(raw, target, o, ws);
  } finally {
    ws?.release();
  }
}

function grow(raw: RawData, target: ClassTarget, o: GrowOptions, ws: TreeScratch | null): FlatTree {
  const { Xc, n, d } = raw;
  const I32 = (len: number): Int32Array => (ws === null ? new Int32Array(len) : ws.i32(len));
  const K = target.nClasses;
  const entropy = target.criterion === 'entropy';
  const y = target.y;
  const w = target.weights ?? new Int32Array(n).fill(1);
  const rows = nodeRows(o.samples, w, n);
  const idx = ws === null ? rows : I32(rows.length);
  if (ws !== null) idx.set(rows);
  let totalWeight = 0;
  for (let p = 0; p < idx.length; p++) totalWeight += w[idx[p]];
  const m = idx.length;
  const scratch = I32(m);
  // The node's feature values, labels and weights, gathered contiguously: one strided pass
  // over X per feature instead of two.
  const xNode = ws === null ? new Float32Array(m) : ws.f32(m);
  const yNode = I32(m);
  const wNode = I32(m);
  const totals = I32(K);
  const leftCounts = I32(K);
  // Kernel-memory copies for the WASM kernels (unused otherwise).
  const yK = ws === null ? y : I32(n);
  const wK = ws === null ? w : I32(n);
  if (ws !== null) {
    yK.set(y);
    wK.set(w);
  }
  const outF = ws === null ? new Float64Array(2) : ws.f64(2);
  const outI = I32(2);
  const xlogx = entropy ? xlogxTable(totalWeight) : new Float64Array(0);
  const features = new Int32Array(d);
  for (let j = 0; j < d; j++) features[j] = j;
  const constantFeatures = new Int32Array(d);
  const rng = o.rng;
  const minLeaf = o.minSamplesLeaf;

  const tree = FlatTreeBuilder.acquire(K);

  let nodeWeight = 0;
  let nodeSamples = 0;
  let proxyOut = 0;
  let thresholdOut = 0;

  const evaluate = (f: number, start: number, end: number): number => {
    // Locals, not captured variables, in the hot loops.
    const ix = idx;
    const xc = Xc;
    const xn = xNode;
    const yn = yNode;
    const wn = wNode;
    const lc = leftCounts;
    let lo = Infinity;
    let hi = -Infinity;
    const mNode = end - start;
    const c0 = f * n;
    if (ws !== null) {
      ws.k.treeRawRange(
        xc.byteOffset + 4 * c0,
        ix.byteOffset,
        start,
        end,
        xn.byteOffset,
        outF.byteOffset,
      );
      lo = outF[0];
      hi = outF[1];
    } else {
      for (let t = start; t < end; t++) {
        const v = xc[c0 + ix[t]];
        xn[t - start] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    // Binning merges -0 into +0.
    lo += 0;
    hi += 0;
    if (hi <= lo + FEATURE_THRESHOLD) return CONSTANT;
    let t = lo + (hi - lo) * rng.nextFloat();
    if (t === hi) t = lo;
    let wl = 0;
    let nl = 0;
    if (ws !== null) {
      ws.k.treeRawCountLeft(
        xn.byteOffset,
        mNode,
        t,
        yn.byteOffset,
        wn.byteOffset,
        K,
        lc.byteOffset,
        outI.byteOffset,
      );
      wl = outI[0];
      nl = outI[1];
    } else {
      lc.fill(0);
      for (let p = 0; p < mNode; p++) {
        if (xn[p] <= t) {
          lc[yn[p]] += wn[p];
          wl += wn[p];
          nl++;
        }
      }
    }
    if (nl < minLeaf || nodeSamples - nl < minLeaf) return NONE;
    proxyOut = classProxy(leftCounts, totals, K, wl, nodeWeight, entropy, xlogx);
    thresholdOut = t;
    return FOUND;
  };

  /** grower.ts's findSplit: sklearn's feature sampling, constants remembered. */
  const findSplit = (
    start: number,
    end: number,
    nKnownConstants: number,
  ): { feature: number; threshold: number; nConstants: number } | null => {
    let fi = d;
    let nVisited = 0;
    let nFound = 0;
    let nDrawn = 0;
    let nTotal = nKnownConstants;
    let bestProxy = -Infinity;
    let best: { feature: number; threshold: number; nConstants: number } | null = null;
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
      const status = evaluate(f, start, end);
      if (status === CONSTANT) {
        swap(features, fj, nTotal);
        nFound++;
        nTotal++;
        continue;
      }
      fi--;
      swap(features, fi, fj);
      if (status === FOUND && proxyOut > bestProxy) {
        bestProxy = proxyOut;
        best = { feature: f, threshold: thresholdOut, nConstants: 0 };
      }
    }
    features.set(constantFeatures.subarray(0, nKnownConstants), 0);
    constantFeatures.set(
      features.subarray(nKnownConstants, nKnownConstants + nFound),
      nKnownConstants,
    );
    if (best !== null) best.nConstants = nTotal;
    return best;
  };

  const stack: NodeTask[] = [
    {
      start: 0,
      end: m,
      depth: o.depthOffset ?? 0,
      parent: -1,
      isLeft: false,
      nConstants: 0,
    },
  ];
  while (stack.length > 0) {
    const task = stack.pop() as NodeTask;
    const { start, end, depth } = task;
    nodeSamples = end - start;
    if (ws !== null) {
      nodeWeight = ws.k.treeGatherClass(
        yK.byteOffset,
        wK.byteOffset,
        idx.byteOffset,
        start,
        end,
        yNode.byteOffset,
        wNode.byteOffset,
        totals.byteOffset,
        K,
      );
    } else {
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
      nodeWeight = W;
    }
    const id = tree.addNode(task.parent, task.isLeft, nodeSamples);
    let maxClass = 0;
    for (let k = 0; k < K; k++) maxClass = Math.max(maxClass, totals[k]);
    const isLeaf =
      depth >= o.maxDepth ||
      nodeSamples < o.minSamplesSplit ||
      nodeSamples < 2 * o.minSamplesLeaf ||
      maxClass === nodeWeight;
    const split = isLeaf ? null : findSplit(start, end, task.nConstants);
    if (split === null) {
      tree.setValues(id, totals);
      o.onLeaf?.(id, depth, idx, start, end);
      continue;
    }
    tree.setSplit(id, split.feature, split.threshold);
    // Stable partition by x ≤ t.
    const col = split.feature * n;
    const t = split.threshold;
    let l = start;
    if (ws !== null) {
      l = ws.k.treeRawPartition(
        Xc.byteOffset + 4 * col,
        idx.byteOffset,
        start,
        end,
        t,
        scratch.byteOffset,
      );
    } else {
      let r = 0;
      for (let q = start; q < end; q++) {
        const s = idx[q];
        if (Xc[col + s] <= t) idx[l++] = s;
        else scratch[r++] = s;
      }
      for (let q = 0; q < r; q++) idx[l + q] = scratch[q];
    }
    const nConstants = split.nConstants;
    stack.push({ start: l, end, depth: depth + 1, parent: id, isLeft: false, nConstants });
    stack.push({ start, end: l, depth: depth + 1, parent: id, isLeft: true, nConstants });
  }
  return tree.build();
}

/** The rows a tree grows on: `samples` (or all rows) with a positive weight, ascending. */
function nodeRows(samples: Int32Array | undefined, w: Int32Array, n: number): Int32Array {
  if (samples !== undefined) return samples.filter((i) => w[i] > 0);
  let m = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) m++;
  const idx = new Int32Array(m);
  for (let i = 0, p = 0; i < n; i++) if (w[i] > 0) idx[p++] = i;
  return idx;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
