/**
 * One shared WebAssembly.Memory per process that holds the data the kernels work on
 * (datasets, queries, results, scratch), with a small first-fit allocator over it. The
 * memory's buffer is a SharedArrayBuffer, so worker threads see the same bytes: a 60k×784
 * training matrix is stored once, never copied per worker.
 */
import { MAX_PAGES, RESERVED_BYTES } from './wasm.js';

const PAGE = 65536;
/** Offsets below this are never handed out: the kernels' static data lives there. */
const BASE = RESERVED_BYTES;
const ALIGN = 16;

interface Range {
  start: number;
  size: number;
}

export class SharedArena {
  readonly memory: WebAssembly.Memory;
  /** Free ranges, sorted by start and never adjacent (they are merged on free). */
  private free: Range[] = [];
  /** Sizes of live allocations, by start. */
  private live = new Map<number, number>();
  /** Every SharedArrayBuffer object this memory has shown (one per growth). */
  private buffers = new WeakSet<ArrayBufferLike>();
  private top = BASE;

  constructor(initialPages = 16) {
    this.memory = new WebAssembly.Memory({
      initial: initialPages,
      maximum: MAX_PAGES,
      shared: true,
    });
    this.buffers.add(this.memory.buffer);
  }

  /** Reserves `bytes` (16-byte aligned) and returns the pointer. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new RangeError(
        `SharedArena.alloc: bytes must be a non-negative integer. Got ${bytes}.`,
      );
    }
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let r = 0; r < this.free.length; r++) {
      const range = this.free[r];
      if (range.size < size) continue;
      const ptr = range.start;
      if (range.size === size) this.free.splice(r, 1);
      else {
        range.start += size;
        range.size -= size;
      }
      this.live.set(ptr, size);
      return ptr;
    }
    const ptr = this.top;
    this.ensure(ptr + size);
    this.top = ptr + size;
    this.live.set(ptr, size);
    return ptr;
  }

  /** Returns an allocation to the free list. */
  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined)
      throw new RangeError(`SharedArena.release: ${ptr} is not a live allocation.`);
    this.live.delete(ptr);
    let r = 0;
    while (r < this.free.length && this.free[r].start < ptr) r++;
    this.free.splice(r, 0, { start: ptr, size });
    // Merge with the right neighbour, then the left one.
    const next = this.free[r + 1];
    if (next !== undefined && ptr + size === next.start) {
      this.free[r].size += next.size;
      this.free.splice(r + 1, 1);
    }
    const prev = this.free[r - 1];
    if (prev !== undefined && prev.start + prev.size === ptr) {
      prev.size += this.free[r].size;
      this.free.splice(r, 1);
    }
    // A free range at the top goes back to the bump pointer.
    const last = this.free[this.free.length - 1];
    if (last !== undefined && last.start + last.size === this.top) {
      this.top = last.start;
      this.free.pop();
    }
  }

  /** Allocates room for n float32 values and returns a view of it. */
  allocF32(n: number): Float32Array {
    const ptr = this.alloc(n * 4);
    return new Float32Array(this.buffer(), ptr, n);
  }

  /** Allocates room for n int32 values and returns a view of it. */
  allocI32(n: number): Int32Array {
    const ptr = this.alloc(n * 4);
    return new Int32Array(this.buffer(), ptr, n);
  }

  /** Frees the allocation behind a view returned by allocF32/allocI32. */
  releaseView(view: Float32Array | Int32Array): void {
    this.release(view.byteOffset);
  }

  /** True when `view` lies in this arena's memory, so its byteOffset is a kernel pointer. */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /** Copies `src` into a fresh allocation unless it already lives here; see `done`. */
  borrow(src: Float32Array): { ptr: number; done(): void } {
    if (this.owns(src)) return { ptr: src.byteOffset, done: () => {} };
    const view = this.allocF32(src.length);
    view.set(src);
    return { ptr: view.byteOffset, done: () => this.release(view.byteOffset) };
  }

  /** The memory's current buffer (it is replaced, not detached, when memory grows). */
  buffer(): SharedArrayBuffer {
    const b = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(b);
    return b;
  }

  /** Bytes in live allocations (for tests and diagnostics). */
  liveBytes(): number {
    let s = 0;
    for (const size of this.live.values()) s += size;
    return s;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new RangeError(
        `SharedArena: ${end} bytes requested, beyond the kernels' ${(MAX_PAGES * PAGE) / 2 ** 30} GiB memory limit.`,
      );
    }
    // Grow at least 1/4 of the current size, to keep the number of growths small.
    this.memory.grow(
      Math.min(MAX_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 4))),
    );
    this.buffers.add(this.memory.buffer);
  }
}

let defaultArena: SharedArena | null = null;

/** The process-wide arena all fmnist kernels and worker pools share. */
export function sharedArena(): SharedArena {
  defaultArena ??= new SharedArena();
  return defaultArena;
}
