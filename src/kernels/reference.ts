/**
 * Plain TypeScript reference implementations of every WASM kernel, written for clarity
 * (float64 accumulation, no blocking). Tests check the WASM results against these within
 * float32 tolerance; the GEMM benchmark uses `gemmAbtRef` as the "plain TS" baseline.
 */

export function dotRef(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** y + a·x, as a new array. */
export function axpyRef(a: number, x: Float32Array, y: Float32Array): Float32Array {
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] + a * x[i];
  return out;
}

export function rowSqNormsRef(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[i * cols + j] ** 2;
    out[i] = s;
  }
  return out;
}

/** C[i,j] = Σ_k A[i,k]·B[j,k]. */
export function gemmAbtRef(
  a: Float32Array,
  m: number,
  b: Float32Array,
  n: number,
  d: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Squared Euclidean distances, computed directly. */
export function sqEuclideanRef(
  a: Float32Array,
  m: number,
  b: Float32Array,
  n: number,
  d: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (a[i * d + k] - b[j * d + k]) ** 2;
      c[i * n + j] = s;
    }
  }
  return c;
}

export function manhattanRef(
  a: Float32Array,
  m: number,
  b: Float32Array,
  n: number,
  d: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Math.abs(a[i * d + k] - b[j * d + k]);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** The k smallest of each row, ascending, ties by lower column index (a stable sort). */
export function topkSmallestRef(
  values: Float32Array,
  rows: number,
  cols: number,
  k: number,
): { values: Float32Array; indices: Int32Array } {
  const outV = new Float32Array(rows * k);
  const outI = new Int32Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const order = Array.from({ length: cols }, (_, j) => j);
    order.sort((p, q) => values[i * cols + p] - values[i * cols + q] || p - q);
    for (let t = 0; t < k; t++) {
      outI[i * k + t] = order[t];
      outV[i * k + t] = values[i * cols + order[t]];
    }
  }
  return { values: outV, indices: outI };
}

/** Brute-force k-NN by the definition: direct distances, stable sort by (distance, index). */
export function knnRef(
  train: Float32Array,
  nx: number,
  queries: Float32Array,
  nq: number,
  d: number,
  k: number,
  metric: 'euclidean' | 'manhattan',
): { distances: Float32Array; indices: Int32Array } {
  const dist =
    metric === 'euclidean'
      ? sqEuclideanRef(queries, nq, train, nx, d).map(Math.sqrt)
      : manhattanRef(queries, nq, train, nx, d);
  const top = topkSmallestRef(dist, nq, nx, k);
  return { distances: top.values, indices: top.indices };
}
