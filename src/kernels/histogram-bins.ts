/**
 * Exact binning of a float32 matrix for histogram trees: every feature's sorted distinct
 * values become its bins, so a split between two consecutive bins is exactly a split
 * scikit-learn can find on the raw floats. (Fashion-)MNIST features come from uint8 pixels
 * through a monotone per-feature scaling, so each has ≤ 256 bins and the codes fit a
 * Uint8Array; generic data with more distinct values falls back to Uint16/Uint32 codes,
 * never to an approximation.
 */
import { FmnistError } from '../errors.js';
import { sharedArena } from './arena.js';
import {
  binRowsShared,
  sharedBlockRows,
  type BinHelper,
  type BinPhaseKernels,
  type SharedBinJob,
  type TablePointers,
} from './bins-shared.js';
import { localKernels } from './local.js';
import { kernelModule } from './wasm.js';

export type BinCodes = Uint8Array | Uint16Array | Uint32Array;

export interface BinnedData {
  readonly n: number;
  readonly d: number;
  /** Column-major bin codes: codes[j*n + i] is row i's bin in feature j. */
  readonly codes: BinCodes;
  /** The same codes row-major (rowCodes[i*d + j]), when asked for: small nodes read whole rows. */
  readonly rowCodes: BinCodes | null;
  /** Bins (distinct values) per feature. */
  readonly nBins: Int32Array;
  /** Feature j's sorted distinct values are values[offsets[j] .. offsets[j] + nBins[j]). */
  readonly offsets: Int32Array;
  readonly values: Float64Array;
  /** The largest nBins over all features. */
  readonly maxBins: number;
  /**
   * The one-byte codes (and row-major codes) live in the process arena's kernel memory, so
   * their byteOffsets are WASM kernel pointers; free them with releaseBinned.
   */
  readonly inKernelMemory?: boolean;
}

/** Slots per feature in the open-addressing table; 2× the 256 values it may hold. */
const TABLE = 512;
const SMALL = 256;

export interface BinOptions {
  /** Put the codes in SharedArrayBuffers so worker threads read them without a copy. */
  shared?: boolean;
  /** Also keep a row-major copy of the codes. */
  rowMajor?: boolean;
  /**
   * Put one-byte codes in the process arena (kernel memory, shared with workers) for the
   * tree WASM kernels; wider codes ignore this and follow `shared`.
   */
  arena?: boolean;
  /**
   * With `arena`: bin in the WASM kernels (default) or in the TypeScript reference loops;
   * both give the same bins and codes.
   */
  kernels?: 'wasm' | 'ts';
  /**
   * With the WASM kernels in the arena and X in shared memory: a thread (a booted tree
   * worker) that bins blocks of rows alongside this one (see bins-shared.ts). Same bins,
   * same codes.
   */
  helper?: BinHelper;
}

