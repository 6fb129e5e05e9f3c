/**
 * Worker side of TreePool: may first take a share of the binning (helpBinning), receives
 * the binned data once (codes in SharedArrayBuffers, so no copy), then runs forest /
 * boosting jobs and posts each tree back with its buffers transferred.
 */
import { parentPort } from 'node:worker_threads';
import { helpBinning } from '../../kernels/bins-shared.js';
import { WorkerTreeWasm } from '../../kernels/tree-wasm.js';
import { treeBuffers } from './flat-tree.js';
import {
  boostTree,
  forestTree,
  subtree,
  type BoostJob,
  type ForestJob,
  type SubtreeJob,
} from './tree-jobs.js';
import type { PoolInit, WorkerMessage } from './tree-pool.js';

const port = parentPort;
if (port === null) throw new Error('tree-worker.js must run as a worker thread.');
let init: PoolInit | null = null;
let wasm: WorkerTreeWasm | null = null;

port.on('message', (req: WorkerMessage) => {
  if (req.kind === 'bin') {
    helpBinning(req.job);
    return;
  }
  if (req.kind === 'init') {
    init = req.init;
    wasm = init.wasm === undefined ? null : new WorkerTreeWasm(init.wasm);
    return;
  }
  try {
    if (init === null) throw new Error('A tree job arrived before the pool sent its data.');
    // The region is handed out afresh per tree (trees run one at a time here).
    const scratch = wasm === null ? null : wasm.scratch();
    const tree =
      req.kind === 'forest'
        ? forestTree(init.binned, init.y, init.nClasses, req.job as ForestJob, scratch)
        : req.kind === 'subtree'
          ? subtree(init.binned, init.y, init.nClasses, req.job as SubtreeJob, scratch)
          : boostTree(
              init.binned,
              init.y,
              init.residual as Float64Array,
              init.raw as Float64Array,
              req.job as BoostJob,
              scratch,
            );
    port.postMessage({ id: req.id, tree }, treeBuffers(tree));
  } catch (err) {
    port.postMessage({
      id: req.id,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});
