/**
 * Worker thread for the SGD family's one-vs-rest: views the data and its share of the
 * weight vectors in the shared arena, trains its binary problems in place, posts back
 * copies of the weights (the arena blocks are the main thread's to free).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FmnistError } from '../../errors.js';
import { trainSgdProblems } from '../../kernels/sgd-train.js';
import { Rng } from '../random.js';
import {
  rowOpsFor,
  weightViews,
  type SgdWorkerInit,
  type SgdWorkerReply,
  type SgdWorkerTask,
} from './sgd-ovr.js';

const init = workerData as SgdWorkerInit;
const data = {
  X: new Float32Array(init.memory.buffer, init.xPtr, init.rows * init.cols),
  rows: init.rows,
  cols: init.cols,
  labels: new Int32Array(init.labels),
  rowSqNorms: init.rowSqNorms ? new Float64Array(init.rowSqNorms) : undefined,
};
const ops = rowOpsFor(init.module === null ? 'ts' : 'wasm', init.memory, init.module ?? undefined);

parentPort?.once('message', (task: SgdWorkerTask) => {
  try {
    const weights = {
      W: weightViews(init.memory, task.wPtrs, init.cols),
      Q: weightViews(init.memory, task.qPtrs, init.cols),
    };
    const results = trainSgdProblems(
      data,
      task.positives,
      init.cfg,
      new Rng(task.seed),
      ops,
      weights,
    );
    const reply: SgdWorkerReply = {
      results: results.map((r) => ({ ...r, coef: r.coef.slice() })),
    };
    parentPort?.postMessage(reply);
  } catch (err) {
    const code = err instanceof FmnistError ? err.code : undefined;
    const reply: SgdWorkerReply = {
      error: { message: err instanceof Error ? err.message : String(err), code },
    };
    parentPort?.postMessage(reply);
  }
});
