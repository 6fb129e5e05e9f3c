/**
 * One tree on both cores: grow the top TOP_DEPTH levels, then grow the subtree under each
 * frontier leaf independently (each with its own seed drawn in order from the tree's
 * generator) and graft them in. The subtrees can run on worker threads; the result is the
 * same tree whether they run there or here, one after the other.
 */
import type { Rng } from '../random.js';
import type { FlatTree } from './flat-tree.js';
import type { GrowOptions } from './grower.js';

/** 2^3 = 8 subtrees: enough to balance two cores when the top splits are uneven. */
export const TOP_DEPTH = 3;

export type TreeSpec = Omit<GrowOptions, 'rng' | 'samples' | 'depthOffset' | 'onLeaf'>;

/** Grows the subtree over `samples` whose root sits at depth `depthOffset`. */
export type SubtreeRunner = (
  samples: Int32Array,
  depthOffset: number,
  seed: number,
) => Promise<FlatTree>;

/** Grows one tree (or its top) with these options, e.g. growTree over binned data. */
export type TreeGrower = (options: GrowOptions) => FlatTree;

export async function growTreeInParts(
  grow: TreeGrower,
  spec: TreeSpec,
  rng: Rng,
  runSubtree: SubtreeRunner,
): Promise<FlatTree> {
  if (spec.maxDepth <= TOP_DEPTH) return grow({ ...spec, rng });
  const frontier: { node: number; samples: Int32Array }[] = [];
  const top = grow({
    ...spec,
    rng,
    maxDepth: TOP_DEPTH,
    onLeaf(node, depth, idx, start, end) {
      if (depth === TOP_DEPTH) frontier.push({ node, samples: idx.slice(start, end).sort() });
    },
  });
  const seeds = frontier.map(() => rng.nextUint32() | 0);
  // Largest first (the runner queues them): the two cores finish together instead of one
  // picking up the biggest subtree last. Seeds and grafting keep the frontier order.
  const bySize = frontier
    .map((_, i) => i)
    .sort((a, b) => frontier[b].samples.length - frontier[a].samples.length);
  const pending: Promise<FlatTree>[] = new Array(frontier.length);
  for (const i of bySize) pending[i] = runSubtree(frontier[i].samples, TOP_DEPTH, seeds[i]);
  const subtrees = await Promise.all(pending);
  return graft(
    top,
    frontier.map((f) => f.node),
    subtrees,
  );
}

/** Replaces each leaf leaves[i] of `top` by the root of subtrees[i]. */
export function graft(top: FlatTree, leaves: number[], subtrees: FlatTree[]): FlatTree {
  const K = top.valueStride;
  let total = top.nodeCount;
  for (const t of subtrees) total += t.nodeCount - 1;
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const cutBin = new Int32Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const nSamples = new Int32Array(total);
  const value = new Float64Array(total * K);
  feature.set(top.feature);
  threshold.set(top.threshold);
  cutBin.set(top.cutBin);
  left.set(top.left);
  right.set(top.right);
  nSamples.set(top.nSamples);
  value.set(top.value);
  let next = top.nodeCount;
  subtrees.forEach((sub, i) => {
    const offset = next;
    const at = (j: number): number => (j === 0 ? leaves[i] : offset + j - 1);
    for (let j = 0; j < sub.nodeCount; j++) {
      const dst = at(j);
      feature[dst] = sub.feature[j];
      threshold[dst] = sub.threshold[j];
      cutBin[dst] = sub.cutBin[j];
      left[dst] = sub.left[j] >= 0 ? at(sub.left[j]) : -1;
      right[dst] = sub.right[j] >= 0 ? at(sub.right[j]) : -1;
      nSamples[dst] = sub.nSamples[j];
      value.set(sub.value.subarray(j * K, (j + 1) * K), dst * K);
    }
    next += sub.nodeCount - 1;
  });
  return {
    nodeCount: total,
    feature,
    threshold,
    cutBin,
    left,
    right,
    nSamples,
    value,
    valueStride: K,
  };
}
