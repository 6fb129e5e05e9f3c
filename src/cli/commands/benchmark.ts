/**
 * `fmnist benchmark`: runs grid rows under the paper's protocol on Fashion-MNIST and/or
 * MNIST (or an MNIST-format directory), resuming from the results store, and prints the
 * Table-3-style block (or JSON lines with --json).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import {
  QUICK_ROWS,
  canonicalParamsText,
  selectRows,
  isImplemented,
  type GridRow,
} from '../../benchmark/grid.js';
import type { CustomClassifier } from '../../benchmark/custom.js';
import { prepareData } from '../../benchmark/prepare.js';
import { PAPER_PROTOCOL, type ConfigSpec, type PreparedData } from '../../benchmark/protocol.js';
import { connectRedis } from '../../benchmark/queue/connection.js';
import { runQueuedBenchmark } from '../../benchmark/queue/coordinator.js';
import { DEFAULT_QUEUE_NAME } from '../../benchmark/queue/worker.js';
import {
  runBenchmark,
  type BenchmarkPlan,
  type RowResult,
  type RunnerEvent,
} from '../../benchmark/runner.js';
import { ResultsStore, defaultStorePath } from '../../benchmark/store.js';
import { meanAndStd2 } from '../../benchmark/summary.js';
import { loadDataset } from '../../data/load.js';
import { splitSizes } from '../../data/registry.js';
import { ProgressReporter } from '../progress.js';
import { formatTable3Block } from '../table3-block.js';
import { parseDatasetList, parsePositiveInt } from '../options.js';

interface BenchmarkOptions {
  dataset: string;
  only?: string;
  quick?: boolean;
  repeats: string;
  seed: string;
  store: string;
  json?: boolean;
  trainSize?: string;
  testSize?: string;
  dataDir?: string;
  download?: boolean;
  custom?: string;
  queue?: string;
  queueName: string;
}

export function register(program: Command): void {
  program
    .command('benchmark')
    .description(
      "run the paper's Table 3 protocol: StandardScaler, shuffled repeats, mean test accuracy",
    )
    .option('--dataset <names>', 'comma-separated: fashion, mnist', 'fashion,mnist')
    .option(
      '--only <filters>',
      'comma-separated or repeated: a classifier (SVC), a family (neighbors) or a row ("SGDClassifier loss=hinge penalty=l2")',
      // Repeated --only adds rows (commander would keep only the last).
      (value: string, previous?: string) => (previous ? `${previous},${value}` : value),
    )
    .option('--quick', 'only a few fast rows: a first look in about a minute')
    .option(
      '--repeats <n>',
      'at most this many repeats (the paper: 5)',
      String(PAPER_PROTOCOL.maxRepeats),
    )
    .option('--seed <n>', 'base seed of the shuffles', '0')
    .option(
      '--store <path>',
      'results store (SQLite); finished repeats are never rerun',
      defaultStorePath(),
    )
    .option('--json', 'print one JSON object per configuration and dataset instead of the table')
    .option('--train-size <n>', 'use a seeded random subset of the training set')
    .option('--test-size <n>', 'use the first n test images')
    .option(
      '--data-dir <dir>',
      'benchmark an MNIST-format directory (e.g. made by fmnist pack) instead',
    )
    .option('--download', 'download the dataset from the mirrors if no local copy is found')
    .option(
      '--custom <module>',
      'benchmark your own classifier: an ES module whose default export is { name, params?, create(randomState) }',
    )
    .option(
      '--queue <redis-url>',
      'run the repeats on `fmnist worker` processes (any machine) through BullMQ on this Redis, e.g. redis://127.0.0.1:6379; results still go to --store',
    )
    .option('--queue-name <name>', 'BullMQ queue to use with --queue', DEFAULT_QUEUE_NAME)
    .action(async (opts: BenchmarkOptions) => {
      if (opts.queue && (opts.custom || opts.dataDir)) {
        throw new RangeError(
          `--queue runs registered rows on fashion and mnist, which every worker can load; it does not take ${opts.custom ? '--custom' : '--data-dir'}.`,
        );
      }
      const datasets = opts.dataDir
        ? [`dir:${resolve(opts.dataDir)}`]
        : parseDatasetList(opts.dataset);
      const filter = opts.quick ? [opts.only, QUICK_ROWS].filter(Boolean).join(',') : opts.only;
      const custom = opts.custom ? await loadCustom(opts.custom) : undefined;
      const rows = custom ? [custom.row] : selectRows(filter);
      const options = {
        ...PAPER_PROTOCOL,
        maxRepeats: parsePositiveInt(opts.repeats, '--repeats'),
        seed: parsePositiveInt(opts.seed, '--seed', 0),
      };
      const prepare = {
        trainSize:
          opts.trainSize === undefined
            ? undefined
            : parsePositiveInt(opts.trainSize, '--train-size'),
        testSize:
          opts.testSize === undefined ? undefined : parsePositiveInt(opts.testSize, '--test-size'),
        seed: options.seed,
      };
      const load = async (dataset: string): Promise<PreparedData> => {
        const ds = dataset.startsWith('dir:')
          ? await loadDataset({ dir: dataset.slice(4) })
          : await loadDataset(dataset as 'fashion' | 'mnist', { download: opts.download });
        return prepareData({ ...ds, name: dataset }, prepare);
      };
      const store = ResultsStore.open(opts.store);
      const progress = new ProgressReporter(rows.length * datasets.length);
      let results: RowResult[];
      try {
        results = opts.queue
          ? await runOnQueue(
              opts.queue,
              opts.queueName,
              { datasets, rows, options },
              prepare,
              store,
              progress.handle,
            )
          : await runBenchmark(
              { datasets, rows, options },
              load,
              store,
              progress.handle,
              custom?.spec,
            );
      } finally {
        progress.stop();
        store.close();
      }
      if (opts.json) {
        for (const r of results) process.stdout.write(`${JSON.stringify(toJson(r))}\n`);
      } else {
        process.stdout.write(`${formatTable3Block(results, datasets)}\n`);
        const notImplemented = custom ? 0 : rows.filter((r) => !isImplemented(r)).length;
        if (notImplemented > 0) {
          process.stdout.write(
            `(${notImplemented} of ${rows.length} selected rows: family not implemented yet)\n`,
          );
        }
        process.stdout.write(`results store: ${opts.store}\n`);
      }
      if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
    });
}

/** The plan on BullMQ workers (benchmark/queue): this process only queues and records. */
async function runOnQueue(
  url: string,
  queueName: string,
  plan: BenchmarkPlan,
  prepare: { trainSize?: number; testSize?: number },
  store: ResultsStore,
  onEvent: (e: RunnerEvent) => void,
): Promise<RowResult[]> {
  const connection = await connectRedis(url);
  const eventsConnection = await connectRedis(url);
  try {
    return await runQueuedBenchmark(
      plan,
      store,
      {
        connection,
        eventsConnection,
        queueName,
        trainSize: prepare.trainSize ?? null,
        testSize: prepare.testSize ?? null,
        datasetSizes: splitSizes,
      },
      onEvent,
    );
  } finally {
    connection.disconnect();
    eventsConnection.disconnect();
  }
}

