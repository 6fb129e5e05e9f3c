/**
 * libjpeg(-turbo)'s accurate integer IDCT (jidctint.c, "islow": CONST_BITS 13,
 * PASS1_BITS 2) with its post-IDCT range-limit table, so decoded samples are bit-identical
 * to what libvips and ImageMagick get from libjpeg-turbo. Arithmetic is in doubles (exact
 * up to 2^53, like libjpeg's 64-bit JLONG) with floor for the arithmetic right shifts.
 *
 * libjpeg-turbo's SIMD IDCTs (which libvips and ImageMagick actually run) agree with this C
 * arithmetic only while values stay in 16-bit range and outputs stay near [0, 255]: the
 * SIMD code wraps/saturates where C masks. Real encoders never leave that range, corrupt
 * data can, so `idctIslow` returns false for such blocks and the caller lets libjpeg decode.
 */

const CONST_BITS = 13;
const PASS1_BITS = 2;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

// Powers of two: multiplying by the reciprocal is exact, and cheaper than dividing.
const PASS1_INV = 2 ** -(CONST_BITS - PASS1_BITS);
const PASS1_ROUND = 2 ** (CONST_BITS - PASS1_BITS - 1);
const PASS2_INV = 2 ** -(CONST_BITS + PASS1_BITS + 3);
const PASS2_ROUND = 2 ** (CONST_BITS + PASS1_BITS + 3 - 1);
const CONST_SCALE = 2 ** CONST_BITS;

/**
 * jdmaster.c's post-IDCT table indexed by (x & 1023): x in [−128, 127] → x + 128,
 * [128, 383] → 255, the rest wraps to 0 (or to x − 896 near 1024), exactly as libjpeg.
 */
const RANGE_LIMIT = (() => {
  const t = new Uint8Array(1024);
  for (let v = 0; v < 1024; v++) {
    if (v < 128) t[v] = v + 128;
    else if (v < 384) t[v] = 255;
    else if (v < 896) t[v] = 0;
    else t[v] = v - 896;
  }
  return t;
})();

const workspace = new Float64Array(64);

/** Bounds inside which C and SIMD IDCTs agree (far beyond what encoders produce). */
const MAX_DEQUANT = 8191;
const MAX_WORKSPACE = 16383;
/** Blocks with Σ|coefficient| up to this skip the range checks (see idctIslow). */
export const SAFE_ABS_SUM = 2900;
let extreme = false;

function limit(x: number): number {
  // Beyond [−512, 383] the C table wraps while SIMD saturates.
  if (x > 383 || x < -512) extreme = true;
  // x is an integer-valued double; & works on its int32 image, which keeps the low 10 bits.
  return RANGE_LIMIT[x & 1023];
}

/**
 * One 8×8 block of dequantized coefficients (coefficient × quantiser, natural row-major
 * order); writes 64 samples into `out` at `offset` with row stride `stride`. Returns false
 * when the block leaves the range where libjpeg-turbo's C and SIMD IDCTs agree. `checked`
 * may be false when Σ|coefficient| ≤ SAFE_ABS_SUM: the pass-1 gain is at most 5.55 per
 * unit, so the workspace then stays within 16 bits and its check can be skipped.
 */
