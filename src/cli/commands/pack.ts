/**
 * `fmnist pack --images DIR --labels labels.csv --out DIR`: converted PNGs + labels →
 * MNIST-format dataset (four IDX gz files, SHA256SUMS, classes.txt) that
 * `loadDataset({ dir })` and `fmnist benchmark --data-dir` read.
 */
import type { Command } from 'commander';
import { packDataset } from '../../pipeline/pack/pack.js';

interface PackFlags {
  images: string;
  labels: string;
  out: string;
  testPerClass: string;
  seed: string;
  classes?: string;
  keepLowContrast?: boolean;
}

function nonNegativeInt(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new Error(`pack: ${flag} must be an integer ≥ 0. Got '${value}'.`);
  return n;
}

export function register(program: Command): void {
  program
    .command('pack')
    .description(
      'pack 28×28 PNGs and labels into MNIST-format IDX files with a seeded per-class split',
    )
    .requiredOption(
      '--images <dir>',
      'directory of 28×28 PNGs (e.g. the output of `fmnist convert`)',
    )
    .requiredOption('--labels <csv>', 'labels.csv with rows image,label (class name or index)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--test-per-class <n>', 'test images per class', '1000')
    .option('--seed <s>', 'seed of the random split', '0')
    .option('--classes <names.txt>', 'class names, one per line, in label order')
    .option('--keep-low-contrast', 'pack images convert flagged low-contrast (if written)')
    .action(async (flags: PackFlags) => {
      const summary = await packDataset({
        imagesDir: flags.images,
        labelsPath: flags.labels,
        outDir: flags.out,
        testPerClass: nonNegativeInt(flags.testPerClass, '--test-per-class'),
        seed: nonNegativeInt(flags.seed, '--seed'),
        ...(flags.classes ? { classesPath: flags.classes } : {}),
        keepLowContrast: flags.keepLowContrast === true,
      });
      for (const s of summary.skipped)
        process.stderr.write(
          `pack: ${flags.labels}:${s.line}: skipped '${s.image}' (${s.reason})\n`,
        );
      process.stdout.write(
        `packed ${summary.train} training + ${summary.test} test images, ${summary.classes.length} classes` +
          `${summary.skipped.length ? `, ${summary.skipped.length} skipped` : ''} → ${flags.out}\n`,
      );
    });
}
