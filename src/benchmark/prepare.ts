/**
 * Turns loaded uint8 images into what the protocol needs: float32 matrices in shared
 * memory, StandardScaler fitted on the training set and applied to both sets (as the
 * paper's runner does). Optionally a seeded random subset of the training set, for
 * quick runs.
 */
import { fromBytes, takeLabels } from '../ml/matrix.js';
import { StandardScaler } from '../ml/preprocessing/standard-scaler.js';
import { Rng } from '../ml/random.js';
import type { PreparedData } from './protocol.js';

/** The part of a loaded dataset the benchmark reads (loadDataset's result fits it). */
export interface ImageSplits {
  readonly name: string;
  readonly train: {
    readonly images: Uint8Array;
    readonly labels: Uint8Array;
    readonly count: number;
  };
  readonly test: {
    readonly images: Uint8Array;
    readonly labels: Uint8Array;
    readonly count: number;
  };
}

export interface PrepareOptions {
  /** Use only this many training rows (a seeded random subset). @default all */
  readonly trainSize?: number;
  /** Use only the first this many test rows. @default all */
  readonly testSize?: number;
  /** Seed of the subset. @default 0 */
  readonly seed?: number;
}

export function prepareData(ds: ImageSplits, options: PrepareOptions = {}): PreparedData {
  const d = ds.train.images.length / ds.train.count;
  let trainImages = ds.train.images;
  let trainLabels = ds.train.labels;
  const trainSize = options.trainSize ?? ds.train.count;
  if (!Number.isInteger(trainSize) || trainSize < 1 || trainSize > ds.train.count) {
    throw new RangeError(
      `The training-set size must be an int in [1, ${ds.train.count}] for ${ds.name}. Got ${trainSize}.`,
    );
  }
  if (trainSize < ds.train.count) {
    const subset = new Rng(options.seed ?? 0).permutation(ds.train.count).subarray(0, trainSize);
    trainImages = new Uint8Array(trainSize * d);
    subset.forEach((src, i) =>
      trainImages.set(ds.train.images.subarray(src * d, (src + 1) * d), i * d),
    );
    trainLabels = takeLabels(ds.train.labels, subset);
  }
  const testSize = options.testSize ?? ds.test.count;
  if (!Number.isInteger(testSize) || testSize < 1 || testSize > ds.test.count) {
    throw new RangeError(
      `The test-set size must be an int in [1, ${ds.test.count}] for ${ds.name}. Got ${testSize}.`,
    );
  }
  const scaler = new StandardScaler();
  const train = scaler.fitTransform(fromBytes(trainImages, trainSize, d));
  const test = scaler.transform(fromBytes(ds.test.images.subarray(0, testSize * d), testSize, d));
  return {
    name: ds.name,
    train,
    trainLabels,
    test,
    testLabels: ds.test.labels.subarray(0, testSize),
  };
}
