import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../ml/random.js';
import { bootstrapCounts } from '../ml/tree/tree-jobs.js';
import { binFeatures, releaseBinned, type BinnedData } from './histogram-bins.js';
import { arenaTreeScratch, type TreeScratch } from './tree-wasm.js';
import {
  classBinSpan,
  classStride,
  clearClassLean,
  fillClassAllFeatures,
  fillClassAllLean,
  fillClassLean,
  fillRegressionAllFeatures,
  classWeightsAtOrBelow,
  fillRegressionFeature,
  gatherBlock,
  nodeBinRange,
  gatherRows,
  partitionByBin,
  partitionPairByBin,
  subtractHistogram,
  sweepClassLean,
  sweepRegression,
} from './tree-split.js';

/** Binned data in kernel memory: nVals distinct values per feature, labels 0..K−1. */
function setup(n: number, d: number, K: number, nVals: number, seed: number) {
  const rng = new Rng(seed);
  const X = new Float32Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextInt(nVals) / 8;
  const b = binFeatures(X, n, d, { rowMajor: true, arena: true });
  const ws = arenaTreeScratch();
  const y = ws.i32(n);
  const w = ws.i32(n);
  const r = ws.f64(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextInt(K);
    w[i] = 1 + rng.nextInt(3);
    r[i] = rng.nextFloat() - 0.5;
  }
  const idx = ws.i32(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (rng.nextInt(3) !== 0) idx[m++] = i;
  return { b, ws, y, w, r, idx: idx.subarray(0, m), m, rng };
}

function done(b: BinnedData, ws: TreeScratch): void {
  ws.release();
  releaseBinned(b);
}

function copy<T extends Int32Array | Float64Array>(ws: TreeScratch, a: T): T {
  const c = (a instanceof Int32Array ? ws.i32(a.length) : ws.f64(a.length)) as T;
  c.set(a);
  return c;
}

test('binFeatures with arena: the same codes, in kernel memory', () => {
  const rng = new Rng(1);
  const X = Float32Array.from({ length: 50 * 7 }, () => rng.nextInt(9));
  const plain = binFeatures(X, 50, 7, { rowMajor: true });
  const k = binFeatures(X, 50, 7, { rowMajor: true, arena: true });
  assert.equal(k.inKernelMemory, true);
  assert.deepEqual(Array.from(k.codes), Array.from(plain.codes));
  assert.deepEqual(Array.from(k.rowCodes ?? []), Array.from(plain.rowCodes ?? []));
  releaseBinned(k);
});

for (const [label, n, nVals] of [
  ['small nodes (bitmap path)', 40, 200],
  ['big nodes (mark path)', 3000, 60],
] as const) {
  test(`fillClassLean / sweepClassLean / clearClassLean: WASM equals TS, ${label}`, () => {
    const d = 5;
    const K = 4;
    const { b, ws, y, w, idx, m } = setup(n, d, K, nVals, 2);
    const S = classStride(K);
    const yNode = ws.i32(m);
    const wNode = ws.i32(m);
    const totals = ws.i32(K);
    let W = 0;
    for (let p = 0; p < m; p++) {
      yNode[p] = y[idx[p]];
      wNode[p] = w[idx[p]];
      totals[yNode[p]] += wNode[p];
      W += wNode[p];
    }
    const xlogx = ws.f64(W + 1);
    for (let c = 1; c <= W; c++) xlogx[c] = c * Math.log(c);
    const values = copy(ws, b.values);
    const mk = () => ({
      hist: ws.i32(b.maxBins * S),
      touched: ws.i32(b.maxBins + 1),
      seen: ws.i32(8),
      mark32: ws.i32(b.maxBins),
      left: ws.i32(K),
      out: ws.f64(3),
    });
    const ts = mk();
    const wa = mk();
    const block = ws.u8(m * d);
    gatherBlock(b.rowCodes as Uint8Array, d, idx, 0, m, block);
    for (let f = 0; f < d; f++) {
      for (const contiguous of [false, true]) {
        const codes = contiguous ? block : b.codes;
        const colBase = contiguous ? f * m : f * n;
        const u = fillClassLean(
          codes,
          colBase,
          contiguous ? null : idx,
          0,
          m,
          yNode,
          wNode,
          K,
          b.nBins[f],
          ts.hist,
          ts.touched,
          ts.seen,
          new Uint8Array(ts.mark32.buffer, ts.mark32.byteOffset, 4 * ts.mark32.length),
          ts.mark32,
        );
        const v = ws.k.treeFillClassLean(
          codes.byteOffset,
          colBase,
          contiguous ? 0 : idx.byteOffset,
          0,
          m,
          yNode.byteOffset,
          wNode.byteOffset,
          K,
          b.nBins[f],
          wa.hist.byteOffset,
          wa.touched.byteOffset,
          wa.seen.byteOffset,
          wa.mark32.byteOffset,
        );
        assert.equal(v, u);
        assert.deepEqual(wa.hist, ts.hist);
        assert.deepEqual(wa.touched.subarray(0, u), ts.touched.subarray(0, u));
        for (const entropy of [false, true]) {
          for (const [minLeaf, unit] of [
            [1, true],
            [3, true],
            [1, false],
          ] as const) {
            sweepClassLean(
              ts.hist,
              0,
              K,
              ts.touched,
              0,
              u,
              false,
              true,
              b.values,
              b.offsets[f],
              totals,
              W,
              unit,
              minLeaf,
              entropy,
              xlogx,
              ts.left,
              ts.out,
            );
            ws.k.treeSweepClassLean(
              wa.hist.byteOffset,
              0,
              K,
              wa.touched.byteOffset,
              0,
              u,
              0,
              1,
              values.byteOffset,
              b.offsets[f],
              totals.byteOffset,
              W,
              unit ? 1 : 0,
              minLeaf,
              entropy ? 1 : 0,
              xlogx.byteOffset,
              wa.left.byteOffset,
              wa.out.byteOffset,
            );
            assert.deepEqual(wa.out, ts.out);
          }
        }
        clearClassLean(ts.hist, K, ts.touched, u);
        ws.k.treeClearClassLean(wa.hist.byteOffset, K, wa.touched.byteOffset, u);
        assert.ok(wa.hist.every((x) => x === 0));
        assert.ok(wa.seen.every((x) => x === 0) && wa.mark32.every((x) => x === 0));
      }
    }
    done(b, ws);
  });
}

test('whole-node class histograms, dense sweep, span and subtraction: WASM equals TS', () => {
  const n = 2000;
  const d = 9;
  const K = 10;
  const { b, ws, y, w, idx, m } = setup(n, d, K, 120, 3);
  const S = classStride(K);
  const yNode = ws.i32(m);
  const wNode = ws.i32(m);
  const totals = ws.i32(K);
  let W = 0;
  for (let p = 0; p < m; p++) {
    yNode[p] = y[idx[p]];
    wNode[p] = w[idx[p]];
    totals[yNode[p]] += wNode[p];
    W += wNode[p];
  }
  const offsets = copy(ws, b.offsets);
  const values = copy(ws, b.values);
  const len = b.values.length * S;
  for (const lean of [true, false]) {
    const ts = ws.i32(len);
    const wa = ws.i32(len);
    (lean ? fillClassAllLean : fillClassAllFeatures)(
      b.codes,
      n,
      d,
      b.offsets,
      idx,
      0,
      m,
      yNode,
      wNode,
      K,
      ts,
    );
    (lean ? ws.k.treeFillClassAllLean : ws.k.treeFillClassAll)(
      b.codes.byteOffset,
      n,
      d,
      offsets.byteOffset,
      idx.byteOffset,
      0,
      m,
      yNode.byteOffset,
      wNode.byteOffset,
      K,
      wa.byteOffset,
    );
    assert.deepEqual(wa, ts);
  }
  const full = ws.i32(len);
  fillClassAllLean(b.codes, n, d, b.offsets, idx, 0, m, yNode, wNode, K, full);
  const iota = ws.i32(b.maxBins);
  for (let i = 0; i < iota.length; i++) iota[i] = i;
  const span = ws.i32(2);
  const left = ws.i32(K);
  const out = ws.f64(3);
  const outTs = new Float64Array(3);
  const xlogx = ws.f64(W + 1);
  for (let c = 1; c <= W; c++) xlogx[c] = c * Math.log(c);
  for (let f = 0; f < d; f++) {
    const base = b.offsets[f] * S;
    const spanTs = new Int32Array(2);
    classBinSpan(full, base, K, b.nBins[f], spanTs);
    ws.k.treeClassBinSpan(full.byteOffset, base, K, b.nBins[f], span.byteOffset);
    assert.deepEqual(span, spanTs);
    for (const entropy of [false, true]) {
      sweepClassLean(
        full,
        base,
        K,
        iota,
        span[0],
        span[1] + 1,
        true,
        false,
        b.values,
        b.offsets[f],
        totals,
        W,
        false,
        1,
        entropy,
        xlogx,
        new Int32Array(K),
        outTs,
      );
      ws.k.treeSweepClassLean(
        full.byteOffset,
        base,
        K,
        iota.byteOffset,
        span[0],
        span[1] + 1,
        1,
        0,
        values.byteOffset,
        b.offsets[f],
        totals.byteOffset,
        W,
        0,
        1,
        entropy ? 1 : 0,
        xlogx.byteOffset,
        left.byteOffset,
        out.byteOffset,
      );
      assert.deepEqual(out, outTs);
    }
  }
  const child = ws.i32(len);
  fillClassAllLean(b.codes, n, d, b.offsets, idx, 0, m >> 1, yNode, wNode, K, child);
  const p1 = copy(ws, full);
  subtractHistogram(full, child);
  ws.k.treeSubtractI32(p1.byteOffset, child.byteOffset, len);
  assert.deepEqual(p1, full);
  done(b, ws);
});

test('regression histograms and friedman_mse sweep: WASM equals TS bit for bit', () => {
  const n = 1500;
  const d = 7;
  const { b, ws, r, idx, m } = setup(n, d, 2, 90, 4);
  const rNode = ws.f64(m);
  let sum = 0;
  for (let p = 0; p < m; p++) {
    rNode[p] = r[idx[p]];
    sum += rNode[p];
  }
  const offsets = copy(ws, b.offsets);
  const nBins = copy(ws, b.nBins);
  const values = copy(ws, b.values);
  const len = b.values.length * 2;
  const ts = ws.f64(len);
  const wa = ws.f64(len);
  const scratchTs = new Float64Array(4 * b.maxBins);
  const scratch = ws.f64(8 * b.maxBins);
  for (const end of [m, m - 1]) {
    ts.fill(0);
    wa.fill(0);
    fillRegressionAllFeatures(b.codes, n, d, b.offsets, b.nBins, idx, 0, end, rNode, ts, scratchTs);
    ws.k.treeFillRegressionAll(
      b.codes.byteOffset,
      n,
      d,
      offsets.byteOffset,
      nBins.byteOffset,
      idx.byteOffset,
      0,
      end,
      rNode.byteOffset,
      wa.byteOffset,
      scratch.byteOffset,
      scratch.length >>> 2,
    );
    assert.deepEqual(wa, ts);
  }
  const child = ws.f64(len);
  fillRegressionAllFeatures(
    b.codes,
    n,
    d,
    b.offsets,
    b.nBins,
    idx,
    0,
    100,
    rNode,
    child,
    scratchTs,
  );
  const p1 = copy(ws, ts);
  subtractHistogram(ts, child);
  ws.k.treeSubtractF64(p1.byteOffset, child.byteOffset, len);
  assert.deepEqual(p1, ts);
  // Per-feature fills (both paths: a few samples and many) and the sweep.
  for (const size of [30, m]) {
    for (let f = 0; f < d; f++) {
      const h1 = ws.f64(2 * b.maxBins);
      const h2 = ws.f64(2 * b.maxBins);
      const t1 = ws.i32(b.maxBins + 1);
      const t2 = ws.i32(b.maxBins + 1);
      const s1 = ws.i32(8);
      const s2 = ws.i32(8);
      const u = fillRegressionFeature(b.codes, f * n, idx, 0, size, rNode, b.nBins[f], h1, t1, s1);
      const v = ws.k.treeFillRegression(
        b.codes.byteOffset,
        f * n,
        idx.byteOffset,
        0,
        size,
        rNode.byteOffset,
        b.nBins[f],
        h2.byteOffset,
        t2.byteOffset,
        s2.byteOffset,
      );
      assert.equal(v, u);
      assert.deepEqual(h2, h1);
      assert.deepEqual(t2, t1);
      for (const minLeaf of [1, 5]) {
        const o1 = new Float64Array(3);
        const o2 = ws.f64(3);
        sweepRegression(h1, 0, t1, u, b.values, b.offsets[f], sum, size, minLeaf, o1);
        ws.k.treeSweepRegression(
          h2.byteOffset,
          0,
          t2.byteOffset,
          v,
          values.byteOffset,
          b.offsets[f],
          sum,
          size,
          minLeaf,
          o2.byteOffset,
        );
        assert.deepEqual(o2, o1);
      }
    }
  }
  done(b, ws);
});

test('partitions and row gathers: WASM equals TS', () => {
  const n = 700;
  const d = 5;
  const { b, ws, idx, m } = setup(n, d, 2, 30, 5);
  for (let f = 0; f < d; f++) {
    for (const cut of [-1, 3, 10, 40]) {
      const a1 = copy(ws, idx);
      const a2 = copy(ws, idx);
      const s = ws.i32(m);
      const l1 = partitionByBin(b.codes, f * n, a1, 10, m - 5, cut, new Int32Array(m));
      const l2 = ws.k.treePartition(
        b.codes.byteOffset,
        f * n,
        a2.byteOffset,
        10,
        m - 5,
        cut,
        s.byteOffset,
      );
      assert.equal(l2, l1);
      assert.deepEqual(a2, a1);
    }
  }
  const block1 = ws.u8(m * d);
  const block2 = ws.u8(m * d);
  gatherBlock(b.rowCodes as Uint8Array, d, idx, 0, m, block1);
  ws.k.treeGatherBlock(
    (b.rowCodes as Uint8Array).byteOffset,
    d,
    idx.byteOffset,
    0,
    m,
    block2.byteOffset,
  );
  assert.deepEqual(block2, block1);
  const local1 = ws.u8(m * d);
  const local2 = ws.u8(m * d);
  const key1 = ws.i32(m);
  const key2 = ws.i32(m);
  gatherRows(b.rowCodes as Uint8Array, d, idx, 0, m, local1, key1);
  ws.k.treeGatherRows(
    (b.rowCodes as Uint8Array).byteOffset,
    d,
    idx.byteOffset,
    0,
    m,
    local2.byteOffset,
    key2.byteOffset,
  );
  assert.deepEqual(local2, local1);
  assert.deepEqual(key2, key1);
  for (let f = 0; f < d; f++) {
    const k1 = copy(ws, key1);
    const o1 = copy(ws, idx);
    const k2 = copy(ws, key1);
    const o2 = copy(ws, idx);
    const l1 = partitionPairByBin(local1, f, k1, o1, 0, m, 7, new Int32Array(m), new Int32Array(m));
    const l2 = ws.k.treePartitionPair(
      local2.byteOffset,
      f,
      k2.byteOffset,
      o2.byteOffset,
      0,
      m,
      7,
      ws.i32(m).byteOffset,
      ws.i32(m).byteOffset,
    );
    assert.equal(l2, l1);
    assert.deepEqual(k2, k1);
    assert.deepEqual(o2, o1);
  }
  done(b, ws);
});

test('random-splitter helpers (bin range, class weights at or below a cut): WASM equals TS', () => {
  const n = 900;
  const d = 4;
  const K = 5;
  const { b, ws, y, w, idx, m } = setup(n, d, K, 40, 6);
  const yNode = ws.i32(m);
  const wNode = ws.i32(m);
  for (let p = 0; p < m; p++) {
    yNode[p] = y[idx[p]];
    wNode[p] = w[idx[p]];
  }
  const out = ws.i32(2);
  const left = ws.i32(K);
  for (let f = 0; f < d; f++) {
    for (const [start, end] of [
      [0, m],
      [7, 30],
    ]) {
      const range = new Int32Array(2);
      nodeBinRange(b.codes, f * n, idx, start, end, range);
      ws.k.treeBinRange(b.codes.byteOffset, f * n, idx.byteOffset, start, end, out.byteOffset);
      assert.deepEqual(out, range);
      for (const cut of [-1, 5, 20, 39]) {
        const l1 = new Int32Array(K);
        const o1 = new Int32Array(2);
        classWeightsAtOrBelow(b.codes, f * n, idx, start, end, yNode, wNode, cut, K, l1, o1);
        ws.k.treeClassWeightsAtOrBelow(
          b.codes.byteOffset,
          f * n,
          idx.byteOffset,
          start,
          end,
          yNode.byteOffset,
          wNode.byteOffset,
          cut,
          K,
          left.byteOffset,
          out.byteOffset,
        );
        assert.deepEqual(left, l1);
        assert.deepEqual(out, o1);
      }
    }
  }
  done(b, ws);
});

test('treeRngNextUint32 / treeRngNextInt continue the Rng stream exactly', () => {
  const ws = arenaTreeScratch();
  try {
    const words = ws.i32(4);
    const state = new Uint32Array(words.buffer, words.byteOffset, 4);
    for (const seed of [0, 1, -7, 123456789]) {
      const rng = new Rng(seed);
      rng.getState(state);
      const mirror = new Rng(seed);
      for (let i = 0; i < 5000; i++) {
        assert.equal(ws.k.treeRngNextUint32(state.byteOffset) >>> 0, mirror.nextUint32());
      }
      // Bounds with heavy rejection (just over 2^31) as well as the split loop's small ones.
      for (const n of [1, 2, 3, 28, 784, 1000003, 0x80000001, 0xfffffffe]) {
        for (let i = 0; i < 2000; i++) {
          assert.equal(ws.k.treeRngNextInt(state.byteOffset, n) >>> 0, mirror.nextInt(n));
        }
      }
      // And back: the TS generator resumes from the WASM state.
      rng.setState(state);
      for (let i = 0; i < 100; i++) assert.equal(rng.nextUint32(), mirror.nextUint32());
    }
  } finally {
    ws.release();
  }
});

test('treeBootstrapCounts draws what bootstrapCounts draws and leaves the Rng where it does', () => {
  const ws = arenaTreeScratch();
  try {
    const words = ws.i32(4);
    const state = new Uint32Array(words.buffer, words.byteOffset, 4);
    for (const [seed, n] of [
      [0, 1],
      [3, 17],
      [-9, 1000],
      [42, 60000],
    ]) {
      const counts = ws.i32(n).fill(-5); // the kernel zeroes first
      new Rng(seed).getState(state);
      ws.k.treeBootstrapCounts(state.byteOffset, n, counts.byteOffset);
      const mirror = new Rng(seed);
      const expected = bootstrapCounts(n, mirror);
      assert.deepEqual(counts, expected, `seed ${seed}, n ${n}`);
      assert.equal(
        counts.reduce((s, c) => s + c, 0),
        n,
      );
      const after = new Rng(0);
      after.setState(state);
      assert.equal(after.nextUint32(), mirror.nextUint32(), 'the streams continue alike');
    }
  } finally {
    ws.release();
  }
});
