/**
 * How far each side's dual coordinate descent gets on one binary LinearSVC problem (class
 * --positive against the rest, the problem one-vs-rest solves per class): the primal
 * objective ½‖(w, b)‖² + C Σ loss(yᵢ(w·xᵢ + b)) each reaches, its passes, its binary test
 * accuracy. Where liblinear stops at max_iter before converging, test accuracy says little
 * about whether two solvers agree; the objective says which one is nearer the optimum.
 * Both sides get the same rows (the paper's scaling, then the first --n of a seeded shuffle).
 * --positive all fits all classes one-vs-rest (the benchmark row itself) and reports the
 * 10-class accuracy and each class's problem as above. --sklearn-float32 runs scikit-learn
 * on the features rounded to float32 (fmnist's storage), to tell precision from the rest.
 *
 *   npm run bench:build
 *   node dist-bench/bench/linear-svc-objective.js [--dataset fashion|mnist] [--positive K|all]
 *        [--C 10] [--loss hinge|squared_hinge] [--max-iter 1000] [--n N] [--seed S]
 *        [--seeds COUNT] [--sklearn] [--sklearn-float32]
 */
import './lib/help.js';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { accuracyOf, loadScaledDataset, shuffledSubset } from './lib/bench-data.js';
import {
  runPythonOneThread,
  SKLEARN_PEER,
  sklearnPeerAvailable,
  withScratchFiles,
} from './lib/common.js';
import { LinearSVC } from '../src/ml/linear/linear-svc.js';
import type { Matrix } from '../src/ml/matrix.js';

/** Compiled, this file is dist-bench/bench/; the Python side stays in bench/. */
const SKLEARN_SIDE = fileURLToPath(new URL('../../bench/linear_svc_objective.py', import.meta.url));

interface Args {
  dataset: 'fashion' | 'mnist';
  positive: number;
  C: number;
  loss: 'hinge' | 'squared_hinge';
  maxIter: number;
  n: number | null;
  seed: number;
  seeds: number;
  sklearn: boolean;
  /** scikit-learn gets the features rounded to float32, as ours are stored. */
  sklearnFloat32: boolean;
}

function readArgs(argv: string[]): Args {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      dataset: { type: 'string', default: 'fashion' },
      positive: { type: 'string', default: '6' },
      C: { type: 'string', default: '10' },
      loss: { type: 'string', default: 'hinge' },
      'max-iter': { type: 'string', default: '1000' },
      n: { type: 'string' },
      seed: { type: 'string', default: '0' },
      seeds: { type: 'string', default: '1' },
      sklearn: { type: 'boolean', default: false },
      'sklearn-float32': { type: 'boolean', default: false },
    },
  });
  if (v.dataset !== 'fashion' && v.dataset !== 'mnist') {
    throw new RangeError(`--dataset must be fashion or mnist. Got '${v.dataset}'.`);
  }
  if (v.loss !== 'hinge' && v.loss !== 'squared_hinge') {
    throw new RangeError(`--loss must be hinge or squared_hinge. Got '${v.loss}'.`);
  }
  const int = (name: string, text: string, min: number): number => {
    const x = Number(text);
    if (!Number.isInteger(x) || x < min) {
      throw new RangeError(`--${name} must be an integer ≥ ${min}. Got '${text}'.`);
    }
    return x;
  };
  const C = Number(v.C);
  if (!(C > 0)) throw new RangeError(`--C must be a number > 0. Got '${v.C}'.`);
  return {
    dataset: v.dataset,
    positive: v.positive === 'all' ? -1 : int('positive', v.positive, 0),
    C,
    loss: v.loss,
    maxIter: int('max-iter', v['max-iter'], 1),
    n: v.n === undefined ? null : int('n', v.n, 2),
    seed: int('seed', v.seed, 0),
    seeds: int('seeds', v.seeds, 1),
    sklearn: v.sklearn || v['sklearn-float32'],
    sklearnFloat32: v['sklearn-float32'],
  };
}

