// AssemblyScript forms of the SGD family's row operations (src/kernels/sgd.ts holds the
// TypeScript reference and the rules: wscale, the cumulative l1 truncation, the fusions).
// Re-exported by kernels.ts. w, q are float64 weight vectors, x and xNext float32 rows,
// all byte offsets into the shared memory; d entries.
//
// Each float32 quad is widened to two f64x2 lanes. The sums keep the reference's order:
// sgdDot's four partial sums are the lanes of two accumulators (j mod 4), the others' two
// sums (even and odd j) are the lanes of one, so WASM and TypeScript agree bit for bit.

/** The upper two floats of a quad moved to the lower half (for promote_low). */
function upper(q: v128): v128 {
  return v128.shuffle<f32>(q, q, 2, 3, 2, 3);
}

function f64At(p: usize, j: i32): usize {
  return p + ((<usize>j) << 3);
}

function f32At(p: usize, j: i32): usize {
  return p + ((<usize>j) << 2);
}

/**
 * The l1 truncation of z (weights in units of 1/wscale; owed amounts already scaled):
 * max(0, z − down) + min(0, z + up), and 0 where z is 0.
 */
function truncate2(z: v128, downOwed: v128, upOwed: v128): v128 {
  const zero = f64x2.splat(0);
  const t = f64x2.add(
    f64x2.pmax(zero, f64x2.sub(z, downOwed)),
    f64x2.pmin(zero, f64x2.add(z, upOwed)),
  );
  return v128.and(t, f64x2.ne(z, zero));
}

function truncate1(z: f64, downOwed: f64, upOwed: f64): f64 {
  const down = z - downOwed;
  const up = z + upOwed;
  return z != 0 ? (down > 0 ? down : 0) + (up < 0 ? up : 0) : 0;
}

/** Σ w[j]·x[j]. */
export function sgdDot(w: usize, x: usize, d: i32): f64 {
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const q = v128.load(f32At(x, j));
    const wo = f64At(w, j);
    a = f64x2.add(a, f64x2.mul(v128.load(wo), f64x2.promote_low_f32x4(q)));
    b = f64x2.add(b, f64x2.mul(v128.load(wo, 16), f64x2.promote_low_f32x4(upper(q))));
  }
  let s0 = f64x2.extract_lane(a, 0);
  for (; j < d; j++) s0 += load<f64>(f64At(w, j)) * <f64>load<f32>(f32At(x, j));
  return s0 + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

/** w[j] += c·x[j]. */
export function sgdAdd(w: usize, x: usize, d: i32, c: f64): void {
  const cv = f64x2.splat(c);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const q = v128.load(f32At(x, j));
    const wo = f64At(w, j);
    v128.store(wo, f64x2.add(v128.load(wo), f64x2.mul(cv, f64x2.promote_low_f32x4(q))));
    v128.store(
      wo,
      f64x2.add(v128.load(wo, 16), f64x2.mul(cv, f64x2.promote_low_f32x4(upper(q)))),
      16,
    );
  }
  for (; j < d; j++) {
    const wo = f64At(w, j);
    store<f64>(wo, load<f64>(wo) + c * <f64>load<f32>(f32At(x, j)));
  }
}

/** sgdAdd at x, then Σ w[j]·xNext[j] with the new weights. */
export function sgdAddDotNext(w: usize, x: usize, xNext: usize, d: i32, c: f64): f64 {
  const cv = f64x2.splat(c);
  let s = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const q = v128.load(f32At(x, j));
    const n = v128.load(f32At(xNext, j));
    const wo = f64At(w, j);
    const lo = f64x2.add(v128.load(wo), f64x2.mul(cv, f64x2.promote_low_f32x4(q)));
    const hi = f64x2.add(v128.load(wo, 16), f64x2.mul(cv, f64x2.promote_low_f32x4(upper(q))));
    v128.store(wo, lo);
    v128.store(wo, hi, 16);
    s = f64x2.add(s, f64x2.mul(lo, f64x2.promote_low_f32x4(n)));
    s = f64x2.add(s, f64x2.mul(hi, f64x2.promote_low_f32x4(upper(n))));
  }
  return finishPairSum(s, w, x, xNext, d, j, c);
}

