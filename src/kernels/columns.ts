/**
 * Column statistics over a row-major n×d float32 matrix: the loops behind
 * StandardScaler and GaussianNB. Accumulates in float64 for exact-enough sums.
 */

/** Per-column mean and population variance (two passes, numerically stable). */
export function columnMeanVar(
  data: Float32Array,
  rows: number,
  cols: number,
): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  if (rows === 0) return { mean, variance };
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const dv = data[o + j] - mean[j];
      variance[j] += dv * dv;
    }
  }
  for (let j = 0; j < cols; j++) variance[j] /= rows;
  return { mean, variance };
}

/**
 * Per-class column mean and population variance: for class k (labels 0..K-1),
 * mean[k*cols + j] and variance[k*cols + j]; counts[k] rows of that class.
 */
export function classColumnMeanVar(
  data: Float32Array,
  rows: number,
  cols: number,
  labels: Int32Array,
  nClasses: number,
): { mean: Float64Array; variance: Float64Array; counts: Float64Array } {
  const mean = new Float64Array(nClasses * cols);
  const variance = new Float64Array(nClasses * cols);
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < rows; i++) {
    const k = labels[i];
    counts[k]++;
    const o = i * cols;
    const m = k * cols;
    for (let j = 0; j < cols; j++) mean[m + j] += data[o + j];
  }
  for (let k = 0; k < nClasses; k++) {
    const m = k * cols;
    for (let j = 0; j < cols; j++) mean[m + j] /= counts[k] || 1;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const m = labels[i] * cols;
    for (let j = 0; j < cols; j++) {
      const dv = data[o + j] - mean[m + j];
      variance[m + j] += dv * dv;
    }
  }
  for (let k = 0; k < nClasses; k++) {
    const m = k * cols;
    for (let j = 0; j < cols; j++) variance[m + j] /= counts[k] || 1;
  }
  return { mean, variance, counts };
}

/** out[i,j] = (data[i,j] - shift[j]) * factor[j], written into `out` (may alias `data`). */
export function affineColumns(
  data: Float32Array,
  rows: number,
  cols: number,
  shift: Float64Array,
  factor: Float64Array,
  out: Float32Array,
): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[o + j] = (data[o + j] - shift[j]) * factor[j];
  }
}

/**
 * Gaussian log-likelihood of each row under each class's diagonal Gaussian, plus a
 * per-class constant: out[i*K + k] = bias[k] - ½ Σ_j (x_ij - μ_kj)² / σ²_kj.
 */
export function gaussianJointLogLikelihood(
  data: Float32Array,
  rows: number,
  cols: number,
  mean: Float64Array,
  variance: Float64Array,
  bias: Float64Array,
): Float64Array {
  const K = bias.length;
  const out = new Float64Array(rows * K);
  const invVar = new Float64Array(variance.length);
  for (let t = 0; t < variance.length; t++) invVar[t] = 1 / variance[t];
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let k = 0; k < K; k++) {
      const m = k * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) {
        const dv = data[o + j] - mean[m + j];
        s += dv * dv * invVar[m + j];
      }
      out[i * K + k] = bias[k] - 0.5 * s;
    }
  }
  return out;
}
