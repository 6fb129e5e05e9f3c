/**
 * The HTML dashboard: Table 3 as a sortable, filterable table with Fashion-MNIST |
 * MNIST | side-by-side views, a Fashion-vs-MNIST scatter and an accuracy-vs-time chart,
 * all in one self-contained file (see page.ts).
 */
import { accuracyVsTimeSpec, fashionVsMnistSpec } from './charts.js';
import { DASHBOARD_SCRIPT } from './dashboard-client.js';
import { formatSeconds } from './format.js';
import { escapeHtml } from './html-escape.js';
import { renderPage } from './page.js';
import { subsetText, totals, WITHIN_PAPER } from './table3.js';
import type { ReportCell, ReportRow } from './types.js';

/** A cell as the page's script reads it (flat, JSON-friendly). */
export interface DashboardCell {
  status: string;
  paper: number | null;
  mean: number | null;
  std2: number | null;
  repeats: number | null;
  delta: number | null;
  secondsPerRepeat: number | null;
  /** The highest peak RSS of the cell's repeats (MB); null where not run or not measured. */
  peakRssMB: number | null;
  scores: number[];
  /** Set when ours ran on part of the data, e.g. "train=1000 test=500". */
  subset: string | null;
  note: string | null;
}

export interface DashboardRow {
  classifier: string;
  paramsText: string;
  inGrid: boolean;
  fashion: DashboardCell;
  mnist: DashboardCell;
}

export interface DashboardData {
  generatedAt: string;
  source: string | null;
  classifiers: string[];
  rows: DashboardRow[];
  specs: { fashionVsMnist: object; accuracyVsTime: object };
}

export interface DashboardOptions {
  /** Where the results came from (a store path), shown in the header. */
  readonly source?: string;
  /** Defaults to now; fixed in tests. */
  readonly generatedAt?: Date;
}

export function dashboardData(
  rows: readonly ReportRow[],
  options: DashboardOptions = {},
): DashboardData {
  const classifiers = [...new Set(rows.map((r) => r.classifier))];
  return {
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    source: options.source ?? null,
    classifiers,
    rows: rows.map((r) => ({
      classifier: r.classifier,
      paramsText: r.paramsText,
      inGrid: r.inGrid,
      fashion: flatCell(r.fashion),
      mnist: flatCell(r.mnist),
    })),
    specs: {
      fashionVsMnist: fashionVsMnistSpec(classifiers),
      accuracyVsTime: accuracyVsTimeSpec(classifiers),
    },
  };
}

function flatCell(c: ReportCell): DashboardCell {
  return {
    status: c.status,
    paper: c.paper,
    mean: c.ours?.mean ?? null,
    std2: c.ours?.std2 ?? null,
    repeats: c.ours?.repeats ?? null,
    delta: c.delta,
    secondsPerRepeat: c.ours?.secondsPerRepeat ?? null,
    peakRssMB: c.ours?.peakRssMB ?? null,
    scores: c.ours ? [...c.ours.scores] : [],
    subset: c.ours ? subsetText(c.ours) : null,
    note: c.ours?.note ?? null,
  };
}

export function renderDashboard(
  rows: readonly ReportRow[],
  options: DashboardOptions = {},
): string {
  const data = dashboardData(rows, options);
  return renderPage({
    title: 'fmnist: Table 3 benchmark dashboard',
    css: DASHBOARD_CSS,
    body: dashboardBody(rows, data),
    data: { 'fmnist-dashboard': data },
    script: DASHBOARD_SCRIPT,
  });
}

