/**
 * Worker side of TreePool: receives the binned data once (codes in SharedArrayBuffers, so
 * no copy), then runs forest / boosting jobs and posts each tree back with its buffers
 * transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
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

port.on('message', (req: PoolRequest) => {
  try {
    const tree =
      req.kind === 'forest'
        ? forestTree(init.binned, init.y, init.nClasses, req.job as ForestJob)
        : req.kind === 'subtree'
          ? subtree(init.binned, init.y, init.nClasses, req.job as SubtreeJob)
          : boostTree(
              init.binned,
              init.y,
              init.residual as Float64Array,
              init.raw as Float64Array,
              req.job as BoostJob,
            );
    port.postMessage({ id: req.id, tree }, treeBuffers(tree));
  } catch (err) {
    port.postMessage({
      id: req.id,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});
