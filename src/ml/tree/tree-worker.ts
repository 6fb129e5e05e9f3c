/**
 * Worker side of TreePool: receives the binned data once (codes in SharedArrayBuffers, so
 * no copy), then runs forest / boosting jobs and posts each tree back with its buffers
 * transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
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
import type { PoolInit, PoolRequest } from './tree-pool.js';

const init = workerData as PoolInit;
const port = parentPort;
if (port === null) throw new Error('tree-worker.js must run as a worker thread.');
const wasm = init.wasm === undefined ? null : new WorkerTreeWasm(init.wasm);

port.on('message', (req: PoolRequest) => {
  try {
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
