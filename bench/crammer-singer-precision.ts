/**
 * Does the float32 mirror of the weights, on which the WASM Crammer–Singer pass computes
 * its scores, change where the solver goes? The same rows, C and random stream through the
 * WASM pass (float32 scores, float64 weights) and through the TypeScript reference pass
 * (float64 scores): passes, time, primal and dual objectives, 10-class test accuracy, and
 * the largest weight difference.
 *
 *   npm run bench:build
 *   node dist-bench/bench/crammer-singer-precision.js [--dataset fashion|mnist] [--n 5000]
 *        [--C 10] [--seed 0] [--max-iter 100000] [--wasm-only]
 *
 * --wasm-only skips the TypeScript pass (about 3× slower): how many passes a problem takes,
 * and whether it converges before the cap, at sizes where the reference would take hours.
 */
import './lib/help.js';
import { parseArgs } from 'node:util';
import { accuracyOf, loadScaledDataset, shuffledSubset } from './lib/bench-data.js';
import { tsLinearOps } from '../src/kernels/linear-ops.js';
import {
  crammerSingerDual,
  crammerSingerPrimal,
  solveCrammerSinger,
} from '../src/ml/linear/liblinear-crammer-singer.js';
import { linearProblem, type LinearProblem } from '../src/ml/linear/liblinear-problem.js';
import { withWasmProblem } from '../src/ml/linear/liblinear-wasm-problem.js';
import { predictLinear } from '../src/ml/linear/liblinear-ovr.js';
import { rowDot } from '../src/kernels/liblinear.js';
import { Rng } from '../src/ml/random.js';

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    strict: true,
    options: {
      dataset: { type: 'string', default: 'fashion' },
      n: { type: 'string', default: '5000' },
      C: { type: 'string', default: '10' },
      seed: { type: 'string', default: '0' },
      'max-iter': { type: 'string', default: '100000' },
      'wasm-only': { type: 'boolean', default: false },
    },
  });
  if (v.dataset !== 'fashion' && v.dataset !== 'mnist') {
    throw new RangeError(`--dataset must be fashion or mnist. Got '${v.dataset}'.`);
  }
  const num = (name: string, text: string): number => {
    const x = Number(text);
    if (!(x > 0)) throw new RangeError(`--${name} must be a number > 0. Got '${text}'.`);
    return x;
  };
  const C = num('C', v.C);
  const seed = Math.floor(num('seed', String(Number(v.seed) + 1))) - 1;
  const maxIter = Math.floor(num('max-iter', v['max-iter']));
  const data = await loadScaledDataset(v.dataset);
  const { test, testLabels } = data;
  const subset = shuffledSubset(data, seed, Math.floor(num('n', v.n)));
  const { X } = subset;
  const n = subset.rows.length;
  const y = Int32Array.from(subset.y);
  const K = 10;

  const runOn = async (p: LinearProblem) => {
    const t0 = performance.now();
    const r = await solveCrammerSinger(p, y, K, C, 1e-4, maxIter, new Rng(seed));
    const fitS = (performance.now() - t0) / 1000;
    const W = r.W.slice();
    const predicted = predictLinear(test.data, test.rows, test.cols, W, K, 1, rowDot);
    return {
      W,
      line: {
        passes: r.iterations,
        fit_s: +fitS.toFixed(1),
        primal: +crammerSingerPrimal(p, y, K, C, W).toFixed(3),
        dual: +crammerSingerDual(y, K, W, r.alpha).toFixed(3),
        accuracy: accuracyOf(predicted, testLabels),
      },
    };
  };
  const wasm = await withWasmProblem(X, true, 1, runOn);
  const line: Record<string, unknown> = {
    dataset: v.dataset,
    n_train: n,
    C,
    seed,
    max_iter: maxIter,
    converged: wasm.line.passes < maxIter,
    wasm_f32_scores: wasm.line,
  };
  if (!v['wasm-only']) {
    const ts = await runOn(linearProblem(X, true, 1, tsLinearOps));
    let diff = 0;
    wasm.W.forEach((w, t) => (diff = Math.max(diff, Math.abs(w - ts.W[t]))));
    line.ts_f64_scores = ts.line;
    line.max_abs_w_diff = +diff.toPrecision(3);
  }
  console.log(JSON.stringify(line));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
