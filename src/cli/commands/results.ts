/**
 * `fmnist results export|import`: the results store to and from a JSON-lines file, so
 * protocol runs can be committed, reviewed and combined across machines and sessions;
 * `fmnist results unfinished`: how far the long fits that keep parts in the store have got;
 * `fmnist results export-parts|import-parts`: those parts to and from a file, so a long fit
 * resumes on another machine (or on a machine whose cache was wiped).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Command } from 'commander';
import { exportParts, importParts } from '../../benchmark/parts-file.js';
import { exportRepeats, importRepeats } from '../../benchmark/store-file.js';
import { isGzip } from '../../data/idx.js';
import { ResultsStore, defaultStorePath } from '../../benchmark/store.js';
import { writeFileAtomic } from '../../data/atomic.js';
import { formatDuration } from '../progress.js';

interface StoreOption {
  store: string;
}

export function register(program: Command): void {
  const results = program
    .command('results')
    .description(
      'move finished repeats between the results store and a JSON-lines file; see unfinished ones',
    );

  results
    .command('export <file>')
    .description(
      'write every finished repeat of the store to <file> (atomically), one JSON line each',
    )
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .action(async (file: string, opts: StoreOption) => {
      // A mistyped --store is an error, not a new empty store and an empty export.
      const store = ResultsStore.openExisting(opts.store);
      let text: string;
      try {
        text = exportRepeats(store);
      } finally {
        store.close();
      }
      await writeFileAtomic(file, Buffer.from(text, 'utf8'));
      const n = text === '' ? 0 : text.split('\n').length - 1;
      process.stderr.write(`Wrote ${n} repeats from ${opts.store} to ${file}\n`);
    });

  results
    .command('import <file>')
    .description(
      'add the repeats of <file> to the store; a repeat stored with another accuracy is an error, never overwritten',
    )
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .action((file: string, opts: StoreOption) => {
      const text = readPossiblyGzipped(file, 'repeats');
      const store = ResultsStore.open(opts.store);
      try {
        const { added, alreadyPresent, setAside } = importRepeats(store, text, file);
        const aside =
          setAside === 0
            ? ''
            : `; ${setAside} of them set aside in superseded_repeats: SVC fits cut by libsvm's iteration cap, which scikit-learn does not have`;
        process.stderr.write(
          `Imported ${added} repeats into ${opts.store} (${alreadyPresent} already there${aside})\n`,
        );
      } finally {
        store.close();
      }
    });

  results
    .command('export-parts <file>')
    .description(
      'write the fit parts of unfinished repeats (see unfinished) to <file> (atomically), one JSON line each; gzipped when <file> ends in .gz',
    )
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .action(async (file: string, opts: StoreOption) => {
      const store = ResultsStore.openExisting(opts.store);
      let text: string;
      try {
        text = exportParts(store);
      } finally {
        store.close();
      }
      const raw = Buffer.from(text, 'utf8');
      await writeFileAtomic(file, file.endsWith('.gz') ? gzipSync(raw) : raw);
      const n = text === '' ? 0 : text.split('\n').length - 1;
      process.stderr.write(`Wrote ${n} fit parts from ${opts.store} to ${file}\n`);
    });

  results
    .command('import-parts <file>')
    .description(
      "add the fit parts of <file> (plain or gzipped) to the store, so 'fmnist benchmark' resumes their fits; where the store holds a part too, the later saved stays",
    )
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .action((file: string, opts: StoreOption) => {
      const text = readPossiblyGzipped(file, 'fit parts');
      const store = ResultsStore.open(opts.store);
      try {
        const { added, ofRecordedRepeats, keptNewer } = importParts(store, text, file);
        process.stderr.write(
          `Imported ${added} fit parts into ${opts.store} (${keptNewer} kept as the store had them saved later or at the same time, ${ofRecordedRepeats} left out as their repeat is recorded)\n`,
        );
      } finally {
        store.close();
      }
    });

  results
    .command('unfinished')
    .description(
      'the repeats whose long fit keeps parts in the store (running, or killed and resumable): parts kept, fit time reached, the iteration of each running checkpoint',
    )
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .action((opts: StoreOption) => {
      const store = ResultsStore.openExisting(opts.store);
      try {
        const unfinished = store.unfinishedRepeats();
        if (unfinished.length === 0) {
          process.stdout.write(`${opts.store}: no unfinished repeats (no fit parts kept)\n`);
          return;
        }
        for (const u of unfinished) {
          const running = u.checkpoints.map(({ part, iteration }) =>
            iteration === null ? part : `${part} at iteration ${iteration.toLocaleString('en-US')}`,
          );
          const checkpoints = running.length === 0 ? '' : `; checkpoints: ${running.join(', ')}`;
          process.stdout.write(
            `${u.dataset} ${u.classifier} ${u.params} [${u.protocol}] repeat ${u.repeat + 1}: ${u.parts.length} part(s) kept, the latest at ${formatDuration(u.seconds)} of fit time (${u.savedAt}): ${u.parts.join(', ')}${checkpoints}\n`,
          );
        }
      } finally {
        store.close();
      }
    });
}

/** The text of `file`, gunzipped when it starts with gzip's magic bytes; `what` names it in errors. */
function readPossiblyGzipped(file: string, what: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new Error(`Cannot read the ${what} file ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!isGzip(bytes)) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (err) {
    throw new Error(
      `The ${what} file ${file} starts like gzip but does not decompress: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
