/**
 * The fit parts of a results store as a text file: one JSON object per part (JSON lines),
 * its bytes in base64. A store does not outlive its machine, and a long fit (an SVC row
 * that runs for many hours) can outlive a machine: its parts, carried in this file to
 * another machine and imported there, let the fit resume where it was instead of from
 * nothing. Parts are checked on import against the training data, like any stored part.
 */
import { unpackPart } from '../ml/fit-parts.js';
import {
  LineFileError,
  parseUniqueLines,
  requireNames,
  taggedObject,
  type LineFail,
} from './line-file.js';
import {
  canonicalProtocol,
  type AddedFitParts,
  type KeptFitPart,
  type ResultsStore,
} from './store.js';

/** The line format's version, written into every line so a reader can refuse what it can't read. */
export const PARTS_FILE_FORMAT = 'fmnist-part/1';

export class PartsFileError extends LineFileError {
  readonly code = 'PARTS_FILE_INVALID';
}

/** Every fit part of the store, one JSON object a line, ending in a newline ('' when none). */
export function exportParts(store: ResultsStore): string {
  return store
    .allFitParts()
    .map(({ bytes, ...p }) => {
      const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
      return `${JSON.stringify({ format: PARTS_FILE_FORMAT, ...p, bytes: base64 })}\n`;
    })
    .join('');
}

const STRING_FIELDS = ['dataset', 'classifier', 'params', 'protocol', 'part', 'dataId'] as const;

/** Parses and checks one exported line; `file` and `line` name it in errors. */
export function parsePartLine(text: string, file: string, line: number): KeptFitPart {
  const fail: LineFail = (detail) => {
    throw new PartsFileError(file, line, detail);
  };
  const o = taggedObject(text, PARTS_FILE_FORMAT, fail);
  requireNames(o, STRING_FIELDS, fail);
  if (!Number.isInteger(o.repeat) || (o.repeat as number) < 0) {
    fail(`field 'repeat' must be an integer ≥ 0`);
  }
  if (typeof o.seconds !== 'number' || !Number.isFinite(o.seconds) || o.seconds < 0) {
    fail(`field 'seconds' must be a finite number ≥ 0`);
  }
  if (typeof o.savedAt !== 'string' || Number.isNaN(Date.parse(o.savedAt))) {
    fail(`field 'savedAt' must be an ISO 8601 time`);
  }
  if (typeof o.bytes !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(o.bytes)) {
    fail(`field 'bytes' must be base64 text`);
  }
  const bytes = new Uint8Array(Buffer.from(o.bytes, 'base64'));
  // A part cut short or edited by hand would only fail deep inside a resumed fit.
  if (unpackPart(bytes) === null) {
    fail(`field 'bytes' is not a whole fit part (${bytes.length} bytes that do not unpack)`);
  }
  return {
    dataset: o.dataset as string,
    classifier: o.classifier as string,
    params: o.params as string,
    protocol: canonicalProtocol(o.protocol as string),
    repeat: o.repeat as number,
    part: o.part as string,
    dataId: o.dataId as string,
    seconds: o.seconds,
    bytes,
    // The store compares these as text to keep the later copy: one spelling for all.
    savedAt: new Date(o.savedAt).toISOString(),
  };
}

/**
 * Adds the file's parts to the store (ResultsStore.addFitParts: later copies win, parts of
 * recorded repeats are left out). The whole file is checked before anything is written.
 */
export function importParts(store: ResultsStore, text: string, file: string): AddedFitParts {
  const { items: parts } = parseUniqueLines(
    text,
    (raw, line) => parsePartLine(raw, file, line),
    (p) => JSON.stringify([p.dataset, p.classifier, p.params, p.protocol, p.repeat, p.part]),
    (p, line, first) => {
      throw new PartsFileError(
        file,
        line,
        `part '${p.part}' of this repeat is also on line ${first}`,
      );
    },
  );
  return store.addFitParts(parts);
}
