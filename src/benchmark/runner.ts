/**
 * Runs a plan: every selected grid row on every selected dataset, under the protocol,
 * resuming from the store. Rows whose family fmnist does not implement yet are reported
 * as such, never dropped; a row that fails is reported with its error and the run goes on.
 */
import { findEstimator } from '../ml/registry.js';
import type { GridRow } from './grid-row.js';
import {
  runConfig,
  type ConfigOutcome,
  type ConfigSpec,
  type PreparedData,
  type ProtocolEvent,
  type ProtocolOptions,
} from './protocol.js';
import { isCrammerSingerRow, sharedCrammerSingerSpec } from './shared-crammer-singer.js';
import { sharedKnnSpec } from './shared-neighbours.js';
import type { ResultsStore } from './store.js';

export type RowStatus = 'done' | 'not-implemented' | 'failed';

export interface RowResult {
  readonly row: GridRow;
  readonly dataset: string;
  readonly status: RowStatus;
  readonly outcome?: ConfigOutcome;
  readonly error?: string;
}

export interface BenchmarkPlan {
  readonly datasets: readonly string[];
  readonly rows: readonly GridRow[];
  readonly options: ProtocolOptions;
}

export type RunnerEvent =
  | ProtocolEvent
  | { type: 'dataset-loading'; dataset: string }
  | { type: 'dataset-ready'; dataset: string; seconds: number }
  | { type: 'row-skipped'; row: GridRow; dataset: string; reason: string }
  /** A queued run (queue/coordinator.ts) has put its first jobs on the queue. */
  | { type: 'queued'; queue: string; jobs: number; workers: number };

/** The spec of a grid row: a fresh estimator per repeat, seeded when it takes random_state. */
export function specForRow(row: GridRow): ConfigSpec | undefined {
  const entry = findEstimator(row.classifier);
  if (!entry) return undefined;
  if (row.classifier === 'KNeighborsClassifier') return sharedKnnSpec(row);
  if (isCrammerSingerRow(row)) return sharedCrammerSingerSpec(row);
  return {
    classifier: row.classifier,
    params: row.params,
    create: (randomState) => {
      // Seed what draws randomness; give what can use them both cores (same model either way).
      const probe = entry.create({ ...row.params });
      const extra: Record<string, unknown> = {};
      if ('random_state' in probe.params) extra.random_state = randomState;
      if ('n_jobs' in probe.params && !('n_jobs' in row.params)) extra.n_jobs = -1;
      return Object.keys(extra).length ? entry.create({ ...row.params, ...extra }) : probe;
    },
  };
}

export async function runBenchmark(
  plan: BenchmarkPlan,
  loadData: (dataset: string) => Promise<PreparedData>,
  store: ResultsStore,
  onEvent: (e: RunnerEvent) => void = () => {},
  /** Use this spec for every row instead of the registry's (a user's own classifier). */
  specOverride?: ConfigSpec,
): Promise<RowResult[]> {
  const results: RowResult[] = [];
  for (const dataset of plan.datasets) {
    const specs = plan.rows.map((row) => ({ row, spec: specOverride ?? specForRow(row) }));
    for (const { row, spec } of specs) {
      if (!spec) {
        results.push({ row, dataset, status: 'not-implemented' });
        onEvent({ type: 'row-skipped', row, dataset, reason: 'not implemented' });
      }
    }
    const runnable = specs.filter((s) => s.spec !== undefined);
    if (runnable.length === 0) continue;
    onEvent({ type: 'dataset-loading', dataset });
    const t0 = performance.now();
    const data = await loadData(dataset);
    onEvent({ type: 'dataset-ready', dataset, seconds: (performance.now() - t0) / 1000 });
    for (const { row, spec } of runnable) {
      try {
        const outcome = await runConfig(spec as ConfigSpec, data, store, plan.options, onEvent);
        results.push({ row, dataset, status: 'done', outcome });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        results.push({ row, dataset, status: 'failed', error });
        onEvent({ type: 'row-skipped', row, dataset, reason: `failed: ${error}` });
      }
    }
  }
  return results;
}
