/**
 * Row operations behind the SGD family: a float64 weight vector against one float32 row
 * of a row-major matrix (the row starts at offset `o`, has `d` values). The weights are
 * kept as w·wscale (scikit-learn's WeightVector) so an l2 decay step is one multiply of
 * wscale, not a pass over w.
 *
 * The l1 part uses the cumulative truncated gradient (Tsuruoka, Tsujii, Ananiadou 2009):
 * u is the total l1 penalty each weight could have received so far, q[j] what weight j
 * actually received (in real, unscaled units). Truncating weight j pulls it toward zero by
 * what is still owed, never across zero. Truncation is elementwise, so it fuses with the
 * add of the same step or with the dot of the next one: one pass over w per sample
 * instead of scikit-learn's two or three, with the same numbers.
 *
 * The amounts owed, u + q[j] and u − q[j], are never negative (|q[j]| ≤ u), so for z ≠ 0
 * the truncation is max(0, z − (u+q)/wscale) + min(0, z + (u−q)/wscale): one of the two
 * terms is always 0. The fused loops below write it that way, as selects instead of
 * branches on an unpredictable sign (about 20% faster here); truncateAll keeps the plain
 * form as the readable statement of the rule, and the tests hold them equal.
 *
 * Sums over j are kept as four (dotRow) or two (even and odd j) partial sums, the order
 * the WASM SIMD forms (assembly/sgd.ts, wasmRowOps) add in, so both give the same bits.
 */

/** Σ_j w[j]·X[o+j]. Four accumulators to hide the add latency. */
export function dotRow(w: Float64Array, X: Float32Array, o: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += w[j] * X[o + j];
    s1 += w[j + 1] * X[o + j + 1];
    s2 += w[j + 2] * X[o + j + 2];
    s3 += w[j + 3] * X[o + j + 3];
  }
  for (; j < d; j++) s0 += w[j] * X[o + j];
  return s0 + s1 + (s2 + s3);
}

/** w[j] += c·X[o+j]. */
export function addRow(w: Float64Array, X: Float32Array, o: number, d: number, c: number): void {
  let j = 0;
  for (; j + 3 < d; j += 4) {
    w[j] += c * X[o + j];
    w[j + 1] += c * X[o + j + 1];
    w[j + 2] += c * X[o + j + 2];
    w[j + 3] += c * X[o + j + 3];
  }
  for (; j < d; j++) w[j] += c * X[o + j];
}

/** Σ_j X[o+j]² for every row: the ‖x‖² of the passive-aggressive step, computed once. */
export function rowSquaredNorms(X: Float32Array, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += X[o + j] * X[o + j];
    out[i] = s;
  }
  return out;
}

/** w[j] *= c. */
export function scaleVector(w: Float64Array, c: number): void {
  for (let j = 0; j < w.length; j++) w[j] *= c;
}

/**
 * Applies the cumulative l1 truncation to every weight (real weight = wscale·w[j]):
 * a positive weight drops by (u + q[j]) but not below 0, a negative one rises by
 * (u − q[j]) but not above 0; q[j] records the real change.
 */
export function truncateAll(w: Float64Array, q: Float64Array, wscale: number, u: number): void {
  const inv = 1 / wscale;
  for (let j = 0; j < w.length; j++) {
    const z = w[j];
    if (z > 0) {
      const nz = Math.max(0, z - (u + q[j]) * inv);
      w[j] = nz;
      q[j] += wscale * (nz - z);
    } else if (z < 0) {
      const nz = Math.min(0, z + (u - q[j]) * inv);
      w[j] = nz;
      q[j] += wscale * (nz - z);
    }
  }
}

/** truncateAll followed by dotRow, in one pass. */
export function truncateDotRow(
  w: Float64Array,
  q: Float64Array,
  wscale: number,
  u: number,
  X: Float32Array,
  o: number,
  d: number,
): number {
  const inv = 1 / wscale;
  const s = [0, 0];
  for (let j = 0; j < d; j++) {
    const z = w[j];
    const qj = q[j];
    const down = z - (u + qj) * inv;
    const up = z + (u - qj) * inv;
    const nz = z !== 0 ? (down > 0 ? down : 0) + (up < 0 ? up : 0) : 0;
    q[j] = qj + wscale * (nz - z);
    w[j] = nz;
    s[j & 1] += nz * X[o + j];
  }
  return s[0] + s[1];
}

/** addRow followed by truncateAll, in one pass. */
export function addRowTruncate(
  w: Float64Array,
  q: Float64Array,
  wscale: number,
  u: number,
  X: Float32Array,
  o: number,
  d: number,
  c: number,
): void {
  const inv = 1 / wscale;
  for (let j = 0; j < d; j++) {
    const z = w[j] + c * X[o + j];
    const qj = q[j];
    const down = z - (u + qj) * inv;
    const up = z + (u - qj) * inv;
    const nz = z !== 0 ? (down > 0 ? down : 0) + (up < 0 ? up : 0) : 0;
    q[j] = qj + wscale * (nz - z);
    w[j] = nz;
  }
}

