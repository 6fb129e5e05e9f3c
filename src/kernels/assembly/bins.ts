// AssemblyScript kernels of binFeatures (src/kernels/histogram-bins.ts): the exact binning
// of a float32 matrix for the histogram trees. Re-exported by kernels.ts. Each is a
// line-for-line port of the TypeScript phase it replaces (same hash, same probe order, same
// codes), so the binned data is bit-identical either way.

/** Slots per feature in the open-addressing table (as TABLE in histogram-bins.ts). */
const TABLE: i32 = 512;
/** Distinct values a feature may have before it overflows to a sort of its column. */
const SMALL: i32 = 256;
/** Features whose hash tables are worked on together (see binsDistinct). */
const FEATURE_BLOCK: i32 = 32;

/**
 * Phase 1 over `rows` rows of a row-major float32 block at `data` (d features): each
 * feature's distinct float bit patterns (up to 256) into its slice of the hash table
 * keys/slot (u32 / i16, TABLE slots per feature, slot −1 = empty), count (i32 per feature),
 * firstKey (u32 per feature) and overflow (u8 per feature), and each value's provisional
 * code (insertion order) into the row-major u8 codes at `provisional` (a feature's first
 * value has code 0; every code of a non-overflowing feature is written). Returns −1, or the
 * flat index (row·d + j)
 * in this block of a NaN or ±Infinity (not necessarily the first in row-major order).
 */
export function binsDistinct(
  data: usize,
  rows: i32,
  d: i32,
  keys: usize,
  slot: usize,
  count: usize,
  firstKey: usize,
  overflow: usize,
  provisional: usize,
): i32 {
  // Features in blocks of FEATURE_BLOCK: one block's hash tables (~200 KB) stay in L2
  // while the rows stream past; all of them (~2.4 MB for 784 features) would not. Each
  // feature still sees its rows in order, so its codes are those of the row-major loop.
  for (let j0 = 0; j0 < d; j0 += FEATURE_BLOCK) {
    const j1 = min(d, j0 + FEATURE_BLOCK);
    for (let i = 0; i < rows; i++) {
      const o = i * d;
      for (let j = j0; j < j1; j++) {
        let u = load<u32>(data + ((<usize>(o + j)) << 2));
        if ((u & 0x7f800000) == 0x7f800000) return o + j;
        if (load<u8>(overflow + <usize>j) != 0) continue;
        if (u == 0x80000000) u = 0; // -0 and +0 are one value
        const fk = firstKey + ((<usize>j) << 2);
        if (u == load<u32>(fk)) {
          // Written, not assumed: the codes need not start zeroed (fresh pages stay untouched
          // until here, and a thread that bins some blocks writes only its own rows).
          store<u8>(provisional + <usize>(o + j), 0);
          continue;
        }
        const base = j * TABLE;
        let h = <i32>((u * 0x9e3779b1) >>> 23);
        for (;;) {
          const sp = slot + ((<usize>(base + h)) << 1);
          const s = <i32>load<i16>(sp);
          const kp = keys + ((<usize>(base + h)) << 2);
          if (s < 0) {
            const cp = count + ((<usize>j) << 2);
            const c = load<i32>(cp);
            if (c == SMALL) {
              store<u8>(overflow + <usize>j, 1);
              break;
            }
            store<u32>(kp, u);
            if (c == 0) store<u32>(fk, u);
            store<u8>(provisional + <usize>(o + j), <u8>c);
            store<i16>(sp, <i16>c);
            store<i32>(cp, c + 1);
            break;
          }
          if (load<u32>(kp) == u) {
            store<u8>(provisional + <usize>(o + j), <u8>s);
            break;
          }
          h = (h + 1) & (TABLE - 1);
        }
      }
    }
  }
  return -1;
}

/**
 * Phase 3 for one-byte codes, rows [row0, row1) of n: feature j's provisional code c
 * becomes rank8[j·256 + c]; writes the column-major codes (codes[j·n + i]) and, when
 * rowMajor, first remaps the row-major provisional codes in place (they become the
 * row-major codes). Square tiles of 64 rows × 64 features keep both sides in cache.
 */
export function binsRemap(
  provisional: usize,
  n: i32,
  d: i32,
  rank8: usize,
  codes: usize,
  rowMajor: i32,
  row0: i32,
  row1: i32,
): void {
  const T: i32 = 64;
  const D = <usize>d;
  for (let i0 = row0; i0 < row1; i0 += T) {
    const i1 = min(row1, i0 + T);
    if (rowMajor) {
      for (let i = i0; i < i1; i++) {
        const row = provisional + <usize>i * D;
        for (let j = 0; j < d; j++) {
          const p = row + <usize>j;
          store<u8>(p, load<u8>(rank8 + (((<usize>j) << 8) | (<usize>load<u8>(p)))));
        }
      }
    }
    for (let j0 = 0; j0 < d; j0 += T) {
      const j1 = min(d, j0 + T);
      for (let j = j0; j < j1; j++) {
        const col = codes + <usize>j * <usize>n;
        const r = rank8 + ((<usize>j) << 8);
        for (let i = i0; i < i1; i++) {
          const c = load<u8>(provisional + <usize>i * D + <usize>j);
          store<u8>(col + <usize>i, rowMajor ? c : load<u8>(r + <usize>c));
        }
      }
    }
  }
}
