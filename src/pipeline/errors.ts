/** Typed errors of the conversion pipeline and dataset packing. */
import { FmnistError } from '../errors.js';

/** An input that is not a readable image (corrupt, truncated, not an image at all). */
export class ImageDecodeError extends FmnistError {
  readonly source: string;
  readonly reason: string;
  constructor(source: string, reason: string) {
    super('IMAGE_DECODE', `${source}: cannot decode image: ${reason}`);
    this.source = source;
    this.reason = reason;
  }
}

/** A problem in a labels.csv / classes file, with the 1-based line it is on. */
export class LabelsFormatError extends FmnistError {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, message: string) {
    super('LABELS_FORMAT', line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
    this.file = file;
    this.line = line;
  }
}
