/**
 * Does our dual coordinate descent follow liblinear's path when both visit rows in the same
 * order? LinearSVC on the same float32 features on both sides; scikit-learn's liblinear, and
 * ours fed scikit-learn's own random stream (LiblinearStream seeded as scikit-learn seeds
 * liblinear), each stopped after every pass count in --passes. Prints, per count, the
 * largest weight difference, both primal objectives (one binary problem) or both 10-class
 * test accuracies (--positive all: the one-vs-rest row itself, through LinearSVC with
 * random_stream='sklearn'). Equal paths mean that any accuracy gap between the two at
 * max_iter comes from the random stream alone; a divergence at pass p points at the algorithm.
 * --stream fmnist runs ours on its own stream instead, for the contrast.
 *
 *   npm run bench:build
 *   node dist-bench/bench/liblinear-trajectory.js [--dataset fashion|mnist] [--positive K|all]
 *        [--C 10] [--loss hinge|squared_hinge] [--n 60000] [--seed 0] [--passes 1,2,5,20]
 *        [--stream liblinear|fmnist]
 */
import './lib/help.js';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScaledDataset, shuffledSubset } from './lib/bench-data.js';
import { runPythonOneThread, withScratchFiles } from './lib/common.js';
import { solveSvmDual, type SvmLoss } from '../src/ml/linear/liblinear-dual-cd.js';
import { LinearSVC } from '../src/ml/linear/linear-svc.js';
import { LiblinearStream } from '../src/ml/linear/liblinear-stream.js';
import { withWasmProblem } from '../src/ml/linear/liblinear-wasm-problem.js';
import { takeRows, type Matrix } from '../src/ml/matrix.js';
import { Rng } from '../src/ml/random.js';

const SKLEARN_SIDE = fileURLToPath(new URL('../../bench/liblinear_trajectory.py', import.meta.url));

interface SklearnFit {
  liblinear_seed: number;
  n_iter: number;
  coef: number[][];
  intercept: number[];
}

function int(name: string, text: string, min: number): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min) {
    throw new RangeError(`--${name} must be an integer ≥ ${min}. Got '${text}'.`);
  }
  return x;
}

/** ½‖w‖² + C Σ loss(yᵢ w·(xᵢ, 1)), in float64, w's last entry being the bias weight. */
function primal(X: Matrix, y: Int8Array, w: ArrayLike<number>, C: number, loss: SvmLoss): number {
  const { data, cols } = X;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    let z = w[cols];
    for (let j = 0; j < cols; j++) z += data[i * cols + j] * w[j];
    const slack = Math.max(0, 1 - y[i] * z);
    sum += loss === 'hinge' ? slack : slack * slack;
  }
  let norm = 0;
  for (let j = 0; j <= cols; j++) norm += w[j] * w[j];
  return 0.5 * norm + C * sum;
}

/** Share of test rows whose highest score w_k·x + b_k is their class (ties to the lowest k). */
function accuracy(
  test: Matrix,
  labels: Uint8Array,
  coef: ArrayLike<number>,
  intercept: ArrayLike<number>,
): number {
  const K = intercept.length;
  let hits = 0;
  for (let i = 0; i < test.rows; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < K; k++) {
      let z = intercept[k];
      for (let j = 0; j < test.cols; j++)
        z += test.data[i * test.cols + j] * coef[k * test.cols + j];
      if (z > bestScore) [best, bestScore] = [k, z];
    }
    if (best === labels[i]) hits++;
  }
  return hits / test.rows;
}

