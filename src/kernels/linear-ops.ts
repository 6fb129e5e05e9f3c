/**
 * The row and matrix operations liblinear's solvers run on, behind one interface with two
 * implementations: plain TypeScript (the reference, and what runs on data outside WASM
 * memory) and the WASM SIMD kernels of assembly/linear.ts. A solver asks its `LinearOps`
 * for every vector a kernel will touch (`f64`, `i32`), so with the WASM ops those vectors
 * live in the shared memory and a pointer is just the view's byteOffset.
 */
import * as ts from './liblinear.js';
import { sharedArena, type SharedArena } from './arena.js';
import { instantiateKernels, kernelModule } from './wasm.js';

/** The exports of assembly/linear.ts (pointers are byte offsets into the shared memory). */
export interface LinearKernelExports {
  llDot(x: number, w: number, n: number): number;
  llAxpy(a: number, x: number, w: number, n: number): void;
  llMatVec(data: number, rows: number, cols: number, v: number, bias: number, out: number): void;
  llSubMatVec(
    data: number,
    cols: number,
    index: number,
    count: number,
    v: number,
    bias: number,
    out: number,
  ): void;
  llMatTVec(data: number, rows: number, cols: number, v: number, bias: number, out: number): void;
  llSubMatTVec(
    data: number,
    cols: number,
    index: number,
    count: number,
    v: number,
    bias: number,
    out: number,
  ): void;
  llWeightedGramVec(
    data: number,
    rows: number,
    cols: number,
    v: number,
    weight: number,
    bias: number,
    out: number,
  ): void;
  llSubWeightedGramVec(
    data: number,
    cols: number,
    index: number,
    count: number,
    v: number,
    weight: number,
    bias: number,
    out: number,
  ): void;
  llColDot3(c: number, u: number, v: number, n: number): number;
  llColAxpyDot3(a: number, cPrev: number, c: number, u: number, v: number, n: number): number;
  llColSqDot(c: number, v: number, n: number): number;
  csPass(
    data: number,
    cols: number,
    bias: number,
    size: number,
    K: number,
    C: number,
    W: number,
    Wf: number,
    alpha: number,
    alphaIndex: number,
    yIndex: number,
    y: number,
    activeSizeI: number,
    index: number,
    QD: number,
    activeSize: number,
    scratch: number,
    out: number,
  ): number;
}

/** The Crammer–Singer solver's state, every array a view of the kernels' memory. */
export interface CrammerSingerState {
  readonly data: Float32Array;
  readonly cols: number;
  readonly bias: number;
  readonly size: number;
  readonly K: number;
  readonly C: number;
  readonly W: Float64Array;
  /** W rounded to float32 (kept in step by the WASM pass, which scores rows against it). */
  readonly Wf: Float32Array;
  readonly alpha: Float64Array;
  readonly alphaIndex: Int32Array;
  readonly yIndex: Int32Array;
  readonly y: Int32Array;
  readonly activeSizeI: Int32Array;
  readonly index: Int32Array;
  readonly QD: Float64Array;
  /** 5·K float64 then K int32 of scratch, plus one float64 for the pass's result. */
  readonly scratch: Float64Array;
}

