/** `fmnist sprite <dataset>`: N examples of every class in a labelled PNG (the paper's Table 2). */
import type { Command } from 'commander';
import { writeFileAtomic } from '../../data/atomic.js';
import { loadDataset } from '../../data/load.js';
import { renderSprite } from '../../report/sprite.js';
import { DATASET_NAMES, parsePositiveInt, type DatasetName } from '../options.js';

interface SpriteCliOptions {
  perClass: string;
  split: string;
  seed: string;
  scale: string;
  out: string;
}

export function register(program: Command): void {
  program
    .command('sprite')
    .description('a PNG with N examples of every class, one labelled row per class')
    .argument('<dataset>', `one of: ${DATASET_NAMES.join(', ')}`)
    .option('--per-class <n>', 'examples per class', '10')
    .option('--split <split>', 'train or test', 'train')
    .option('--seed <n>', 'seed of the random choice of examples', '0')
    .option('--scale <n>', 'screen pixels per image pixel (1–16)', '2')
    .option('--out <path>', 'PNG file to write', 'sprite.png')
    .action(async (dataset: string, opts: SpriteCliOptions) => {
      const name = parseDataset(dataset);
      const split = parseSplit(opts.split);
      const perClass = parsePositiveInt(opts.perClass, '--per-class');
      if (perClass > 500)
        throw new RangeError(`--per-class must be an integer in [1, 500]. Got '${opts.perClass}'.`);
      const ds = await loadDataset(name);
      const { png } = await renderSprite(ds[split], ds.classes, {
        perClass,
        seed: parsePositiveInt(opts.seed, '--seed', 0),
        scale: parsePositiveInt(opts.scale, '--scale'),
      });
      await writeFileAtomic(opts.out, png);
      process.stderr.write(
        `Wrote ${opts.out} (${perClass} ${split} examples per class of ${name})\n`,
      );
    });
}

export function parseDataset(text: string): DatasetName {
  if ((DATASET_NAMES as readonly string[]).includes(text)) return text as DatasetName;
  throw new RangeError(`Unknown dataset '${text}'. Expected one of: ${DATASET_NAMES.join(', ')}.`);
}

export function parseSplit(text: string): 'train' | 'test' {
  if (text === 'train' || text === 'test') return text;
  throw new RangeError(`--split must be train or test. Got '${text}'.`);
}
