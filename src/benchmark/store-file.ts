/**
 * The results store as a text file: one JSON object per finished repeat (JSON lines).
 * A store lives in a cache folder and does not outlive its machine; its exported lines
 * can be committed, reviewed as a diff and imported on another machine, so protocol runs
 * made in different places and sessions add up to one Table 3.
 */
import {
  LineFileError,
  parseUniqueLines,
  requireNames,
  taggedObject,
  type LineFail,
} from './line-file.js';
import { canonicalProtocol, type RepeatRecord, type ResultsStore } from './store.js';

/** The line format's version, written into every line so a reader can refuse what it can't read. */
export const REPEATS_FILE_FORMAT = 'fmnist-repeat/1';

export class RepeatsFileError extends LineFileError {
  readonly code = 'REPEATS_FILE_INVALID';
}

/** Every repeat of the store, sorted by key, one JSON object a line, ending in a newline. */
export function exportRepeats(store: ResultsStore): string {
  return store
    .allRepeats()
    .map((r) => `${repeatLine(r)}\n`)
    .join('');
}

/** One repeat as a line of the file format (no newline); parseRepeatLine reads it back. */
export function repeatLine({ peakRssMB, ...r }: RepeatRecord): string {
  // An unknown peak is left out, so repeats recorded before it was measured export as before.
  return JSON.stringify({
    format: REPEATS_FILE_FORMAT,
    ...r,
    ...(peakRssMB === null ? {} : { peakRssMB }),
  });
}

export interface ImportSummary {
  /** Repeats written to the store. */
  readonly added: number;
  /** Repeats the store already held with the same result. */
  readonly alreadyPresent: number;
  /** Of the added, those set aside at once as made by a superseded solver (see setAsideSuperseded). */
  readonly setAside: number;
}

const STRING_FIELDS = [
  'dataset',
  'classifier',
  'params',
  'protocol',
  'startedAt',
  'finishedAt',
] as const;
const NUMBER_FIELDS = ['accuracy', 'fitSeconds', 'predictSeconds'] as const;
const INT_FIELDS = ['repeat', 'nTrain', 'nTest'] as const;

/** Parses and checks one exported line; `file` and `line` name it in errors. */
export function parseRepeatLine(text: string, file: string, line: number): RepeatRecord {
  const fail: LineFail = (detail) => {
    throw new RepeatsFileError(file, line, detail);
  };
  const o = taggedObject(text, REPEATS_FILE_FORMAT, fail);
  requireNames(o, STRING_FIELDS, fail);
  for (const f of NUMBER_FIELDS) {
    if (typeof o[f] !== 'number' || !Number.isFinite(o[f]) || (o[f] as number) < 0) {
      fail(`field '${f}' must be a finite number ≥ 0`);
    }
  }
  for (const f of INT_FIELDS) {
    if (!Number.isInteger(o[f]) || (o[f] as number) < 0) {
      fail(`field '${f}' must be an integer ≥ 0`);
    }
  }
  if ((o.accuracy as number) > 1) {
    fail(`field 'accuracy' must be in [0, 1], got ${o.accuracy}`);
  }
  if (o.note !== null && typeof o.note !== 'string') {
    fail(`field 'note' must be a string or null`);
  }
  const peak = o.peakRssMB ?? null;
  if (peak !== null && (typeof peak !== 'number' || !Number.isFinite(peak) || peak < 0)) {
    fail(`field 'peakRssMB' must be a number ≥ 0, null, or absent`);
  }
  return {
    dataset: o.dataset as string,
    classifier: o.classifier as string,
    params: o.params as string,
    protocol: canonicalProtocol(o.protocol as string),
    repeat: o.repeat as number,
    accuracy: o.accuracy as number,
    fitSeconds: o.fitSeconds as number,
    predictSeconds: o.predictSeconds as number,
    startedAt: o.startedAt as string,
    finishedAt: o.finishedAt as string,
    nTrain: o.nTrain as number,
    nTest: o.nTest as number,
    note: o.note as string | null,
    peakRssMB: peak,
  };
}

/**
 * Adds the file's repeats to the store. The whole file is checked before anything is
 * written, and a repeat the store holds with a different accuracy is an error naming the
 * line: an import never overwrites a result, and never half-applies a file.
 */
export function importRepeats(store: ResultsStore, text: string, file: string): ImportSummary {
  const { items: records, lineOf } = parseUniqueLines(
    text,
    (raw, line) => parseRepeatLine(raw, file, line),
    keyOf,
    (r, line, first) => {
      throw new RepeatsFileError(
        file,
        line,
        `repeat ${r.repeat} of this row is also on line ${first}`,
      );
    },
  );
  let alreadyPresent = 0;
  const fresh: RepeatRecord[] = [];
  for (const [i, r] of records.entries()) {
    const existing = store.repeatsOf(r).find((e) => e.repeat === r.repeat);
    if (existing === undefined) {
      fresh.push(r);
    } else if (existing.accuracy === r.accuracy) {
      alreadyPresent++;
    } else {
      throw new RepeatsFileError(
        file,
        lineOf.get(keyOf(records[i])) as number,
        `the store already holds repeat ${r.repeat} of ${r.dataset} ${r.classifier} ${r.params} with accuracy ${existing.accuracy}, not ${r.accuracy}; nothing was imported`,
      );
    }
  }
  store.recordAll(fresh);
  return { added: fresh.length, alreadyPresent, setAside: store.setAsideSuperseded() };
}

function keyOf(r: RepeatRecord): string {
  return JSON.stringify([r.dataset, r.classifier, r.params, r.protocol, r.repeat]);
}
