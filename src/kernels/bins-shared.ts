/**
 * binFeatures' two row-wise phases shared with one helper thread (a tree worker that is
 * booted but has no trees yet): both threads claim blocks of rows from a common counter,
 * so the helper joins whenever it is ready and nobody waits for it. Phase 1 (distinct
 * values, provisional codes) runs per thread on its own hash tables; each block records
 * which thread binned it. Between the phases the caller merges the two tables into one
 * sorted value list per feature and writes one rank table per thread; phase 3 (final
 * codes) then remaps every block through its binner's ranks. Everything lives in the
 * kernels' shared memory and is allocated before the helper starts, so the memory never
 * grows under it.
 */
import { instantiateKernels } from './wasm.js';

/** Per-thread phase-1 hash tables (pointers into the kernel memory). */
export interface TablePointers {
  readonly keys: number;
  readonly slot: number;
  readonly count: number;
  readonly firstKey: number;
  readonly overflow: number;
}

/** What the helper thread gets: the memory, the data and every pointer it may touch. */
export interface SharedBinJob {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  /** X, row-major n×d, in shared memory (a SharedArrayBuffer or the kernel memory). */
  readonly data: Float32Array;
  /** X's pointer when it lives in the kernel memory (then no block copies), else −1. */
  readonly dataPtr: number;
  readonly n: number;
  readonly d: number;
  readonly blockRows: number;
  /** The helper's SYNC_WORDS int32 of coordination (see the S_ constants). */
  readonly sync: number;
  /** This job's number: the helper joins only while S_HELPER still holds it. */
  readonly ticket: number;
  /** The helper's tables (thread 1). */
  readonly tables: TablePointers;
  /** The helper's buffer for one block of X (unused when dataPtr ≥ 0). */
  readonly blockBuffer: number;
  readonly provisional: number;
  readonly codes: number;
  readonly rowMajor: boolean;
  /** One byte per block: the thread (0 main, 1 helper) whose tables binned it. */
  readonly owner: number;
  /** Two rank tables of d·256 bytes, thread 0's then thread 1's. */
  readonly rank8: number;
}

/** Something that runs a SharedBinJob on another thread (see TreePool.binHelper). */
export interface BinHelper {
  /**
   * SYNC_WORDS int32 in the kernel memory that stay allocated as long as the helper's
   * thread may read them: a job the helper reaches late still reads its ticket there.
   */
  readonly sync: number;
  help(job: SharedBinJob): void;
}

/** Phase 1's next block. */
const S_NEXT1 = 0;
/**
 * The helper's state: the job's ticket while the door is open, −ticket once the helper
 * has joined, 0 once the main thread has closed the door (a late helper then does nothing).
 */
const S_HELPER = 1;
/** Set to 1 when the helper has left phase 1. */
const S_DONE1 = 2;
/** Set by the main thread after the merge: 1 = run phase 3, 2 = stop (fall back). */
const S_GO = 3;
const S_NEXT3 = 4;
/** Set to 1 when the helper has left phase 3. */
const S_DONE3 = 5;
/** Set when a thread met a non-finite value, an overflowing feature, or an error. */
const S_ABORT = 6;
export const SYNC_WORDS = 8;

let lastTicket = 0;

/** The binning kernels (src/kernels/assembly/bins.ts) as both threads call them. */
export interface BinPhaseKernels {
  binsDistinct(
    data: number,
    rows: number,
    d: number,
    keys: number,
    slot: number,
    count: number,
    firstKey: number,
    overflow: number,
    provisional: number,
  ): number;
  binsRemap(
    provisional: number,
    n: number,
    d: number,
    rank8: number,
    codes: number,
    rowMajor: number,
    row0: number,
    row1: number,
  ): void;
}

function syncView(job: SharedBinJob): Int32Array {
  return new Int32Array(job.memory.buffer, job.sync, SYNC_WORDS);
}

/**
 * Claims and bins phase-1 blocks until none is left or a thread aborts. Returns false
 * when this thread aborted (non-finite value or a feature past 256 values).
 */
function distinctBlocks(
  k: BinPhaseKernels,
  job: SharedBinJob,
  thread: number,
  tables: TablePointers,
  blockBuffer: number,
): boolean {
  const sync = syncView(job);
  const { n, d, blockRows } = job;
  const owner = new Uint8Array(job.memory.buffer, job.owner, Math.ceil(n / blockRows));
  const overflow = new Uint8Array(job.memory.buffer, tables.overflow, d);
  for (;;) {
    if (Atomics.load(sync, S_ABORT) !== 0) return true;
    const b = Atomics.add(sync, S_NEXT1, 1);
    const i0 = b * blockRows;
    if (i0 >= n) return true;
    const rows = Math.min(blockRows, n - i0);
    let ptr = job.dataPtr + i0 * d * 4;
    if (job.dataPtr < 0) {
      new Float32Array(job.memory.buffer, blockBuffer, rows * d).set(
        job.data.subarray(i0 * d, (i0 + rows) * d),
      );
      ptr = blockBuffer;
    }
    owner[b] = thread;
    const bad = k.binsDistinct(
      ptr,
      rows,
      d,
      tables.keys,
      tables.slot,
      tables.count,
      tables.firstKey,
      tables.overflow,
      job.provisional + i0 * d,
    );
    // A feature with more than 256 values needs wider codes: the serial path handles it.
    if (bad >= 0 || overflow.indexOf(1) >= 0) {
      Atomics.store(sync, S_ABORT, 1);
      return false;
    }
  }
}

