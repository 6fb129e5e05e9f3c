/**
 * Worker thread of the SVC: instantiates the kernels over the shared memory it is given
 * and runs what it is sent (one pair's SMO, or a range of test rows to predict). Messages
 * carry pointers, index lists and small results; the data stays in the shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asSvmKernels } from '../../kernels/svm.js';
import { instantiateKernels } from '../../kernels/wasm.js';
import { predictRange, solvePair, type WorkerRequest } from './ovo.js';

const { memory, module } = workerData as { memory: WebAssembly.Memory; module: WebAssembly.Module };
const kernels = asSvmKernels(instantiateKernels(memory, module));

parentPort?.on('message', (req: WorkerRequest) => {
  try {
    if (req.kind === 'fit') {
      const r = solvePair(kernels, memory, req.layout, req.task, req.spec, req.opts);
      parentPort?.postMessage({ ok: true, result: r }, [r.alpha.buffer as ArrayBuffer]);
    } else {
      predictRange(kernels, memory, req.job, req.worker, req.start, req.end);
      parentPort?.postMessage({ ok: true, result: null });
    }
  } catch (err) {
    parentPort?.postMessage({
      ok: false,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});