function runSklearn(
  files: { features: string; labels: string },
  cols: number,
  C: number,
  loss: SvmLoss,
  maxIter: number,
  seed: number,
): SklearnFit {
  return runPythonOneThread([
    SKLEARN_SIDE,
    ...['--features', files.features, '--labels', files.labels, '--cols', String(cols)],
    ...['--C', String(C), '--loss', loss, '--max-iter', String(maxIter), '--seed', String(seed)],
  ]) as SklearnFit;
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    strict: true,
    options: {
      dataset: { type: 'string', default: 'fashion' },
      positive: { type: 'string', default: '6' },
      C: { type: 'string', default: '10' },
      loss: { type: 'string', default: 'hinge' },
      n: { type: 'string', default: '60000' },
      seed: { type: 'string', default: '0' },
      passes: { type: 'string', default: '1,2,5,20' },
      stream: { type: 'string', default: 'liblinear' },
    },
  });
  if (v.dataset !== 'fashion' && v.dataset !== 'mnist') {
    throw new RangeError(`--dataset must be fashion or mnist. Got '${v.dataset}'.`);
  }
  if (v.loss !== 'hinge' && v.loss !== 'squared_hinge') {
    throw new RangeError(`--loss must be hinge or squared_hinge. Got '${v.loss}'.`);
  }
  if (v.stream !== 'liblinear' && v.stream !== 'fmnist') {
    throw new RangeError(`--stream must be liblinear or fmnist. Got '${v.stream}'.`);
  }
  const C = Number(v.C);
  if (!(C > 0)) throw new RangeError(`--C must be a number > 0. Got '${v.C}'.`);
  const loss: SvmLoss = v.loss;
  const all = v.positive === 'all';
  const positive = all ? -1 : int('positive', v.positive, 0);
  const seed = int('seed', v.seed, 0);
  const passes = v.passes.split(',').map((p) => int('passes', p.trim(), 1));

  const data = await loadScaledDataset(v.dataset);
  const { train: trainAll, trainLabels, test, testLabels } = data;
  const cols = trainAll.cols;
  const chosen = shuffledSubset(data, seed, int('n', v.n, 2)).rows;
  const n = chosen.length;
  // One binary problem: negatives first, each group in the shuffled order. liblinear groups
  // rows by class before solving, so this is the order it solves in. All classes: LinearSVC
  // groups them itself, as liblinear does.
  const isPositive = (r: number): boolean => trainLabels[r] === positive;
  const rows = all
    ? chosen
    : Int32Array.from([...chosen.filter((r) => !isPositive(r)), ...chosen.filter(isPositive)]);
  const X = takeRows(trainAll, rows);
  const labels = Uint8Array.from(rows, (r) => (all ? trainLabels[r] : isPositive(r) ? 1 : 0));

  await withScratchFiles({ 'X.f32': X.data, 'y.u8': labels }, async (paths) => {
    const files = { features: paths['X.f32'], labels: paths['y.u8'] };
    for (const maxIter of passes) {
      const t0 = performance.now();
      const theirs = runSklearn(files, cols, C, loss, maxIter, seed);
      const sklearnS = (performance.now() - t0) / 1000;
      const theirCoef = theirs.coef.flat();
      const t1 = performance.now();
      let coef: Float64Array;
      let intercept: Float64Array;
      let oursPasses: number;
      if (all) {
        const clf = new LinearSVC({
          C,
          loss,
          max_iter: maxIter,
          random_state: seed,
          random_stream: v.stream === 'liblinear' ? 'sklearn' : 'fmnist',
        });
        await clf.fit(X, Int32Array.from(labels));
        [coef, intercept, oursPasses] = [
          clf.coef as Float64Array,
          clf.intercept as Float64Array,
          clf.nIter,
        ];
      } else {
        const y = Int8Array.from(labels, (l) => (l ? 1 : -1));
        const stream =
          v.stream === 'liblinear' ? new LiblinearStream(theirs.liblinear_seed) : new Rng(seed);
        const r = await withWasmProblem(X, true, 1, (p) =>
          solveSvmDual(p, y, C, loss, 1e-4, maxIter, stream),
        );
        [coef, intercept, oursPasses] = [r.w.slice(0, cols), r.w.slice(cols), r.iterations];
      }
      const oursS = (performance.now() - t1) / 1000;
      let maxDiff = 0;
      let maxAbs = 0;
      theirCoef.forEach((c, t) => {
        maxDiff = Math.max(maxDiff, Math.abs(coef[t] - c));
        maxAbs = Math.max(maxAbs, Math.abs(c));
      });
      theirs.intercept.forEach((b, k) => (maxDiff = Math.max(maxDiff, Math.abs(intercept[k] - b))));
      const line: Record<string, unknown> = {
        dataset: v.dataset,
        positive: all ? 'all' : positive,
        C,
        loss,
        n_train: n,
        seed,
        stream: v.stream,
        max_iter: maxIter,
        passes: { ours: oursPasses, sklearn: theirs.n_iter },
        max_abs_w_diff: +maxDiff.toPrecision(3),
        max_abs_w: +maxAbs.toPrecision(4),
      };
      if (all) {
        line.accuracy = {
          ours: accuracy(test, testLabels, coef, intercept),
          sklearn: accuracy(test, testLabels, theirCoef, theirs.intercept),
        };
      } else {
        const y = Int8Array.from(labels, (l) => (l ? 1 : -1));
        const w = Float64Array.of(...coef, intercept[0]);
        const tw = Float64Array.of(...theirCoef, theirs.intercept[0]);
        line.primal = {
          ours: +primal(X, y, w, C, loss).toFixed(3),
          sklearn: +primal(X, y, tw, C, loss).toFixed(3),
        };
      }
      line.fit_s = { ours: +oursS.toFixed(2), sklearn_incl_load: +sklearnS.toFixed(2) };
      console.log(JSON.stringify(line));
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
