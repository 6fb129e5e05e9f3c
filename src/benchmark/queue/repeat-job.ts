/**
 * The unit of distributed work: one repeat of one or more grid rows on one dataset. Rows
 * that share a computation (k-NN rows with the same p, Crammer–Singer rows with the same
 * C) travel in one job, so the worker that takes it computes the shared part once, as a
 * local run does. Jobs are plain JSON (BullMQ stores them in Redis) and are checked when
 * a worker takes one, since coordinator and workers may run different fmnist versions.
 */
import { createHash } from 'node:crypto';
import { GRID, type GridRow } from '../grid.js';
import { isCrammerSingerRow } from '../shared-crammer-singer.js';
import type { ProtocolOptions } from '../protocol.js';

export const REPEAT_JOB_FORMAT = 'fmnist-repeat-job/1';
export const REPEAT_JOB_RESULT_FORMAT = 'fmnist-repeat-job-result/1';

export interface RepeatJobData {
  readonly format: typeof REPEAT_JOB_FORMAT;
  readonly dataset: 'fashion' | 'mnist';
  /** Grid rows by rowId, e.g. "SVC C=10 kernel=rbf". */
  readonly rows: readonly string[];
  readonly repeat: number;
  /** The protocol's base seed (part of the stored key). */
  readonly seed: number;
  /** The run's repeat cap and early stop: they decide which repeats run, not what one gives. */
  readonly maxRepeats: number;
  readonly earlyStopTolerance: number;
  /** A seeded subset of the training set, the first n test rows; null = all. */
  readonly trainSize: number | null;
  readonly testSize: number | null;
}

export interface RepeatJobResult {
  readonly format: typeof REPEAT_JOB_RESULT_FORMAT;
  /** One line per row, in the results file format (store-file.ts). */
  readonly lines: readonly string[];
}

export class RepeatJobError extends Error {
  readonly code = 'REPEAT_JOB_INVALID';
  constructor(detail: string) {
    super(`Invalid benchmark job: ${detail}`);
    this.name = 'RepeatJobError';
  }
}

/** A grid row's name in jobs: the classifier and the paper's parameter text. */
export function rowId(row: GridRow): string {
  return `${row.classifier} ${row.paramsText}`;
}

export function rowById(id: string): GridRow {
  const row = GRID.find((r) => rowId(r) === id);
  if (!row) {
    throw new RepeatJobError(
      `no grid row is called "${id}" (coordinator and worker may run different fmnist versions)`,
    );
  }
  return row;
}

/** Rows with the same key share work within a repeat (see shared-neighbours, shared-crammer-singer). */
export function shareKey(row: GridRow): string {
  if (row.classifier === 'KNeighborsClassifier') return `KNeighborsClassifier p=${row.params.p}`;
  if (isCrammerSingerRow(row)) return `LinearSVC crammer_singer C=${row.params.C}`;
  return rowId(row);
}

export function makeRepeatJob(
  dataset: 'fashion' | 'mnist',
  rows: readonly GridRow[],
  repeat: number,
  options: ProtocolOptions,
  sizes: { readonly trainSize: number | null; readonly testSize: number | null },
): RepeatJobData {
  return {
    format: REPEAT_JOB_FORMAT,
    dataset,
    rows: rows.map(rowId),
    repeat,
    seed: options.seed,
    maxRepeats: options.maxRepeats,
    earlyStopTolerance: options.earlyStopTolerance,
    trainSize: sizes.trainSize,
    testSize: sizes.testSize,
  };
}

/**
 * A job's id follows from what decides its result, so a coordinator started again finds
 * the jobs it queued before (and the results of those that finished meanwhile) instead of
 * adding them twice, also when it runs with another --repeats (as the store's keys do).
 */
export function repeatJobId(job: RepeatJobData): string {
  const { format, dataset, rows, repeat, seed, trainSize, testSize } = job;
  const result = { format, dataset, rows, repeat, seed, trainSize, testSize };
  return `repeat-${createHash('sha256').update(JSON.stringify(result)).digest('hex').slice(0, 32)}`;
}

/** Checks a job taken from the queue; throws RepeatJobError naming the bad field. */
export function parseRepeatJob(value: unknown): RepeatJobData {
  if (typeof value !== 'object' || value === null) throw new RepeatJobError('not an object');
  const o = value as Record<string, unknown>;
  if (o.format !== REPEAT_JOB_FORMAT) {
    throw new RepeatJobError(
      `expected format "${REPEAT_JOB_FORMAT}", got ${JSON.stringify(o.format)}`,
    );
  }
  if (o.dataset !== 'fashion' && o.dataset !== 'mnist') {
    throw new RepeatJobError(
      `'dataset' must be "fashion" or "mnist", got ${JSON.stringify(o.dataset)}`,
    );
  }
  if (
    !Array.isArray(o.rows) ||
    o.rows.length === 0 ||
    !o.rows.every((r) => typeof r === 'string')
  ) {
    throw new RepeatJobError(`'rows' must be a non-empty list of grid row names`);
  }
  o.rows.forEach((id: string) => rowById(id));
  const int = (field: string, min: number): void => {
    if (!Number.isInteger(o[field]) || (o[field] as number) < min) {
      throw new RepeatJobError(
        `'${field}' must be an integer ≥ ${min}, got ${JSON.stringify(o[field])}`,
      );
    }
  };
  int('repeat', 0);
  int('seed', 0);
  int('maxRepeats', 1);
  if (typeof o.earlyStopTolerance !== 'number' || !(o.earlyStopTolerance >= 0)) {
    throw new RepeatJobError(`'earlyStopTolerance' must be a number ≥ 0`);
  }
  for (const field of ['trainSize', 'testSize']) if (o[field] !== null) int(field, 1);
  return o as unknown as RepeatJobData;
}
