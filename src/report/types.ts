/**
 * The shapes the report reads. They mirror src/benchmark/summary.ts's ConfigSummary
 * structurally, so the report can be built and tested from plain data (fixtures, JSON)
 * as well as from a results store.
 */
export type DatasetName = 'fashion' | 'mnist';

export const DATASETS: readonly DatasetName[] = ['fashion', 'mnist'];

/** One configuration's results on one dataset, as the results store summarises them. */
export interface RunSummary {
  readonly dataset: string;
  readonly classifier: string;
  readonly paramsText: string;
  /** The store's protocol text, e.g. "seed=0 test=10000 train=60000". */
  readonly protocol?: string;
  readonly scores: readonly number[];
  readonly mean: number;
  /** Two standard deviations of the scores (the paper's "±"). */
  readonly std2: number;
  readonly repeats: number;
  readonly secondsPerRepeat: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly paper: number | null;
  readonly note: string | null;
  /** The highest peak RSS of its repeats, MB (absent or null: not measured). */
  readonly peakRssMB?: number | null;
}

/** Whether a grid row has a result on a dataset, and if not, why. */
export type CellStatus = 'run' | 'not run' | 'not implemented';

/** One dataset's side of a Table-3 row. */
export interface ReportCell {
  readonly status: CellStatus;
  /** The paper's mean accuracy, or null for a configuration the paper did not list. */
  readonly paper: number | null;
  /** Our result, or null when not run. */
  readonly ours: RunSummary | null;
  /** ours.mean − paper, when both exist. */
  readonly delta: number | null;
}

/** One row of Table 3: a configuration with its Fashion-MNIST and MNIST sides. */
export interface ReportRow {
  readonly classifier: string;
  /** Parameters as the paper writes them. */
  readonly paramsText: string;
  /** False for a configuration found in the store but not in the paper's grid. */
  readonly inGrid: boolean;
  readonly fashion: ReportCell;
  readonly mnist: ReportCell;
}
