/**
 * From finished repeats to what the paper reports per configuration: mean accuracy,
 * 2×std (population std, as numpy's default), repeats and seconds per repeat.
 */
import { GRID, canonicalParamsText } from './grid.js';
import type { RepeatRecord, ResultsStore } from './store.js';

export interface ConfigSummary {
  readonly dataset: string;
  readonly classifier: string;
  /** As the paper's table writes it when the row is in the grid, else canonical. */
  readonly paramsText: string;
  readonly protocol: string;
  readonly scores: number[];
  readonly mean: number;
  readonly std2: number;
  readonly repeats: number;
  readonly secondsPerRepeat: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The paper's value for this row and dataset, or null (not in the grid / custom data). */
  readonly paper: number | null;
  readonly note: string | null;
  /** The highest peak RSS of its repeats, MB; null when no repeat measured one. */
  readonly peakRssMB: number | null;
}

export function meanAndStd2(scores: readonly number[]): { mean: number; std2: number } {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const variance = scores.reduce((a, s) => a + (s - mean) ** 2, 0) / scores.length;
  return { mean, std2: 2 * Math.sqrt(variance) };
}

/** Groups repeats by configuration and summarises each group. */
export function summarizeRepeats(repeats: readonly RepeatRecord[]): ConfigSummary[] {
  const groups = new Map<string, RepeatRecord[]>();
  for (const r of repeats) {
    const key = JSON.stringify([r.dataset, r.classifier, r.params, r.protocol]);
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.repeat - b.repeat);
    const first = sorted[0];
    const scores = sorted.map((r) => r.accuracy);
    const gridRow = GRID.find(
      (g) => g.classifier === first.classifier && canonicalParamsText(g.params) === first.params,
    );
    const paper =
      gridRow && (first.dataset === 'fashion' || first.dataset === 'mnist')
        ? gridRow.paper[first.dataset]
        : null;
    const peaks = sorted.map((r) => r.peakRssMB).filter((p): p is number => p !== null);
    const notes = [...new Set(sorted.map((r) => r.note).filter((n): n is string => !!n))];
    return {
      dataset: first.dataset,
      classifier: first.classifier,
      paramsText: gridRow?.paramsText ?? first.params,
      protocol: first.protocol,
      scores,
      ...meanAndStd2(scores),
      repeats: scores.length,
      secondsPerRepeat:
        sorted.reduce((a, r) => a + r.fitSeconds + r.predictSeconds, 0) / sorted.length,
      startedAt: sorted.map((r) => r.startedAt).sort()[0],
      finishedAt: sorted
        .map((r) => r.finishedAt)
        .sort()
        .at(-1) as string,
      paper,
      note: notes.length ? notes.join('; ') : null,
      peakRssMB: peaks.length ? Math.max(...peaks) : null,
    };
  });
}

export function summarize(store: ResultsStore): ConfigSummary[] {
  return summarizeRepeats(store.allRepeats());
}
