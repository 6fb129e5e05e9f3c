/**
 * `fmnist report`: Table 3 from the results store, as Markdown (default), a
 * self-contained HTML dashboard, or JSON lines in the original dashboard's field names.
 */
import type { Command } from 'commander';
import { defaultStorePath } from '../../benchmark/store.js';
import { writeFileAtomic } from '../../data/atomic.js';
import { renderDashboard } from '../../report/dashboard.js';
import { renderJsonLines } from '../../report/json-lines.js';
import { renderMarkdown } from '../../report/markdown.js';
import { reportRows } from '../../report/results.js';
import { readSklearnReference } from '../../report/sklearn-reference.js';

const FORMATS = ['md', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface ReportOptions {
  format: string;
  out?: string;
  store: string;
  sklearn?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'Table 3 from the results store: Markdown, an offline HTML dashboard, or JSON lines',
    )
    .option('--format <format>', `one of: ${FORMATS.join(', ')}`, 'md')
    .option('--out <path>', 'write to this file (atomically) instead of standard output')
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .option(
      '--sklearn <file>',
      'scikit-learn runs (JSON lines of bench/vs-sklearn.js, e.g. results/sklearn-peer.jsonl): notes on the rows outside the paper (md only)',
    )
    .action(async (opts: ReportOptions) => {
      const format = parseFormat(opts.format);
      if (opts.sklearn !== undefined && format !== 'md')
        throw new RangeError(`--sklearn applies to --format md only. Got --format ${format}.`);
      const sklearn = opts.sklearn === undefined ? undefined : readSklearnReference(opts.sklearn);
      const rows = reportRows(opts.store);
      const text =
        format === 'md'
          ? renderMarkdown(rows, { source: opts.store, sklearn })
          : format === 'html'
            ? renderDashboard(rows, { source: opts.store })
            : renderJsonLines(rows);
      if (opts.out === undefined) {
        process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
      } else {
        await writeFileAtomic(opts.out, Buffer.from(text, 'utf8'));
        process.stderr.write(`Wrote ${opts.out}\n`);
      }
    });
}

function parseFormat(text: string): Format {
  if ((FORMATS as readonly string[]).includes(text)) return text as Format;
  throw new RangeError(`--format must be one of: ${FORMATS.join(', ')}. Got '${text}'.`);
}
