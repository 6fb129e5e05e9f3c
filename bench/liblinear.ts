/**
 * The liblinear rows of the paper's Table 3 (LogisticRegression 5, LinearSVC 18) under the
 * paper's protocol: StandardScaler fitted on the full training set (population std,
 * zero variance → scale 1), the training rows shuffled with the seed, optionally the first
 * --n of them, fit, score on the 10k test set. One JSON line per row. With --sklearn,
 * scikit-learn 1.2 runs the same row on the same subset size right after ours (same
 * machine, same bench run), so the times compare.
 *
 *   npm run bench:build
 *   node dist-bench/bench/liblinear.js [--only TEXT] [--n N] [--sklearn] [--jobs N]
 *        [--dataset fashion|mnist] [--seed S] [--sklearn-timeout SECONDS] [--no-reuse]
 *        [--same-rows]
 *
 * --same-rows hands scikit-learn our very rows (bench/sklearn_rows.py, random_state = the
 * seed) instead of letting the peer script draw its own subset of --n rows: with a
 * subset, the two sides otherwise solve different problems, and how many passes an
 * iterative solver needs (Crammer–Singer above all) depends on the problem.
 *
 * Crammer–Singer rows that differ only in loss/penalty (which liblinear ignores) share one
 * fit unless --no-reuse; their lines say `reused_fit_of`.
 */
import './lib/help.js';
import { loadScaledDataset, rowLineHead, scoreOnTest, shuffledSubset } from './lib/bench-data.js';
import {
  matchesOnly,
  parseRowBenchArgs,
  requireSelected,
  runSklearnPeer,
  type RowBenchArgs,
} from './lib/common.js';
import { GRID } from '../src/benchmark/grid-rows.js';
import type { Classifier } from '../src/ml/estimator.js';
import { findEstimator } from '../src/ml/registry.js';

interface Args extends RowBenchArgs {
  reuse: boolean;
  sameRows: boolean;
}

function parseArgs(argv: string[]): Args {
  const { flags, ...common } = parseRowBenchArgs(argv, 900, ['no-reuse', 'same-rows']);
  return { ...common, reuse: !flags['no-reuse'], sameRows: flags['same-rows'] };
}

function runSklearn(
  a: Args,
  name: string,
  params: Record<string, unknown>,
  n: number,
  rows: Uint32Array,
): Record<string, unknown> {
  const sk: Record<string, unknown> = { ...params };
  if (name === 'LogisticRegression') Object.assign(sk, { solver: 'liblinear', multi_class: 'ovr' });
  if (a.sameRows) sk.random_state = a.seed;
  return runSklearnPeer(
    {
      dataset: a.dataset,
      clf: name,
      params: sk,
      nTrain: n,
      seed: a.seed,
      timeoutS: a.sklearnTimeout,
      threads: 1,
      fields: ['accuracy', 'fit_s', 'predict_s', 'n_iter'],
    },
    a.sameRows ? rows : undefined,
  );
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const data = await loadScaledDataset(a.dataset);
  const { test, testLabels } = data;
  const { rows: subset, X, y } = shuffledSubset(data, a.seed, a.n);
  const n = subset.length;

  const rows = GRID.filter(
    (r) =>
      (r.classifier === 'LogisticRegression' || r.classifier === 'LinearSVC') &&
      matchesOnly(a.only, r.classifier, r.paramsText),
  );
  requireSelected(rows, a.only, 'bench/liblinear');
  // Crammer–Singer ignores loss and penalty: the paper's four rows per C are one fit here
  // (same data, same seed), so later ones reuse the first and say so.
  const fitted = new Map<string, { clf: Classifier; fitS: number; row: string }>();
  for (const row of rows) {
    const entry = findEstimator(row.classifier);
    if (entry === undefined)
      throw new Error(`bench/liblinear: ${row.classifier} is not registered.`);
    const params: Record<string, unknown> = { ...row.params, random_state: a.seed, n_jobs: a.jobs };
    const key =
      row.params.multi_class === 'crammer_singer' && a.reuse
        ? `crammer_singer C=${row.params.C}`
        : `${row.classifier} ${row.paramsText}`;
    const earlier = fitted.get(key);
    let clf: Classifier;
    let fitS: number;
    if (earlier) {
      ({ clf, fitS } = earlier);
    } else {
      clf = entry.create(params);
      const t0 = performance.now();
      await clf.fit(X, y);
      fitS = (performance.now() - t0) / 1000;
      fitted.set(key, { clf, fitS, row: row.paramsText });
    }
    const { accuracy: acc, predictS } = await scoreOnTest(clf, test, testLabels);
    const line: Record<string, unknown> = {
      ...rowLineHead(a.dataset, row, n, acc, fitS, predictS),
      jobs: a.jobs,
      iterations: (clf as unknown as { nIter: unknown }).nIter,
      ...(earlier ? { reused_fit_of: earlier.row } : {}),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (a.sklearn && !earlier) {
      const sk = runSklearn(a, row.classifier, row.params, n, subset);
      line.sklearn = sk;
      if (typeof sk.fit_s === 'number') line.speedup_fit = +(sk.fit_s / fitS).toFixed(2);
    }
    console.log(JSON.stringify(line));
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
