/**
 * The SVC rows of the paper's Table 3 (C ∈ {1, 10, 100} × kernel ∈ {linear, rbf, poly,
 * sigmoid}) under the paper's protocol: StandardScaler fitted on the full training set,
 * the training rows shuffled with the seed, optionally the first --n of them, fit, score
 * on the 10k test set. One JSON line per row. With --sklearn, scikit-learn 1.2 runs the
 * same row (gamma='auto', as 0.19) on the same subset right after ours, in the same run.
 *
 *   npm run bench:build
 *   node dist-bench/bench/svc.js [--only TEXT] [--n N] [--sklearn] [--jobs N]
 *        [--dataset fashion|mnist] [--seed S] [--sklearn-timeout SECONDS] [--compare-ts]
 *
 * --compare-ts fits each row a second time with the solver's TypeScript loops (the
 * reference of the WASM ones) and reports that fit's time and whether the two models are
 * the same (support vectors, intercepts, iterations).
 */
import './lib/help.js';
import { loadScaledDataset, rowLineHead, scoreOnTest, shuffledSubset } from './lib/bench-data.js';
import { loadavg } from 'node:os';
import {
  matchesOnly,
  parseRowBenchArgs,
  requireSelected,
  runSklearnPeer,
  type RowBenchArgs,
} from './lib/common.js';
import { GRID } from '../src/benchmark/grid-rows.js';
import { SVC } from '../src/ml/svm/svc.js';

function runSklearn(
  a: RowBenchArgs,
  params: Record<string, unknown>,
  n: number,
): Record<string, unknown> {
  return runSklearnPeer({
    dataset: a.dataset,
    clf: 'SVC',
    params: { ...params, gamma: 'auto' },
    nTrain: n,
    seed: a.seed,
    timeoutS: a.sklearnTimeout,
    threads: 1,
    fields: [
      'accuracy',
      'fit_s',
      'predict_s',
      'fit_cpu_s',
      'predict_cpu_s',
      'n_support',
      'peak_rss_mb',
    ],
  });
}

async function main(): Promise<void> {
  const { flags, ...a } = parseRowBenchArgs(process.argv.slice(2), 3600, ['compare-ts']);
  const data = await loadScaledDataset(a.dataset);
  const { test, testLabels } = data;
  const { rows: subset, X, y } = shuffledSubset(data, a.seed, a.n);
  const n = subset.length;

  const rows = GRID.filter(
    (r) => r.classifier === 'SVC' && matchesOnly(a.only, r.classifier, r.paramsText),
  );
  requireSelected(rows, a.only, 'bench/svc');
  for (const row of rows) {
    const clf = new SVC({ ...(row.params as object), n_jobs: a.jobs });
    // CPU seconds include the worker threads (same process): less sensitive to the load
    // other processes put on the machine than the wall clock.
    const cpu = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    const c0 = cpu();
    const t0 = performance.now();
    await clf.fit(X, y);
    const fitS = (performance.now() - t0) / 1000;
    const c1 = cpu();
    const { accuracy: acc, predictS } = await scoreOnTest(clf, test, testLabels);
    const c2 = cpu();
    const iters = clf.nIter as Float64Array;
    const line: Record<string, unknown> = {
      ...rowLineHead(a.dataset, row, n, acc, fitS, predictS),
      jobs: a.jobs,
      fit_cpu_s: +(c1 - c0).toFixed(3),
      predict_cpu_s: +(c2 - c1).toFixed(3),
      load_avg_1m: +loadavg()[0].toFixed(2),
      n_support: (clf.support as Int32Array).length,
      iterations_total: iters.reduce((s, v) => s + v, 0),
      iterations_max: Math.max(...iters),
      kernel_rows: clf.kernelRowsComputed,
      cache_size_mb: clf.params.cache_size,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      wasm_loop_pairs: clf.wasmLoopPairs,
      wasm_run_iterations: clf.runIterations,
    };
    if (flags['compare-ts']) {
      const ts = new SVC({ ...(row.params as object), n_jobs: a.jobs });
      ts.kernels = 'ts';
      const c3 = cpu();
      const t2 = performance.now();
      await ts.fit(X, y);
      const tsFitS = (performance.now() - t2) / 1000;
      line.ts_fit_s = +tsFitS.toFixed(3);
      line.ts_fit_cpu_s = +(cpu() - c3).toFixed(3);
      line.ts_identical =
        JSON.stringify([ts.support, ts.intercept, ts.nIter].map((v) => Array.from(v ?? []))) ===
        JSON.stringify([clf.support, clf.intercept, clf.nIter].map((v) => Array.from(v ?? [])));
      line.fit_speedup_vs_ts = +(tsFitS / fitS).toFixed(2);
    }
    if (a.sklearn) {
      const sk = runSklearn(a, row.params, n);
      line.sklearn = sk;
      if (typeof sk.fit_s === 'number' && typeof sk.predict_s === 'number') {
        line.speedup_total = +((sk.fit_s + sk.predict_s) / (fitS + predictS)).toFixed(2);
      }
    }
    console.log(JSON.stringify(line));
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
