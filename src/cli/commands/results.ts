/**
 * `fmnist results export|import`: the results store to and from a JSON-lines file, so
 * protocol runs can be committed, reviewed and combined across machines and sessions;
 * `fmnist results unfinished`: how far the long fits that keep parts in the store have got.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportRepeats, importRepeats } from '../../benchmark/store-file.js';
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
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`Cannot read the repeats file ${file}: ${(err as Error).message}`, {
          cause: err,
        });
      }
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
