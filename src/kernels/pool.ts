/**
 * A small pool of worker threads that run kernel calls over the process's shared arena
 * (both cores of the machine by default). Work is handed out one call at a time to
 * whichever worker is idle, so uneven blocks balance themselves. Idle workers are
 * unref'd: a process whose only remaining handles are idle pool workers exits normally.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sharedArena, type SharedArena } from './arena.js';
import { kernelModule, type KernelExports } from './wasm.js';

/**
 * One message to a worker: call kernel `fn` once per argument list in `batches`. `fn` is
 * any export of the module: the core kernels (KernelExports) or a family's own.
 */
export interface KernelCall {
  id: number;
  fn: keyof KernelExports | (string & {});
  batches: number[][];
}
export interface KernelReply {
  id: number;
  error?: string;
}
/** One unit of work: a kernel and the argument lists it is called with, in order. */
export type KernelTask = Omit<KernelCall, 'id'>;

interface Slot {
  worker: Worker;
  busy: { id: number; resolve(): void; reject(err: Error): void } | null;
}

/** Worker count: FMNIST_THREADS if set, else 2 (capped by the machine's cores when larger). */
export function threadCount(): number {
  const env = process.env.FMNIST_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`FMNIST_THREADS must be an integer >= 1. Got '${env}'.`);
    }
    return n;
  }
  return Math.max(1, Math.min(2, availableParallelism()));
}

export class KernelPool {
  readonly size: number;
  readonly arena: SharedArena;
  private slots: Slot[] = [];
  private queue: Array<{ task: KernelTask; resolve(): void; reject(err: Error): void }> = [];
  private nextId = 1;
  private closed = false;

  constructor(size = threadCount(), arena = sharedArena()) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`KernelPool: size must be an integer >= 1. Got ${size}.`);
    }
    this.size = size;
    this.arena = arena;
  }

  /** Runs every task, spread over the workers; resolves when all are done. */
  async runAll(tasks: readonly KernelTask[]): Promise<void> {
    await Promise.all(tasks.map((t) => this.run(t)));
  }

  /** Runs one task on the next idle worker. */
  run(task: KernelTask): Promise<void> {
    if (this.closed) return Promise.reject(new Error('KernelPool: the pool is closed.'));
    this.start();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates the workers; later calls are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const err = new Error('KernelPool: closed while work was pending.');
    for (const q of this.queue.splice(0)) q.reject(err);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }

  private start(): void {
    if (this.slots.length > 0) return;
    const module = kernelModule();
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(new URL('./kernel-worker.js', import.meta.url), {
        workerData: { memory: this.arena.memory, module },
      });
      const slot: Slot = { worker, busy: null };
      worker.on('message', (reply: KernelReply) => this.finish(slot, reply));
      worker.on('error', (err) => this.fail(slot, err));
      worker.on('exit', (code) => {
        if (!this.closed)
          this.fail(slot, new Error(`KernelPool: a worker exited with code ${code}.`));
      });
      worker.unref();
      this.slots.push(slot);
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy !== null) continue;
      const next = this.queue.shift();
      if (next === undefined) return;
      const id = this.nextId++;
      slot.busy = { id, resolve: next.resolve, reject: next.reject };
      // Keep the process alive while a worker holds work for it.
      slot.worker.ref();
      slot.worker.postMessage({ id, ...next.task } satisfies KernelCall);
    }
  }

  private finish(slot: Slot, reply: KernelReply): void {
    const busy = slot.busy;
    slot.busy = null;
    slot.worker.unref();
    if (busy !== null) {
      if (reply.error !== undefined) busy.reject(new Error(`kernel worker: ${reply.error}`));
      else busy.resolve();
    }
    this.dispatch();
  }

  private fail(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    slot.busy?.reject(err);
    slot.busy = null;
    // Without workers nothing can finish the queue: fail it rather than hang.
    if (this.slots.length === 0) for (const q of this.queue.splice(0)) q.reject(err);
    else this.dispatch();
  }
}

let defaultPool: KernelPool | null = null;

/** The process-wide pool over the shared arena (created on first use). */
export function kernelPool(): KernelPool {
  if (defaultPool === null || defaultPool.size !== threadCount()) {
    void defaultPool?.close();
    defaultPool = new KernelPool();
  }
  return defaultPool;
}

/** Terminates the process-wide pool (optional: idle workers never keep a process alive). */
export async function closeKernelPool(): Promise<void> {
  const p = defaultPool;
  defaultPool = null;
  await p?.close();
}
