/**
 * Rows of Q = (y_i y_j K(x_i, x_j)) for one two-class subproblem, computed by the WASM
 * kernels straight from the shared training matrix (the subproblem is a list of row
 * indices into it, never a copy), and kept in a least-recently-used cache of float32 rows
 * bounded by a byte budget (libsvm's cache_size). With a slab (a block of the shared WASM
 * memory owned by this thread) the cached rows live in it, so the WASM SMO loops can read
 * them; a slot is reused only on eviction, and eviction never takes the two most recently
 * returned rows (the solver holds at most Q_i and Q_j at a time).
 */
import {
  KERNEL_CODES,
  kernelValue,
  type KernelSpec,
  type SvmKernelExports,
} from '../../kernels/svm.js';
import type { QRows } from './smo.js';

/** Pointers (byte offsets into the shared memory) a subproblem works with. */
export interface SharedLayout {
  /** The n×d training matrix. */
  readonly xPtr: number;
  readonly d: number;
  /** ‖x_r‖² for every training row (float32). */
  readonly normsPtr: number;
  /** Scratch owned by one thread: room for the largest subproblem's column indices. */
  readonly colsPtr: number;
  /** Scratch: room for `maxBatch` query indices. */
  readonly rowsPtr: number;
  /** Scratch: room for maxBatch × (largest subproblem) float32 kernel values. */
  readonly outPtr: number;
  readonly maxBatch: number;
  /** A block of `slabBytes` for cached kernel rows (0: rows are ordinary arrays). */
  readonly slabPtr: number;
  readonly slabBytes: number;
  /** The SMO solver's state (smoStateBytes(maxL) bytes; 0 when slabPtr is 0). */
  readonly smoPtr: number;
  /** The largest subproblem's size. */
  readonly maxL: number;
  /**
   * Room for the solver's rows gathered into position order (activeRowsFloats float32);
   * 0: none (see SolverOptions.activeRows).
   */
  readonly activeRowsPtr: number;
  readonly activeRowsFloats: number;
}

export class WasmQRows implements QRows {
  readonly l: number;
  readonly QD: Float64Array;
  /** Kernel rows computed (a row computed twice, after eviction, counts twice). */
  rowsComputed = 0;
  /** Passes over the data (one per batch of rows). */
  passes = 0;
  /** Milliseconds spent computing kernel rows. */
  kernelMs = 0;
  /** Cached rows in least- to most-recently-used order (a Map keeps insertion order). */
  private readonly cache = new Map<number, Float32Array>();
  /** present[i] = 1 when row i is cached: the solver asks this for every index it scans. */
  private readonly present: Uint8Array;
  private maxRows: number;
  private readonly kind: number;
  /** Slot of each cached row in the slab, and the slots free to take. */
  private readonly slotOf = new Map<number, number>();
  private readonly freeSlots: number[] = [];

  constructor(
    private readonly k: SvmKernelExports,
    private readonly memory: WebAssembly.Memory,
    private readonly layout: SharedLayout,
    cols: Int32Array,
    private readonly y: Int8Array,
    private readonly spec: KernelSpec,
    cacheBytes: number,
  ) {
    this.l = cols.length;
    this.present = new Uint8Array(this.l);
    this.kind = KERNEL_CODES[spec.kernel];
    new Int32Array(memory.buffer, layout.colsPtr, this.l).set(cols);
    this.maxRows = Math.max(2, Math.floor(cacheBytes / (4 * this.l)));
    if (layout.slabPtr !== 0) {
      const slots = Math.floor(layout.slabBytes / (4 * this.l));
      if (slots < 2) throw new RangeError(`WasmQRows: the slab holds ${slots} rows; it needs 2.`);
      this.maxRows = Math.min(this.maxRows, slots);
      for (let s = this.maxRows - 1; s >= 0; s--) this.freeSlots.push(s);
    }
    const norms = new Float32Array(memory.buffer, layout.normsPtr);
    this.QD = new Float64Array(this.l);
    for (let t = 0; t < this.l; t++) {
      const nn = norms[cols[t]];
      this.QD[t] = kernelValue(spec, nn, nn, nn);
    }
  }

  cached(i: number): boolean {
    return this.present[i] === 1;
  }

  row(i: number): Float32Array {
    const hit = this.cache.get(i);
    if (hit !== undefined) {
      // Move to the most-recently-used end.
      this.cache.delete(i);
      this.cache.set(i, hit);
      return hit;
    }
    this.compute([i]);
    return this.cache.get(i) as Float32Array;
  }

  prefetch(wanted: readonly number[]): void {
    const missing: number[] = [];
    for (const i of wanted) {
      if (missing.length === this.layout.maxBatch) break;
      if (this.present[i] === 0 && !missing.includes(i)) missing.push(i);
    }
    // Never let a batch evict rows the caller is holding on to in the same step.
    missing.length = Math.min(missing.length, Math.max(1, this.maxRows - 2));
    if (missing.length > 0) this.compute(missing);
  }

  private compute(idx: number[]): void {
    const { l, layout, y } = this;
    const t0 = performance.now();
    const buf = this.memory.buffer;
    const cols = new Int32Array(buf, layout.colsPtr, l);
    const rows = new Int32Array(buf, layout.rowsPtr, idx.length);
    idx.forEach((i, q) => (rows[q] = cols[i]));
    this.k.svmKernelRows(
      layout.xPtr,
      layout.d,
      layout.normsPtr,
      layout.rowsPtr,
      idx.length,
      layout.colsPtr,
      l,
      this.kind,
      this.spec.gamma,
      this.spec.coef0,
      this.spec.degree,
      layout.outPtr,
      l,
    );
    this.passes++;
    const out = new Float32Array(buf, layout.outPtr, idx.length * l);
    for (let q = 0; q < idx.length; q++) {
      const i = idx[q];
      while (this.cache.size >= this.maxRows) this.evictOldest();
      const r = this.newRow(i);
      const o = q * l;
      if (y[i] === 1) for (let t = 0; t < l; t++) r[t] = y[t] * out[o + t];
      else for (let t = 0; t < l; t++) r[t] = -y[t] * out[o + t];
      this.cache.set(i, r);
      this.present[i] = 1;
      this.rowsComputed++;
    }
    this.kernelMs += performance.now() - t0;
  }

  private evictOldest(): void {
    const oldest = this.cache.keys().next().value as number;
    this.cache.delete(oldest);
    this.present[oldest] = 0;
    const slot = this.slotOf.get(oldest);
    if (slot !== undefined) {
      this.slotOf.delete(oldest);
      this.freeSlots.push(slot);
    }
  }

  /** Room for row i: a free slab slot, or a new array when there is no slab. */
  private newRow(i: number): Float32Array {
    if (this.layout.slabPtr === 0) return new Float32Array(this.l);
    const slot = this.freeSlots.pop() as number;
    this.slotOf.set(i, slot);
    return new Float32Array(this.memory.buffer, this.layout.slabPtr + slot * 4 * this.l, this.l);
  }
}
