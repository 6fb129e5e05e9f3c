/**
 * One SVC class pair continued from the solver checkpoint a benchmark run keeps in the
 * results store ("pair a-b state"), for a fixed number of iterations, with and without
 * the rows gathered into position order (SVC.gatherActiveRows): how fast the solver
 * iterates where a hard pair spends its hours, on the very state it reached.
 *
 *   npm run bench:build
 *   node dist-bench/bench/smo-pair.js --params "C=10 kernel=linear" --pair 0-2
 *        [--dataset fashion|mnist] [--iterations N] [--store PATH] [--repeat R]
 *   node dist-bench/bench/smo-pair.js --params "C=10 kernel=linear" --pair 0-2 --sklearn
 *
 * With --sklearn the pair is solved from the start instead, by ours and by scikit-learn
 * (libsvm, on exactly the same rows through bench/sklearn_rows.py, one thread, the same
 * 2,000 MB kernel cache): the iterations each needed (n_iter_) and the fit times, side by
 * side. libsvm keeps float32 kernel rows too, but computes them in float64 first, so the
 * two trajectories part after a while; the iteration counts tell whether a pair's hardness
 * is the problem's own.
 *
 * The data is prepared and shuffled as the benchmark's repeat R did it; the checkpoint is
 * found only if the training data is the same (the store keys parts by its digest). The
 * pair is fitted as a two-class SVC on the rows of its two classes in that order, which is
 * the pair's own subproblem (class a as +1, rows in training order). Each run starts from
 * the same checkpoint and stops at max_iter (checkpoint + N) or at convergence; the first
 * kernel rows are computed in both runs alike. One JSON line per run.
 */
import './lib/help.js';
import { svcRow } from './lib/svc-row.js';
import { parseArgs } from 'node:util';
import { loadDataset } from '../src/data/load.js';
import type { DatasetName } from '../src/data/registry.js';
import { prepareData } from '../src/benchmark/prepare.js';
import {
  configKey,
  PAPER_PROTOCOL,
  protocolText,
  repeatSeed,
  trainingDataId,
} from '../src/benchmark/protocol.js';
import { defaultStorePath, ResultsStore } from '../src/benchmark/store.js';
import { unpackPart, type FitParts } from '../src/ml/fit-parts.js';
import { takeRows, type Matrix } from '../src/ml/matrix.js';
import type { ParamValue } from '../src/benchmark/grid-row.js';
import { runSklearnPeer } from './lib/common.js';
import { Rng } from '../src/ml/random.js';
import { SVC } from '../src/ml/svm/svc.js';

interface Args {
  dataset: DatasetName;
  params: string | undefined;
  a: number;
  b: number;
  iterations: number;
  store: string;
  repeat: number;
  sklearn: boolean;
}