/** Bins X (row-major n×d). */
export function binFeatures(
  data: Float32Array,
  n: number,
  d: number,
  options: BinOptions = {},
): BinnedData {
  const shared = options.shared ?? false;
  const rowMajor = options.rowMajor ?? false;
  const arena = options.arena ?? false;
  const kernels = arena && (options.kernels ?? 'wasm') === 'wasm';
  if (kernels && options.helper !== undefined && isShared(data)) {
    const together = binOneByteShared(data, n, d, rowMajor, options.helper);
    if (together !== null) return together;
  }
  // Phase 1, row-major (cache friendly): distinct float bit patterns per feature, up to 256,
  // each row's provisional code (insertion order) written row-major. With the kernels, the
  // tables and the provisional codes live in kernel memory.
  const tables = kernels ? arenaTables(d) : jsTables(d);
  const { overflow } = tables;
  // With one-byte codes and row-major codes asked for, the provisional codes are remapped
  // in place into the row-major codes (phase 3): allocate them where those must live.
  const provisionalInArena = arena && (rowMajor || kernels);
  const provisional = (
    provisionalInArena ? arenaCodes(n * d) : allocCodes(n * d, 1, shared && rowMajor)
  ) as Uint8Array;
  try {
    if (kernels) distinctKernel(data, n, d, tables, provisional);
    else distinctTs(data, n, d, tables, provisional);
  } catch (e) {
    if (provisionalInArena) sharedArena().release(provisional.byteOffset);
    tables.release();
    throw e;
  }

  // Phase 2: sort each feature's distinct values; rank[j*256 + provisional] = sorted bin.
  // Overflowing features sort their whole column instead.
  const nBins = new Int32Array(d);
  const offsets = new Int32Array(d);
  const rank = new Int32Array(d * SMALL);
  const perFeature: Float64Array[] = [];
  let total = 0;
  for (let j = 0; j < d; j++) {
    let sorted: Float64Array;
    if (overflow[j]) {
      const col = new Float32Array(n);
      for (let i = 0; i < n; i++) col[i] = data[i * d + j];
      col.sort();
      let m = 0;
      for (let i = 0; i < n; i++) if (i === 0 || col[i] !== col[i - 1]) col[m++] = col[i];
      sorted = Float64Array.from(col.subarray(0, m));
    } else {
      const vals = tableValues(tables, j);
      const ordered = Float32Array.from(vals).sort();
      for (let c = 0; c < vals.length; c++) rank[j * SMALL + c] = lowerBound(ordered, vals[c]);
      sorted = Float64Array.from(ordered);
    }
    perFeature.push(sorted);
    nBins[j] = sorted.length;
    offsets[j] = total;
    total += sorted.length;
  }
  const values = new Float64Array(total);
  for (let j = 0; j < d; j++) values.set(perFeature[j], offsets[j]);
  let maxBins = 0;
  for (let j = 0; j < d; j++) maxBins = Math.max(maxBins, nBins[j]);

  // Phase 3: final codes. One-byte codes (no feature overflowed): each row's provisional
  // codes remapped through its features' ranks, in place when they become the row-major
  // codes, and transposed to column-major in square tiles (both sides stay in cache).
  const width = maxBins <= 256 ? 1 : maxBins <= 65536 ? 2 : 4;
  const inKernelMemory = arena && width === 1;
  const codes = inKernelMemory ? arenaCodes(n * d) : allocCodes(n * d, width, shared);
  let rowCodes: BinCodes | null = null;
  const TILE = 64;
  if (width === 1 && kernels) {
    const a = sharedArena();
    const rank8Ptr = a.alloc(d * SMALL);
    const rank8 = new Uint8Array(a.buffer(), rank8Ptr, d * SMALL);
    rank8.set(rank);
    binKernels().binsRemap(
      provisional.byteOffset,
      n,
      d,
      rank8.byteOffset,
      codes.byteOffset,
      rowMajor ? 1 : 0,
      0,
      n,
    );
    a.release(rank8.byteOffset);
    if (rowMajor) rowCodes = provisional;
    else a.release(provisional.byteOffset);
  } else if (width === 1) {
    const rank8 = Uint8Array.from(rank);
    for (let i0 = 0; i0 < n; i0 += TILE) {
      const i1 = Math.min(n, i0 + TILE);
      if (rowMajor) {
        for (let i = i0; i < i1; i++) {
          const o = i * d;
          for (let j = 0; j < d; j++) provisional[o + j] = rank8[(j << 8) | provisional[o + j]];
        }
      }
      for (let j0 = 0; j0 < d; j0 += TILE) {
        const j1 = Math.min(d, j0 + TILE);
        for (let j = j0; j < j1; j++) {
          const col = j * n;
          if (rowMajor) {
            for (let i = i0; i < i1; i++) codes[col + i] = provisional[i * d + j];
          } else {
            const r = j << 8;
            for (let i = i0; i < i1; i++) codes[col + i] = rank8[r | provisional[i * d + j]];
          }
        }
      }
    }
    if (rowMajor) rowCodes = provisional;
  } else {
    rowCodes = rowMajor ? allocCodes(n * d, width, shared) : null;
    for (let i0 = 0; i0 < n; i0 += TILE) {
      const i1 = Math.min(n, i0 + TILE);
      for (let j = 0; j < d; j++) {
        const col = j * n;
        if (overflow[j]) {
          for (let i = i0; i < i1; i++) codes[col + i] = lowerBound(perFeature[j], data[i * d + j]);
        } else {
          const r = j * SMALL;
          for (let i = i0; i < i1; i++) codes[col + i] = rank[r + provisional[i * d + j]];
        }
      }
      if (rowCodes !== null) {
        for (let i = i0; i < i1; i++)
          for (let j = 0; j < d; j++) rowCodes[i * d + j] = codes[j * n + i];
      }
    }
  }
  // Wider codes do not use the arena: give back the provisional codes borrowed from it.
  if (provisionalInArena && width !== 1) sharedArena().release(provisional.byteOffset);
  tables.release();
  return { n, d, codes, rowCodes, nBins, offsets, values, maxBins, inKernelMemory };
}

