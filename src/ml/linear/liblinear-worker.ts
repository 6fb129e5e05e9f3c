/**
 * Worker thread for one-vs-rest liblinear training: holds a view of the shared data and
 * labels, solves the binary problems it is sent, posts back each weight vector.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainBinary } from './liblinear-binary.js';
import type { WorkerInit, WorkerTask } from './liblinear-ovr.js';
import { oneVsRestLabels } from './liblinear-problem.js';

const init = workerData as WorkerInit;
const problem = {
  data: new Float32Array(init.data, init.byteOffset, init.rows * init.cols),
  rows: init.rows,
  cols: init.cols,
  biasValue: init.biasValue,
};
const labels = new Int32Array(init.labels);

parentPort?.on('message', (task: WorkerTask) => {
  const r = trainBinary(problem, oneVsRestLabels(labels, task.positive), init.spec, task.seed);
  parentPort?.postMessage({ id: task.id, w: r.w, iterations: r.iterations }, [
    r.w.buffer as ArrayBuffer,
  ]);
});
