/**
 * Runs one repeat job exactly as a local run runs a repeat (same shuffle, seed, estimator,
 * timing and peak memory) and returns the finished repeats as lines of the results file
 * format. The last prepared dataset is kept, so consecutive jobs on one dataset in the
 * same job process load and scale it once. Given the queue's Redis, a long fit keeps its
 * finished parts there (redis-fit-parts.ts), so a retry after a dead worker resumes it.
 */
import type { Redis } from 'ioredis';
import { loadDataset, type LoadOptions } from '../../data/load.js';
import { prepareData } from '../prepare.js';
import {
  configKey,
  protocolText,
  runRepeat,
  trainingDataId,
  type PreparedData,
} from '../protocol.js';
import { specForRow } from '../runner.js';
import { ShuffledTrain } from '../shuffled-train.js';
import { repeatLine } from '../store-file.js';
import type { RepeatKey, RepeatRecord } from '../store.js';
import { RedisFitParts, fitPartsRedisKey } from './redis-fit-parts.js';
import {
  REPEAT_JOB_RESULT_FORMAT,
  rowById,
  type RepeatJobData,
  type RepeatJobResult,
} from './repeat-job.js';

/** Loads and prepares a dataset as the job asks (StandardScaler, subsets). */
export type JobDataLoader = (job: RepeatJobData) => Promise<PreparedData>;

/** The local copy of the job's dataset, prepared as `fmnist benchmark` prepares it. */
export function datasetLoader(options: LoadOptions = {}): JobDataLoader {
  return async (job) =>
    prepareData(
      { ...(await loadDataset(job.dataset, options)), name: job.dataset },
      {
        trainSize: job.trainSize ?? undefined,
        testSize: job.testSize ?? undefined,
        seed: job.seed,
      },
    );
}

let cached: { key: string; data: PreparedData } | null = null;

async function prepared(job: RepeatJobData, loadData: JobDataLoader): Promise<PreparedData> {
  const key = JSON.stringify([job.dataset, job.trainSize, job.testSize, job.seed]);
  if (cached?.key !== key) {
    cached = null; // let the previous dataset go before loading the next
    cached = { key, data: await loadData(job) };
  }
  return cached.data;
}

/** Where a job keeps the finished parts of its fits: the queue's Redis and the queue's name. */
export interface JobFitPartsStore {
  readonly redis: Redis;
  readonly queueName: string;
}

export async function runRepeatJob(
  job: RepeatJobData,
  loadData: JobDataLoader,
  partsStore: JobFitPartsStore | null = null,
): Promise<RepeatJobResult> {
  const data = await prepared(job, loadData);
  const protocol = protocolText(
    { seed: job.seed, maxRepeats: job.maxRepeats, earlyStopTolerance: job.earlyStopTolerance },
    data,
  );
  const records: RepeatRecord[] = [];
  const shuffled = new ShuffledTrain(data.train);
  try {
    for (const name of job.rows) {
      const spec = specForRow(rowById(name));
      if (!spec) throw new Error(`${name}: this worker's fmnist has no estimator for it`);
      const key = configKey(spec, data.name, protocol);
      const parts = partsStore && (await openParts(partsStore, key, job.repeat, data));
      try {
        records.push(await runRepeat(spec, data, shuffled, key, job.repeat, job.seed, parts));
      } finally {
        const failure = await parts?.settle();
        if (failure) {
          process.stderr.write(
            `fmnist job: ${name}: some finished fit parts did not reach Redis (${failure}); a retry solves them again\n`,
          );
        }
      }
      // The repeat is done: its parts are no longer needed by anyone.
      await parts?.drop();
    }
  } finally {
    shuffled.release();
  }
  return { format: REPEAT_JOB_RESULT_FORMAT, lines: records.map(repeatLine) };
}

async function openParts(
  store: JobFitPartsStore,
  key: RepeatKey,
  repeat: number,
  data: PreparedData,
): Promise<RedisFitParts> {
  return RedisFitParts.open(
    store.redis,
    fitPartsRedisKey(store.queueName, key, repeat, trainingDataId(data)),
  );
}