/** ½‖(w, b)‖² + C Σ loss, with the bias regularised as liblinear does (intercept_scaling 1). */
function primalObjective(X: Matrix, y: Int32Array, w: Float64Array, b: number, a: Args): number {
  let sum = 0;
  for (let i = 0; i < X.rows; i++) {
    let z = b;
    const off = i * X.cols;
    for (let j = 0; j < X.cols; j++) z += X.data[off + j] * w[j];
    const slack = Math.max(0, 1 - (y[i] === 1 ? z : -z));
    sum += a.loss === 'hinge' ? slack : slack * slack;
  }
  let norm = b * b;
  for (let j = 0; j < w.length; j++) norm += w[j] * w[j];
  return 0.5 * norm + a.C * sum;
}

function binaryAccuracy(
  X: Matrix,
  labels: Uint8Array,
  w: Float64Array,
  b: number,
  k: number,
): number {
  let hits = 0;
  for (let i = 0; i < X.rows; i++) {
    let z = b;
    const off = i * X.cols;
    for (let j = 0; j < X.cols; j++) z += X.data[off + j] * w[j];
    if (z > 0 === (labels[i] === k)) hits++;
  }
  return hits / X.rows;
}

async function main(): Promise<void> {
  const a = readArgs(process.argv.slice(2));
  if (a.sklearn && !sklearnPeerAvailable()) {
    throw new Error(`--sklearn needs /usr/bin/python3 and ${SKLEARN_PEER}.`);
  }
  const data = await loadScaledDataset(a.dataset);
  const { test, testLabels } = data;
  for (let seed = a.seed; seed < a.seed + a.seeds; seed++) {
    const { rows, X, y: chosenLabels } = shuffledSubset(data, seed, a.n);
    const n = rows.length;
    // --positive all: the one-vs-rest fit of all classes, then each class's problem.
    const multi = a.positive < 0;
    const labels = Int32Array.from(chosenLabels);
    const y = multi ? labels : labels.map((l) => (l === a.positive ? 1 : 0));
    const clf = new LinearSVC({ C: a.C, loss: a.loss, max_iter: a.maxIter, random_state: seed });
    const t0 = performance.now();
    await clf.fit(X, y);
    const fitS = (performance.now() - t0) / 1000;
    const coef = clf.coef as Float64Array;
    const intercept = clf.intercept as Float64Array;
    const problem = (k: number, row: number): Record<string, number> => {
      const w = coef.subarray(row * X.cols, (row + 1) * X.cols);
      const b = intercept[row];
      const yk = labels.map((l) => (l === k ? 1 : 0));
      return {
        primal: primalObjective(X, yk, w, b, a),
        norm_w: Math.hypot(b, ...w),
        b,
        accuracy: binaryAccuracy(test, testLabels, w, b, k),
      };
    };
    const ours: Record<string, unknown> = { n_iter: clf.nIter, fit_s: +fitS.toFixed(3) };
    if (multi) {
      const nClasses = intercept.length;
      ours.classes = Array.from({ length: nClasses }, (_, k) => problem(k, k));
      const predicted = await clf.predict(test);
      ours.accuracy = accuracyOf(predicted, testLabels);
    } else Object.assign(ours, problem(a.positive, 0));
    const line: Record<string, unknown> = {
      dataset: a.dataset,
      positive: a.positive,
      C: a.C,
      loss: a.loss,
      n_train: n,
      seed,
      ours,
    };
    if (a.sklearn) {
      line.sklearn = withScratchFiles({ 'rows.i32': rows }, (paths) =>
        runPythonOneThread([
          SKLEARN_SIDE,
          ...['--peer-dir', dirname(SKLEARN_PEER), '--dataset', a.dataset],
          ...['--positive', String(a.positive), '--C', String(a.C), '--loss', a.loss],
          ...['--max-iter', String(a.maxIter), '--seed', String(seed)],
          ...['--indices', paths['rows.i32']],
          ...(a.sklearnFloat32 ? ['--round-float32'] : []),
        ]),
      );
    }
    console.log(JSON.stringify(line));
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