/** The scalar tail of sgdAddDotNext (odd d), then the even and odd sums added. */
function finishPairSum(s: v128, w: usize, x: usize, xNext: usize, d: i32, j: i32, c: f64): f64 {
  let s0 = f64x2.extract_lane(s, 0);
  let s1 = f64x2.extract_lane(s, 1);
  for (; j < d; j++) {
    const wo = f64At(w, j);
    const a = load<f64>(wo) + c * <f64>load<f32>(f32At(x, j));
    store<f64>(wo, a);
    if ((j & 1) == 0) s0 += a * <f64>load<f32>(f32At(xNext, j));
    else s1 += a * <f64>load<f32>(f32At(xNext, j));
  }
  return s0 + s1;
}

/**
 * The truncate-then-dot, add-then-truncate and add-truncate-dot passes share one body:
 * z = w[j] (+ c·x[j] when `add`), truncated at u and stored with its q, and (when `dot`)
 * the new weight dotted with dotRow[j]. The flags are constant per call: well-predicted
 * branches.
 */
function fusedTruncate(
  w: usize,
  q: usize,
  wscale: f64,
  u: f64,
  add: bool,
  x: usize,
  c: f64,
  dot: bool,
  dotRow: usize,
  d: i32,
): f64 {
  const inv = 1 / wscale;
  const cv = f64x2.splat(c);
  const uv = f64x2.splat(u);
  const invv = f64x2.splat(inv);
  const wsv = f64x2.splat(wscale);
  let s = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const wo = f64At(w, j);
    const qo = f64At(q, j);
    let zlo = v128.load(wo);
    let zhi = v128.load(wo, 16);
    if (add) {
      const xq = v128.load(f32At(x, j));
      zlo = f64x2.add(zlo, f64x2.mul(cv, f64x2.promote_low_f32x4(xq)));
      zhi = f64x2.add(zhi, f64x2.mul(cv, f64x2.promote_low_f32x4(upper(xq))));
    }
    const qlo = v128.load(qo);
    const qhi = v128.load(qo, 16);
    const nlo = truncate2(
      zlo,
      f64x2.mul(f64x2.add(uv, qlo), invv),
      f64x2.mul(f64x2.sub(uv, qlo), invv),
    );
    const nhi = truncate2(
      zhi,
      f64x2.mul(f64x2.add(uv, qhi), invv),
      f64x2.mul(f64x2.sub(uv, qhi), invv),
    );
    v128.store(qo, f64x2.add(qlo, f64x2.mul(wsv, f64x2.sub(nlo, zlo))));
    v128.store(qo, f64x2.add(qhi, f64x2.mul(wsv, f64x2.sub(nhi, zhi))), 16);
    v128.store(wo, nlo);
    v128.store(wo, nhi, 16);
    if (dot) {
      const r = v128.load(f32At(dotRow, j));
      s = f64x2.add(s, f64x2.mul(nlo, f64x2.promote_low_f32x4(r)));
      s = f64x2.add(s, f64x2.mul(nhi, f64x2.promote_low_f32x4(upper(r))));
    }
  }
  let s0 = f64x2.extract_lane(s, 0);
  let s1 = f64x2.extract_lane(s, 1);
  for (; j < d; j++) {
    const wo = f64At(w, j);
    const qo = f64At(q, j);
    let z = load<f64>(wo);
    if (add) z += c * <f64>load<f32>(f32At(x, j));
    const qj = load<f64>(qo);
    const nz = truncate1(z, (u + qj) * inv, (u - qj) * inv);
    store<f64>(qo, qj + wscale * (nz - z));
    store<f64>(wo, nz);
    if (dot) {
      const p = nz * <f64>load<f32>(f32At(dotRow, j));
      if ((j & 1) == 0) s0 += p;
      else s1 += p;
    }
  }
  return s0 + s1;
}

/** Truncates every weight at u, then Σ w[j]·x[j] with the truncated weights. */
export function sgdTruncateDot(w: usize, q: usize, wscale: f64, u: f64, x: usize, d: i32): f64 {
  return fusedTruncate(w, q, wscale, u, false, 0, 0, true, x, d);
}

/** w += c·x, then truncates every weight at u. */
export function sgdAddTruncate(
  w: usize,
  q: usize,
  wscale: f64,
  u: f64,
  x: usize,
  d: i32,
  c: f64,
): void {
  fusedTruncate(w, q, wscale, u, true, x, c, false, 0, d);
}