function toJson(r: RowResult): Record<string, unknown> {
  const base = {
    dataset: r.dataset,
    classifier: r.row.classifier,
    params: r.row.paramsText,
    paper: paperValue(r),
    status: r.status,
  };
  if (r.status !== 'done' || !r.outcome) return { ...base, error: r.error ?? null };
  const scores = r.outcome.repeats.map((x) => x.accuracy);
  return {
    ...base,
    scores,
    ...meanAndStd2(scores),
    repeats: scores.length,
    secondsPerRepeat:
      r.outcome.repeats.reduce((a, x) => a + x.fitSeconds + x.predictSeconds, 0) / scores.length,
    fitSeconds: r.outcome.repeats.map((x) => x.fitSeconds),
    predictSeconds: r.outcome.repeats.map((x) => x.predictSeconds),
    peakRssMB: r.outcome.repeats.map((x) => x.peakRssMB),
    resumedRepeats: r.outcome.resumed,
    protocol: r.outcome.key.protocol,
    note: r.outcome.repeats.find((x) => x.note)?.note ?? null,
  };
}

/** Imports a user's classifier module and wraps it as a one-row plan. */
async function loadCustom(path: string): Promise<{ row: GridRow; spec: ConfigSpec }> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as {
    default?: Partial<CustomClassifier>;
  };
  const c = mod.default;
  if (!c || typeof c.name !== 'string' || typeof c.create !== 'function') {
    throw new TypeError(
      `--custom ${path}: the module's default export must be { name: string, params?: object, create(randomState) => Classifier }.`,
    );
  }
  const params = c.params ?? {};
  const create = c.create.bind(c);
  return {
    row: {
      classifier: c.name,
      paramsText: canonicalParamsText(params),
      params,
      paper: { fashion: NaN, mnist: NaN },
    },
    spec: { classifier: c.name, params, create },
  };
}

function paperValue(r: RowResult): number | null {
  const v = r.dataset === 'fashion' || r.dataset === 'mnist' ? r.row.paper[r.dataset] : null;
  return v === null || Number.isNaN(v) ? null : v;
}
