/**
 * Table 3 as Markdown: one section per classifier, one line per configuration, with the
 * paper's value, ours (mean ± 2σ over the repeats), and the difference, for both datasets.
 */
import { formatAccuracy, formatDelta, formatSeconds } from './format.js';
import { subsetText, totals, WITHIN_PAPER } from './table3.js';
import type { SklearnLookup } from './sklearn-reference.js';
import type { ReportCell, ReportRow } from './types.js';

export interface MarkdownOptions {
  /** Shown under the title, e.g. the store's path. */
  readonly source?: string;
  /**
   * scikit-learn run here (see sklearn-reference.ts): each row outside ±0.01 of the paper
   * gets a note with scikit-learn's accuracy, and the summary counts the rows within ±0.01
   * of it.
   */
  readonly sklearn?: SklearnLookup;
}

export function renderMarkdown(rows: readonly ReportRow[], options: MarkdownOptions = {}): string {
  const out: string[] = ['# Table 3: benchmark on Fashion-MNIST and MNIST', ''];
  if (options.source) out.push(`Results from \`${escapeMarkdown(options.source)}\`.`, '');
  out.push(summaryLine(rows, options.sklearn), '');
  out.push(
    'Accuracy is mean test accuracy ± 2σ over the repeats (n = repeats); Δ is ours − paper; ' +
      '"not run" means the store has no result yet, "not implemented" that fmnist has no estimator for the classifier.',
    '',
  );

  let current: string | null = null;
  // The store's notes, each once per section with every row and dataset it applies to
  // (shared work repeats one note over many rows), then the rows' scikit-learn notes.
  let storeNotes = new Map<string, Map<string, string[]>>();
  let notes: string[] = [];
  rows.forEach((r, i) => {
    if (r.classifier !== current) {
      current = r.classifier;
      out.push(`## ${escapeMarkdown(r.classifier)}`, '');
      out.push(
        '| Parameters | Paper Fashion | Ours Fashion | Δ | Paper MNIST | Ours MNIST | Δ | s / repeat (F · M) | peak MB (F · M) |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      );
    }
    const params = escapeMarkdown(r.paramsText) + (r.inGrid ? '' : ' (not in the paper)');
    out.push(
      `| ${params} | ${paperText(r.fashion)} | ${oursText(r.fashion)} | ${deltaText(r.fashion)} ` +
        `| ${paperText(r.mnist)} | ${oursText(r.mnist)} | ${deltaText(r.mnist)} | ${secondsText(r)} | ${peakText(r)} |`,
    );
    for (const [name, c] of [
      ['Fashion-MNIST', r.fashion],
      ['MNIST', r.mnist],
    ] as const) {
      if (c.ours?.note) {
        const byParams = storeNotes.get(c.ours.note) ?? new Map<string, string[]>();
        storeNotes.set(c.ours.note, byParams);
        byParams.set(params, [...(byParams.get(params) ?? []), name]);
      }
      const vs = options.sklearn === undefined ? null : sklearnNote(r, c, options.sklearn);
      if (vs !== null) notes.push(`- ${params}, ${name}: ${vs}`);
    }
    const next = rows[i + 1];
    if (next === undefined || next.classifier !== r.classifier) {
      // The store's notes for this classifier (e.g. shared work), under its table.
      const grouped = [...storeNotes].map(([note, byParams]) => {
        const where = [...byParams].map(([p, names]) => `${p}, ${names.join(' and ')}`);
        return `- ${where.join('; ')}: ${escapeMarkdown(note)}`;
      });
      const all = [...grouped, ...notes];
      out.push('', ...all, ...(all.length ? [''] : []));
      storeNotes = new Map();
      notes = [];
    }
  });
  return out.join('\n');
}

/** "Rows run: Fashion 12/126, MNIST 3/126; within ±0.01 of the paper: …; total compute time: …". */
export function summaryLine(rows: readonly ReportRow[], sklearn?: SklearnLookup): string {
  const f = totals(rows, 'fashion');
  const m = totals(rows, 'mnist');
  let vs = '';
  if (sklearn !== undefined) {
    const count = (dataset: 'fashion' | 'mnist'): string => {
      let within = 0;
      let checked = 0;
      let outside = 0;
      for (const r of rows) {
        const c = r[dataset];
        if (!r.inGrid || !outsidePaper(c)) continue;
        outside++;
        const sk = sklearn(dataset, r.classifier, r.paramsText);
        if (sk === null || c.ours === null) continue;
        checked++;
        if (Math.abs(c.ours.mean - sk.accuracy) <= WITHIN_PAPER + 1e-9) within++;
      }
      return `${within}/${outside} (scikit-learn run on ${checked})`;
    };
    vs =
      `**Outside the paper but within ±${WITHIN_PAPER} of scikit-learn run here:** ` +
      `Fashion-MNIST ${count('fashion')}, MNIST ${count('mnist')}. `;
  }
  return (
    `**Rows run:** Fashion-MNIST ${f.run}/${f.total}, MNIST ${m.run}/${m.total}. ` +
    `**Within ±${WITHIN_PAPER} of the paper:** Fashion-MNIST ${f.withinPaper}/${f.run}, MNIST ${m.withinPaper}/${m.run}. ` +
    vs +
    `**Total compute time:** ${formatSeconds(f.computeSeconds + m.computeSeconds)}.`
  );
}

/** A row run whose mean is more than ±WITHIN_PAPER from the paper's. */
function outsidePaper(c: ReportCell): boolean {
  return c.delta !== null && Math.abs(c.delta) > WITHIN_PAPER + 1e-9;
}

/** The note for a row outside the paper: scikit-learn's accuracy here, or that it has none. */
function sklearnNote(r: ReportRow, c: ReportCell, sklearn: SklearnLookup): string | null {
  if (!r.inGrid || !outsidePaper(c) || c.ours === null) return null;
  const sk = sklearn(c.ours.dataset, r.classifier, r.paramsText);
  if (sk === null) return 'outside the paper; no scikit-learn run for it yet.';
  const d = c.ours.mean - sk.accuracy;
  const verdict = Math.abs(d) <= WITHIN_PAPER + 1e-9 ? 'within' : 'outside';
  const runs = sk.runs === 1 ? '1 run' : `mean of ${sk.runs} runs`;
  return (
    `outside the paper; scikit-learn run here gives ${sk.accuracy.toFixed(4)} (${runs}), ` +
    `ours − scikit-learn ${formatDelta(d)}: ${verdict} ±${WITHIN_PAPER} of it.`
  );
}

function paperText(c: ReportCell): string {
  return c.paper === null ? '—' : formatAccuracy(c.paper);
}

function oursText(c: ReportCell): string {
  if (c.ours === null) return `*${c.status}*`;
  const subset = subsetText(c.ours);
  const text = `${formatAccuracy(c.ours.mean)} ± ${formatAccuracy(c.ours.std2)} (n=${c.ours.repeats})`;
  return subset === null ? text : `${text} on a subset: ${subset}`;
}

function deltaText(c: ReportCell): string {
  return c.delta === null ? '' : formatDelta(c.delta);
}

function secondsText(r: ReportRow): string {
  const f = r.fashion.ours ? formatSeconds(r.fashion.ours.secondsPerRepeat) : '—';
  const m = r.mnist.ours ? formatSeconds(r.mnist.ours.secondsPerRepeat) : '—';
  return `${f} · ${m}`;
}

/** The highest peak RSS of a row's repeats; — where not run or not measured (older repeats). */
function peakText(r: ReportRow): string {
  const peak = (c: ReportCell): string => {
    const mb = c.ours?.peakRssMB;
    return mb === undefined || mb === null ? '—' : String(Math.round(mb));
  };
  return `${peak(r.fashion)} · ${peak(r.mnist)}`;
}

/** Keeps user-controlled text from breaking the table or injecting markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*|<>]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}
