/**
 * Worker thread of the SVC: instantiates the kernels over the shared memory it is given
 * and runs what it is sent (one pair's SMO, or a range of test rows to predict). Messages
 * carry pointers, index lists and small results; the data stays in the shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asSvmKernels } from '../../kernels/svm.js';
import { instantiateKernels } from '../../kernels/wasm.js';
import { timedCheckpoints } from '../linear/solver-checkpoints.js';
import { predictRange, solvePair, type WorkerReply, type WorkerRequest } from './ovo.js';

const { memory, module } = workerData as { memory: WebAssembly.Memory; module: WebAssembly.Module };
const kernels = asSvmKernels(instantiateKernels(memory, module));

parentPort?.on('message', (req: WorkerRequest) => {
  try {
    if (req.kind === 'fit') {
      const c = req.checkpointing;
      const p = req.task.p;
      // Checkpoints go to the main thread, which keeps them (a worker has no store).
      const checkpoints =
        c === null
          ? null
          : timedCheckpoints(c.state, c.everySeconds, (bytes) =>
              reply({ ok: true, kind: 'state', p, bytes }, [bytes.buffer as ArrayBuffer]),
            );
      const r = solvePair(kernels, memory, req.layout, req.task, req.spec, req.opts, checkpoints);
      reply({ ok: true, kind: 'result', result: r }, [r.alpha.buffer as ArrayBuffer]);
    } else {
      predictRange(kernels, memory, req.job, req.worker, req.start, req.end);
      reply({ ok: true, kind: 'result', result: null });
    }
  } catch (err) {
    reply({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});

function reply(msg: WorkerReply<unknown>, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(msg, transfer);
}
