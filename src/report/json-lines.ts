/**
 * The results as JSON lines in the field names of the original Fashion-MNIST benchmark
 * dashboard (its runner logged one `json.dumps(..., sort_keys=True)` object per
 * configuration), plus `dataset`, so tools written for that log read ours.
 */
import { parseParamsText, type ParamValue } from '../benchmark/grid-row.js';
import type { ReportRow, RunSummary } from './types.js';

export interface DashboardJsonRecord {
  dataset: string;
  /** Seconds since the epoch when the last repeat finished (the original's int). */
  done_time: number | string;
  /** Mean test accuracy over the repeats. */
  mean_accuracy: number;
  /** scikit-learn class name. */
  name: string;
  num_repeat: number;
  /** The parameters as an object, e.g. { C: 10, kernel: 'rbf' }. */
  parameter: Record<string, ParamValue>;
  /** Every repeat's test accuracy. */
  score: number[];
  /** Seconds since the epoch when the first repeat started. */
  start_time: number | string;
  /** Two standard deviations, as the original stored it. */
  std_accuracy: number;
  /** Wall seconds per repeat (the original truncated to whole seconds; we keep the fraction). */
  time_per_repeat: number;
}

export function toDashboardRecord(s: RunSummary): DashboardJsonRecord {
  // Keys in sorted order, as the original's sort_keys=True wrote them.
  return {
    dataset: s.dataset,
    done_time: epochSeconds(s.finishedAt),
    mean_accuracy: s.mean,
    name: s.classifier,
    num_repeat: s.repeats,
    parameter: paramsObject(s.paramsText),
    score: [...s.scores],
    start_time: epochSeconds(s.startedAt),
    std_accuracy: s.std2,
    time_per_repeat: s.secondsPerRepeat,
  };
}

/** One line per configuration run, Fashion-MNIST first; rows never run are left out. */
export function renderJsonLines(rows: readonly ReportRow[]): string {
  const lines: string[] = [];
  for (const dataset of ['fashion', 'mnist'] as const) {
    for (const r of rows) {
      const ours = r[dataset].ours;
      if (ours !== null) lines.push(JSON.stringify(toDashboardRecord(ours)));
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function paramsObject(text: string): Record<string, ParamValue> {
  try {
    return parseParamsText(text);
  } catch {
    return { text };
  }
}

/** ISO time → whole epoch seconds; anything unparsable is passed through unchanged. */
function epochSeconds(iso: string): number | string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : Math.floor(ms / 1000);
}
