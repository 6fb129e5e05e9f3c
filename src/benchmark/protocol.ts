/**
 * The paper's benchmark protocol for one configuration on one dataset: per repeat,
 * shuffle the (already scaled) training set with a seeded permutation, fit, score on the
 * test set; stop after the second repeat when the two scores differ by less than 1e-3;
 * at most `maxRepeats`. Finished repeats come from the store, so a killed run resumes.
 */
import { createHash } from 'node:crypto';
import type { Classifier } from '../ml/estimator.js';
import { isResumableFit, type FitParts } from '../ml/fit-parts.js';
import { takeLabels, type Labels, type Matrix } from '../ml/matrix.js';
import { Rng } from '../ml/random.js';
import { canonicalParamsText, type ParamValue } from './grid-row.js';
import type { RepeatKey, RepeatRecord, ResultsStore } from './store.js';
import { withPeakRss } from './peak-memory.js';
import { ShuffledTrain } from './shuffled-train.js';
import { meanAndStd2 } from './summary.js';

/** A dataset ready for the protocol: StandardScaler fitted on train, applied to both. */
export interface PreparedData {
  readonly name: string;
  readonly train: Matrix;
  readonly trainLabels: Labels;
  readonly test: Matrix;
  readonly testLabels: Labels;
}

export interface ProtocolOptions {
  /** Base seed: repeat r shuffles with a generator derived from (seed, r). @default 0 */
  readonly seed: number;
  /** At most this many repeats (the paper: 5). */
  readonly maxRepeats: number;
  /** Stop after two repeats whose scores differ by less than this (the paper: 1e-3). */
  readonly earlyStopTolerance: number;
}

export const PAPER_PROTOCOL: ProtocolOptions = { seed: 0, maxRepeats: 5, earlyStopTolerance: 1e-3 };

/** A configuration to run: how to build a fresh, seeded estimator for each repeat. */
export interface ConfigSpec {
  readonly classifier: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  create(randomState: number): Classifier;
  /** Recorded with every repeat, e.g. where shared work came from. */
  readonly note?: string;
}

export type ProtocolEvent =
  | { type: 'config-start'; key: RepeatKey; resumed: number }
  | { type: 'repeat-start'; key: RepeatKey; repeat: number }
  /** A long fit kept a finished part (or a solver checkpoint) in the store: a rerun resumes there. */
  | { type: 'fit-part-kept'; key: RepeatKey; repeat: number; part: string; kept: number }
  | { type: 'repeat-done'; record: RepeatRecord }
  | { type: 'config-done'; key: RepeatKey; scores: number[]; mean: number; std2: number };

export interface ConfigOutcome {
  readonly key: RepeatKey;
  readonly repeats: RepeatRecord[];
  /** How many of them were already in the store (not rerun). */
  readonly resumed: number;
}

/** Canonical text of what makes two runs comparable besides the configuration. */
export function protocolText(options: ProtocolOptions, data: PreparedData): string {
  return protocolTextFor(options, { train: data.train.rows, test: data.test.rows });
}

/**
 * protocolText from the set sizes alone (a queue coordinator never loads the data). The
 * repeat cap is not part of it: repeat r's result depends on the seed and the data, not on
 * how many repeats a run allows, so a run with --repeats 5 continues one with --repeats 1.
 */
export function protocolTextFor(
  options: ProtocolOptions,
  sizes: { readonly train: number; readonly test: number },
): string {
  return `seed=${options.seed} test=${sizes.test} train=${sizes.train}`;
}

/** The store key of a configuration on a dataset under a protocol. */
export function configKey(
  spec: Pick<ConfigSpec, 'classifier' | 'params'>,
  dataset: string,
  protocol: string,
): RepeatKey {
  return {
    dataset,
    classifier: spec.classifier,
    params: canonicalParamsText(spec.params),
    protocol,
  };
}

/** The seed of repeat r: deterministic, different per repeat. */
export function repeatSeed(seed: number, repeat: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) + repeat * 0x85ebca6b + 1) | 0;
}

/** Whether the scores so far complete the protocol. */
export function isComplete(scores: readonly number[], options: ProtocolOptions): boolean {
  if (scores.length >= options.maxRepeats) return true;
  return scores.length === 2 && Math.abs(scores[0] - scores[1]) < options.earlyStopTolerance;
}

/**
 * The repeats that can run now, all at once (e.g. on several machines): the first two
 * always; the rest only once the first two are known and do not stop the protocol.
 */
export function repeatsToRunNext(scores: readonly number[], options: ProtocolOptions): number[] {
  if (isComplete(scores, options)) return [];
  const upTo = scores.length < 2 ? Math.min(2, options.maxRepeats) : options.maxRepeats;
  const next: number[] = [];
  for (let r = scores.length; r < upTo; r++) next.push(r);
  return next;
}