function dashboardBody(rows: readonly ReportRow[], data: DashboardData): string {
  const f = totals(rows, 'fashion');
  const m = totals(rows, 'mnist');
  const stat = (label: string, value: string, id: string) =>
    `<div class="stat" id="${id}"><div class="value">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
  const source = data.source === null ? '' : ` from <code>${escapeHtml(data.source)}</code>`;
  return `<header>
  <h1>Table 3: scikit-learn classifiers on Fashion-MNIST and MNIST</h1>
  <p class="sub">fmnist's runs beside the paper's (Xiao, Rasul &amp; Vollgraf 2017)${source}, generated ${escapeHtml(data.generatedAt)}.</p>
  <div class="stats">
    ${stat('Fashion-MNIST rows run', `${f.run} / ${f.total}`, 'stat-fashion-run')}
    ${stat(`Fashion-MNIST within ±${WITHIN_PAPER} of paper`, `${f.withinPaper} / ${f.run}`, 'stat-fashion-within')}
    ${stat('MNIST rows run', `${m.run} / ${m.total}`, 'stat-mnist-run')}
    ${stat(`MNIST within ±${WITHIN_PAPER} of paper`, `${m.withinPaper} / ${m.run}`, 'stat-mnist-within')}
    ${stat('Total compute time', formatSeconds(f.computeSeconds + m.computeSeconds), 'stat-compute')}
  </div>
</header>
<main>
<section class="controls" aria-label="View and filters">
  <div class="views" role="group" aria-label="Dataset view">
    <button type="button" id="view-fashion" data-view="fashion">Fashion-MNIST</button>
    <button type="button" id="view-mnist" data-view="mnist">MNIST</button>
    <button type="button" id="view-both" data-view="both">Side by side</button>
  </div>
  <label>Classifier <select id="filter-classifier"><option value="">All classifiers</option></select></label>
  <label>Parameters <input id="filter-text" type="search" placeholder="e.g. kernel=rbf" autocomplete="off"></label>
  <label class="check"><input id="filter-run-only" type="checkbox"> Only rows run</label>
</section>
<section class="charts">
  <figure><figcaption>Fashion-MNIST vs MNIST accuracy</figcaption><div id="chart-scatter" class="chart"></div><p class="note" id="scatter-note"></p></figure>
  <figure><figcaption>Accuracy vs training time</figcaption><div id="chart-time" class="chart"></div><p class="note" id="time-note"></p></figure>
</section>
<p id="row-count" class="count"></p>
<div class="table-wrap"><table id="results"><thead></thead><tbody></tbody></table></div>
</main>
<footer>Accuracy: mean test accuracy ± 2σ over the repeats (n). Δ: ours − paper, green within ±${WITHIN_PAPER}. "not run": no result in the store yet; "not implemented": fmnist has no estimator for that classifier yet. Peak MB: the highest resident memory of the benchmark process (workers included) during one repeat, blank for repeats stored before it was measured.</footer>`;
}

const DASHBOARD_CSS = `
:root { --ink: #202124; --muted: #5f6368; --line: #dadce0; --accent: #1a73e8; --bg: #f8f9fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 18px 28px 14px; }
h1 { font-size: 20px; margin: 0 0 4px; font-weight: 600; }
.sub { margin: 0 0 12px; color: var(--muted); }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; }
.stat { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 150px; background: var(--bg); }
.stat .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.stat .label { color: var(--muted); font-size: 12px; }
main { padding: 16px 28px 8px; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 14px 20px; margin-bottom: 14px; }
.views { display: inline-flex; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.views button { border: 0; background: #fff; padding: 7px 14px; font: inherit; cursor: pointer; }
.views button + button { border-left: 1px solid var(--line); }
.views button[aria-pressed="true"] { background: var(--accent); color: #fff; }
label { color: var(--muted); }
select, input[type="search"] { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; margin-left: 6px; color: var(--ink); background: #fff; }
input[type="search"] { width: 220px; }
.check input { margin-right: 4px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.chart { min-height: 380px; min-width: 560px; }
.note { margin: 4px 0 0; color: var(--muted); font-size: 12px; max-width: 600px; }
.count { color: var(--muted); margin: 16px 0 6px; }
.table-wrap { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
tr.groups th { position: static; text-align: center; padding: 6px 10px 0; font-weight: 600; color: var(--muted); background: #f1f3f4; border-bottom: 0; }
tr.groups th.group { border-left: 1px solid var(--line); }
th { position: sticky; top: 0; background: #f1f3f4; text-align: left; border-bottom: 1px solid var(--line); padding: 0; white-space: nowrap; }
th button { all: unset; cursor: pointer; display: block; padding: 8px 10px; font-weight: 600; }
th.num button { text-align: right; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; font-size: 10px; }
th[aria-sort="descending"] button::after { content: " \\25BC"; font-size: 10px; }
td { padding: 5px 10px; border-bottom: 1px solid #f1f3f4; vertical-align: top; }
tr.group-start td { border-top: 2px solid var(--line); }
tbody tr:hover td { background: #f8f9fa; }
td.num { text-align: right; white-space: nowrap; }
td.classifier { font-weight: 500; white-space: nowrap; }
td.params { min-width: 16em; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
td.paper { color: var(--muted); }
td.status { color: var(--muted); font-style: italic; text-align: right; white-space: nowrap; }
td.status.not-implemented { color: #b0b3b8; }
.repeats { color: var(--muted); font-size: 11px; }
.subset { color: #b06000; font-size: 11px; }
.extra { color: #b06000; font-family: system-ui, sans-serif; }
td.delta.close { color: #188038; }
td.delta.above { color: #1967d2; }
td.delta.below { color: #c5221f; }
td.empty { text-align: center; color: var(--muted); padding: 20px; }
footer { color: var(--muted); font-size: 12px; padding: 8px 28px 24px; }
`;
