/**
 * scikit-learn run here as a second reference for the report: the JSON lines that
 * bench/vs-sklearn.ts writes (results/sklearn-peer.jsonl), one scikit-learn fit per line.
 * The issues accept a row outside ±0.01 of the paper when it is within ±0.01 of
 * scikit-learn on the same data; the report can say which rows those are.
 */
import { readFileSync } from 'node:fs';
import { canonicalParamsText, parseParamsText } from '../benchmark/grid-row.js';
import { FmnistError } from '../errors.js';

/** scikit-learn's mean accuracy over its runs (seeds) of one row on one dataset. */
export interface SklearnAccuracy {
  readonly accuracy: number;
  readonly runs: number;
}

export type SklearnLookup = (
  dataset: string,
  classifier: string,
  paramsText: string,
) => SklearnAccuracy | null;

/** Reads the file; names the file and line of anything that is not a scikit-learn run. */
export function readSklearnReference(path: string): SklearnLookup {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = new FmnistError(
      'INVALID_INPUT',
      `--sklearn: cannot read ${path}: ${(err as Error).message}. Expected the JSON lines bench/vs-sklearn.js writes (e.g. results/sklearn-peer.jsonl).`,
    );
    e.cause = err;
    throw e;
  }
  const sums = new Map<string, { total: number; runs: number }>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path} line ${i + 1}`;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      throw new FmnistError('INVALID_INPUT', `--sklearn: ${where} is not JSON.`);
    }
    const o = r as {
      dataset?: unknown;
      classifier?: unknown;
      params?: unknown;
      result?: { accuracy?: unknown };
    };
    const accuracy = o.result?.accuracy;
    if (
      typeof o.dataset !== 'string' ||
      typeof o.classifier !== 'string' ||
      typeof o.params !== 'string' ||
      typeof accuracy !== 'number' ||
      !(accuracy >= 0 && accuracy <= 1)
    ) {
      throw new FmnistError(
        'INVALID_INPUT',
        `--sklearn: ${where} is not a scikit-learn run: expected {"dataset", "classifier", "params", "result": {"accuracy": 0..1}}.`,
      );
    }
    const k = key(o.dataset, o.classifier, o.params);
    const s = sums.get(k) ?? { total: 0, runs: 0 };
    s.total += accuracy;
    s.runs++;
    sums.set(k, s);
  });
  return (dataset, classifier, paramsText) => {
    const s = sums.get(key(dataset, classifier, paramsText));
    return s === undefined ? null : { accuracy: s.total / s.runs, runs: s.runs };
  };
}

/** Parameter order does not matter ("C=10 kernel=rbf" is "kernel=rbf C=10"). */
function key(dataset: string, classifier: string, paramsText: string): string {
  let params: string;
  try {
    params = canonicalParamsText(parseParamsText(paramsText));
  } catch {
    params = paramsText.trim();
  }
  return `${dataset}\u0000${classifier}\u0000${params}`;
}
