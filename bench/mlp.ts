/**
 * The MLPClassifier rows of the paper's Table 3 (relu | tanh × (10), (100), (10,10),
 * (100,10)) under the paper's protocol: StandardScaler fitted on the full training set,
 * the training rows shuffled with the seed, optionally the first --n of them, fit, score on
 * the 10k test set. One JSON line per row. With --sklearn, scikit-learn (1.2, float64,
 * both cores through its BLAS as it runs by default) fits the same row on the same subset
 * right after ours, so the times compare. Note scikit-learn ≥ 0.20 stops after 10 epochs
 * without tol improvement where 0.19 (ours) stops after 2: pass --patience-10 to run ours
 * with n_iter_no_change = 10 as well, for an epoch-for-epoch comparison.
 *
 *   npm run bench:build
 *   node dist-bench/bench/mlp.js [--only TEXT] [--n N] [--sklearn] [--dataset fashion|mnist]
 *        [--seed S] [--sklearn-timeout SECONDS] [--patience-10]
 */
import './lib/help.js';
import { loadScaledDataset, rowLineHead, scoreOnTest, shuffledSubset } from './lib/bench-data.js';
import { loadavg } from 'node:os';
import { matchesOnly, parseRowBenchArgs, requireSelected, runSklearnPeer } from './lib/common.js';
import { GRID } from '../src/benchmark/grid-rows.js';
import { findEstimator } from '../src/ml/registry.js';
import type { MLPClassifier } from '../src/ml/neural/mlp-classifier.js';

function runSklearn(
  dataset: string,
  params: Record<string, unknown>,
  n: number,
  seed: number,
  timeoutS: number,
): Record<string, unknown> {
  return runSklearnPeer({
    dataset,
    clf: 'MLPClassifier',
    params,
    nTrain: n,
    seed,
    timeoutS,
    fields: ['accuracy', 'fit_s', 'predict_s', 'fit_cpu_s', 'n_iter', 'sklearn', 'threads'],
  });
}

async function main(): Promise<void> {
  const { flags, ...a } = parseRowBenchArgs(process.argv.slice(2), 1800, ['patience-10']);
  const data = await loadScaledDataset(a.dataset);
  const { test, testLabels } = data;
  const { rows: subset, X, y } = shuffledSubset(data, a.seed, a.n);
  const n = subset.length;

  const rows = GRID.filter(
    (r) => r.classifier === 'MLPClassifier' && matchesOnly(a.only, r.classifier, r.paramsText),
  );
  requireSelected(rows, a.only, 'bench/mlp');
  const entry = findEstimator('MLPClassifier');
  if (entry === undefined) throw new Error('bench/mlp: MLPClassifier is not registered.');
  for (const row of rows) {
    const params: Record<string, unknown> = { ...row.params, random_state: a.seed };
    if (flags['patience-10']) params.n_iter_no_change = 10;
    const clf = entry.create(params) as MLPClassifier;
    const load0 = loadavg()[0];
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await clf.fit(X, y);
    const fitS = (performance.now() - t0) / 1000;
    const { accuracy: acc, predictS } = await scoreOnTest(clf, test, testLabels);
    const cpu = process.cpuUsage(c0);
    const line: Record<string, unknown> = {
      ...rowLineHead(a.dataset, row, n, acc, fitS, predictS),
      cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(3),
      n_iter: clf.nIter,
      final_loss: +clf.loss.toFixed(6),
      note: clf.benchmarkNote,
      n_iter_no_change: params.n_iter_no_change ?? 2,
      loadavg_1m_at_start: +load0.toFixed(2),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (a.sklearn) {
      const sk = runSklearn(a.dataset, row.params, n, a.seed, a.sklearnTimeout);
      line.sklearn = sk;
      if (typeof sk.fit_s === 'number' && typeof sk.predict_s === 'number') {
        line.speedup_fit_predict = +((sk.fit_s + sk.predict_s) / (fitS + predictS)).toFixed(2);
      }
      if (typeof sk.accuracy === 'number')
        line.accuracy_minus_sklearn = +(acc - sk.accuracy).toFixed(4);
      line.loadavg_1m_at_end = +loadavg()[0].toFixed(2);
    }
    console.log(JSON.stringify(line));
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
