/**
 * The one place where fmnist's typed errors are defined and formatted (after zod's
 * core/errors.ts): every data problem carries a stable `code` and the facts behind it,
 * so callers can branch on `err.code` and users read one consistent message.
 */
export type ErrorCode =
  | 'NOT_FITTED'
  | 'SHAPE_MISMATCH'
  | 'IDX_FORMAT'
  | 'CHECKSUM_MISMATCH'
  | 'DATASET_NOT_FOUND'
  | 'DOWNLOAD_FAILED'
  | 'UNKNOWN_DATASET'
  | 'INVALID_INPUT'
  | 'IMAGE_DECODE'
  | 'LABELS_FORMAT'
  | 'NUMERIC_OVERFLOW'
  | 'KERNELS_NOT_BUILT'
  | 'KERNELS_STATIC_DATA';

export class FmnistError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** scikit-learn's NotFittedError, with its wording. */
export class NotFittedError extends FmnistError {
  constructor(estimator: string) {
    super(
      'NOT_FITTED',
      `This ${estimator} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.`,
    );
  }
}

/** X and y (or X and a fitted model) disagree on a dimension. */
export class ShapeMismatchError extends FmnistError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}