/** sgdAddTruncate at x, then the dot of the new weights with xNext. */
export function sgdAddTruncateDotNext(
  w: usize,
  q: usize,
  wscale: f64,
  u: f64,
  x: usize,
  xNext: usize,
  d: i32,
  c: f64,
): f64 {
  return fusedTruncate(w, q, wscale, u, true, x, c, true, xNext, d);
}

/** Σ T_u(w[j])·x[j], T_u the l1 truncation at u with wscale 1; w and q untouched. */
export function sgdPeekTruncatedDot(w: usize, q: usize, u: f64, x: usize, d: i32): f64 {
  const uv = f64x2.splat(u);
  let s = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const wo = f64At(w, j);
    const qo = f64At(q, j);
    const zlo = v128.load(wo);
    const zhi = v128.load(wo, 16);
    const qlo = v128.load(qo);
    const qhi = v128.load(qo, 16);
    const r = v128.load(f32At(x, j));
    const tlo = truncate2(zlo, f64x2.add(uv, qlo), f64x2.sub(uv, qlo));
    const thi = truncate2(zhi, f64x2.add(uv, qhi), f64x2.sub(uv, qhi));
    s = f64x2.add(s, f64x2.mul(tlo, f64x2.promote_low_f32x4(r)));
    s = f64x2.add(s, f64x2.mul(thi, f64x2.promote_low_f32x4(upper(r))));
  }
  let s0 = f64x2.extract_lane(s, 0);
  let s1 = f64x2.extract_lane(s, 1);
  for (; j < d; j++) {
    const z = load<f64>(f64At(w, j));
    const qj = load<f64>(f64At(q, j));
    const p = truncate1(z, u + qj, u - qj) * <f64>load<f32>(f32At(x, j));
    if ((j & 1) == 0) s0 += p;
    else s1 += p;
  }
  return s0 + s1;
}

/**
 * For stored weights truncated at an older u (wscale 1): truncates each at uBefore, adds
 * c·x[j], truncates at u.
 */
export function sgdCatchUpAddTruncate(
  w: usize,
  q: usize,
  uBefore: f64,
  u: f64,
  x: usize,
  d: i32,
  c: f64,
): void {
  const ubv = f64x2.splat(uBefore);
  const uv = f64x2.splat(u);
  const cv = f64x2.splat(c);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const wo = f64At(w, j);
    const qo = f64At(q, j);
    const xq = v128.load(f32At(x, j));
    let z0 = v128.load(wo);
    let q0 = v128.load(qo);
    let z1 = truncate2(z0, f64x2.add(ubv, q0), f64x2.sub(ubv, q0));
    let q1 = f64x2.add(q0, f64x2.sub(z1, z0));
    let z = f64x2.add(z1, f64x2.mul(cv, f64x2.promote_low_f32x4(xq)));
    let nz = truncate2(z, f64x2.add(uv, q1), f64x2.sub(uv, q1));
    v128.store(wo, nz);
    v128.store(qo, f64x2.add(q1, f64x2.sub(nz, z)));
    z0 = v128.load(wo, 16);
    q0 = v128.load(qo, 16);
    z1 = truncate2(z0, f64x2.add(ubv, q0), f64x2.sub(ubv, q0));
    q1 = f64x2.add(q0, f64x2.sub(z1, z0));
    z = f64x2.add(z1, f64x2.mul(cv, f64x2.promote_low_f32x4(upper(xq))));
    nz = truncate2(z, f64x2.add(uv, q1), f64x2.sub(uv, q1));
    v128.store(wo, nz, 16);
    v128.store(qo, f64x2.add(q1, f64x2.sub(nz, z)), 16);
  }
  for (; j < d; j++) {
    const wo = f64At(w, j);
    const qo = f64At(q, j);
    const z0 = load<f64>(wo);
    const q0 = load<f64>(qo);
    const z1 = truncate1(z0, uBefore + q0, uBefore - q0);
    const q1 = q0 + (z1 - z0);
    const z = z1 + c * <f64>load<f32>(f32At(x, j));
    const nz = truncate1(z, u + q1, u - q1);
    store<f64>(wo, nz);
    store<f64>(qo, q1 + (nz - z));
  }
}
