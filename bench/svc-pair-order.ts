/**
 * The order in which SVC's worker threads take the class pairs, judged on a real run: the
 * iterations each pair of a benchmark repeat needed, read from the results store (the
 * finished pairs' parts, kept until the repeat ends), replayed through the workers'
 * take-the-next-pair scheduling under three orders:
 *   - libsvm's pair order (0-1, 0-2, …);
 *   - largest pair first (fmnist before stop 27; on Fashion-MNIST every pair has 12,000
 *     rows, so this is libsvm's order there);
 *   - likely-hard pairs first (ml/svm/pair-order.ts: resumed pairs, then the classes'
 *     overlap), the order fmnist uses now.
 * Cost of a pair = its iterations (the solver's time is nearly proportional to them on the
 * hard pairs that matter here). Prints, per order, the span (the largest worker total) and
 * the share of worker time left idle, plus the overlap estimate's own time.
 *
 *   npm run bench:build
 *   node dist-bench/bench/svc-pair-order.js --params "C=100 kernel=linear" [--dataset mnist]
 *        [--store PATH] [--repeat R] [--threads 2] [--costs FILE]
 *
 * --costs: a JSON object {"a-b": iterations} for pairs the store no longer holds (e.g. the
 * last pair of a finished repeat, whose parts are dropped with the repeat). A pair with
 * only a checkpoint counts at the checkpoint's iteration, a lower bound, and is listed.
 */
import './lib/help.js';
import { svcRow } from './lib/svc-row.js';
import { readFileSync } from 'node:fs';
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
import { unpackPart } from '../src/ml/fit-parts.js';
import { Rng } from '../src/ml/random.js';
import type { PairTask } from '../src/ml/svm/ovo.js';
import { hardestPairsFirst, pairIndex, pairOverlap } from '../src/ml/svm/pair-order.js';
import { classOrder } from '../src/ml/svm/svc.js';

const K = 10;

function parse(argv: string[]) {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      dataset: { type: 'string', default: 'fashion' },
      params: { type: 'string' },
      store: { type: 'string', default: defaultStorePath() },
      repeat: { type: 'string', default: '0' },
      threads: { type: 'string', default: '2' },
      costs: { type: 'string' },
    },
  });
  if (v.dataset !== 'fashion' && v.dataset !== 'mnist') {
    throw new RangeError(`--dataset must be fashion or mnist. Got '${String(v.dataset)}'.`);
  }
  const threads = Number(v.threads);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`--threads must be a whole number ≥ 1. Got '${v.threads}'.`);
  }
  const repeat = Number(v.repeat);
  if (!Number.isInteger(repeat) || repeat < 0) {
    throw new RangeError(`--repeat must be a repeat index ≥ 0. Got '${v.repeat}'.`);
  }
  const costs = v.costs === undefined ? {} : parseCosts(v.costs);
  return {
    dataset: v.dataset as DatasetName,
    row: svcRow(v.params),
    store: v.store as string,
    repeat,
    threads,
    costs,
  };
}

function parseCosts(file: string): Record<string, number> {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) {
    throw new RangeError(`--costs ${file}: expected a JSON object {"a-b": iterations}.`);
  }
  for (const [pair, n] of Object.entries(parsed)) {
    if (!/^\d-\d$/.test(pair) || typeof n !== 'number' || !(n >= 0)) {
      throw new RangeError(`--costs ${file}: '${pair}': ${String(n)} is not "a-b": iterations.`);
    }
  }
  return parsed as Record<string, number>;
}

