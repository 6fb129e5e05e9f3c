/**
 * Benchmark your own classifier under the paper's protocol: the same scaling, shuffles,
 * repeats, stopping rule and store as the grid rows, so its numbers sit beside Table 3.
 */
import type { Classifier } from '../ml/estimator.js';
import type { ParamValue } from './grid-row.js';
import { prepareData, type ImageSplits, type PrepareOptions } from './prepare.js';
import { PAPER_PROTOCOL, runConfig, type ProtocolEvent, type ProtocolOptions } from './protocol.js';
import { ResultsStore } from './store.js';
import { summarizeRepeats, type ConfigSummary } from './summary.js';

export interface CustomClassifier {
  /** The name results are stored and shown under. */
  readonly name: string;
  /** Its parameters, part of the store key (change them and it is a new configuration). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** A fresh estimator for one repeat; use `randomState` as its seed for reproducible runs. */
  create(randomState: number): Classifier;
}

export interface CustomBenchmarkOptions extends PrepareOptions {
  /** Protocol overrides (the paper's: 5 repeats at most, stop early at 1e-3). */
  readonly protocol?: Partial<ProtocolOptions>;
  /** A results store path, or an open store. @default an in-memory store */
  readonly store?: string | ResultsStore;
  readonly onEvent?: (e: ProtocolEvent) => void;
}

export async function benchmarkClassifier(
  classifier: CustomClassifier,
  dataset: ImageSplits,
  options: CustomBenchmarkOptions = {},
): Promise<ConfigSummary> {
  const data = prepareData(dataset, options);
  const store =
    options.store instanceof ResultsStore
      ? options.store
      : ResultsStore.open(options.store ?? ':memory:');
  try {
    const outcome = await runConfig(
      { classifier: classifier.name, params: classifier.params ?? {}, create: classifier.create },
      data,
      store,
      { ...PAPER_PROTOCOL, ...options.protocol },
      options.onEvent,
    );
    return summarizeRepeats(outcome.repeats)[0];
  } finally {
    if (!(options.store instanceof ResultsStore)) store.close();
  }
}