/**
 * The binning of `source`'s rows taken in `order` (a permutation of all its rows), without
 * binning again: the bins are a feature's sorted distinct values, which a permutation
 * leaves as they are, so only the codes move. Equals binFeatures on the permuted rows with
 * the same options. One-byte codes only (every (Fashion-)MNIST feature); returns null for
 * wider codes, which the caller bins as usual.
 */
export function permuteBinned(
  source: BinnedData,
  order: ArrayLike<number>,
  options: BinOptions = {},
): BinnedData | null {
  const { n, d } = source;
  if (!(source.codes instanceof Uint8Array)) return null;
  if (order.length !== n) {
    throw new RangeError(`permuteBinned: order must list all ${n} rows. Got ${order.length}.`);
  }
  const shared = options.shared ?? false;
  const arena = options.arena ?? false;
  const alloc = (length: number): Uint8Array =>
    arena ? arenaCodes(length) : (allocCodes(length, 1, shared) as Uint8Array);
  const from = source.codes;
  const codes = alloc(n * d);
  for (let j = 0; j < d; j++) {
    const col = j * n;
    for (let i = 0; i < n; i++) codes[col + i] = from[col + order[i]];
  }
  let rowCodes: Uint8Array | null = null;
  if (options.rowMajor ?? false) {
    rowCodes = alloc(n * d);
    const rowsFrom = source.rowCodes;
    if (rowsFrom !== null) {
      // Whole rows move: one copy of d bytes each.
      for (let i = 0; i < n; i++) {
        const r = order[i] * d;
        rowCodes.set(rowsFrom.subarray(r, r + d), i * d);
      }
    } else {
      // Transposed in square tiles, as in binFeatures, so both sides stay in cache.
      const TILE = 64;
      for (let i0 = 0; i0 < n; i0 += TILE) {
        const i1 = Math.min(n, i0 + TILE);
        for (let j0 = 0; j0 < d; j0 += TILE) {
          const j1 = Math.min(d, j0 + TILE);
          for (let j = j0; j < j1; j++) {
            const col = j * n;
            for (let i = i0; i < i1; i++) rowCodes[i * d + j] = codes[col + i];
          }
        }
      }
    }
  }
  const { nBins, offsets, values, maxBins } = source;
  return { n, d, codes, rowCodes, nBins, offsets, values, maxBins, inKernelMemory: arena };
}

/** Phase 1's hash tables: TABLE slots per feature. */
interface DistinctTables {
  readonly keys: Uint32Array;
  /** Slot → provisional code, −1 when empty. */
  readonly slot: Int16Array;
  readonly count: Int32Array;
  readonly overflow: Uint8Array;
  /** Each feature's first value (provisional code 0), 0xffffffff (a NaN, never a key) until seen. */
  readonly firstKey: Uint32Array;
  release(): void;
}

function jsTables(d: number): DistinctTables {
  return {
    keys: new Uint32Array(d * TABLE),
    slot: new Int16Array(d * TABLE).fill(-1),
    count: new Int32Array(d),
    overflow: new Uint8Array(d),
    firstKey: new Uint32Array(d).fill(0xffffffff),
    release: () => {},
  };
}

