/**
 * The tree rows of the paper's Table 3 (DecisionTree 12, ExtraTree 12, RandomForest 18,
 * GradientBoosting 7) under the paper's protocol: StandardScaler fitted on the full
 * training set (population std, zero variance → scale 1), the training rows shuffled with
 * the seed, optionally only the first --n, fit, score on the 10k test set. One JSON line per
 * row (name, params, accuracy, paper, fit_s, predict_s, peak RSS). With --sklearn,
 * scikit-learn 1.2 runs the same row right after ours (RandomForest with n_jobs=2, since
 * ours uses both cores too), so the times compare within one bench run.
 *
 *   npm run bench:build
 *   node dist-bench/bench/trees.js [--only TEXT]... [--n N] [--sklearn] [--sklearn-gb] [--jobs N]
 *        [--dataset fashion|mnist] [--seed S] [--sklearn-timeout SECONDS]
 *
 * --only matches a substring of "Classifier params", e.g. --only "DecisionTreeClassifier
 * criterion=gini max_depth=100 splitter=best". GradientBoosting takes ~18 min (10×3) to
 * hours in scikit-learn here, so --sklearn skips it unless --sklearn-gb is given. Every
 * row also carries `sklearn_reference`: the matching full-size line of
 * /work/shared/reference/sklearn-<dataset>.jsonl when there is one — measured earlier on
 * this kind of machine, not in this run, and labelled so.
 */
import './lib/help.js';
import { loadScaledDataset, rowLineHead, scoreOnTest, shuffledSubset } from './lib/bench-data.js';
import { existsSync, readFileSync } from 'node:fs';
import { GRID } from '../src/benchmark/grid-rows.js';
import {
  matchesOnly,
  parseRowBenchArgs,
  requireSelected,
  runSklearnPeer,
  type RowBenchArgs,
} from './lib/common.js';
import { findEstimator } from '../src/ml/registry.js';

const FAMILIES = [
  'DecisionTreeClassifier',
  'ExtraTreeClassifier',
  'RandomForestClassifier',
  'GradientBoostingClassifier',
];

interface Args extends RowBenchArgs {
  sklearnGb: boolean;
}

function parseArgs(argv: string[]): Args {
  const { flags, ...common } = parseRowBenchArgs(argv, 1800, ['sklearn-gb']);
  return { ...common, sklearnGb: flags['sklearn-gb'] };
}

function runSklearn(
  a: Args,
  name: string,
  params: Record<string, unknown>,
  n: number,
): Record<string, unknown> {
  // RandomForest gets both cores, as ours uses both; the single trees run on one.
  const parallel = name === 'RandomForestClassifier';
  const sk: Record<string, unknown> = parallel ? { ...params, n_jobs: 2 } : { ...params };
  const r = runSklearnPeer({
    dataset: a.dataset,
    clf: name,
    params: sk,
    nTrain: n,
    seed: a.seed,
    timeoutS: a.sklearnTimeout,
    threads: parallel ? 2 : 1,
    fields: ['accuracy', 'fit_s', 'predict_s', 'peak_rss_mb'],
  });
  return 'error' in r ? r : { params: sk, ...r };
}

/** The reference file's full-size line for this row (same params, n_jobs aside), if any. */
function referenceLine(
  dataset: string,
  name: string,
  params: Record<string, unknown>,
  n: number,
): Record<string, unknown> | null {
  const file = `/work/shared/reference/sklearn-${dataset}.jsonl`;
  if (!existsSync(file)) return null;
  const want = JSON.stringify(Object.entries(params).sort());
  let best: Record<string, unknown> | null = null;
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    const r = JSON.parse(text) as Record<string, unknown>;
    const p = { ...(r.params as Record<string, unknown>) };
    const nJobs = p.n_jobs;
    delete p.n_jobs;
    if (r.name !== name || r.n_train !== n || r.status !== 'ok') continue;
    if (JSON.stringify(Object.entries(p).sort()) !== want) continue;
    // Prefer the run that used both cores (our ensembles do too).
    if (best === null || nJobs === 2) {
      best = {
        source: `${file} (measured earlier, not in this run)`,
        n_jobs: nJobs ?? 1,
        accuracy: r.accuracy,
        fit_s: r.fit_s,
        fit_cpu_s: r.fit_cpu_s,
      };
    }
  }
  return best;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const data = await loadScaledDataset(a.dataset);
  const { test, testLabels } = data;
  const { rows: subset, X, y } = shuffledSubset(data, a.seed, a.n);
  const n = subset.length;

  const rows = GRID.filter(
    (r) => FAMILIES.includes(r.classifier) && matchesOnly(a.only, r.classifier, r.paramsText),
  );
  requireSelected(rows, a.only, 'bench/trees');
  for (const row of rows) {
    const entry = findEstimator(row.classifier);
    if (entry === undefined) throw new Error(`bench/trees: ${row.classifier} is not registered.`);
    const params: Record<string, unknown> = { ...row.params, random_state: a.seed };
    if (
      row.classifier === 'RandomForestClassifier' ||
      row.classifier === 'GradientBoostingClassifier'
    )
      params.n_jobs = a.jobs;
    const clf = entry.create(params);
    const t0 = performance.now();
    await clf.fit(X, y);
    const fitS = (performance.now() - t0) / 1000;
    const { accuracy: acc, predictS } = await scoreOnTest(clf, test, testLabels);
    const line: Record<string, unknown> = {
      ...rowLineHead(a.dataset, row, n, acc, fitS, predictS),
      jobs: a.jobs,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const reference = referenceLine(a.dataset, row.classifier, row.params, n);
    if (reference !== null) {
      line.sklearn_reference = reference;
      if (typeof reference.fit_s === 'number')
        line.speedup_vs_reference = +(reference.fit_s / fitS).toFixed(2);
    }
    if (a.sklearn && (row.classifier !== 'GradientBoostingClassifier' || a.sklearnGb)) {
      const sk = runSklearn(a, row.classifier, row.params, n);
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
