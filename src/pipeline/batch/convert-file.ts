/** One input file → its 28×28 PNG (and optional steps strip) on disk, and its manifest row. */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type SharpenMode, convertImage, SIDE } from '../convert-image.js';
import { ImageDecodeError } from '../errors.js';
import type { ManifestRow } from '../manifest.js';
import { encodeGrayPng } from '../png.js';
import { encodeStripPng } from '../strip.js';
import { writeFileAtomicSync } from '../../data/atomic.js';

/** Thousands of tiny PNGs: atomic (temp + rename) but not fsynced one by one. */
const FAST = { durable: false };
import type { ConvertTask } from './collect-inputs.js';

export interface FileConvertOptions {
  outDir: string;
  sharpen: SharpenMode;
  /** Write low-contrast outputs too (they are reported either way). */
  keepLowContrast: boolean;
  /** Also write `<output>.steps.png`, the image after every step. */
  steps: boolean;
}

const madeDirs = new Set<string>();

function ensureDir(dir: string): void {
  if (madeDirs.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
}

export async function convertFile(
  task: ConvertTask,
  options: FileConvertOptions,
): Promise<ManifestRow> {
  const row: ManifestRow = {
    source: task.source,
    output: '',
    status: 'error',
    reason: '',
    p99: null,
  };
  try {
    const input = readFileSync(task.source);
    const result = await convertImage(input, {
      sharpen: options.sharpen,
      steps: options.steps,
      source: task.source,
    });
    const target = join(options.outDir, task.output);
    ensureDir(dirname(target));
    if (result.steps)
      writeFileAtomicSync(
        target.replace(/\.png$/, '.steps.png'),
        encodeStripPng(result.steps),
        FAST,
      );
    row.status = result.status;
    if (result.pixels === null) {
      row.reason = 'nothing left after trim (the image is all background)';
      return row;
    }
    row.p99 = result.p99;
    if (result.status === 'low-contrast')
      row.reason = `99th-percentile intensity ${result.p99} is below 40`;
    if (result.status === 'ok' || options.keepLowContrast) {
      writeFileAtomicSync(target, encodeGrayPng(result.pixels, SIDE, SIDE), FAST);
      row.output = task.output;
    }
  } catch (err) {
    row.status = 'error';
    row.reason =
      err instanceof ImageDecodeError
        ? err.reason
        : err instanceof Error
          ? err.message
          : String(err);
  }
  return row;
}

/** Runs tasks with up to `inFlight` concurrent decodes (sharp decodes off the JS thread). */
export async function convertFiles(
  tasks: readonly ConvertTask[],
  options: FileConvertOptions,
  inFlight = 8,
): Promise<ManifestRow[]> {
  const rows: ManifestRow[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      rows[i] = await convertFile(tasks[i], options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, tasks.length) }, lane));
  return rows;
}