function arenaTables(d: number): DistinctTables {
  const a = sharedArena();
  const ptrs: number[] = [];
  const at = (bytes: number): number => {
    const ptr = a.alloc(bytes);
    ptrs.push(ptr);
    return ptr;
  };
  // Allocate first, then view: an allocation may grow the memory (a new, larger buffer).
  const keysPtr = at(d * TABLE * 4);
  const slotPtr = at(d * TABLE * 2);
  const countPtr = at(d * 4);
  const firstKeyPtr = at(d * 4);
  const overflowPtr = at(d);
  const buf = a.buffer();
  const keys = new Uint32Array(buf, keysPtr, d * TABLE).fill(0);
  const slot = new Int16Array(buf, slotPtr, d * TABLE).fill(-1);
  const count = new Int32Array(buf, countPtr, d).fill(0);
  const firstKey = new Uint32Array(buf, firstKeyPtr, d).fill(0xffffffff);
  const overflow = new Uint8Array(buf, overflowPtr, d).fill(0);
  return {
    keys,
    slot,
    count,
    overflow,
    firstKey,
    release: () => {
      for (const p of ptrs.splice(0)) a.release(p);
    },
  };
}

/** Feature j's distinct values in provisional-code order (slot c holds code c's value). */
function tableValues(tables: DistinctTables, j: number): Float32Array {
  const { keys, slot, count } = tables;
  const base = j * TABLE;
  const vals = new Float32Array(count[j]);
  const bits = new Uint32Array(vals.buffer);
  for (let h = 0; h < TABLE; h++) {
    const c = slot[base + h];
    if (c >= 0) bits[c] = keys[base + h];
  }
  return vals;
}

function isShared(data: Float32Array): boolean {
  return data.buffer instanceof SharedArrayBuffer || sharedArena().owns(data);
}

function pointers(t: DistinctTables): TablePointers {
  return {
    keys: t.keys.byteOffset,
    slot: t.slot.byteOffset,
    count: t.count.byteOffset,
    firstKey: t.firstKey.byteOffset,
    overflow: t.overflow.byteOffset,
  };
}

/**
 * binFeatures with the WASM kernels in the arena, phases 1 and 3 shared with `helper`
 * (bins-shared.ts), for data whose every feature has at most 256 values (one-byte codes).
 * Returns null, having freed what it took, when some feature has more (or X a non-finite
 * value): the serial path then bins (or names the bad value) as usual.
 */
function binOneByteShared(
  data: Float32Array,
  n: number,
  d: number,
  rowMajor: boolean,
  helper: BinHelper,
): BinnedData | null {
  const a = sharedArena();
  const blockRows = Math.min(n, sharedBlockRows(d));
  const nBlocks = Math.ceil(n / blockRows);
  const dataPtr = a.owns(data) ? data.byteOffset : -1;
  // Everything is allocated before the helper starts: the memory must not grow under it.
  const tables = [arenaTables(d), arenaTables(d)];
  const held: number[] = [];
  const at = (bytes: number): number => {
    const ptr = a.alloc(bytes);
    held.push(ptr);
    return ptr;
  };
  const buffers = [0, 1].map(() => (dataPtr >= 0 ? 0 : at(blockRows * d * 4)));
  const owner = at(nBlocks);
  const rank8 = at(2 * d * SMALL);
  // Not zeroed: phase 1 writes every provisional code, phase 3 every final one.
  const provisional = a.alloc(n * d);
  const codes = a.alloc(n * d);
  let kept = false;
  try {
    const task: Omit<SharedBinJob, 'sync' | 'ticket'> = {
      memory: a.memory,
      module: kernelModule(),
      data,
      dataPtr,
      n,
      d,
      blockRows,
      tables: pointers(tables[1]),
      blockBuffer: buffers[1],
      provisional,
      codes,
      rowMajor,
      owner,
      rank8,
    };
    let bins: SortedBins | null = null;
    const ok = binRowsShared(
      binKernels(),
      task,
      pointers(tables[0]),
      buffers[0],
      helper,
      (helperJoined) => {
        const ranks = new Uint8Array(a.buffer(), rank8, 2 * d * SMALL);
        bins = mergeTables(helperJoined ? tables : [tables[0]], d, ranks);
        return bins !== null;
      },
    );
    if (!ok || bins === null) return null;
    kept = true;
    const buf = a.buffer();
    const rowCodes = rowMajor ? new Uint8Array(buf, provisional, n * d) : null;
    if (!rowMajor) a.release(provisional);
    const { nBins, offsets, values, maxBins } = bins as SortedBins;
    return {
      n,
      d,
      codes: new Uint8Array(buf, codes, n * d),
      rowCodes,
      nBins,
      offsets,
      values,
      maxBins,
      inKernelMemory: true,
    };
  } finally {
    if (!kept) {
      a.release(provisional);
      a.release(codes);
    }
    for (const p of held) a.release(p);
    for (const t of tables) t.release();
  }
}

