/**
 * Worker thread for the SGD family's one-vs-rest: views the shared data, trains its share
 * of the binary problems, posts the weight vectors back (transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FmnistError } from '../../errors.js';
import { trainSgdProblems } from '../../kernels/sgd-train.js';
import { Rng } from '../random.js';
import type { SgdWorkerInit, SgdWorkerReply, SgdWorkerTask } from './sgd-ovr.js';

const init = workerData as SgdWorkerInit;
const data = {
  X: new Float32Array(init.X, init.byteOffset, init.rows * init.cols),
  rows: init.rows,
  cols: init.cols,
  labels: new Int32Array(init.labels),
  rowSqNorms: init.rowSqNorms ? new Float64Array(init.rowSqNorms) : undefined,
};

parentPort?.once('message', (task: SgdWorkerTask) => {
  try {
    const results = trainSgdProblems(data, task.positives, init.cfg, new Rng(task.seed));
    const reply: SgdWorkerReply = { results };
    parentPort?.postMessage(
      reply,
      results.map((r) => r.coef.buffer as ArrayBuffer),
    );
  } catch (err) {
    const code = err instanceof FmnistError ? err.code : undefined;
    const reply: SgdWorkerReply = {
      error: { message: err instanceof Error ? err.message : String(err), code },
    };
    parentPort?.postMessage(reply);
  }
});
