/**
 * Where the report's rows come from: the results store, summarised per configuration,
 * joined with the paper's grid and the estimator registry.
 */
import { GRID } from '../benchmark/grid.js';
import { ResultsStore } from '../benchmark/store.js';
import { summarize } from '../benchmark/summary.js';
import { findEstimator } from '../ml/registry.js';
import { buildTable3 } from './table3.js';
import type { ReportRow, RunSummary } from './types.js';

/** Every configuration summary in the store at `path`; never creates a store. */
export function readSummaries(path: string): RunSummary[] {
  const store = ResultsStore.openExisting(path);
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
