/**
 * A small results store for the report's tests, written through the real ResultsStore:
 * GaussianNB and two k-NN rows on both datasets, an SVC row on Fashion-MNIST only, a
 * subset run, and one configuration outside the paper's grid whose parameter text tries
 * to inject markup.
 */
import { ResultsStore, type RepeatRecord } from '../benchmark/store.js';
import { canonicalParamsText, parseParamsText } from '../benchmark/grid-row.js';

export const FULL_PROTOCOL = 'seed=0 test=10000 train=60000';

export interface FixtureRun {
  dataset: string;
  classifier: string;
  paramsText: string;
  scores: number[];
  secondsPerRepeat: number;
  protocol?: string;
  note?: string;
  /** Defaults to 700 + 10 × the run's index; null for a repeat stored before it was measured. */
  peakRssMB?: number | null;
}

export const HOSTILE_PARAMS = 'alpha=</script><img_src=x_onerror=alert(1)>';

export const FIXTURE_RUNS: readonly FixtureRun[] = [
  {
    dataset: 'fashion',
    classifier: 'GaussianNB',
    paramsText: 'priors=[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]',
    scores: [0.5856, 0.5856],
    secondsPerRepeat: 0.42,
  },
  {
    dataset: 'mnist',
    classifier: 'GaussianNB',
    paramsText: 'priors=[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]',
    scores: [0.5558, 0.5558],
    secondsPerRepeat: 0.4,
  },
  {
    dataset: 'fashion',
    classifier: 'KNeighborsClassifier',
    paramsText: 'weights=distance n_neighbors=5 p=2',
    scores: [0.8554, 0.8554],
    secondsPerRepeat: 12.5,
  },
  {
    dataset: 'mnist',
    classifier: 'KNeighborsClassifier',
    paramsText: 'weights=distance n_neighbors=5 p=2',
    scores: [0.9691, 0.9691],
    secondsPerRepeat: 11.9,
  },
  {
    dataset: 'fashion',
    classifier: 'KNeighborsClassifier',
    paramsText: 'weights=uniform n_neighbors=5 p=1',
    scores: [0.8623, 0.8623],
    secondsPerRepeat: 95,
  },
  {
    dataset: 'mnist',
    classifier: 'KNeighborsClassifier',
    paramsText: 'weights=uniform n_neighbors=5 p=1',
    scores: [0.9633, 0.9633],
    secondsPerRepeat: 88,
    peakRssMB: null,
  },
  {
    dataset: 'fashion',
    classifier: 'SVC',
    paramsText: 'C=10 kernel=rbf',
    scores: [0.8973, 0.8973],
    secondsPerRepeat: 412,
  },
  // A quick subset run of a row also run in full: the report must show the full one.
  {
    dataset: 'fashion',
    classifier: 'SVC',
    paramsText: 'C=10 kernel=rbf',
    scores: [0.81, 0.8],
    secondsPerRepeat: 3,
    protocol: 'seed=0 test=500 train=1000',
  },
  {
    dataset: 'mnist',
    classifier: 'SGDClassifier',
    paramsText: 'loss=hinge penalty=l2',
    scores: [0.91, 0.905, 0.915, 0.9, 0.91],
    secondsPerRepeat: 2.5,
    protocol: 'seed=0 test=500 train=2000',
  },
  {
    dataset: 'fashion',
    classifier: 'GaussianNB',
    paramsText: HOSTILE_PARAMS,
    scores: [0.6, 0.6],
    secondsPerRepeat: 0.3,
    note: '<b>not bold</b>',
  },
];

/** Writes the fixture runs into a new store at `path` (through the real store's API). */
export function writeFixtureStore(path: string, runs: readonly FixtureRun[] = FIXTURE_RUNS): void {
  const store = ResultsStore.open(path);
  try {
    const start = Date.parse('2026-01-02T03:04:05Z');
    runs.forEach((run, i) => {
      run.scores.forEach((accuracy, repeat) => {
        const t0 = start + (i * 10 + repeat) * 1000;
        const record: RepeatRecord = {
          dataset: run.dataset,
          classifier: run.classifier,
          params: canonicalParamsText(parseParamsText(run.paramsText)),
          protocol: run.protocol ?? FULL_PROTOCOL,
          repeat,
          accuracy,
          fitSeconds: run.secondsPerRepeat * 0.75,
          predictSeconds: run.secondsPerRepeat * 0.25,
          startedAt: new Date(t0).toISOString(),
          finishedAt: new Date(t0 + 900).toISOString(),
          nTrain: 60000,
          nTest: 10000,
          note: run.note ?? null,
          peakRssMB: run.peakRssMB === undefined ? 700 + 10 * i : run.peakRssMB,
        };
        store.record(record);
      });
    });
  } finally {
    store.close();
  }
}
