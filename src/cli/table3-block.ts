/**
 * The benchmark's printed result: one line per grid row, Fashion-MNIST and MNIST side by
 * side, the paper's value beside ours and the difference (the shape of the paper's Table 3).
 */
import { basename } from 'node:path';
import type { RowResult } from '../benchmark/runner.js';
import { meanAndStd2 } from '../benchmark/summary.js';
import type { GridRow } from '../benchmark/grid-row.js';

const DATASETS = ['fashion', 'mnist'] as const;

export function formatTable3Block(
  results: readonly RowResult[],
  datasets: readonly string[],
): string {
  const shown = DATASETS.filter((d) => datasets.includes(d));
  const extra = datasets.filter((d) => !(DATASETS as readonly string[]).includes(d));
  const header = ['Classifier', 'Parameters'];
  for (const d of shown) {
    const label = d === 'fashion' ? 'Fashion' : 'MNIST';
    header.push(`${label} paper`, `${label} ours (±2σ, n)`, 'Δ', 's/repeat');
  }
  // A directory of the user's own data has no paper value to compare with.
  for (const d of extra) header.push(`${datasetLabel(d)} (±2σ, n)`, 's/repeat');
  const byRow = new Map<GridRow, Map<string, RowResult>>();
  for (const r of results) {
    const m = byRow.get(r.row) ?? new Map<string, RowResult>();
    m.set(r.dataset, r);
    byRow.set(r.row, m);
  }
  const lines: string[][] = [header];
  for (const [row, perDataset] of byRow) {
    const cells = [row.classifier, row.paramsText];
    for (const d of shown) {
      const paper = Number.isNaN(row.paper[d]) ? null : row.paper[d];
      cells.push(paper === null ? '' : paper.toFixed(3), ...oursCells(perDataset.get(d), paper));
    }
    for (const d of extra) {
      const [ours, , seconds] = oursCells(perDataset.get(d), null);
      cells.push(ours, seconds);
    }
    lines.push(cells);
  }
  return renderColumns(lines);
}

function oursCells(r: RowResult | undefined, paper: number | null): string[] {
  if (!r) return ['', '', ''];
  if (r.status === 'not-implemented') return ['not implemented', '', ''];
  if (r.status === 'failed' || !r.outcome) return [`failed: ${r.error ?? 'unknown error'}`, '', ''];
  const scores = r.outcome.repeats.map((x) => x.accuracy);
  const { mean, std2 } = meanAndStd2(scores);
  const seconds =
    r.outcome.repeats.reduce((a, x) => a + x.fitSeconds + x.predictSeconds, 0) /
    r.outcome.repeats.length;
  const delta = paper === null ? '' : signed(mean - paper);
  return [`${mean.toFixed(3)} ± ${std2.toFixed(3)} (${scores.length})`, delta, seconds.toFixed(2)];
}

/** "dir:/path/to/pack" → "pack". */
function datasetLabel(dataset: string): string {
  return dataset.startsWith('dir:') ? basename(dataset.slice(4)) : dataset;
}

function signed(x: number): string {
  const s = x.toFixed(3);
  return x >= 0 ? `+${s}` : s;
}

/** Left-aligned text columns separated by two spaces. */
export function renderColumns(lines: readonly string[][]): string {
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines
    .map((l) =>
      l
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