interface SortedBins {
  nBins: Int32Array;
  offsets: Int32Array;
  values: Float64Array;
  maxBins: number;
}

/**
 * Each feature's sorted distinct values over the threads' tables, and per thread the rank
 * of each of its provisional codes (ranks[t·d·256 + j·256 + c]); null when a feature has
 * more than 256 values in all. One native sort per feature: each (value, thread, code) is
 * a float64 key, the value's float32 bits made order-preserving times 512 plus t·256 + c,
 * so equal values from both threads sit together and every code learns its rank in one walk.
 */
function mergeTables(tables: DistinctTables[], d: number, ranks: Uint8Array): SortedBins | null {
  const nBins = new Int32Array(d);
  const offsets = new Int32Array(d);
  const sortedBits = new Uint32Array(d * SMALL);
  const keys = new Float64Array(tables.length * SMALL);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  let total = 0;
  let maxBins = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let t = 0; t < tables.length; t++) {
      const { keys: bits, slot } = tables[t];
      const base = j * TABLE;
      for (let h = 0; h < TABLE; h++) {
        const c = slot[base + h];
        if (c < 0) continue;
        const u = bits[base + h];
        // Order-preserving: negatives reversed below the positives (−0 is stored as +0).
        const ordered = u >= 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
        keys[m++] = ordered * 512 + t * SMALL + c;
      }
    }
    const sorted = keys.subarray(0, m).sort();
    let bins = 0;
    let last = -1;
    for (let i = 0; i < m; i++) {
      const ordered = Math.floor(sorted[i] / 512);
      const tc = sorted[i] - ordered * 512;
      if (ordered !== last) {
        if (bins === SMALL) return null;
        sortedBits[j * SMALL + bins++] =
          ordered >= 0x80000000 ? ordered - 0x80000000 : ~ordered >>> 0;
        last = ordered;
      }
      ranks[((tc >>> 8) * d + j) * SMALL + (tc & 255)] = bins - 1;
    }
    nBins[j] = bins;
    offsets[j] = total;
    total += bins;
    if (bins > maxBins) maxBins = bins;
  }
  const values = new Float64Array(total);
  for (let j = 0; j < d; j++) {
    for (let b = 0; b < nBins[j]; b++) {
      u32[0] = sortedBits[j * SMALL + b];
      values[offsets[j] + b] = f32[0];
    }
  }
  return { nBins, offsets, values, maxBins };
}

/** Phase 1 in TypeScript: the reference of binsDistinct. */
function distinctTs(
  data: Float32Array,
  n: number,
  d: number,
  tables: DistinctTables,
  provisional: Uint8Array,
): void {
  const { keys, slot, count, overflow, firstKey } = tables;
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  // Pixels repeat their background value, so the first-key check skips most hash probes.
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      let u = bits[o + j];
      if ((u & 0x7f800000) === 0x7f800000) throw nonFinite(i, j, data[o + j]);
      if (overflow[j]) continue;
      if (u === 0x80000000) u = 0; // -0 and +0 are one value
      if (u === firstKey[j]) {
        provisional[o + j] = 0;
        continue;
      }
      const base = j * TABLE;
      let h = Math.imul(u, 0x9e3779b1) >>> 23;
      for (;;) {
        const s = slot[base + h];
        if (s < 0) {
          if (count[j] === SMALL) {
            overflow[j] = 1;
            break;
          }
          keys[base + h] = u;
          if (count[j] === 0) firstKey[j] = u;
          provisional[o + j] = count[j];
          slot[base + h] = count[j]++;
          break;
        }
        if (keys[base + h] === u) {
          provisional[o + j] = s;
          break;
        }
        h = (h + 1) & (TABLE - 1);
      }
    }
  }
}

/** Rows per block copied into kernel memory when X lives outside it (≈ 4 MB). */
const BLOCK_BYTES = 1 << 22;