/*
 * Pure l1 (no l2 decay, so wscale stays 1) allows lazy truncation: truncating at u then
 * at a larger u' with no add in between equals truncating once at u'. So a sample with a
 * zero update need not write w back; the next dot reads every weight truncated on the
 * fly ("peek"), and the stored weights catch up at the next add.
 */

/** Σ_j T_u(w[j])·X[o+j] with T_u the l1 truncation at u (wscale 1); w and q untouched. */
export function peekTruncatedDotRow(
  w: Float64Array,
  q: Float64Array,
  u: number,
  X: Float32Array,
  o: number,
  d: number,
): number {
  const s = [0, 0];
  for (let j = 0; j < d; j++) {
    const z = w[j];
    const qj = q[j];
    const down = z - (u + qj);
    const up = z + (u - qj);
    const t = z !== 0 ? (down > 0 ? down : 0) + (up < 0 ? up : 0) : 0;
    s[j & 1] += t * X[o + j];
  }
  return s[0] + s[1];
}

/**
 * For stored weights that lag behind (truncated at an older u): brings each weight to
 * its truncation at uBefore, adds c·X[o+j], then truncates at u; wscale 1.
 */
export function catchUpAddRowTruncate(
  w: Float64Array,
  q: Float64Array,
  uBefore: number,
  u: number,
  X: Float32Array,
  o: number,
  d: number,
  c: number,
): void {
  for (let j = 0; j < d; j++) {
    const z0 = w[j];
    const q0 = q[j];
    const down0 = z0 - (uBefore + q0);
    const up0 = z0 + (uBefore - q0);
    const z1 = z0 !== 0 ? (down0 > 0 ? down0 : 0) + (up0 < 0 ? up0 : 0) : 0;
    const q1 = q0 + (z1 - z0);
    const z = z1 + c * X[o + j];
    const down = z - (u + q1);
    const up = z + (u - q1);
    const nz = z !== 0 ? (down > 0 ? down : 0) + (up < 0 ? up : 0) : 0;
    w[j] = nz;
    q[j] = q1 + (nz - z);
  }
}

/*
 * A sample's add and the next sample's dot read and write the same weights: done in one
 * pass, w is walked once per updating step instead of twice.
 */

/** addRow at row o, then returns Σ_j w[j]·X[oNext+j] with the new weights. */
export function addRowDotNext(
  w: Float64Array,
  X: Float32Array,
  o: number,
  oNext: number,
  d: number,
  c: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const a = w[j] + c * X[o + j];
    const b = w[j + 1] + c * X[o + j + 1];
    w[j] = a;
    w[j + 1] = b;
    s0 += a * X[oNext + j];
    s1 += b * X[oNext + j + 1];
  }
  for (; j < d; j++) {
    const a = w[j] + c * X[o + j];
    w[j] = a;
    s0 += a * X[oNext + j];
  }
  return s0 + s1;
}

/** addRowTruncate at row o, then returns the dot of the new weights with row oNext. */
export function addRowTruncateDotNext(
  w: Float64Array,
  q: Float64Array,
  wscale: number,
  u: number,
  X: Float32Array,
  o: number,
  oNext: number,
  d: number,
  c: number,
): number {
  const inv = 1 / wscale;
  const s = [0, 0];
  for (let j = 0; j < d; j++) {
    const z = w[j] + c * X[o + j];
    const qj = q[j];
    const down = z - (u + qj) * inv;
    const up = z + (u - qj) * inv;
    const nz = z !== 0 ? (down > 0 ? down : 0) + (up < 0 ? up : 0) : 0;
    q[j] = qj + wscale * (nz - z);
    w[j] = nz;
    s[j & 1] += nz * X[oNext + j];
  }
  return s[0] + s[1];
}

/** The row operations trainSgdProblems runs on: these TypeScript ones, or wasmRowOps's. */
export interface SgdRowOps {
  dotRow: typeof dotRow;
  addRow: typeof addRow;
  addRowDotNext: typeof addRowDotNext;
  truncateDotRow: typeof truncateDotRow;
  addRowTruncate: typeof addRowTruncate;
  addRowTruncateDotNext: typeof addRowTruncateDotNext;
  peekTruncatedDotRow: typeof peekTruncatedDotRow;
  catchUpAddRowTruncate: typeof catchUpAddRowTruncate;
}

export const TS_ROW_OPS: SgdRowOps = {
  dotRow,
  addRow,
  addRowDotNext,
  truncateDotRow,
  addRowTruncate,
  addRowTruncateDotNext,
  peekTruncatedDotRow,
  catchUpAddRowTruncate,
};
