/** What every bench script shares: the paper's scaling and where the scikit-learn peer is. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { affineColumns, columnMeanVar } from '../../src/kernels/columns.js';
import type { Matrix } from '../../src/ml/matrix.js';

/**
 * The scikit-learn reference script in ../shared/reference beside the repository
 * (override with FMNIST_SKLEARN_PEER). Compiled, this file sits in dist-bench/bench/lib/.
 */
export const SKLEARN_PEER =
  process.env.FMNIST_SKLEARN_PEER ??
  fileURLToPath(new URL('../../../../shared/reference/sklearn_peer.py', import.meta.url));

export function sklearnPeerAvailable(): boolean {
  return existsSync('/usr/bin/python3') && existsSync(SKLEARN_PEER);
}

/**
 * StandardScaler fitted on `train` and applied to both, in place (population std; a
 * zero-variance feature gets scale 1): the same numbers as src/ml/preprocessing's
 * StandardScaler, without allocating a second 188 MB copy.
 */
export function standardScaleInPlace(train: Matrix, test: Matrix): void {
  const { mean, variance } = columnMeanVar(train.data, train.rows, train.cols);
  const factor = variance.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
  affineColumns(train.data, train.rows, train.cols, mean, factor, train.data);
  affineColumns(test.data, test.rows, test.cols, mean, factor, test.data);
}

/**
 * Whether a grid row is selected by the --only values: every --only is a substring of
 * "Classifier params", and a row runs when it matches any of them (no --only: every row).
 */
export function matchesOnly(
  only: readonly string[],
  classifier: string,
  paramsText: string,
): boolean {
  const text = `${classifier} ${paramsText}`;
  return only.length === 0 || only.some((t) => text.includes(t));
}

/** A bench that selected nothing says so, instead of printing nothing and exiting 0. */
export function requireSelected<T>(
  rows: readonly T[],
  only: readonly string[],
  script: string,
): void {
  if (rows.length === 0) {
    throw new Error(
      `${script}: no grid row matches --only ${only.map((t) => JSON.stringify(t)).join(' ')}; ` +
        'each --only is a substring of "Classifier params", e.g. "SVC C=10 kernel=rbf".',
    );
  }
}

/** The options every grid-row bench takes: which rows, how much data, scikit-learn or not. */
export interface RowBenchArgs {
  only: string[];
  n: number | null;
  sklearn: boolean;
  jobs: number;
  dataset: 'fashion' | 'mnist';
  seed: number;
  sklearnTimeout: number;
}

/**
 * Parses the common row-bench options plus a script's own boolean `flags` (e.g.
 * 'sklearn-gb') and positive integer `counts` (e.g. 'runs', null when not given); unknown
 * options are an error (node:util parseArgs, strict).
 */
export function parseRowBenchArgs<F extends string, C extends string = never>(
  argv: string[],
  sklearnTimeoutSeconds: number,
  flags: readonly F[] = [],
  counts: readonly C[] = [],
): RowBenchArgs & { flags: Record<F, boolean>; counts: Record<C, number | null> } {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...Object.fromEntries(counts.map((c) => [c, { type: 'string' as const }])),
      only: { type: 'string', multiple: true, default: [] },
      n: { type: 'string' },
      sklearn: { type: 'boolean', default: false },
      jobs: { type: 'string', default: '2' },
      dataset: { type: 'string', default: 'fashion' },
      seed: { type: 'string', default: '0' },
      'sklearn-timeout': { type: 'string', default: String(sklearnTimeoutSeconds) },
      ...Object.fromEntries(flags.map((f) => [f, { type: 'boolean' as const, default: false }])),
    },
  });
  if (v.dataset !== 'fashion' && v.dataset !== 'mnist') {
    throw new RangeError(`--dataset must be fashion or mnist. Got '${String(v.dataset)}'.`);
  }
  return {
    only: v.only as string[],
    n: v.n === undefined ? null : Number.parseInt(v.n as string, 10),
    sklearn: v.sklearn as boolean,
    jobs: Number.parseInt(v.jobs as string, 10),
    dataset: v.dataset,
    seed: Number.parseInt(v.seed as string, 10),
    sklearnTimeout: Number.parseInt(v['sklearn-timeout'] as string, 10),
    flags: Object.fromEntries(
      flags.map((f) => [f, (v as Record<string, unknown>)[f] === true]),
    ) as Record<F, boolean>,
    counts: Object.fromEntries(
      counts.map((c) => [c, positiveCount(c, (v as Record<string, unknown>)[c])]),
    ) as Record<C, number | null>,
  };
}

