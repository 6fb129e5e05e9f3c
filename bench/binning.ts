/**
 * How long the trees' exact binning (binFeatures: distinct values per feature, codes
 * column- and row-major) takes on a standardised training set, in the WASM kernels and in
 * the TypeScript reference, and that both give the same bins. Every tree, forest and
 * boosting fit starts with it, on one thread, before any tree grows. Then, per run, a fresh
 * shuffle of the training set as the benchmark makes one for each repeat: binned afresh
 * (WASM) and through the training set's bins (binTrainingSet, which permutes them; its
 * first run also bins the training set once), and whether the two agree; then binned
 * afresh again with a booted, idle tree worker taking blocks of rows (as in a forest or
 * boosting fit), and whether that agrees too. One JSON line.
 *
 *   npm run bench:build
 *   node dist-bench/bench/binning.js [--dataset fashion|mnist] [--runs N]
 */
import './lib/help.js';
import { parseArgs } from 'node:util';
import { standardScaleInPlace } from './lib/common.js';
import { loadDataset } from '../src/data/load.js';
import type { DatasetName } from '../src/data/registry.js';
import { binFeatures, releaseBinned, type BinnedData } from '../src/kernels/histogram-bins.js';
import { fromBytes, takeRows } from '../src/ml/matrix.js';
import { Rng } from '../src/ml/random.js';
import { binTrainingSet, declareRowPermutation } from '../src/ml/tree/training-bins.js';
import { TreePool } from '../src/ml/tree/tree-pool.js';
import { sharedArena } from '../src/kernels/arena.js';
import { helperJoinedLast } from '../src/kernels/bins-shared.js';

function same(a: BinnedData, b: BinnedData): boolean {
  const eq = (x: ArrayLike<number> | null, y: ArrayLike<number> | null): boolean => {
    if (x === null || y === null) return x === y;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  };
  return (
    eq(a.nBins, b.nBins) &&
    eq(a.values, b.values) &&
    eq(a.codes, b.codes) &&
    eq(a.rowCodes, b.rowCodes)
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', default: 'fashion' },
      runs: { type: 'string', default: '3' },
    },
  });
  const runs = Number.parseInt(values.runs as string, 10);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`bench/binning: --runs must be a positive integer, got ${values.runs}.`);
  const ds = await loadDataset(values.dataset as DatasetName);
  const pixels = ds.train.height * ds.train.width;
  const train = fromBytes(ds.train.images, ds.train.count, pixels);
  const test = fromBytes(ds.test.images, ds.test.count, pixels);
  standardScaleInPlace(train, test);
  const times: Record<'wasm' | 'ts', number[]> = { wasm: [], ts: [] };
  let identical = true;
  const shuffleTimes: Record<'afresh' | 'permuted' | 'helped', number[]> = {
    afresh: [],
    permuted: [],
    helped: [],
  };
  let helpedIdentical = true;
  let helperJoined = 0;
  // A tree pool's first worker, booted and idle, as in a forest fit once it has booted.
  const pool = new TreePool(2);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  let permutedIdentical = true;
  for (let r = 0; r < runs; r++) {
    const out: Partial<Record<'wasm' | 'ts', BinnedData>> = {};
    for (const kernels of ['ts', 'wasm'] as const) {
      const t0 = performance.now();
      out[kernels] = binFeatures(train.data, train.rows, train.cols, {
        arena: true,
        rowMajor: true,
        kernels,
      });
      times[kernels].push((performance.now() - t0) / 1000);
    }
    identical &&= same(out.ts as BinnedData, out.wasm as BinnedData);
    releaseBinned(out.ts as BinnedData);
    releaseBinned(out.wasm as BinnedData);

    const order = new Rng(r).permutation(train.rows);
    const shuffled = takeRows(train, order);
    declareRowPermutation(shuffled, train, order);
    const options = { arena: true, rowMajor: true };
    let t0 = performance.now();
    const afresh = binFeatures(shuffled.data, shuffled.rows, shuffled.cols, options);
    shuffleTimes.afresh.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    const { binned: viaSource } = binTrainingSet(shuffled, options);
    shuffleTimes.permuted.push((performance.now() - t0) / 1000);
    permutedIdentical &&= same(afresh, viaSource);
    releaseBinned(viaSource);
    const helper = pool.binHelper();
    t0 = performance.now();
    const helped = binFeatures(shuffled.data, shuffled.rows, shuffled.cols, {
      ...options,
      helper,
    });
    shuffleTimes.helped.push((performance.now() - t0) / 1000);
    if (helperJoinedLast(sharedArena().memory, helper.sync)) helperJoined++;
    helpedIdentical &&= same(afresh, helped);
    releaseBinned(afresh);
    releaseBinned(helped);
  }
  await pool.close();
  const best = (xs: number[]): number => Math.min(...xs);
  console.log(
    JSON.stringify({
      dataset: values.dataset,
      rows: train.rows,
      features: train.cols,
      runs,
      ts_s: times.ts.map((t) => +t.toFixed(3)),
      wasm_s: times.wasm.map((t) => +t.toFixed(3)),
      speedup_best: +(best(times.ts) / best(times.wasm)).toFixed(2),
      identical,
      shuffle_binned_afresh_s: shuffleTimes.afresh.map((t) => +t.toFixed(3)),
      shuffle_via_training_bins_s: shuffleTimes.permuted.map((t) => +t.toFixed(3)),
      shuffle_identical: permutedIdentical,
      shuffle_with_a_tree_worker_s: shuffleTimes.helped.map((t) => +t.toFixed(3)),
      tree_worker_joined_runs: helperJoined,
      with_a_tree_worker_identical: helpedIdentical,
    }),
  );
  if (!identical || !permutedIdentical || !helpedIdentical) process.exitCode = 1;
}

await main();
