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
 *        [--dataset fashion|mnist] [--seed S] [--sklearn-timeout SECONDS] [--runs R]
 *
 * --runs R fits each row R times, ours and scikit-learn's taking turns, and reports every
 * fit time, the medians and the ratio of the medians: on this VM the fit time of a
 * memory-bound forest moves by ±15 % from run to run with the same binary, so one pair
 * of fits cannot settle a 5× line. The fits are deterministic: every run's accuracy is the
 * same, and the line says so (accuracy and predict time are those of the first run).
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
  median,
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
  runs: number;
}

function parseArgs(argv: string[]): Args {
  const { flags, counts, ...common } = parseRowBenchArgs(argv, 1800, ['sklearn-gb'], ['runs']);
  return { ...common, sklearnGb: flags['sklearn-gb'], runs: counts.runs ?? 1 };
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

/**
 * scikit-learn's repeated runs as one entry: the first run's fields, with fit_s the median
 * of the runs' and every run's fit time (an error, if any run failed).
 */
function peerRuns(peers: Record<string, unknown>[]): Record<string, unknown> {
  const failed = peers.find((p) => 'error' in p);
  if (failed !== undefined) return failed;
  const fits = peers.map((p) => p.fit_s as number);
  return { ...peers[0], fit_s: +median(fits).toFixed(3), fit_s_runs: fits };
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
    const withSklearn =
      a.sklearn && (row.classifier !== 'GradientBoostingClassifier' || a.sklearnGb);
    const fits: number[] = [];
    const accuracies: number[] = [];
    const peers: Record<string, unknown>[] = [];
    let predictS = 0;
    for (let run = 0; run < a.runs; run++) {
      const clf = entry.create(params);
      const t0 = performance.now();
      await clf.fit(X, y);
      fits.push((performance.now() - t0) / 1000);
      const scored = await scoreOnTest(clf, test, testLabels);
      accuracies.push(scored.accuracy);
      if (run === 0) predictS = scored.predictS;
      if (withSklearn) peers.push(runSklearn(a, row.classifier, row.params, n));
    }
    const fitS = median(fits);
    const line: Record<string, unknown> = {
      ...rowLineHead(a.dataset, row, n, accuracies[0], fitS, predictS),
      jobs: a.jobs,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (a.runs > 1) {
      line.runs = a.runs;
      line.fit_s_runs = fits.map((f) => +f.toFixed(3));
      line.same_accuracy_every_run = accuracies.every((x) => x === accuracies[0]);
    }
    const reference = referenceLine(a.dataset, row.classifier, row.params, n);
    if (reference !== null) {
      line.sklearn_reference = reference;
      if (typeof reference.fit_s === 'number')
        line.speedup_vs_reference = +(reference.fit_s / fitS).toFixed(2);
    }
    if (withSklearn) line.sklearn = a.runs === 1 ? peers[0] : peerRuns(peers);
    const skFit = (line.sklearn as Record<string, unknown> | undefined)?.fit_s;
    if (typeof skFit === 'number') line.speedup_fit = +(skFit / fitS).toFixed(2);
    if (a.runs > 1 && peers.every((p) => typeof p.fit_s === 'number')) {
      line.speedup_fit_runs = peers.map((p, r) => +((p.fit_s as number) / fits[r]).toFixed(2));
    }
    console.log(JSON.stringify(line));
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