export function idctIslow(
  coef: Int32Array,
  out: Uint8Array,
  offset: number,
  stride: number,
  checked: boolean,
): boolean {
  const ws = workspace;
  if (checked) {
    for (let k = 0; k < 64; k++) if (coef[k] > MAX_DEQUANT || coef[k] < -MAX_DEQUANT) return false;
  }
  for (let c = 0; c < 8; c++) {
    if (
      coef[8 + c] === 0 &&
      coef[16 + c] === 0 &&
      coef[24 + c] === 0 &&
      coef[32 + c] === 0 &&
      coef[40 + c] === 0 &&
      coef[48 + c] === 0 &&
      coef[56 + c] === 0
    ) {
      const dc = coef[c] * 4; // << PASS1_BITS
      for (let r = 0; r < 8; r++) ws[r * 8 + c] = dc;
      continue;
    }
    let z2 = coef[16 + c];
    let z3 = coef[48 + c];
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 + z3 * -FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    z2 = coef[c];
    z3 = coef[32 + c];
    let tmp0 = (z2 + z3) * CONST_SCALE;
    let tmp1 = (z2 - z3) * CONST_SCALE;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = coef[56 + c];
    tmp1 = coef[40 + c];
    tmp2 = coef[24 + c];
    tmp3 = coef[8 + c];
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * FIX_1_175875602;
    tmp0 *= FIX_0_298631336;
    tmp1 *= FIX_2_053119869;
    tmp2 *= FIX_3_072711026;
    tmp3 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 *= -FIX_1_961570560;
    z4 *= -FIX_0_390180644;
    z3 += z5;
    z4 += z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    ws[c] = Math.floor((tmp10 + tmp3 + PASS1_ROUND) * PASS1_INV);
    ws[56 + c] = Math.floor((tmp10 - tmp3 + PASS1_ROUND) * PASS1_INV);
    ws[8 + c] = Math.floor((tmp11 + tmp2 + PASS1_ROUND) * PASS1_INV);
    ws[48 + c] = Math.floor((tmp11 - tmp2 + PASS1_ROUND) * PASS1_INV);
    ws[16 + c] = Math.floor((tmp12 + tmp1 + PASS1_ROUND) * PASS1_INV);
    ws[40 + c] = Math.floor((tmp12 - tmp1 + PASS1_ROUND) * PASS1_INV);
    ws[24 + c] = Math.floor((tmp13 + tmp0 + PASS1_ROUND) * PASS1_INV);
    ws[32 + c] = Math.floor((tmp13 - tmp0 + PASS1_ROUND) * PASS1_INV);
  }
  if (checked) {
    for (let k = 0; k < 64; k++) if (ws[k] > MAX_WORKSPACE || ws[k] < -MAX_WORKSPACE) return false;
  }
  for (let r = 0; r < 8; r++) {
    const w = r * 8;
    const o = offset + r * stride;
    if (
      ws[w + 1] === 0 &&
      ws[w + 2] === 0 &&
      ws[w + 3] === 0 &&
      ws[w + 4] === 0 &&
      ws[w + 5] === 0 &&
      ws[w + 6] === 0 &&
      ws[w + 7] === 0
    ) {
      const v = limit(Math.floor((ws[w] + 16) * 0.03125)); // DESCALE(PASS1_BITS + 3)
      for (let k = 0; k < 8; k++) out[o + k] = v;
      continue;
    }
    let z2 = ws[w + 2];
    let z3 = ws[w + 6];
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 + z3 * -FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    let tmp0 = (ws[w] + ws[w + 4]) * CONST_SCALE;
    let tmp1 = (ws[w] - ws[w + 4]) * CONST_SCALE;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    tmp0 = ws[w + 7];
    tmp1 = ws[w + 5];
    tmp2 = ws[w + 3];
    tmp3 = ws[w + 1];
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * FIX_1_175875602;
    tmp0 *= FIX_0_298631336;
    tmp1 *= FIX_2_053119869;
    tmp2 *= FIX_3_072711026;
    tmp3 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 *= -FIX_1_961570560;
    z4 *= -FIX_0_390180644;
    z3 += z5;
    z4 += z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    out[o] = limit(Math.floor((tmp10 + tmp3 + PASS2_ROUND) * PASS2_INV));
    out[o + 7] = limit(Math.floor((tmp10 - tmp3 + PASS2_ROUND) * PASS2_INV));
    out[o + 1] = limit(Math.floor((tmp11 + tmp2 + PASS2_ROUND) * PASS2_INV));
    out[o + 6] = limit(Math.floor((tmp11 - tmp2 + PASS2_ROUND) * PASS2_INV));
    out[o + 2] = limit(Math.floor((tmp12 + tmp1 + PASS2_ROUND) * PASS2_INV));
    out[o + 5] = limit(Math.floor((tmp12 - tmp1 + PASS2_ROUND) * PASS2_INV));
    out[o + 3] = limit(Math.floor((tmp13 + tmp0 + PASS2_ROUND) * PASS2_INV));
    out[o + 4] = limit(Math.floor((tmp13 - tmp0 + PASS2_ROUND) * PASS2_INV));
  }
  const ok = !extreme;
  extreme = false;
  return ok;
}
