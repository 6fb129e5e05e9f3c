/**
 * Typed errors of the data layer. Each carries the facts behind it (file, expected,
 * actual, places tried) so callers branch on `code` and users read one clear message.
 */
import { FmnistError } from '../errors.js';

/** A file is not valid IDX (or not valid gzip around IDX). */
export class IdxFormatError extends FmnistError {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    super('IDX_FORMAT', `${file}: not a valid IDX file: ${reason}`);
    this.file = file;
    this.reason = reason;
  }
}

/** A file's content hash differs from the one we know it must have. */
export class ChecksumMismatch extends FmnistError {
  readonly file: string;
  readonly expected: string;
  readonly actual: string;
  constructor(file: string, expected: string, actual: string, hint?: string) {
    super(
      'CHECKSUM_MISMATCH',
      `${file}: checksum mismatch: expected ${expected}, got ${actual}` + (hint ? `. ${hint}` : ''),
    );
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/** One place the loader looked, and why it was not used. */
export interface TriedSource {
  kind: string;
  path: string;
  reason: string;
}

/** No source holds the dataset; the message lists every place tried and the fixes. */
export class DatasetNotFoundError extends FmnistError {
  readonly dataset: string;
  readonly tried: readonly TriedSource[];
  constructor(dataset: string, tried: readonly TriedSource[], fixes: readonly string[]) {
    const lines = [
      `dataset '${dataset}' not found. Looked in:`,
      ...tried.map((t) => `  - ${t.kind}: ${t.path} (${t.reason})`),
      'To fix, do one of:',
      ...fixes.map((f) => `  - ${f}`),
    ];
    super('DATASET_NOT_FOUND', lines.join('\n'));
    this.dataset = dataset;
    this.tried = tried;
  }
}

/** One mirror's failure for one file. */
export interface MirrorFailure {
  url: string;
  reason: string;
}

/** Every mirror failed for a file. */
export class DownloadError extends FmnistError {
  readonly file: string;
  readonly failures: readonly MirrorFailure[];
  constructor(file: string, failures: readonly MirrorFailure[]) {
    const lines = [
      `could not download ${file}; every mirror failed:`,
      ...failures.map((f) => `  - ${f.url}: ${f.reason}`),
    ];
    super('DOWNLOAD_FAILED', lines.join('\n'));
    this.file = file;
    this.failures = failures;
  }
}

/** A dataset name that is not in the registry. */
export class UnknownDatasetError extends FmnistError {
  readonly dataset: string;
  readonly valid: readonly string[];
  constructor(dataset: string, valid: readonly string[], alternative?: string) {
    super(
      'UNKNOWN_DATASET',
      `unknown dataset '${dataset}'; expected one of: ${valid.join(', ')}` +
        (alternative ? ` (${alternative})` : ''),
    );
    this.dataset = dataset;
    this.valid = valid;
  }
}

/** Files that are valid IDX but do not make a dataset (shapes, counts, labels disagree). */
export class DatasetFormatError extends FmnistError {
  readonly file: string;
  constructor(file: string, reason: string) {
    super('INVALID_INPUT', `${file}: ${reason}`);
    this.file = file;
  }
}
