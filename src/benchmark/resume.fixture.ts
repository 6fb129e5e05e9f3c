/**
 * Test fixture (not a test): runs one configuration of a slow, seed-dependent toy
 * classifier under the real protocol and store, printing protocol events as JSON lines.
 * protocol.test.ts kills it with SIGKILL mid-run and checks that a restart resumes.
 * Usage: node resume.fixture.js STORE_PATH
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseClassifier } from '../ml/estimator.js';
import { matrix, type Matrix } from '../ml/matrix.js';
import { Rng } from '../ml/random.js';
import { PAPER_PROTOCOL, runConfig, type PreparedData } from './protocol.js';
import { ResultsStore } from './store.js';

/** Nearest centroid over a random half of the training rows: accuracy varies by seed. */
class SlowCentroids extends BaseClassifier<{ random_state: number }> {
  private centroids: Float64Array | null = null;
  constructor(params?: { random_state: number }) {
    super(
      'SlowCentroids',
      { random_state: [{ kind: 'random-state' }] },
      { random_state: 0 },
      params,
    );
  }
  protected async fitEncoded(X: Matrix, y: Int32Array, K: number): Promise<void> {
    await sleep(300);
    const rng = new Rng(this.params.random_state);
    const sums = new Float64Array(K * X.cols);
    const counts = new Float64Array(K);
    for (let i = 0; i < X.rows; i++) {
      if (rng.nextFloat() < 0.5) continue;
      counts[y[i]]++;
      for (let j = 0; j < X.cols; j++) sums[y[i] * X.cols + j] += X.data[i * X.cols + j];
    }
    for (let k = 0; k < K; k++)
      for (let j = 0; j < X.cols; j++) sums[k * X.cols + j] /= counts[k] || 1;
    this.centroids = sums;
  }
  protected predictEncoded(X: Matrix): Int32Array {
    const c = this.centroids as Float64Array;
    const K = c.length / X.cols;
    const out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = Infinity;
      for (let k = 0; k < K; k++) {
        let d = 0;
        for (let j = 0; j < X.cols; j++) d += (X.data[i * X.cols + j] - c[k * X.cols + j]) ** 2;
        if (d < best) [best, out[i]] = [d, k];
      }
    }
    return out;
  }
}

function noisyData(): PreparedData {
  const rng = new Rng(11);
  const make = (n: number) => {
    const X = new Float32Array(n * 4);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      for (let j = 0; j < 4; j++) X[i * 4 + j] = rng.nextNormal() * 2 + (y[i] ? 0.6 : 0);
    }
    return { X: matrix(X, n, 4), y };
  };
  const train = make(60);
  const test = make(400);
  return { name: 'toy', train: train.X, trainLabels: train.y, test: test.X, testLabels: test.y };
}

const store = ResultsStore.open(process.argv[2]);
await runConfig(
  {
    classifier: 'SlowCentroids',
    params: { subset: 0.5 },
    create: (seed) => new SlowCentroids({ random_state: seed }),
  },
  noisyData(),
  store,
  { ...PAPER_PROTOCOL, earlyStopTolerance: 0 },
  (e) =>
    process.stdout.write(
      `${JSON.stringify({ type: e.type, repeat: 'repeat' in e ? e.repeat : 'record' in e ? e.record.repeat : undefined, resumed: 'resumed' in e ? e.resumed : undefined })}\n`,
    ),
);
store.close();
