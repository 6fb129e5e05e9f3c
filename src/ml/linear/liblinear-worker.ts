/**
 * Worker thread for one-vs-rest liblinear training: holds a view of the shared data and
 * labels, solves the binary problems it is sent, posts back each weight vector. With the
 * WASM ops its vectors live in its own range of the shared memory, reused for every task.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FixedRegion, WasmLinearOps, tsLinearOps } from '../../kernels/linear-ops.js';
import { trainBinary } from './liblinear-binary.js';
import type { WorkerInit, WorkerMessage, WorkerTask } from './liblinear-ovr.js';
import { timedCheckpoints } from './solver-checkpoints.js';
import { oneVsRestLabels, type LinearProblem } from './liblinear-problem.js';

const init = workerData as WorkerInit;
const region =
  init.memory === null ? null : new FixedRegion(init.memory, init.scratch, init.scratchBytes);
const problem: LinearProblem = {
  data: new Float32Array(
    (init.memory?.buffer ?? init.data) as ArrayBufferLike,
    init.byteOffset,
    init.rows * init.cols,
  ),
  rows: init.rows,
  cols: init.cols,
  biasValue: init.biasValue,
  ops: region === null ? tsLinearOps : new WasmLinearOps(region, init.module ?? undefined),
  ...(init.memory !== null && init.columns !== 0
    ? {
        columns: new Float32Array(
          init.memory.buffer,
          init.columns,
          (init.cols + (init.biasValue > 0 ? 1 : 0)) * init.rows,
        ),
      }
    : {}),
};
const labels = new Int32Array(init.labels);

parentPort?.on('message', (task: WorkerTask) => {
  region?.reset();
  const post = (msg: WorkerMessage, transfer: ArrayBuffer[]): void =>
    parentPort?.postMessage(msg, transfer);
  const checkpoints =
    task.checkpointSeconds === null
      ? null
      : timedCheckpoints(task.state, task.checkpointSeconds, (bytes) =>
          post({ kind: 'state', id: task.id, bytes }, [bytes.buffer as ArrayBuffer]),
        );
  const y = oneVsRestLabels(labels, task.positive);
  const r = trainBinary(problem, y, init.spec, task.seed, checkpoints);
  // A copy: the solver's vector is a view of shared memory the next task reuses.
  const w = r.w.slice();
  const { iterations } = r;
  const continuedFrom = r.continuedFrom ?? null;
  post({ kind: 'result', id: task.id, w, iterations, continuedFrom }, [w.buffer]);
});
