/**
 * `fmnist results export|import`: the results store to and from a JSON-lines file, so
 * protocol runs can be committed, reviewed and combined across machines and sessions.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportRepeats, importRepeats } from '../../benchmark/store-file.js';
import { ResultsStore, defaultStorePath } from '../../benchmark/store.js';
import { writeFileAtomic } from '../../data/atomic.js';

interface StoreOption {
  store: string;
}

export function register(program: Command): void {
  const results = program
    .command('results')
    .description('move finished repeats between the results store and a JSON-lines file');

  results
    .command('export <file>')
    .description(
      'write every finished repeat of the store to <file> (atomically), one JSON line each',
    )
    .option('--store <path>', 'results store (SQLite)', defaultStorePath())
    .action(async (file: string, opts: StoreOption) => {
      const store = ResultsStore.open(opts.store);
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
        const { added, alreadyPresent } = importRepeats(store, text, file);
        process.stderr.write(
          `Imported ${added} repeats into ${opts.store} (${alreadyPresent} already there)\n`,
        );
      } finally {
        store.close();
      }
    });
}
