/**
 * `fmnist download [dataset...]`: fetch the official files into the cache, with mirror
 * fallback and checksum verification; files already cached and verified are kept.
 */
import type { Command } from 'commander';
import {
  cacheDir,
  DATASET_NAMES,
  downloadDataset,
  getDatasetSpec,
  type DownloadEvent,
} from '../../data/index.js';

interface DownloadCliOptions {
  home?: string;
  mirror?: string[];
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Progress on stderr: a live line on a terminal, one line per file event otherwise. */
function progressPrinter(dataset: string): (e: DownloadEvent) => void {
  const tty = Boolean(process.stderr.isTTY);
  let lastDraw = 0;
  return (e) => {
    switch (e.type) {
      case 'start':
        if (!tty) process.stderr.write(`${dataset}: ${e.file} ← ${e.url}\n`);
        break;
      case 'progress': {
        const now = Date.now();
        if (!tty || now - lastDraw < 100) return;
        lastDraw = now;
        const pct = e.total ? ` ${((100 * e.received) / e.total).toFixed(0)}%` : '';
        process.stderr.write(`\r\x1b[K${dataset}: ${e.file} ${megabytes(e.received)}${pct}`);
        break;
      }
      case 'done':
        if (tty) process.stderr.write('\r\x1b[K');
        process.stderr.write(
          `${dataset}: ${e.file} downloaded and verified (${megabytes(e.bytes)} from ${e.url})\n`,
        );
        break;
      case 'mirror-failed':
        if (tty) process.stderr.write('\r\x1b[K');
        process.stderr.write(`${dataset}: ${e.url} failed: ${e.reason}; trying the next mirror\n`);
        break;
      case 'cached':
        process.stderr.write(`${dataset}: ${e.file} already in the cache and verified\n`);
        break;
    }
  };
}

async function run(datasets: string[], options: DownloadCliOptions): Promise<void> {
  const specs = datasets.map((name) => getDatasetSpec(name));
  const failures: string[] = [];
  for (const spec of specs) {
    try {
      const result = await downloadDataset(spec, {
        home: options.home,
        mirrors: options.mirror,
        onProgress: progressPrinter(spec.name),
      });
      process.stdout.write(`${spec.name}: ready in ${result.dir}\n`);
    } catch (err) {
      // Keep going with the other datasets; report every failure at the end.
      failures.push(`${spec.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (failures.length > 0) {
    throw new Error(`download failed\n${failures.join('\n')}`);
  }
}

export function register(program: Command): void {
  program
    .command('download')
    .description("download datasets into fmnist's cache, verifying each file's MD5 and SHA-256")
    .argument('[dataset...]', `dataset(s): ${DATASET_NAMES.join(', ')} (default: all)`)
    .option('--home <dir>', 'cache directory (default: $FMNIST_HOME or ~/.cache/fmnist)')
    .option('--mirror <url...>', "mirror base URL(s) to try in order, instead of the registry's")
    .addHelpText(
      'after',
      () => `
Files go to <home>/<dataset>/ (now: ${cacheDir('<dataset>')}). Each is written to a temp
file, checked (complete, gzip not HTML, checksums), then renamed into place.
Mirrors:
${DATASET_NAMES.map(
  (n) =>
    `  ${n}:\n${getDatasetSpec(n)
      .mirrors.map((m) => `    ${m}`)
      .join('\n')}`,
).join('\n')}
Examples:
  fmnist download
  fmnist download fashion --home ./data
  fmnist download mnist --mirror https://example.org/mnist/`,
    )
    .action((datasets: string[], options: DownloadCliOptions) =>
      run(datasets.length > 0 ? datasets : [...DATASET_NAMES], options),
    );
}
