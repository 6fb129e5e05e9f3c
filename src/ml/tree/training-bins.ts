/**
 * Bins for a tree fit, computed once per training set. The benchmark shuffles one training
 * set for every repeat of every tree row, and a feature's bins (its sorted distinct values)
 * do not depend on the order of the rows: a shuffle that says where its rows came from
 * (declareRowPermutation) gets its codes by permuting the source's (permuteBinned), the
 * same codes binFeatures would give, without binning 47 M values again.
 */
import {
  binFeatures,
  permuteBinned,
  releaseBinned,
  type BinOptions,
  type BinnedData,
} from '../../kernels/histogram-bins.js';
import type { Matrix } from '../matrix.js';

interface RowPermutation {
  readonly source: Matrix;
  readonly order: Int32Array;
}

const permutations = new WeakMap<Matrix, RowPermutation>();
/** Each source's one-byte codes (both layouts) and bins, in the JS heap (they go with it). */
const sourceBins = new WeakMap<Matrix, BinnedData>();
/** Sources with more than 256 distinct values in some feature: their fits bin as usual. */
const wideSources = new WeakSet<Matrix>();

/**
 * Declares that X's row i is source's row order[i], for every row. Both must stay as they
 * are while X is fitted on (the benchmark's prepared training set never changes).
 */
export function declareRowPermutation(X: Matrix, source: Matrix, order: ArrayLike<number>): void {
  if (X.rows !== source.rows || X.cols !== source.cols || order.length !== source.rows) {
    throw new RangeError(
      `declareRowPermutation: X (${X.rows}×${X.cols}) must be all ${source.rows} rows of a ${source.rows}×${source.cols} source, reordered; order has ${order.length} entries.`,
    );
  }
  permutations.set(X, { source, order: Int32Array.from(order) });
}

export interface TrainingBins {
  readonly binned: BinnedData;
  /** Whether the bins came from an earlier fit on the same training set. */
  readonly reused: boolean;
}

/** binFeatures(X) with these options, through the source's bins when X is a declared permutation. */
export function binTrainingSet(X: Matrix, options: BinOptions): TrainingBins {
  const perm = permutations.get(X);
  if (perm !== undefined && !wideSources.has(perm.source)) {
    const earlier = sourceBins.get(perm.source);
    const bins = earlier ?? heapBins(perm.source, options.helper);
    if (bins === null) wideSources.add(perm.source);
    else {
      sourceBins.set(perm.source, bins);
      const binned = permuteBinned(bins, perm.order, options);
      if (binned !== null) return { binned, reused: earlier !== undefined };
    }
  }
  return { binned: binFeatures(X.data, X.rows, X.cols, options), reused: false };
}

/** The source binned by the WASM kernels, its codes copied out of kernel memory; null if wider than a byte. */
function heapBins(source: Matrix, helper: BinOptions['helper']): BinnedData | null {
  const inArena = binFeatures(source.data, source.rows, source.cols, {
    arena: true,
    rowMajor: true,
    ...(helper === undefined ? {} : { helper }),
  });
  try {
    if (!(inArena.codes instanceof Uint8Array)) return null;
    const rowCodes = inArena.rowCodes?.slice() ?? null;
    return { ...inArena, codes: inArena.codes.slice(), rowCodes, inKernelMemory: false };
  } finally {
    releaseBinned(inArena);
  }
}

/** What a tree estimator's benchmarkNote says when its bins were reused. */
export const REUSED_BINS_NOTE =
  'feature bins reused from an earlier fit on the same training set (a shuffle only permutes the codes)';
