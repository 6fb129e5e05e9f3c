/**
 * A fitted tree as flat typed arrays (scikit-learn's Tree layout): node i splits on
 * feature[i] at threshold[i] (x ≤ threshold goes left) or is a leaf (feature −1);
 * value[i·stride ..] holds class weights (classification) or the leaf's output (regression).
 * Plain arrays so a tree crosses a worker boundary as transferable buffers.
 */
import type { Matrix } from '../matrix.js';

export interface FlatTree {
  readonly nodeCount: number;
  readonly feature: Int32Array;
  /** In the (scaled) input space, so the tree predicts on raw float rows. */
  readonly threshold: Float64Array;
  /** The same threshold as a bin of the training binning (x's bin ≤ cutBin goes left). */
  readonly cutBin: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly nSamples: Int32Array;
  readonly value: Float64Array;
  readonly valueStride: number;
}

/** The leaf each row of X lands in. */
export function applyTree(tree: FlatTree, X: Matrix): Int32Array {
  const out = new Int32Array(X.rows);
  const { feature, threshold, left, right } = tree;
  const data = X.data;
  const d = X.cols;
  for (let i = 0; i < X.rows; i++) {
    const o = i * d;
    let node = 0;
    while (feature[node] >= 0)
      node = data[o + feature[node]] <= threshold[node] ? left[node] : right[node];
    out[i] = node;
  }
  return out;
}

/** Adds each row's normalised class distribution (times `scale`) into proba (n×K). */
export function accumulateProba(
  tree: FlatTree,
  X: Matrix,
  proba: Float64Array,
  scale: number,
): void {
  const K = tree.valueStride;
  const leaves = applyTree(tree, X);
  const norm = new Float64Array(tree.nodeCount);
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.feature[node] >= 0) continue;
    let s = 0;
    for (let k = 0; k < K; k++) s += tree.value[node * K + k];
    norm[node] = s > 0 ? scale / s : 0;
  }
  for (let i = 0; i < leaves.length; i++) {
    const v = leaves[i] * K;
    const f = norm[leaves[i]];
    for (let k = 0; k < K; k++) proba[i * K + k] += tree.value[v + k] * f;
  }
}

/** Index of the largest entry per row (first on ties, i.e. the lowest class). */
export function argmaxRows(values: Float64Array, rows: number, K: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (values[i * K + k] > values[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** The buffers of a tree, for postMessage transfer lists. */
export function treeBuffers(tree: FlatTree): ArrayBuffer[] {
  return [
    tree.feature,
    tree.threshold,
    tree.cutBin,
    tree.left,
    tree.right,
    tree.nSamples,
    tree.value,
  ].map((a) => a.buffer as ArrayBuffer);
}

/** Depth of the deepest leaf (root = 0). */
export function treeDepth(tree: FlatTree): number {
  const depth = new Int32Array(tree.nodeCount);
  let max = 0;
  for (let i = 0; i < tree.nodeCount; i++) {
    if (tree.feature[i] < 0) {
      max = Math.max(max, depth[i]);
      continue;
    }
    depth[tree.left[i]] = depth[i] + 1;
    depth[tree.right[i]] = depth[i] + 1;
  }
  return max;
}
