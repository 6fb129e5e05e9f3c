/**
 * The frame of every histogram-tree fit (DecisionTree, RandomForest, GradientBoosting):
 * the tree workers start booting, the training set is binned meanwhile (the first worker
 * joins in once booted), the workers get the bins, the trees grow, and the workers stop and the codes are freed however the fit ends.
 */
import { releaseBinned, type BinnedData } from '../../kernels/histogram-bins.js';
import type { Matrix } from '../matrix.js';
import { treeKernelMode } from './grower.js';
import { binTrainingSet } from './training-bins.js';
import { TreePool, type PoolInit } from './tree-pool.js';

/**
 * Bins X (row-major codes too, in kernel memory for the WASM kernels; reused from an
 * earlier fit on the same training set where possible) while `workers` tree workers boot
 * on the other core (none when workers is 1), hands the workers the bins and `forWorkers`,
 * and runs `grow`. Returns whether the bins were reused.
 */
export async function fitOnBins(
  X: Matrix,
  workers: number,
  forWorkers: Omit<PoolInit, 'binned' | 'wasm'>,
  grow: (binned: BinnedData, pool: TreePool | null) => Promise<void>,
): Promise<boolean> {
  const pool = workers > 1 ? new TreePool(workers) : null;
  let binned: BinnedData | null = null;
  try {
    const bins = binTrainingSet(X, {
      shared: pool !== null,
      rowMajor: true,
      arena: treeKernelMode() === 'wasm',
      helper: pool?.binHelper(),
    });
    binned = bins.binned;
    pool?.start({ ...forWorkers, binned });
    await grow(binned, pool);
    return bins.reused;
  } finally {
    await pool?.close();
    if (binned !== null) releaseBinned(binned);
  }
}