export async function runConfig(
  spec: ConfigSpec,
  data: PreparedData,
  store: ResultsStore,
  options: ProtocolOptions = PAPER_PROTOCOL,
  onEvent: (e: ProtocolEvent) => void = () => {},
): Promise<ConfigOutcome> {
  const key = configKey(spec, data.name, protocolText(options, data));
  const repeats = store.repeatsOf(key);
  const resumed = repeats.length;
  onEvent({ type: 'config-start', key, resumed });
  const shuffled = new ShuffledTrain(data.train);
  try {
    while (
      !isComplete(
        repeats.map((r) => r.accuracy),
        options,
      )
    ) {
      const repeat = repeats.length;
      onEvent({ type: 'repeat-start', key, repeat });
      const parts = announced(
        store.fitParts(key, repeat, () => trainingDataId(data)),
        (part, kept) => onEvent({ type: 'fit-part-kept', key, repeat, part, kept }),
      );
      const record = await runRepeat(spec, data, shuffled, key, repeat, options.seed, parts);
      store.record(record);
      repeats.push(record);
      onEvent({ type: 'repeat-done', record });
    }
  } finally {
    shuffled.release();
  }
  const scores = repeats.map((r) => r.accuracy);
  onEvent({ type: 'config-done', key, scores, ...meanAndStd2(scores) });
  return { key, repeats, resumed };
}

/** `parts` that also says when a part is saved (and how many distinct parts are kept). */
function announced(parts: FitParts, onKept: (part: string, kept: number) => void): FitParts {
  const names = new Set<string>();
  return {
    load: (name) => parts.load(name),
    save: (name, part) => {
      parts.save(name, part);
      names.add(name);
      onKept(name, names.size);
    },
    checkpointSeconds: parts.checkpointSeconds,
  };
}

const dataIds = new WeakMap<PreparedData, string>();

/**
 * A digest of the (scaled) training set and its labels: the fit parts of a repeat are
 * handed out only to a run on the very same data.
 */
export function trainingDataId(data: PreparedData): string {
  let id = dataIds.get(data);
  if (id === undefined) {
    const h = createHash('sha256');
    const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    h.update(`${data.train.rows}x${data.train.cols};`);
    h.update(bytes(data.train.data));
    h.update(bytes(data.trainLabels));
    id = h.digest('hex');
    dataIds.set(data, id);
  }
  return id;
}

/**
 * One repeat of a configuration: shuffle with the repeat's seed, fit, score, time,
 * measure. An estimator that can resume a long fit (ml/fit-parts.ts) keeps its finished
 * parts in `fitParts` and takes those an interrupted run of this repeat left there; their
 * original fit seconds count in the repeat's fit time.
 */
export async function runRepeat(
  spec: ConfigSpec,
  data: PreparedData,
  shuffled: ShuffledTrain,
  key: RepeatKey,
  repeat: number,
  seed: number,
  fitParts: FitParts | null = null,
): Promise<RepeatRecord> {
  const startedAt = new Date().toISOString();
  const rngSeed = repeatSeed(seed, repeat);
  const order = new Rng(rngSeed).permutation(data.train.rows);
  // The peak covers the shuffle, the fit and the scoring: all the repeat holds at once.
  const { value: run, peakRssMB } = await withPeakRss(async () => {
    const X = shuffled.take(order);
    const y = takeLabels(data.trainLabels, order);
    const estimator = spec.create(rngSeed);
    const resumable = isResumableFit(estimator) ? estimator : null;
    resumable?.useFitParts(fitParts);
    const t0 = performance.now();
    try {
      await estimator.fit(X, y);
      const t1 = performance.now();
      const accuracy = await estimator.score(data.test, data.testLabels);
      const scoreSeconds = (performance.now() - t1) / 1000;
      // Read after scoring: a fit deferred to predict (shared Crammer–Singer) resumes there.
      const restoredSeconds = resumable?.resumedParts?.seconds ?? 0;
      const deferred = Math.min(estimator.benchmarkDeferredFitSeconds ?? 0, scoreSeconds);
      return {
        accuracy,
        fitSeconds: (t1 - t0) / 1000 + deferred + restoredSeconds,
        predictSeconds: scoreSeconds - deferred,
        note: estimator.benchmarkNote,
      };
    } finally {
      estimator.dispose?.();
    }
  });
  return {
    ...key,
    repeat,
    accuracy: run.accuracy,
    fitSeconds: run.fitSeconds,
    predictSeconds: run.predictSeconds,
    startedAt,
    finishedAt: new Date().toISOString(),
    nTrain: data.train.rows,
    nTest: data.test.rows,
    note: [spec.note, run.note].filter(Boolean).join('; ') || null,
    peakRssMB,
  };
}
