/** A finished GaussianNB repeat for store tests: repeat r starts at second r and takes a second. */
import type { RepeatRecord } from './store.js';

export function sampleRepeat(
  repeat: number,
  accuracy: number,
  dataset = 'fashion',
  extra: Partial<RepeatRecord> = {},
): RepeatRecord {
  return {
    dataset,
    classifier: 'GaussianNB',
    params: 'priors=[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]',
    protocol: 'seed=0 test=10000 train=60000',
    repeat,
    accuracy,
    fitSeconds: 1,
    predictSeconds: 0.5,
    startedAt: `2026-01-01T00:00:0${repeat}Z`,
    finishedAt: `2026-01-01T00:00:0${repeat + 1}Z`,
    nTrain: 60000,
    nTest: 10000,
    note: null,
    ...extra,
    peakRssMB: extra.peakRssMB ?? null,
  };
}
