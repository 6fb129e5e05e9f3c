/**
 * Joins the paper's grid with what the results store holds: one ReportRow per grid row
 * (in the grid's order, grouped by classifier), plus any stored configuration the grid
 * does not list. Pure data in, data out; the renderers (markdown, JSON lines, HTML) only
 * format what this decides.
 */
import { canonicalParamsText, parseParamsText, type GridRow } from '../benchmark/grid-row.js';
import type { CellStatus, DatasetName, ReportCell, ReportRow, RunSummary } from './types.js';

/** How close to the paper counts as "reproduced" in the summary line. */
export const WITHIN_PAPER = 0.01;

export interface Table3Options {
  /** Whether fmnist has an estimator for this classifier (see src/ml/registry.ts). */
  readonly isImplemented: (classifier: string) => boolean;
}

/** Rows in the grid's classifier order; classifiers and rows keep the order they come in. */
export function buildTable3(
  grid: readonly GridRow[],
  summaries: readonly RunSummary[],
  options: Table3Options,
): ReportRow[] {
  const byKey = new Map<string, RunSummary>();
  for (const s of summaries) {
    const key = summaryKey(s.dataset, s.classifier, s.paramsText);
    const held = byKey.get(key);
    if (held === undefined || preferred(s, held)) byKey.set(key, s);
  }

  const used = new Set<string>();
  summaries = [...byKey.values()];
  const take = (
    dataset: DatasetName,
    classifier: string,
    paramsText: string,
  ): RunSummary | null => {
    const key = summaryKey(dataset, classifier, paramsText);
    const found = byKey.get(key);
    if (found === undefined) return null;
    used.add(key);
    return found;
  };

  const rows: ReportRow[] = grid.map((g) => {
    const implemented = options.isImplemented(g.classifier);
    return {
      classifier: g.classifier,
      paramsText: g.paramsText,
      inGrid: true,
      fashion: cell(take('fashion', g.classifier, g.paramsText), g.paper.fashion, implemented),
      mnist: cell(take('mnist', g.classifier, g.paramsText), g.paper.mnist, implemented),
    };
  });

  // Stored configurations the paper did not list (e.g. a user's own runs): shown, never dropped.
  const extras = new Map<
    string,
    { classifier: string; paramsText: string; found: Partial<Record<DatasetName, RunSummary>> }
  >();
  for (const s of summaries) {
    const key = summaryKey(s.dataset, s.classifier, s.paramsText);
    if (used.has(key) || (s.dataset !== 'fashion' && s.dataset !== 'mnist')) continue;
    const configKey = `${s.classifier}\u0000${safeCanonical(s.paramsText)}`;
    const entry = extras.get(configKey) ?? {
      classifier: s.classifier,
      paramsText: s.paramsText,
      found: {},
    };
    entry.found[s.dataset] = s;
    extras.set(configKey, entry);
  }
  for (const e of extras.values()) {
    const implemented = options.isImplemented(e.classifier);
    rows.push({
      classifier: e.classifier,
      paramsText: e.paramsText,
      inGrid: false,
      fashion: cell(e.found.fashion ?? null, e.found.fashion?.paper ?? null, implemented),
      mnist: cell(e.found.mnist ?? null, e.found.mnist?.paper ?? null, implemented),
    });
  }

  return groupByClassifier(rows);
}

/**
 * The same configuration can sit in the store under several protocols (a quick run on a
 * subset, then the full one): the report shows the one trained on the most examples,
 * then the most recent.
 */
function preferred(a: RunSummary, b: RunSummary): boolean {
  const ta = trainSize(a);
  const tb = trainSize(b);
  if (ta !== tb) return ta > tb;
  return a.finishedAt > b.finishedAt;
}

/** "… train=60000" → 60000; unknown protocols rank lowest. */
export function trainSize(s: RunSummary): number {
  const m = /(?:^|\s)train=(\d+)/.exec(s.protocol ?? '');
  return m ? Number(m[1]) : -1;
}

/** A protocol on less than the full dataset, e.g. "train=1000 test=500", or null when full or unknown. */
export function subsetText(s: RunSummary): string | null {
  const train = /(?:^|\s)train=(\d+)/.exec(s.protocol ?? '');
  const test = /(?:^|\s)test=(\d+)/.exec(s.protocol ?? '');
  if (!train || !test) return null;
  const full = Number(train[1]) === 60000 && Number(test[1]) === 10000;
  return full ? null : `train=${train[1]} test=${test[1]}`;
}

function cell(ours: RunSummary | null, paper: number | null, implemented: boolean): ReportCell {
  const status: CellStatus = ours !== null ? 'run' : implemented ? 'not run' : 'not implemented';
  const delta = ours !== null && paper !== null ? ours.mean - paper : null;
  return { status, paper, ours, delta };
}

/** Stable grouping: classifiers in order of first appearance, rows in their own order. */
function groupByClassifier(rows: ReportRow[]): ReportRow[] {
  const groups = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const list = groups.get(r.classifier) ?? [];
    list.push(r);
    groups.set(r.classifier, list);
  }
  return [...groups.values()].flat();
}

/** Parameter order in the text does not matter: "C=10 kernel=rbf" is "kernel=rbf C=10". */
function summaryKey(dataset: string, classifier: string, paramsText: string): string {
  return `${dataset}\u0000${classifier}\u0000${safeCanonical(paramsText)}`;
}

function safeCanonical(paramsText: string): string {
  try {
    return canonicalParamsText(parseParamsText(paramsText));
  } catch {
    return paramsText.trim();
  }
}

export interface DatasetTotals {
  /** Grid rows with a result (rows outside the grid count only in computeSeconds). */
  readonly run: number;
  /** Grid rows in total. */
  readonly total: number;
  /** Rows run whose mean is within ±WITHIN_PAPER of the paper. */
  readonly withinPaper: number;
  /** Sum over rows run of seconds per repeat × repeats. */
  readonly computeSeconds: number;
}

export function totals(rows: readonly ReportRow[], dataset: DatasetName): DatasetTotals {
  let run = 0;
  let total = 0;
  let withinPaper = 0;
  let computeSeconds = 0;
  for (const r of rows) {
    const c = r[dataset];
    if (r.inGrid) total++;
    if (c.ours === null) continue;
    computeSeconds += c.ours.secondsPerRepeat * c.ours.repeats;
    if (!r.inGrid) continue;
    run++;
    // A hair of slack so 0.01 exactly (after float subtraction) still counts.
    if (c.delta !== null && Math.abs(c.delta) <= WITHIN_PAPER + 1e-9) withinPaper++;
  }
  return { run, total, withinPaper, computeSeconds };
}
