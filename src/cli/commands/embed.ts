/**
 * `fmnist embed <dataset>`: a 2-D embedding (PCA or UMAP) of n examples, coloured by
 * class, as a PNG or a self-contained interactive HTML page (chosen by --out's extension).
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../data/atomic.js';
import { loadDataset } from '../../data/load.js';
import {
  embed,
  embeddingRecords,
  EMBED_METHODS,
  type EmbedMethod,
} from '../../report/embedding.js';
import { embeddingHtml, embeddingPng } from '../../report/embedding-output.js';
import { parsePositiveInt } from '../options.js';
import { parseDataset, parseSplit } from './sprite.js';

interface EmbedCliOptions {
  method: string;
  n: string;
  split: string;
  seed: string;
  out: string;
}

const DATASET_TITLES: Readonly<Record<string, string>> = {
  fashion: 'Fashion-MNIST',
  mnist: 'MNIST',
};

export function register(program: Command): void {
  program
    .command('embed')
    .description('a 2-D embedding (PCA or UMAP) coloured by class, as PNG or interactive HTML')
    .argument('<dataset>', 'fashion or mnist')
    .option('--method <method>', `one of: ${EMBED_METHODS.join(', ')}`, 'pca')
    .option('--n <n>', 'number of examples, drawn at random', '5000')
    .option('--split <split>', 'train or test', 'train')
    .option('--seed <n>', 'seed of the choice of examples and of UMAP', '0')
    .option('--out <path>', 'output file: .png or .html', 'embed.png')
    .action(async (dataset: string, opts: EmbedCliOptions) => {
      const name = parseDataset(dataset);
      const split = parseSplit(opts.split);
      const method = parseMethod(opts.method);
      const format = outputFormat(opts.out);
      const n = parsePositiveInt(opts.n, '--n', 3);
      const ds = await loadDataset(name);
      if (n > ds[split].count) {
        throw new RangeError(
          `--n must be at most the ${split} split's ${ds[split].count} examples. Got ${n}.`,
        );
      }
      const started = performance.now();
      const embedding = embed(ds[split], {
        method,
        n,
        seed: parsePositiveInt(opts.seed, '--seed', 0),
      });
      const figure = {
        records: embeddingRecords(embedding, ds[split].labels, ds.classes),
        classes: ds.classes,
        title: `${DATASET_TITLES[name]} (${split}, ${n} examples): ${method.toUpperCase()}`,
        axisNames: embedding.axisNames,
        description: embedding.description,
      };
      const bytes =
        format === 'png' ? await embeddingPng(figure) : Buffer.from(embeddingHtml(figure), 'utf8');
      await writeFileAtomic(opts.out, bytes);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(`Wrote ${opts.out} (${embedding.description}; ${seconds} s)\n`);
    });
}

function parseMethod(text: string): EmbedMethod {
  if ((EMBED_METHODS as readonly string[]).includes(text)) return text as EmbedMethod;
  throw new RangeError(`--method must be one of: ${EMBED_METHODS.join(', ')}. Got '${text}'.`);
}

function outputFormat(path: string): 'png' | 'html' {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new RangeError(`--out must end in .png or .html. Got '${path}'.`);
}
