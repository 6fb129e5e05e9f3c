/**
 * The unit of work of the ensembles, the same whether it runs in the main thread or in a
 * worker: one forest tree (bootstrap + grow) or one boosting tree (grow on residuals, set
 * Newton leaf values, add them to the training raw scores). A job depends only on its
 * inputs and seed, so parallel and serial fits are identical.
 */
import type { BinnedData } from '../../kernels/histogram-bins.js';
import type { TreeScratch } from '../../kernels/tree-wasm.js';
import { Rng } from '../random.js';
import type { FlatTree } from './flat-tree.js';
import { growTree } from './grower.js';

export interface TreeSpec {
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly maxFeatures: number;
  readonly splitter: 'best' | 'random';
}

export interface ForestJob extends TreeSpec {
  readonly criterion: 'gini' | 'entropy';
  readonly bootstrap: boolean;
  readonly seed: number;
}

/** Bootstrap counts (n draws with replacement), as sklearn's _generate_sample_indices + bincount. */
export function bootstrapCounts(n: number, rng: Rng): Int32Array {
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) counts[rng.nextInt(n)]++;
  return counts;
}

/**
 * bootstrapCounts in the WASM kernels, into the tree's scratch (a fresh 240 KB array and
 * 60,000 JavaScript draws per tree cost about 1 % of a forest tree). Same draws, same counts,
 * and the Rng continues from the same state.
 */
function bootstrapCountsK(n: number, rng: Rng, scratch: TreeScratch): Int32Array {
  const counts = scratch.i32(n);
  const state = scratch.i32(4);
  const words = new Uint32Array(state.buffer, state.byteOffset, 4);
  rng.getState(words);
  scratch.k.treeBootstrapCounts(state.byteOffset, n, counts.byteOffset);
  rng.setState(words);
  return counts;
}

export function forestTree(
  binned: BinnedData,
  y: Int32Array,
  nClasses: number,
  job: ForestJob,
  scratch?: TreeScratch | null,
): FlatTree {
  const rng = new Rng(job.seed);
  const weights = job.bootstrap
    ? scratch
      ? bootstrapCountsK(binned.n, rng, scratch)
      : bootstrapCounts(binned.n, rng)
    : null;
  return growTree(
    binned,
    { kind: 'class', criterion: job.criterion, y, nClasses, weights },
    { ...job, rng, scratch },
  );
}

export interface SubtreeJob extends TreeSpec {
  readonly criterion: 'gini' | 'entropy';
  /** The subtree's rows, ascending. */
  readonly samples: Int32Array;
  readonly depthOffset: number;
  readonly seed: number;
}

/** One part of a single tree grown in parts (see tree/grow-in-parts.ts). */
export function subtree(
  binned: BinnedData,
  y: Int32Array,
  nClasses: number,
  job: SubtreeJob,
  scratch?: TreeScratch | null,
): FlatTree {
  return growTree(
    binned,
    { kind: 'class', criterion: job.criterion, y, nClasses, weights: null },
    { ...job, rng: new Rng(job.seed), scratch },
  );
}

export interface BoostJob extends TreeSpec {
  /** Which class column of residual/raw this tree fits (0 for binomial). */
  readonly k: number;
  /** Columns of residual/raw (K, or 1 for binomial). */
  readonly stride: number;
  /** sklearn's (K−1)/K factor of the multinomial Newton step (1 for binomial). */
  readonly factor: number;
  readonly learningRate: number;
  readonly seed: number;
}

/**
 * Fits one regression tree (friedman_mse) to residual[·, k], sets each leaf to the Newton
 * step factor·Σr / Σ p(1−p) with p = y_k − r (0 when the denominator is < 1e-150, as
 * sklearn guards it), and adds learning_rate × leaf to raw[·, k] of the leaf's samples.
 */
export function boostTree(
  binned: BinnedData,
  y: Int32Array,
  residual: Float64Array,
  raw: Float64Array,
  job: BoostJob,
  scratch?: TreeScratch | null,
): FlatTree {
  const n = binned.n;
  const { k, stride, factor, learningRate } = job;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = residual[i * stride + k];
  const positive = stride === 1 ? 1 : k; // binomial: class 1 is the positive one
  return growTree(
    binned,
    {
      kind: 'regression',
      r,
      leafValue(idx, start, end) {
        let num = 0;
        let den = 0;
        for (let t = start; t < end; t++) {
          const i = idx[t];
          const p = (y[i] === positive ? 1 : 0) - r[i];
          num += r[i];
          den += p * (1 - p);
        }
        num *= factor;
        const v = Math.abs(den) < 1e-150 ? 0 : num / den;
        for (let t = start; t < end; t++) raw[idx[t] * stride + k] += learningRate * v;
        return v;
      },
    },
    { ...job, rng: new Rng(job.seed), scratch },
  );
}