function remapBlocks(k: BinPhaseKernels, job: SharedBinJob): void {
  const sync = syncView(job);
  const { n, d, blockRows } = job;
  const owner = new Uint8Array(job.memory.buffer, job.owner, Math.ceil(n / blockRows));
  for (;;) {
    const b = Atomics.add(sync, S_NEXT3, 1);
    const i0 = b * blockRows;
    if (i0 >= n) return;
    k.binsRemap(
      job.provisional,
      n,
      d,
      job.rank8 + owner[b] * d * 256,
      job.codes,
      job.rowMajor ? 1 : 0,
      i0,
      Math.min(n, i0 + blockRows),
    );
  }
}

let helperKernels: { memory: WebAssembly.Memory; k: BinPhaseKernels } | null = null;

/** The helper thread's side: join if the door is still open, bin blocks, remap blocks. */
export function helpBinning(job: SharedBinJob): void {
  const sync = syncView(job);
  if (Atomics.compareExchange(sync, S_HELPER, job.ticket, -job.ticket) !== job.ticket) return;
  try {
    if (helperKernels?.memory !== job.memory) {
      const k = instantiateKernels(job.memory, job.module) as unknown as BinPhaseKernels;
      helperKernels = { memory: job.memory, k };
    }
    const k = helperKernels.k;
    try {
      distinctBlocks(k, job, 1, job.tables, job.blockBuffer);
    } finally {
      Atomics.store(sync, S_DONE1, 1);
      Atomics.notify(sync, S_DONE1);
    }
    while (Atomics.load(sync, S_GO) === 0) Atomics.wait(sync, S_GO, 0);
    if (Atomics.load(sync, S_GO) === 1) remapBlocks(k, job);
  } catch {
    // The main thread sees the abort and bins alone; its own error says what was wrong.
    Atomics.store(sync, S_ABORT, 1);
  } finally {
    // Both flags, whatever happened: the main thread may be waiting on either.
    for (const flag of [S_DONE1, S_DONE3]) {
      Atomics.store(sync, flag, 1);
      Atomics.notify(sync, flag);
    }
  }
}

/**
 * The main thread's side of phases 1 and 3 (thread 0), with the helper joining when it
 * can. `merge` runs between them (helperJoined says whether thread 1's tables hold
 * anything) and returns false to stop, e.g. when the union of a feature's values passes
 * 256. Returns false when the shared run was given up (the caller bins serially).
 */
export function binRowsShared(
  k: BinPhaseKernels,
  task: Omit<SharedBinJob, 'sync' | 'ticket'>,
  tables: TablePointers,
  blockBuffer: number,
  helper: BinHelper,
  merge: (helperJoined: boolean) => boolean,
): boolean {
  lastTicket = (lastTicket % 0x3fffffff) + 1;
  const job: SharedBinJob = { ...task, sync: helper.sync, ticket: lastTicket };
  const sync = syncView(job);
  sync.fill(0);
  Atomics.store(sync, S_HELPER, job.ticket);
  let ok = false;
  let joined = false;
  let closed = false;
  try {
    helper.help(job);
    distinctBlocks(k, job, 0, tables, blockBuffer);
    joined = Atomics.compareExchange(sync, S_HELPER, job.ticket, 0) === -job.ticket;
    closed = true;
    if (joined) {
      while (Atomics.load(sync, S_DONE1) === 0) Atomics.wait(sync, S_DONE1, 0);
    }
    ok = Atomics.load(sync, S_ABORT) === 0 && merge(joined);
  } finally {
    // Whatever happened: close the door, release a helper that joined, and let it finish
    // before returning (its blocks and tables are freed by the caller).
    if (!closed) joined = Atomics.compareExchange(sync, S_HELPER, job.ticket, 0) === -job.ticket;
    Atomics.store(sync, S_GO, ok ? 1 : 2);
    Atomics.notify(sync, S_GO);
    if (ok) remapBlocks(k, job);
    if (joined) {
      while (Atomics.load(sync, S_DONE3) === 0) Atomics.wait(sync, S_DONE3, 0);
    }
  }
  return ok && Atomics.load(sync, S_ABORT) === 0;
}

/** Whether the helper joined the last job run with these coordination words (for tests). */
export function helperJoinedLast(memory: WebAssembly.Memory, sync: number): boolean {
  return Atomics.load(new Int32Array(memory.buffer, sync, SYNC_WORDS), S_HELPER) < 0;
}

/** Rows per block: about 1 MB of float32 rows (whole 64-row tiles), so both threads get many blocks. */
export function sharedBlockRows(d: number): number {
  return Math.max(64, Math.floor((1 << 20) / (4 * Math.max(1, d)) / 64) * 64);
}
