/**
 * `fmnist convert <files|dirs...> --out DIR`: photos → 28×28 gray PNGs with the paper's
 * 7 steps (ImageMagick-exact), plus manifest.csv; bad files are reported, the batch goes on.
 */
import { Option, type Command } from 'commander';
import { resolve, sep } from 'node:path';
import { collectInputs } from '../../pipeline/batch/collect-inputs.js';
import { convertBatch } from '../../pipeline/batch/convert-batch.js';
import { SHARPEN_MODES, type SharpenMode } from '../../pipeline/convert-image.js';

interface ConvertFlags {
  out: string;
  sharpen: SharpenMode;
  keepLowContrast?: boolean;
  steps?: boolean;
  workers?: string;
}

function progressPrinter(): (done: number, total: number) => void {
  const start = Date.now();
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 250) return;
    last = now;
    const rate = done / Math.max(0.001, (now - start) / 1000);
    const line = `convert: ${done}/${total} images (${rate.toFixed(0)}/s)`;
    process.stderr.write(
      process.stderr.isTTY ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`,
    );
  };
}

export function register(program: Command): void {
  program
    .command('convert')
    .description(
      "convert product photos to 28×28 grayscale PNGs with the paper's 7 steps (ImageMagick 6.9-exact)",
    )
    .argument('<inputs...>', 'image files and/or directories (searched recursively)')
    .requiredOption('--out <dir>', 'output directory (PNGs + manifest.csv)')
    .addOption(
      new Option('--sharpen <mode>', 'sharpen variant')
        .choices(SHARPEN_MODES as string[])
        .default('adaptive'),
    )
    .option('--keep-low-contrast', 'also write outputs flagged low-contrast (p99 < 40)')
    .option('--steps', 'also write <name>.steps.png with the image after each step (Figure 1)')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .action(async (inputs: string[], flags: ConvertFlags) => {
      const outDir = resolve(flags.out);
      const workers = flags.workers === undefined ? undefined : Number(flags.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
        throw new Error(`convert: --workers must be an integer ≥ 0. Got '${flags.workers}'.`);
      }
      // Never re-read our own outputs when --out sits inside an input directory.
      const tasks = collectInputs(inputs, (path) => resolve(path).startsWith(outDir + sep));
      if (tasks.length === 0) throw new Error('convert: no input files found');
      const summary = await convertBatch(tasks, {
        outDir,
        sharpen: flags.sharpen,
        keepLowContrast: flags.keepLowContrast === true,
        steps: flags.steps === true,
        ...(workers !== undefined ? { workers } : {}),
        onProgress: progressPrinter(),
      });
      for (const row of summary.rows) {
        if (row.status !== 'ok')
          process.stderr.write(`convert: ${row.source}: ${row.status}: ${row.reason}\n`);
      }
      const c = summary.counts;
      process.stdout.write(
        `converted ${c.ok} of ${summary.rows.length}; low-contrast ${c['low-contrast']}` +
          `${flags.keepLowContrast ? ' (kept)' : ' (not written)'}, empty ${c.empty}, errors ${c.error}\n` +
          `manifest: ${summary.manifestPath}\n`,
      );
      if (c.error > 0) process.exitCode = 2;
    });
}
