/**
 * Where the report's rows come from: the results store, summarised per configuration,
 * joined with the paper's grid and the estimator registry.
 */
import { existsSync } from 'node:fs';
import { GRID } from '../benchmark/grid.js';
import { ResultsStore } from '../benchmark/store.js';
import { summarize } from '../benchmark/summary.js';
import { FmnistError } from '../errors.js';
import { findEstimator } from '../ml/registry.js';
import { buildTable3 } from './table3.js';
import type { ReportRow, RunSummary } from './types.js';

/** Every configuration summary in the store at `path`; never creates a store. */
export function readSummaries(path: string): RunSummary[] {
  if (path !== ':memory:' && !existsSync(path)) {
    throw new FmnistError(
      'INVALID_INPUT',
      `No results store at ${path}. Run 'fmnist benchmark' first, or pass --store with the path of an existing store.`,
    );
  }
  const store = ResultsStore.open(path);
  try {
    return summarize(store);
  } finally {
    store.close();
  }
}

/** Table 3's rows: the paper's grid, what the store at `path` holds, what fmnist implements. */
export function reportRows(path: string): ReportRow[] {
  return rowsFromSummaries(readSummaries(path));
}

export function rowsFromSummaries(summaries: readonly RunSummary[]): ReportRow[] {
  return buildTable3(GRID, summaries, {
    isImplemented: (name) => findEstimator(name) !== undefined,
  });
}
