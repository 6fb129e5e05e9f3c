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
 * Per-class column mean and population variance in one pass: for class k (labels
 * 0..K-1), mean[k*cols + j] and variance[k*cols + j]; counts[k] rows of that class.
 * Sums are taken around each class's first row (shifted data), so a feature that is
 * constant within a class gets exactly 0 variance and there is no cancellation.
 */
export function classColumnMeanVar(
  data: Float32Array,
  rows: number,
  cols: number,
  labels: Int32Array,
  nClasses: number,
): { mean: Float64Array; variance: Float64Array; counts: Float64Array } {
  const shift = new Float64Array(nClasses * cols);
  const sum = new Float64Array(nClasses * cols);
  const sumSq = new Float64Array(nClasses * cols);
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < rows; i++) {
    const k = labels[i];
    const o = i * cols;
    const m = k * cols;
    if (counts[k]++ === 0) for (let j = 0; j < cols; j++) shift[m + j] = data[o + j];
    for (let j = 0; j < cols; j++) {
      const dv = data[o + j] - shift[m + j];
      sum[m + j] += dv;
      sumSq[m + j] += dv * dv;
    }
  }
  const mean = new Float64Array(nClasses * cols);
  const variance = new Float64Array(nClasses * cols);
  for (let k = 0; k < nClasses; k++) {
    const n = counts[k] || 1;
    for (let j = k * cols; j < (k + 1) * cols; j++) {
      const d = sum[j] / n;
      mean[j] = shift[j] + d;
      variance[j] = Math.max(0, sumSq[j] / n - d * d);
    }
  }
  return { mean, variance, counts };
}

/**
 * Variance of each column over all rows, from per-class means, variances and counts
 * (law of total variance), so the whole-data pass can be skipped.
 */
export function pooledColumnVariance(
  mean: Float64Array,
  variance: Float64Array,
  counts: Float64Array,
  cols: number,
): Float64Array {
  const total = counts.reduce((a, b) => a + b, 0);
  const grand = new Float64Array(cols);
  for (let k = 0; k < counts.length; k++) {
    for (let j = 0; j < cols; j++) grand[j] += (counts[k] * mean[k * cols + j]) / total;
  }
  const out = new Float64Array(cols);
  for (let k = 0; k < counts.length; k++) {
    for (let j = 0; j < cols; j++) {
      const dm = mean[k * cols + j] - grand[j];
      out[j] += (counts[k] * (variance[k * cols + j] + dm * dm)) / total;
    }
  }
  return out;
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
