/**
 * GaussianNB on Fashion-MNIST and MNIST under the paper's protocol, timed against
 * scikit-learn (Debian's python3-sklearn, via ../shared/reference/sklearn_peer.py) in the
 * same run, one after the other. Prints one JSON line per dataset.
 * Run: npm run bench:build && node dist-bench/bench/gaussian-nb.js
 */
import './lib/help.js';
import { GRID } from '../src/benchmark/grid.js';
import { prepareData } from '../src/benchmark/prepare.js';
import { PAPER_PROTOCOL, runConfig } from '../src/benchmark/protocol.js';
import { specForRow } from '../src/benchmark/runner.js';
import { ResultsStore } from '../src/benchmark/store.js';
import { meanAndStd2 } from '../src/benchmark/summary.js';
import { loadDataset } from '../src/data/load.js';
import { SKLEARN_PEER, runSklearnPeer, sklearnPeerAvailable } from './lib/common.js';

const row = GRID.find((r) => r.classifier === 'GaussianNB');
if (!row) throw new Error('no GaussianNB row in the grid');

function sklearn(dataset: string): Record<string, unknown> | { skipped: string } {
  if (!sklearnPeerAvailable()) return { skipped: `no ${SKLEARN_PEER} or /usr/bin/python3` };
  return runSklearnPeer({
    dataset,
    clf: 'GaussianNB',
    params: row?.params ?? {},
    nTrain: 60000,
    seed: 0,
    timeoutS: 600,
    threads: 1,
    fields: ['accuracy', 'fit_s', 'predict_s', 'sklearn'],
  });
}

for (const dataset of ['fashion', 'mnist'] as const) {
  const t0 = performance.now();
  const data = prepareData(await loadDataset(dataset));
  const loadSeconds = (performance.now() - t0) / 1000;
  const store = ResultsStore.open(':memory:');
  const spec = specForRow(row);
  if (!spec) throw new Error('GaussianNB is not registered');
  const outcome = await runConfig(spec, data, store, PAPER_PROTOCOL);
  store.close();
  const scores = outcome.repeats.map((r) => r.accuracy);
  const fit = outcome.repeats.map((r) => r.fitSeconds);
  const predict = outcome.repeats.map((r) => r.predictSeconds);
  const peer = sklearn(dataset);
  const oursPerRepeat =
    (fit.reduce((a, b) => a + b) + predict.reduce((a, b) => a + b)) / scores.length;
  const peerSeconds = 'fit_s' in peer ? (peer.fit_s as number) + (peer.predict_s as number) : null;
  console.log(
    JSON.stringify({
      dataset,
      classifier: 'GaussianNB',
      paper: row.paper[dataset],
      ours: {
        scores,
        ...meanAndStd2(scores),
        fit_s: fit,
        predict_s: predict,
        load_and_scale_s: loadSeconds,
      },
      sklearn: peer,
      speedup: peerSeconds === null ? null : peerSeconds / oursPerRepeat,
    }),
  );
}