function parse(argv: string[]): Args {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      dataset: { type: 'string', default: 'fashion' },
      params: { type: 'string' },
      pair: { type: 'string' },
      iterations: { type: 'string', default: '1000000' },
      store: { type: 'string', default: defaultStorePath() },
      repeat: { type: 'string', default: '0' },
      sklearn: { type: 'boolean', default: false },
    },
  });
  if (v.dataset !== 'fashion' && v.dataset !== 'mnist') {
    throw new RangeError(`--dataset must be fashion or mnist. Got '${String(v.dataset)}'.`);
  }
  const pair = /^(\d)-(\d)$/.exec(v.pair ?? '');
  if (pair === null || Number(pair[1]) >= Number(pair[2])) {
    throw new RangeError(`--pair must be two classes a-b with a < b, e.g. 0-2. Got '${v.pair}'.`);
  }
  const iterations = Number(v.iterations);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`--iterations must be a whole number ≥ 1. Got '${v.iterations}'.`);
  }
  return {
    dataset: v.dataset,
    params: v.params,
    a: Number(pair[1]),
    b: Number(pair[2]),
    iterations,
    store: v.store as string,
    repeat: Number.parseInt(v.repeat as string, 10),
    sklearn: v.sklearn as boolean,
  };
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const row = svcRow(a.params);
  const data = prepareData(await loadDataset(a.dataset));
  // The repeat's shuffle, then the pair's rows: class a's, then class b's, in that order.
  const order = new Rng(repeatSeed(PAPER_PROTOCOL.seed, a.repeat)).permutation(data.train.rows);
  const rows = [a.a, a.b].flatMap((c) => [...order].filter((i) => data.trainLabels[i] === c));
  const X = takeRows(data.train, Uint32Array.from(rows));
  const y = Uint8Array.from(rows, (i) => data.trainLabels[i]);
  const line = {
    dataset: a.dataset,
    params: row.paramsText,
    pair: `${a.a}-${a.b}`,
    rows: rows.length,
  };
  if (a.sklearn) {
    await fromScratch(a, row.params, X, y, Int32Array.from(rows), line);
    return;
  }
  const key = configKey(row, a.dataset, protocolText(PAPER_PROTOCOL, data));
  const store = ResultsStore.openExisting(a.store);
  const stored = store
    .fitParts(key, a.repeat, () => trainingDataId(data))
    .load(`pair ${a.a}-${a.b} state`);
  store.close();
  if (stored === null) {
    throw new Error(
      `${a.store} keeps no checkpoint of pair ${a.a}-${a.b} of ${a.dataset} SVC ${row.paramsText}, repeat ${a.repeat} (see: fmnist results unfinished).`,
    );
  }
  const from = Number(unpackPart(stored.bytes)?.header.iter);
  // The two-class fit's only pair is "pair 0-1": hand it the stored checkpoint, keep nothing.
  const parts: FitParts = {
    load: (name) => (name === 'pair 0-1 state' ? stored : null),
    save: () => {},
    checkpointSeconds: 1e9,
  };
  for (const gather of [true, false]) {
    const svc = new SVC({ ...row.params, max_iter: from + a.iterations, n_jobs: 1 });
    svc.gatherActiveRows = gather;
    svc.useFitParts(parts);
    const t0 = performance.now();
    await svc.fit(X, y);
    const seconds = (performance.now() - t0) / 1000;
    const iterations = (svc.nIter as Float64Array)[0] - from;
    console.log(
      JSON.stringify({
        ...line,
        from_iteration: from,
        gather_active_rows: gather,
        iterations,
        converged: svc.converged,
        seconds: +seconds.toFixed(3),
        us_per_iteration: +((seconds * 1e6) / iterations).toFixed(2),
        kernel_rows: svc.kernelRowsComputed,
        rows_gathered: svc.rowsGathered,
        wasm_run_iterations: svc.runIterations,
      }),
    );
  }
}

/** The pair solved from the start by ours, then by scikit-learn on the same rows. */
async function fromScratch(
  a: Args,
  params: Readonly<Record<string, ParamValue>>,
  X: Matrix,
  y: Uint8Array,
  rows: Int32Array,
  line: Record<string, unknown>,
): Promise<void> {
  const svc = new SVC({ ...params, n_jobs: 1 });
  const t0 = performance.now();
  await svc.fit(X, y);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      ...line,
      side: 'ours',
      n_iter: (svc.nIter as Float64Array)[0],
      fit_s: +seconds.toFixed(3),
      support_vectors: svc.support?.length,
      kernel_rows: svc.kernelRowsComputed,
      rows_gathered: svc.rowsGathered,
      wasm_run_iterations: svc.runIterations,
    }),
  );
  const sk = runSklearnPeer(
    {
      dataset: a.dataset,
      clf: 'SVC',
      params: { ...params, cache_size: 2000 },
      nTrain: rows.length,
      seed: 0,
      timeoutS: 4 * 3600,
      threads: 1,
      fields: ['fit_s', 'n_iter', 'error', 'timeout_s'],
    },
    rows,
  );
  console.log(JSON.stringify({ ...line, side: 'scikit-learn', ...sk }));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
