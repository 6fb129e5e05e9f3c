/**
 * The top principal components of a row-major n×d float32 matrix by power iteration on
 * the (never formed) covariance matrix: each step is two passes over the data,
 * v ← Xcᵀ(Xc·v)/(n−1) with Xc the mean-centred rows, and component k is kept orthogonal
 * to components 0..k−1 (deflation by Gram–Schmidt). O(n·d) memory beyond the input;
 * for 5,000×784 each step is ~8 M multiply-adds.
 */

export interface PcaResult {
  /** Per-column mean that was subtracted. */
  readonly mean: Float64Array;
  /** k unit vectors of length d, row-major (k×d), in order of decreasing variance. */
  readonly components: Float64Array;
  /** Variance along each component (divided by n−1, as scikit-learn's explained_variance_). */
  readonly explainedVariance: Float64Array;
  /** Power-iteration steps each component took. */
  readonly iterations: Int32Array;
}

export interface PcaOptions {
  /** How many components. @default 2 */
  readonly k?: number;
  /** Stop when 1 − |cos(v, v_prev)| falls below this. @default 1e-12 */
  readonly tol?: number;
  /** At most this many steps per component. @default 1000 */
  readonly maxIter?: number;
  /** Uniform [0, 1) source for the start vectors (pass a seeded generator). */
  readonly random: () => number;
}

export function principalComponents(
  data: Float32Array,
  n: number,
  d: number,
  options: PcaOptions,
): PcaResult {
  const k = options.k ?? 2;
  const tol = options.tol ?? 1e-12;
  const maxIter = options.maxIter ?? 1000;
  if (data.length !== n * d) {
    throw new RangeError(
      `principalComponents: data has ${data.length} values, expected n×d = ${n}×${d}.`,
    );
  }
  if (n < 2) throw new RangeError(`principalComponents: need at least 2 rows. Got ${n}.`);
  if (!Number.isInteger(k) || k < 1 || k > d) {
    throw new RangeError(`principalComponents: k must be an int in [1, ${d}]. Got ${k}.`);
  }

  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;

  const components = new Float64Array(k * d);
  const explainedVariance = new Float64Array(k);
  const iterations = new Int32Array(k);
  const projections = new Float64Array(n);
  const next = new Float64Array(d);

  for (let c = 0; c < k; c++) {
    const v = components.subarray(c * d, (c + 1) * d);
    for (let j = 0; j < d; j++) v[j] = options.random() - 0.5;
    orthogonalize(v, components, c, d);
    normalize(v);
    let lambda = 0;
    let it = 0;
    while (it < maxIter) {
      it++;
      lambda = covarianceTimes(data, n, d, mean, v, projections, next);
      orthogonalize(next, components, c, d);
      const norm = normalize(next);
      if (norm === 0) break; // v lies in the span of earlier components: no variance left
      let cos = 0;
      for (let j = 0; j < d; j++) cos += next[j] * v[j];
      v.set(next);
      if (1 - Math.abs(cos) < tol) break;
    }
    iterations[c] = it;
    explainedVariance[c] = lambda;
    fixSign(v);
  }
  return { mean, components, explainedVariance, iterations };
}

/** Rows projected on the components: n×k, row-major. */
export function projectRows(
  data: Float32Array,
  n: number,
  d: number,
  pca: PcaResult,
): Float32Array {
  const k = pca.components.length / d;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let c = 0; c < k; c++) {
      const co = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[o + j] - pca.mean[j]) * pca.components[co + j];
      out[i * k + c] = s;
    }
  }
  return out;
}

/** out = C·v with C the covariance (n−1 divisor); returns the Rayleigh quotient vᵀCv. */
function covarianceTimes(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float64Array,
  v: Float64Array,
  projections: Float64Array,
  out: Float64Array,
): number {
  let meanDotV = 0;
  for (let j = 0; j < d; j++) meanDotV += mean[j] * v[j];
  // projections[i] = (x_i − mean)·v
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += data[o + j] * v[j];
    projections[i] = s - meanDotV;
  }
  // out = Σ_i projections[i]·(x_i − mean) / (n−1)
  out.fill(0);
  let sumP = 0;
  let rayleigh = 0;
  for (let i = 0; i < n; i++) {
    const p = projections[i];
    sumP += p;
    rayleigh += p * p;
    const o = i * d;
    for (let j = 0; j < d; j++) out[j] += p * data[o + j];
  }
  for (let j = 0; j < d; j++) out[j] = (out[j] - sumP * mean[j]) / (n - 1);
  return rayleigh / (n - 1);
}

function orthogonalize(v: Float64Array, basis: Float64Array, count: number, d: number): void {
  for (let c = 0; c < count; c++) {
    const o = c * d;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += v[j] * basis[o + j];
    for (let j = 0; j < d; j++) v[j] -= dot * basis[o + j];
  }
}

function normalize(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] /= norm;
  return norm;
}

/** The largest-magnitude entry made positive, so the same data always gives the same axes. */
function fixSign(v: Float64Array): void {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[best])) best = j;
  if (v[best] < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j];
}