/** Workers take the next pair in `order` as soon as they are free: each one's total. */
function replay(order: readonly PairTask[], cost: Map<number, number>, threads: number) {
  const busyUntil = new Array<number>(threads).fill(0);
  let lastStarted = '';
  for (const t of order) {
    let w = 0;
    for (let k = 1; k < threads; k++) if (busyUntil[k] < busyUntil[w]) w = k;
    busyUntil[w] += cost.get(t.p) ?? 0;
    lastStarted = `${t.a}-${t.b}`;
  }
  const span = Math.max(...busyUntil);
  const work = busyUntil.reduce((s, b) => s + b, 0);
  return { span, idleShare: 1 - work / (threads * span), lastStarted };
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const row = a.row;
  const data = prepareData(await loadDataset(a.dataset));
  const key = configKey(row, a.dataset, protocolText(PAPER_PROTOCOL, data));
  const store = ResultsStore.openExisting(a.store);
  const parts = store.fitParts(key, a.repeat, () => trainingDataId(data));

  // The repeat's shuffle, grouped by class (stable) as SVC lays the rows out for its pairs.
  const shuffled = new Rng(repeatSeed(PAPER_PROTOCOL.seed, a.repeat)).permutation(data.train.rows);
  const labels = Int32Array.from(shuffled, (i) => data.trainLabels[i]);
  const grouped = Array.from(classOrder(labels, K), (s) => shuffled[s]);
  const d = data.train.cols;
  const x = new Float32Array(grouped.length * d);
  grouped.forEach((i, s) => x.set(data.train.data.subarray(i * d, (i + 1) * d), s * d));
  const y = Int32Array.from(grouped, (i) => data.trainLabels[i]);
  const sizes = new Array<number>(K).fill(0);
  for (const c of y) sizes[c]++;

  const t0 = performance.now();
  const overlap = pairOverlap(x, y.length, d, y, K);
  const overlapSeconds = (performance.now() - t0) / 1000;

  const tasks: PairTask[] = [];
  const cost = new Map<number, number>();
  const lowerBounds: string[] = [];
  const missing: string[] = [];
  for (let c = 0; c < K; c++) {
    for (let b = c + 1; b < K; b++) {
      const p = pairIndex(c, b, K);
      const size = sizes[c] + sizes[b];
      tasks.push({ p, a: c, b, cols: new Int32Array(size), y: new Int8Array(0) });
      const name = `${c}-${b}`;
      const done = parts.load(`pair ${name}`);
      const state = parts.load(`pair ${name} state`);
      if (done !== null) cost.set(p, Number(unpackPart(done.bytes)?.header.iterations));
      else if (a.costs[name] !== undefined) cost.set(p, a.costs[name]);
      else if (state !== null) {
        cost.set(p, Number(unpackPart(state.bytes)?.header.iter));
        lowerBounds.push(name);
      } else missing.push(name);
    }
  }
  store.close();
  if (missing.length === (K * (K - 1)) / 2) {
    throw new Error(
      `${a.store} holds no fit parts of ${a.dataset} SVC ${row.paramsText}, repeat ${a.repeat}: a repeat's parts are kept only while it runs (see: fmnist results unfinished).`,
    );
  }
  if (missing.length > 0) {
    throw new Error(
      `${a.store} holds no part of pairs ${missing.join(', ')} of ${a.dataset} SVC ${row.paramsText}, repeat ${a.repeat}; give their iterations with --costs.`,
    );
  }

  const orders: Record<string, PairTask[]> = {
    libsvm: tasks.slice(),
    largest_first: tasks.slice().sort((s, t) => t.cols.length - s.cols.length || s.p - t.p),
    hardest_first: hardestPairsFirst(tasks, overlap),
  };
  const total = [...cost.values()].reduce((s, c) => s + c, 0);
  const byCost = tasks.slice().sort((s, t) => (cost.get(t.p) ?? 0) - (cost.get(s.p) ?? 0));
  console.log(
    JSON.stringify({
      dataset: a.dataset,
      params: row.paramsText,
      repeat: a.repeat,
      threads: a.threads,
      total_iterations: total,
      lower_bounds: lowerBounds,
      overlap_s: +overlapSeconds.toFixed(3),
      hardest_by_iterations: byCost.slice(0, 8).map((t) => `${t.a}-${t.b}`),
      hardest_by_overlap: orders.hardest_first.slice(0, 8).map((t) => `${t.a}-${t.b}`),
    }),
  );
  for (const [name, order] of Object.entries(orders)) {
    const r = replay(order, cost, a.threads);
    console.log(
      JSON.stringify({
        order: name,
        span_iterations: r.span,
        span_vs_ideal: +(r.span / Math.max(total / a.threads, ...cost.values())).toFixed(3),
        idle_share: +r.idleShare.toFixed(3),
        last_started: r.lastStarted,
      }),
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