function positiveCount(option: string, text: unknown): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`--${option} must be a whole number ≥ 1. Got '${String(text)}'.`);
  }
  return n;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** bench/sklearn_rows.py: scikit-learn on the very rows a bench script chose (--same-rows). */
const SKLEARN_ROWS = fileURLToPath(new URL('../../../bench/sklearn_rows.py', import.meta.url));

/** One scikit-learn run of the peer script: which classifier, on what, for how long. */
export interface PeerRequest {
  dataset: string;
  clf: string;
  params: Record<string, unknown>;
  nTrain: number;
  seed: number;
  timeoutS: number;
  /** BLAS/OpenMP threads for scikit-learn (unset: its default, every core). */
  threads?: number;
  /** Fields of the peer's JSON line to keep. */
  fields: readonly string[];
}

/**
 * Runs ../shared/reference/sklearn_peer.py once (or, given `rows`, bench/sklearn_rows.py
 * on exactly those rows) and returns the chosen fields of its last JSON line, or
 * `{ error, timeout_s }` when it fails or runs out of time.
 */
export function runSklearnPeer(
  r: PeerRequest,
  rows?: Int32Array | Uint32Array,
): Record<string, unknown> {
  if (rows !== undefined) return runSklearnOnRows(r, rows);
  return runPython(r, [
    SKLEARN_PEER,
    ...['--dataset', r.dataset, '--clf', r.clf, '--params', JSON.stringify(r.params)],
    ...['--n-train', String(r.nTrain), '--seed', String(r.seed)],
  ]);
}

/**
 * scikit-learn fitted on exactly `rows` of the scaled training set (bench/sklearn_rows.py):
 * the same problem as ours, where the peer script would draw its own subset.
 */
function runSklearnOnRows(r: PeerRequest, rows: Int32Array | Uint32Array): Record<string, unknown> {
  return withScratchFiles({ 'rows.i32': rows }, (paths) =>
    runPython(r, [
      SKLEARN_ROWS,
      ...['--peer-dir', dirname(SKLEARN_PEER), '--dataset', r.dataset, '--clf', r.clf],
      ...['--params', JSON.stringify(r.params), '--indices', paths['rows.i32']],
    ]),
  );
}

/**
 * Writes each array's bytes to a file of that name in a fresh temporary folder, hands
 * `use` their paths, and removes the folder however `use` ends (once its promise settles,
 * if it returns one): how a bench passes the very rows it chose to a Python script.
 */
export function withScratchFiles<T>(
  arrays: Record<string, ArrayBufferView>,
  use: (paths: Record<string, string>) => T,
): T {
  const scratch = mkdtempSync(join(tmpdir(), 'fmnist-bench-'));
  const removeScratch = (): void => rmSync(scratch, { recursive: true, force: true });
  let result: T;
  try {
    const paths: Record<string, string> = {};
    for (const [name, a] of Object.entries(arrays)) {
      paths[name] = join(scratch, name);
      writeFileSync(paths[name], Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    }
    result = use(paths);
  } catch (err) {
    removeScratch();
    throw err;
  }
  if (result instanceof Promise) return result.finally(removeScratch) as T;
  removeScratch();
  return result;
}

/**
 * Runs a bench Python script on one BLAS/OpenMP thread (the side-by-side comparisons run
 * ours on one thread too) and returns its last output line, parsed as JSON.
 */
export function runPythonOneThread(args: readonly string[]): unknown {
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const out = execFileSync('/usr/bin/python3', args, { encoding: 'utf8', env });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

/**
 * Runs a scikit-learn script with the request's threads and time limit: the chosen fields
 * of its last JSON line, or `{ error, timeout_s }` when it fails or runs out of time.
 */
function runPython(r: PeerRequest, args: string[]): Record<string, unknown> {
  const env =
    r.threads === undefined
      ? process.env
      : {
          ...process.env,
          OMP_NUM_THREADS: String(r.threads),
          OPENBLAS_NUM_THREADS: String(r.threads),
        };
  try {
    const out = execFileSync('/usr/bin/python3', args, {
      encoding: 'utf8',
      timeout: r.timeoutS * 1000,
      env,
    });
    const line = JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    return Object.fromEntries(r.fields.map((f) => [f, line[f]]));
  } catch (err) {
    return {
      error: `scikit-learn did not finish: ${(err as Error).message.split('\n')[0]}`,
      timeout_s: r.timeoutS,
    };
  }
}
