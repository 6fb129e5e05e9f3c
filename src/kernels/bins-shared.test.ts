import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FmnistError } from '../errors.js';
import { Rng } from '../ml/random.js';
import { sharedArena } from './arena.js';
import {
  SYNC_WORDS,
  helpBinning,
  helperJoinedLast,
  type BinHelper,
  type SharedBinJob,
} from './bins-shared.js';
import { binFeatures, releaseBinned, type BinnedData } from './histogram-bins.js';

/** n×d in a SharedArrayBuffer; feature j has `levels(j)` distinct values, row order random. */
function sharedData(
  n: number,
  d: number,
  seed: number,
  levels: (j: number) => number,
): Float32Array {
  const rng = new Rng(seed);
  const data = new Float32Array(new SharedArrayBuffer(n * d * 4));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++)
      data[i * d + j] = (rng.nextInt(levels(j)) - 7.5) * (0.01 + j * 0.003);
  return data;
}

/** A helper that records its jobs and never joins (as one still booting when binning ends). */
function absentHelper(): BinHelper & { jobs: SharedBinJob[]; free(): void } {
  const a = sharedArena();
  const sync = a.alloc(SYNC_WORDS * 4);
  const jobs: SharedBinJob[] = [];
  return { sync, jobs, help: (job) => jobs.push(job), free: () => a.release(sync) };
}

function assertSameBins(got: BinnedData, want: BinnedData): void {
  assert.deepEqual(Array.from(got.nBins), Array.from(want.nBins));
  assert.deepEqual(Array.from(got.offsets), Array.from(want.offsets));
  assert.deepEqual(Array.from(got.values), Array.from(want.values));
  assert.equal(got.maxBins, want.maxBins);
  assert.ok(got.codes instanceof Uint8Array && want.codes instanceof Uint8Array);
  assert.ok(Buffer.compare(got.codes, want.codes) === 0, 'column-major codes');
  assert.ok(
    Buffer.compare(got.rowCodes as Uint8Array, want.rowCodes as Uint8Array) === 0,
    'row-major codes',
  );
}

test('with a helper that never joins, the main thread bins every block alone: same bins as serial', () => {
  const n = 1500; // several blocks of sharedBlockRows(40) rows, the last one short
  const d = 40;
  const data = sharedData(n, d, 3, (j) => 2 + ((j * 37) % 250));
  const helper = absentHelper();
  // Reused arena memory holds old bytes: the shared path must write every code itself.
  const dirty = sharedArena().alloc(4 * n * d);
  new Uint8Array(sharedArena().buffer(), dirty, 4 * n * d).fill(0xa5);
  sharedArena().release(dirty);
  const options = { arena: true, rowMajor: true, shared: true } as const;
  const together = binFeatures(data, n, d, { ...options, helper });
  const serial = binFeatures(data, n, d, options);
  try {
    assert.equal(helper.jobs.length, 1, 'the helper was asked');
    assert.equal(helperJoinedLast(sharedArena().memory, helper.sync), false);
    assertSameBins(together, serial);
    // The helper reaching the job afterwards finds the door closed and touches nothing.
    const before = Uint8Array.from(together.codes as Uint8Array);
    helpBinning(helper.jobs[0]);
    assert.ok(Buffer.compare(before, together.codes as Uint8Array) === 0);
  } finally {
    releaseBinned(together);
    releaseBinned(serial);
    helper.free();
  }
});

test('a feature with more than 256 values, or a non-finite value, falls back to the serial path', () => {
  const n = 1200;
  const d = 6;
  const helper = absentHelper();
  try {
    const wide = sharedData(n, d, 5, (j) => (j === 4 ? 1000 : 9));
    const got = binFeatures(wide, n, d, { arena: true, rowMajor: true, helper });
    const want = binFeatures(wide, n, d, { arena: true, rowMajor: true });
    assert.ok(got.codes instanceof Uint16Array, 'wide codes, as serial gives');
    assert.deepEqual(Array.from(got.codes), Array.from(want.codes));
    assert.deepEqual(Array.from(got.values), Array.from(want.values));
    releaseBinned(got);
    releaseBinned(want);

    const bad = sharedData(n, d, 6, () => 9);
    bad[700 * d + 2] = Number.NaN;
    assert.throws(
      () => binFeatures(bad, n, d, { arena: true, rowMajor: true, helper }),
      (e: unknown) => e instanceof FmnistError && /row 700, feature 2: NaN/.test(e.message),
    );
  } finally {
    helper.free();
  }
});

test('data outside shared memory is binned serially; the helper is not asked', () => {
  const n = 300;
  const d = 4;
  const data = Float32Array.from(sharedData(n, d, 8, () => 5));
  const helper = absentHelper();
  try {
    const b = binFeatures(data, n, d, { arena: true, rowMajor: true, helper });
    assert.equal(helper.jobs.length, 0);
    releaseBinned(b);
  } finally {
    helper.free();
  }
});

test('a helper that fails after joining makes the main thread fall back to binning alone', () => {
  const n = 900;
  const d = 12;
  const data = sharedData(n, d, 9, (j) => 3 + j * 5);
  const a = sharedArena();
  const sync = a.alloc(SYNC_WORDS * 4);
  // Joins at once (on this thread), then cannot instantiate the kernels.
  const failing: BinHelper = {
    sync,
    help: (job) => helpBinning({ ...job, module: 'not a module' as unknown as WebAssembly.Module }),
  };
  const options = { arena: true, rowMajor: true } as const;
  try {
    const got = binFeatures(data, n, d, { ...options, helper: failing });
    assert.equal(helperJoinedLast(a.memory, sync), true, 'it did join');
    const want = binFeatures(data, n, d, options);
    assertSameBins(got, want);
    releaseBinned(got);
    releaseBinned(want);
  } finally {
    a.release(sync);
  }
});
