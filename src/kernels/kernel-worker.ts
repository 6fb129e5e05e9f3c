/**
 * Worker-thread entry of the kernel pool: instantiates the kernels over the shared memory
 * it is given and runs one kernel call per message. Messages carry only pointers and
 * sizes; the data stays in the shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateKernels } from './wasm.js';
import type { KernelCall, KernelReply } from './pool.js';

const { memory, module } = workerData as { memory: WebAssembly.Memory; module: WebAssembly.Module };
const kernels = instantiateKernels(memory, module) as unknown as Record<
  string,
  (...args: number[]) => number
>;

parentPort?.on('message', (call: KernelCall) => {
  let reply: KernelReply;
  try {
    const fn = kernels[call.fn];
    if (typeof fn !== 'function') throw new Error(`unknown kernel '${call.fn}'`);
    for (const args of call.batches) fn(...args);
    reply = { id: call.id };
  } catch (err) {
    reply = { id: call.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
