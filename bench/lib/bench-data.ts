/**
 * The data every row bench starts from: the dataset scaled as the paper scales it, and a
 * seeded shuffle of the training rows, of which a script fits the first n.
 */
import { loadDataset } from '../../src/data/load.js';
import type { DatasetName } from '../../src/data/registry.js';
import type { GridRow } from '../../src/benchmark/grid-row.js';
import type { Classifier } from '../../src/ml/estimator.js';
import { fromBytes, type Matrix, takeLabels, takeRows } from '../../src/ml/matrix.js';
import { Rng } from '../../src/ml/random.js';
import { standardScaleInPlace } from './common.js';

export interface ScaledDataset {
  /** All training rows, StandardScaler applied (fitted on them). */
  train: Matrix;
  trainLabels: Uint8Array;
  /** The test rows, scaled with the training rows' mean and std. */
  test: Matrix;
  testLabels: Uint8Array;
}

/** Loads a dataset and scales it in place (one float32 copy of each split, no more). */
export async function loadScaledDataset(dataset: DatasetName): Promise<ScaledDataset> {
  const ds = await loadDataset(dataset);
  const pixels = ds.train.height * ds.train.width;
  const train = fromBytes(ds.train.images, ds.train.count, pixels);
  const test = fromBytes(ds.test.images, ds.test.count, pixels);
  standardScaleInPlace(train, test);
  return { train, trainLabels: ds.train.labels, test, testLabels: ds.test.labels };
}

export interface TrainingSubset {
  /** Which training rows, in the order they are fitted. */
  rows: Uint32Array;
  X: Matrix;
  y: Uint8Array;
}

/** The first n rows (null or none: all) of the training set shuffled with `seed`. */
export function shuffledSubset(
  data: ScaledDataset,
  seed: number,
  n?: number | null,
): TrainingSubset {
  const count = Math.min(n ?? data.train.rows, data.train.rows);
  const rows = new Rng(seed).permutation(data.train.rows).subarray(0, count);
  return { rows, X: takeRows(data.train, rows), y: takeLabels(data.trainLabels, rows) };
}

/** The share of predictions equal to their labels. */
export function accuracyOf(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length) {
    throw new RangeError(
      `accuracyOf: ${predicted.length} predictions for ${labels.length} labels.`,
    );
  }
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits++;
  return hits / labels.length;
}

/** A fitted classifier's test accuracy, and how long its predict took. */
export async function scoreOnTest(
  clf: Classifier,
  test: Matrix,
  testLabels: Uint8Array,
): Promise<{ accuracy: number; predictS: number }> {
  const t0 = performance.now();
  const predicted = await clf.predict(test);
  const predictS = (performance.now() - t0) / 1000;
  return { accuracy: accuracyOf(predicted, testLabels), predictS };
}

/** The fields every row bench's JSON line starts with: which row, on what, how it scored. */
export function rowLineHead(
  dataset: DatasetName,
  row: GridRow,
  nTrain: number,
  accuracy: number,
  fitS: number,
  predictS: number,
): Record<string, unknown> {
  const paper = row.paper[dataset];
  return {
    dataset,
    name: row.classifier,
    params: row.paramsText,
    n_train: nTrain,
    accuracy,
    paper,
    within_0_01_of_paper: Math.abs(accuracy - paper) <= 0.01 + 1e-9,
    fit_s: +fitS.toFixed(3),
    predict_s: +predictS.toFixed(3),
  };
}