export interface LinearOps {
  /** 'wasm' when the kernels run in WebAssembly, 'ts' for the plain TypeScript reference. */
  readonly kind: 'ts' | 'wasm';
  /** A zeroed float64 vector the kernels can read and write. */
  f64(n: number): Float64Array;
  /** A zeroed int32 vector the kernels can read. */
  i32(n: number): Int32Array;
  /** A zeroed float32 vector the kernels can read and write. */
  f32(n: number): Float32Array;
  rowDot(
    data: Float32Array,
    offset: number,
    cols: number,
    w: Float64Array,
    wOffset: number,
    bias: number,
  ): number;
  rowAxpy(
    data: Float32Array,
    offset: number,
    cols: number,
    a: number,
    w: Float64Array,
    wOffset: number,
    bias: number,
  ): void;
  matVec(
    data: Float32Array,
    rows: number,
    cols: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void;
  matTVec(
    data: Float32Array,
    rows: number,
    cols: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void;
  subMatVec(
    data: Float32Array,
    cols: number,
    index: Int32Array,
    count: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void;
  subMatTVec(
    data: Float32Array,
    cols: number,
    index: Int32Array,
    count: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void;
  weightedGramVec(
    data: Float32Array,
    rows: number,
    cols: number,
    v: Float64Array,
    weight: Float64Array,
    bias: number,
    out: Float64Array,
  ): void;
  subWeightedGramVec(
    data: Float32Array,
    cols: number,
    index: Int32Array,
    count: number,
    v: Float64Array,
    weight: number,
    bias: number,
    out: Float64Array,
  ): void;
  /** Σ c[i]·v[i] over the column of `rows` values at `offset` of a column-major copy. */
  columnDot(c: Float32Array, offset: number, rows: number, v: Float64Array): number;
  /** Σ c[i]·u[i]·v[i] over one column. */
  columnDot3(
    c: Float32Array,
    offset: number,
    rows: number,
    u: Float64Array,
    v: Float64Array,
  ): number;
  /** Σ c[i]²·v[i] over one column. */
  columnSquaredDot(c: Float32Array, offset: number, rows: number, v: Float64Array): number;
  /** v += a·c over one column. */
  columnAxpy(c: Float32Array, offset: number, rows: number, a: number, v: Float64Array): void;
  /**
   * columnAxpy(c, prevOffset, rows, a, v) then columnDot3(c, offset, rows, u, v), with the
   * same results as the two calls (the WASM ops do both in one pass over v).
   */
  columnAxpyDot3(
    c: Float32Array,
    prevOffset: number,
    a: number,
    offset: number,
    rows: number,
    u: Float64Array,
    v: Float64Array,
  ): number;
}

/** The plain TypeScript operations (any typed arrays). */
export const tsLinearOps: LinearOps = {
  kind: 'ts',
  f64: (n) => new Float64Array(n),
  i32: (n) => new Int32Array(n),
  f32: (n) => new Float32Array(n),
  rowDot: ts.rowDot,
  rowAxpy: ts.rowAxpy,
  matVec: ts.matVec,
  matTVec: ts.matTVec,
  subMatVec: ts.subMatVec,
  subMatTVec: ts.subMatTVec,
  weightedGramVec: ts.weightedGramVec,
  subWeightedGramVec: ts.subWeightedGramVec,
  columnDot: ts.columnDot,
  columnDot3: ts.columnDot3,
  columnSquaredDot: ts.columnSquaredDot,
  columnAxpy: ts.columnAxpy,
  columnAxpyDot3(c, prevOffset, a, offset, rows, u, v) {
    ts.columnAxpy(c, prevOffset, rows, a, v);
    return ts.columnDot3(c, offset, rows, u, v);
  },
};

/** Where a WasmLinearOps takes its vectors from. */
interface Region {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
}

/**
 * The WASM SIMD operations. Every array handed to them must be a view of `memory`: the
 * data (placed there by the caller) and the vectors from `f64`/`i32`.
 */
export class WasmLinearOps implements LinearOps {
  readonly kind = 'wasm' as const;
  private readonly k: LinearKernelExports;

  constructor(
    private readonly region: Region,
    module: WebAssembly.Module = kernelModule(),
  ) {
    this.k = instantiateKernels(region.memory, module) as unknown as LinearKernelExports;
  }

  /** The shared memory the data and vectors live in. */
  get memory(): WebAssembly.Memory {
    return this.region.memory;
  }

  columnDot(c: Float32Array, offset: number, rows: number, v: Float64Array): number {
    return this.k.llDot(c.byteOffset + offset * 4, v.byteOffset, rows);
  }

  columnDot3(
    c: Float32Array,
    offset: number,
    rows: number,
    u: Float64Array,
    v: Float64Array,
  ): number {
    return this.k.llColDot3(c.byteOffset + offset * 4, u.byteOffset, v.byteOffset, rows);
  }

  columnSquaredDot(c: Float32Array, offset: number, rows: number, v: Float64Array): number {
    return this.k.llColSqDot(c.byteOffset + offset * 4, v.byteOffset, rows);
  }

  columnAxpy(c: Float32Array, offset: number, rows: number, a: number, v: Float64Array): void {
    this.k.llAxpy(a, c.byteOffset + offset * 4, v.byteOffset, rows);
  }

  columnAxpyDot3(
    c: Float32Array,
    prevOffset: number,
    a: number,
    offset: number,
    rows: number,
    u: Float64Array,
    v: Float64Array,
  ): number {
    const base = c.byteOffset;
    return this.k.llColAxpyDot3(
      a,
      base + prevOffset * 4,
      base + offset * 4,
      u.byteOffset,
      v.byteOffset,
      rows,
    );
  }

  /**
   * One Crammer–Singer pass in WASM over index[0..activeSize); returns the new active
   * size and the pass's largest violation.
   */
  crammerSingerPass(
    st: CrammerSingerState,
    activeSize: number,
  ): { activeSize: number; stopping: number } {
    const out = st.scratch.byteOffset + 6 * st.K * 8;
    const next = this.k.csPass(
      st.data.byteOffset,
      st.cols,
      st.bias,
      st.size,
      st.K,
      st.C,
      st.W.byteOffset,
      st.Wf.byteOffset,
      st.alpha.byteOffset,
      st.alphaIndex.byteOffset,
      st.yIndex.byteOffset,
      st.y.byteOffset,
      st.activeSizeI.byteOffset,
      st.index.byteOffset,
      st.QD.byteOffset,
      activeSize,
      st.scratch.byteOffset,
      out,
    );
    return { activeSize: next, stopping: st.scratch[6 * st.K] };
  }

  f64(n: number): Float64Array {
    const ptr = this.region.alloc(n * 8);
    const v = new Float64Array(this.region.memory.buffer, ptr, n);
    v.fill(0);
    return v;
  }

  i32(n: number): Int32Array {
    const ptr = this.region.alloc(n * 4);
    const v = new Int32Array(this.region.memory.buffer, ptr, n);
    v.fill(0);
    return v;
  }

  f32(n: number): Float32Array {
    const ptr = this.region.alloc(n * 4);
    const v = new Float32Array(this.region.memory.buffer, ptr, n);
    v.fill(0);
    return v;
  }

  rowDot(
    data: Float32Array,
    offset: number,
    cols: number,
    w: Float64Array,
    wOffset: number,
    bias: number,
  ): number {
    const s = this.k.llDot(data.byteOffset + offset * 4, w.byteOffset + wOffset * 8, cols);
    return bias > 0 ? s + w[wOffset + cols] * bias : s;
  }

  rowAxpy(
    data: Float32Array,
    offset: number,
    cols: number,
    a: number,
    w: Float64Array,
    wOffset: number,
    bias: number,
  ): void {
    this.k.llAxpy(a, data.byteOffset + offset * 4, w.byteOffset + wOffset * 8, cols);
    if (bias > 0) w[wOffset + cols] += a * bias;
  }

  matVec(
    data: Float32Array,
    rows: number,
    cols: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void {
    this.k.llMatVec(data.byteOffset, rows, cols, v.byteOffset, bias, out.byteOffset);
  }

  matTVec(
    data: Float32Array,
    rows: number,
    cols: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void {
    out.fill(0);
    this.k.llMatTVec(data.byteOffset, rows, cols, v.byteOffset, bias, out.byteOffset);
  }

  subMatVec(
    data: Float32Array,
    cols: number,
    index: Int32Array,
    count: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void {
    this.k.llSubMatVec(
      data.byteOffset,
      cols,
      index.byteOffset,
      count,
      v.byteOffset,
      bias,
      out.byteOffset,
    );
  }

  subMatTVec(
    data: Float32Array,
    cols: number,
    index: Int32Array,
    count: number,
    v: Float64Array,
    bias: number,
    out: Float64Array,
  ): void {
    out.fill(0);
    this.k.llSubMatTVec(
      data.byteOffset,
      cols,
      index.byteOffset,
      count,
      v.byteOffset,
      bias,
      out.byteOffset,
    );
  }

  weightedGramVec(
    data: Float32Array,
    rows: number,
    cols: number,
    v: Float64Array,
    weight: Float64Array,
    bias: number,
    out: Float64Array,
  ): void {
    out.fill(0);
    this.k.llWeightedGramVec(
      data.byteOffset,
      rows,
      cols,
      v.byteOffset,
      weight.byteOffset,
      bias,
      out.byteOffset,
    );
  }

  subWeightedGramVec(
    data: Float32Array,
    cols: number,
    index: Int32Array,
    count: number,
    v: Float64Array,
    weight: number,
    bias: number,
    out: Float64Array,
  ): void {
    out.fill(0);
    this.k.llSubWeightedGramVec(
      data.byteOffset,
      cols,
      index.byteOffset,
      count,
      v.byteOffset,
      weight,
      bias,
      out.byteOffset,
    );
  }
}

/**
 * A bump allocator over one fixed range of the shared memory, for a worker thread (which
 * must not touch the main thread's arena bookkeeping). `reset` frees everything at once.
 */
export class FixedRegion implements Region {
  private top: number;

  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly start: number,
    private readonly bytes: number,
  ) {
    this.top = start;
  }

  alloc(bytes: number): number {
    const ptr = this.top;
    const end = ptr + Math.ceil(bytes / 16) * 16;
    if (end > this.start + this.bytes) {
      throw new RangeError(
        `FixedRegion: ${bytes} bytes requested with ${this.start + this.bytes - ptr} left of ${this.bytes}.`,
      );
    }
    this.top = end;
    return ptr;
  }

  reset(): void {
    this.top = this.start;
  }
}

/** Allocations from the process's arena, all released together by `release`. */
export class ArenaRegion implements Region {
  readonly memory: WebAssembly.Memory;
  private readonly held: number[] = [];

  constructor(private readonly arena: SharedArena = sharedArena()) {
    this.memory = arena.memory;
  }

  /** n float32 values (uninitialised), viewed through the buffer as it is after allocating. */
  f32(n: number): Float32Array {
    const ptr = this.alloc(n * 4);
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  alloc(bytes: number): number {
    const ptr = this.arena.alloc(bytes);
    this.held.push(ptr);
    return ptr;
  }

  release(): void {
    for (const ptr of this.held.splice(0)) this.arena.release(ptr);
  }
}

/** Bytes a worker's FixedRegion needs for one binary problem of `rows` rows and `size` weights. */
export function binaryScratchBytes(rows: number, size: number): number {
  // TRON: w, wNew, s, r, g, d, Hd (size each); objectives: z, D (rows f64) and an index
  // (rows i32); newGLMNET: D, tau, xTd, negC, e^(w·x) (rows f64); plus alignment slack.
  return 8 * (8 * size + 6 * rows) + 4 * rows + 32 * 16;
}
