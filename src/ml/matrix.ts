/**
 * A dense row-major float32 matrix: exactly a flat Float32Array plus its shape.
 * Estimators never take arrays of rows; they take this (or build it with `matrix()`).
 */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Class labels, one per row. */
export type Labels = Uint8Array | Uint16Array | Int32Array;

/** Wraps a flat array as a rows×cols matrix, checking that the sizes agree. */
export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(
      `matrix(): rows and cols must be non-negative integers. Got ${rows}×${cols}.`,
    );
  }
  if (data.length !== rows * cols) {
    throw new RangeError(
      `matrix(): a ${rows}×${cols} matrix needs ${rows * cols} values. Got ${data.length}.`,
    );
  }
  return { data, rows, cols };
}

/** Converts uint8 pixels (n×d) to a float32 matrix. */
export function fromBytes(bytes: Uint8Array, rows: number, cols: number): Matrix {
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) data[i] = bytes[i];
  return matrix(data, rows, cols);
}

/**
 * A zeroed float32 array in shared memory, so worker threads can read it without a copy
 * (60k×784 floats are 188 MB: hold them once).
 */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

/** The rows listed in `order`, copied into a new shared-memory matrix (used to shuffle). */
export function takeRows(X: Matrix, order: ArrayLike<number>): Matrix {
  const out = sharedFloat32(order.length * X.cols);
  for (let i = 0; i < order.length; i++) {
    const src = order[i] * X.cols;
    out.set(X.data.subarray(src, src + X.cols), i * X.cols);
  }
  return matrix(out, order.length, X.cols);
}

/** Labels reordered by `order`. */
export function takeLabels<L extends Labels>(y: L, order: ArrayLike<number>): L {
  const out = new (y.constructor as new (n: number) => L)(order.length);
  for (let i = 0; i < order.length; i++) out[i] = y[order[i]];
  return out;
}