/** Phase 1 in the kernels (binsDistinct), X handed over in row blocks unless it is in the arena. */
function distinctKernel(
  data: Float32Array,
  n: number,
  d: number,
  tables: DistinctTables,
  provisional: Uint8Array,
): void {
  const a = sharedArena();
  const k = binKernels();
  const t = tables;
  const run = (ptr: number, row0: number, rows: number): void => {
    const bad = k.binsDistinct(
      ptr,
      rows,
      d,
      t.keys.byteOffset,
      t.slot.byteOffset,
      t.count.byteOffset,
      t.firstKey.byteOffset,
      t.overflow.byteOffset,
      provisional.byteOffset + row0 * d,
    );
    // The kernel stops at a bad value in its own order; name the first in row-major order.
    if (bad >= 0) checkFinite(data, n, d);
  };
  if (a.owns(data)) {
    run(data.byteOffset, 0, n);
    return;
  }
  const blockRows = Math.max(1, Math.floor(BLOCK_BYTES / (4 * Math.max(1, d))));
  const ptr = a.alloc(Math.min(n, blockRows) * d * 4);
  try {
    for (let i0 = 0; i0 < n; i0 += blockRows) {
      const rows = Math.min(blockRows, n - i0);
      new Float32Array(a.buffer(), ptr, rows * d).set(data.subarray(i0 * d, (i0 + rows) * d));
      run(ptr, i0, rows);
    }
  } finally {
    a.release(ptr);
  }
}

function binKernels(): BinPhaseKernels {
  return localKernels() as unknown as BinPhaseKernels;
}

function arenaCodes(length: number): Uint8Array {
  const a = sharedArena();
  const ptr = a.alloc(length);
  // Arena memory may be reused: zero it (phase 1 relies on zero-initialised codes).
  return new Uint8Array(a.buffer(), ptr, length).fill(0);
}

/** Frees the codes of binned data put in the arena (no-op otherwise). Main thread only. */
export function releaseBinned(binned: BinnedData): void {
  if (binned.inKernelMemory !== true) return;
  const a = sharedArena();
  a.release(binned.codes.byteOffset);
  if (binned.rowCodes !== null) a.release(binned.rowCodes.byteOffset);
}

function allocCodes(length: number, width: number, shared: boolean): BinCodes {
  const buffer = shared ? new SharedArrayBuffer(length * width) : new ArrayBuffer(length * width);
  return width === 1
    ? new Uint8Array(buffer)
    : width === 2
      ? new Uint16Array(buffer)
      : new Uint32Array(buffer);
}

/** An empty code array of the same element width as `like`. */
export function codesLike(like: BinCodes, length: number): BinCodes {
  return new (like.constructor as new (n: number) => BinCodes)(length);
}

/** Index of the first element ≥ x in ascending `a`. */
function lowerBound(a: Float32Array | Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Throws binFeatures' error for the first NaN or ±Infinity in X (row-major n×d). */
export function checkFinite(data: Float32Array, n: number, d: number): void {
  const bits = new Uint32Array(data.buffer, data.byteOffset, n * d);
  for (let i = 0; i < n * d; i++) {
    if ((bits[i] & 0x7f800000) === 0x7f800000) {
      const row = Math.floor(i / d);
      throw nonFinite(row, i - row * d, data[i]);
    }
  }
}

function nonFinite(row: number, col: number, v: number): FmnistError {
  return new FmnistError(
    'INVALID_INPUT',
    `Input X contains NaN or infinity (row ${row}, feature ${col}: ${v}); tree estimators need finite values.`,
  );
}

/**
 * scikit-learn's threshold between two consecutive float32 values a < b: their midpoint
 * computed as float32 (a + b) then halved in double, moved down to a if rounding lands on b,
 * so that `a <= t < b` always holds.
 */
export function midpointThreshold(a: number, b: number): number {
  let t = Math.fround(a + b) / 2;
  if (t >= b || !Number.isFinite(t)) t = a;
  return t;
}

/** The largest bin of feature j whose value is ≤ t (−1 if none). */
export function binAtOrBelow(binned: BinnedData, j: number, t: number): number {
  const off = binned.offsets[j];
  let lo = 0;
  let hi = binned.nBins[j];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (binned.values[off + mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
