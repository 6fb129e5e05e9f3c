/**
 * A small worker pool for growing ensemble trees on both cores. Every worker gets the
 * binned training data once at start (its codes live in SharedArrayBuffers: shared, not
 * copied); a job is just a seed and a tree spec, and comes back as a FlatTree.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sharedArena } from '../../kernels/arena.js';
import { SYNC_WORDS, type BinHelper, type SharedBinJob } from '../../kernels/bins-shared.js';
import type { BinnedData } from '../../kernels/histogram-bins.js';
import { kernelModule, treeScratchBytes, type TreeWorkerWasm } from '../../kernels/tree-wasm.js';
import { treeKernelMode } from './grower.js';
import type { FlatTree } from './flat-tree.js';
import type { BoostJob, ForestJob, SubtreeJob } from './tree-jobs.js';

export interface PoolInit {
  readonly binned: BinnedData;
  readonly y: Int32Array;
  readonly nClasses: number;
  /** Boosting: residuals and raw scores (n×stride) over SharedArrayBuffers. */
  readonly residual?: Float64Array;
  readonly raw?: Float64Array;
  /** Set per worker by TreePool: its kernel memory range (when the codes live there). */
  readonly wasm?: TreeWorkerWasm;
}

export type PoolRequest =
  | { readonly id: number; readonly kind: 'forest'; readonly job: ForestJob }
  | { readonly id: number; readonly kind: 'boost'; readonly job: BoostJob }
  | { readonly id: number; readonly kind: 'subtree'; readonly job: SubtreeJob };

/** What a tree worker receives: maybe a share of the binning, its data once, then jobs. */
export type WorkerMessage =
  | { readonly kind: 'bin'; readonly job: SharedBinJob }
  | { readonly kind: 'init'; readonly init: PoolInit }
  | PoolRequest;

type Reply = { id: number; tree?: FlatTree; error?: string };

interface Pending {
  resolve(tree: FlatTree): void;
  reject(err: Error): void;
}

/** sklearn's n_jobs: −1 means every core; null means 1. */
export function resolveJobs(nJobs: number | null, tasks: number): number {
  const cores = availableParallelism();
  const want = nJobs === null ? 1 : nJobs < 0 ? Math.max(1, cores + 1 + nJobs) : nJobs;
  return Math.max(1, Math.min(want, tasks));
}

export class TreePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { req: PoolRequest; transfer: ArrayBuffer[]; pending: Pending }[] = [];
  private readonly running = new Map<Worker, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  /** Arena ranges handed to the workers as their scratch regions. */
  private readonly regions: number[] = [];

  private started = false;
  /** The first worker's binning coordination words (see binHelper), or −1. */
  private binSync = -1;

  /**
   * Spawns the workers at once; they get their data from start(init), or here when init
   * is given. Spawning before the data is ready lets the workers boot (Node, modules) on
   * the other core while this thread bins the training set.
   */
  constructor(size: number, init?: PoolInit) {
    const url = new URL('./tree-worker.js', import.meta.url);
    for (let i = 0; i < size; i++) {
      const w = new Worker(url);
      w.on('message', (reply: Reply) => this.onReply(w, reply));
      w.on('error', (err) => this.onFailure(w, err));
      w.on('exit', (code) => {
        if (code !== 0 && this.running.has(w))
          this.onFailure(w, new Error(`A tree worker exited with code ${code}.`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
    if (init !== undefined) this.start(init);
  }

  /** Hands every worker the training data (once); jobs run from then on. */
  start(init: PoolInit): void {
    if (this.started) throw new Error('TreePool.start: the pool has its data already.');
    this.started = true;
    const b = init.binned;
    const wasm = b.inKernelMemory === true && treeKernelMode() === 'wasm';
    const bytes = wasm
      ? treeScratchBytes(b.n, b.d, b.values.length, b.maxBins, init.residual ? 1 : init.nClasses)
      : 0;
    for (const w of this.workers) {
      let data: PoolInit = init;
      if (wasm) {
        const arena = sharedArena();
        const start = arena.alloc(bytes);
        this.regions.push(start);
        data = { ...init, wasm: { memory: arena.memory, module: kernelModule(), start, bytes } };
      }
      w.postMessage({ kind: 'init', init: data } satisfies WorkerMessage);
    }
    this.pump();
  }

  /**
   * The first worker as a helper for binFeatures while it waits for its data (its core is
   * idle until the bins exist). Its coordination words live until close().
   */
  binHelper(): BinHelper {
    if (this.started) throw new Error('TreePool.binHelper: the workers have their data already.');
    if (this.binSync < 0) this.binSync = sharedArena().alloc(SYNC_WORDS * 4);
    const w = this.workers[0];
    return {
      sync: this.binSync,
      help: (job) => w.postMessage({ kind: 'bin', job } satisfies WorkerMessage),
    };
  }

  forest(job: ForestJob): Promise<FlatTree> {
    return this.submit({ id: this.nextId++, kind: 'forest', job });
  }

  boost(job: BoostJob): Promise<FlatTree> {
    return this.submit({ id: this.nextId++, kind: 'boost', job });
  }

  subtree(job: SubtreeJob): Promise<FlatTree> {
    return this.submit({ id: this.nextId++, kind: 'subtree', job }, [
      job.samples.buffer as ArrayBuffer,
    ]);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    const arena = sharedArena();
    for (const start of this.regions.splice(0)) arena.release(start);
    if (this.binSync >= 0) arena.release(this.binSync);
    this.binSync = -1;
  }

  private submit(req: PoolRequest, transfer: ArrayBuffer[] = []): Promise<FlatTree> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<FlatTree>((resolve, reject) => {
      this.queue.push({ req, transfer, pending: { resolve, reject } });
      this.pump();
    });
  }

  private pump(): void {
    while (this.started && this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const { req, transfer, pending } = this.queue.shift() as {
        req: PoolRequest;
        transfer: ArrayBuffer[];
        pending: Pending;
      };
      this.running.set(w, pending);
      w.postMessage(req, transfer);
    }
  }

  private onReply(w: Worker, reply: Reply): void {
    const pending = this.running.get(w);
    this.running.delete(w);
    this.idle.push(w);
    if (pending !== undefined) {
      if (reply.error !== undefined)
        pending.reject(new Error(`A tree worker failed: ${reply.error}`));
      else pending.resolve(reply.tree as FlatTree);
    }
    this.pump();
  }

  private onFailure(w: Worker, err: Error): void {
    this.failure = err;
    this.running.get(w)?.reject(err);
    this.running.delete(w);
    for (const { pending } of this.queue.splice(0)) pending.reject(err);
  }
}
