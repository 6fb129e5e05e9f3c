import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedArena } from './arena.js';
import { localKernels } from './local.js';
import { setGates, smoStateBytes, TsSmoLoops, WasmSmoLoops, type SmoState } from './smo-loops.js';

const arena = sharedArena();
const MAX_L = 300;

/** A state with repeated gradient values (so ties decide) and every status mixed in. */
function fill(s: SmoState, l: number, seed: number): void {
  let r = seed >>> 0;
  const next = (): number => {
    r = (Math.imul(r, 1103515245) + 12345) >>> 0;
    return r / 4294967296;
  };
  for (let k = 0; k < l; k++) {
    s.y[k] = next() < 0.5 ? 1 : -1;
    s.status[k] = Math.floor(next() * 3);
    s.alpha[k] = next();
    s.G[k] = Math.round(next() * 8) / 4 - 1; // few distinct values: many ties
    s.Gbar[k] = next() - 0.5;
    s.QD[k] = next() < 0.05 ? 0 : next() * 2; // some zero curvature (the τ case)
    s.perm[k] = l - 1 - k;
  }
  setGates(s, 0, l);
}

function rowIn(view: Float32Array, seed: number): Float32Array {
  for (let t = 0; t < view.length; t++) view[t] = Math.sin(seed * 31 + t * 7.3) * 1.5;
  return view;
}

test('the WASM SMO loops equal the TypeScript ones bit for bit, ties and τ included', () => {
  const statePtr = arena.alloc(smoStateBytes(MAX_L));
  const rows = arena.allocF32(2 * MAX_L);
  try {
    const ts = new TsSmoLoops();
    const wasm = new WasmSmoLoops(localKernels(), arena.memory, statePtr, MAX_L);
    for (const [l, active, seed] of [
      [MAX_L, MAX_L, 1],
      [257, 200, 2],
      [13, 13, 3],
      [1, 1, 4],
    ]) {
      const a = ts.state(l);
      const b = wasm.state(l);
      fill(a, l, seed);
      fill(b, l, seed);
      const Qi = rowIn(rows.subarray(0, l), seed);
      const Qj = rowIn(rows.subarray(MAX_L, MAX_L + l), seed + 1);
      const what = `l=${l}, active=${active}`;

      const i = ts.maxViolator(a, active);
      assert.equal(wasm.maxViolator(b, active), i, `${what}: first index`);
      const gmax = i < 0 ? -Infinity : a.y[i] === 1 ? -a.G[i] : a.G[i];
      const yi = i < 0 ? 0 : a.y[i];
      const qdi = i < 0 ? 0 : a.QD[i];
      const j = ts.selectSecond(a, Qi, active, gmax, qdi, yi);
      assert.equal(wasm.selectSecond(b, Qi, active, gmax, qdi, yi), j, what);
      assert.equal(wasm.lastGmax2, ts.lastGmax2, `${what}: Gmax2`);

      const next = ts.updateGradient(a, Qi, Qj, 0.37, -1.25, active);
      assert.equal(wasm.updateGradient(b, Qi, Qj, 0.37, -1.25, active), next, `${what}: next`);
      assert.equal(next, ts.maxViolator(a, active), `${what}: next = first index of the update`);
      assert.deepEqual(b.G, a.G, `${what}: gradient`);
      ts.addScaledRow(a.Gbar, a.perm, Qj, -0.8, 0, l);
      wasm.addScaledRow(b.Gbar, b.perm, Qj, -0.8, 0, l);
      ts.addScaledRow(a.G, a.perm, Qi, 1.1, active, l);
      wasm.addScaledRow(b.G, b.perm, Qi, 1.1, active, l);
      assert.deepEqual(b.Gbar, a.Gbar, `${what}: Ḡ`);
      assert.deepEqual(b.G, a.G, `${what}: reconstructed gradient`);
    }
  } finally {
    arena.release(statePtr);
    arena.releaseView(rows);
  }
});

test('rows in position order (direct) give what rows read through perm give, bit for bit, in WASM SIMD too', () => {
  const statePtr = arena.alloc(smoStateBytes(MAX_L));
  const rows = arena.allocF32(4 * MAX_L);
  try {
    const ts = new TsSmoLoops();
    const wasm = new WasmSmoLoops(localKernels(), arena.memory, statePtr, MAX_L);
    // Odd and even active counts (the SIMD loops take two positions a step), and no
    // candidate at all (gmax = −∞).
    for (const [l, active, seed, noFirst] of [
      [MAX_L, 151, 5, false],
      [MAX_L, 150, 6, false],
      [40, 3, 7, false],
      [40, 2, 8, false],
      [40, 1, 9, false],
      [64, 33, 10, true],
    ] as const) {
      const Qi = rowIn(rows.subarray(0, l), seed);
      const Qj = rowIn(rows.subarray(MAX_L, MAX_L + l), seed + 1);
      const ref = ts.state(l);
      fill(ref, l, seed);
      // The same rows gathered into position order.
      const Gi = rows.subarray(2 * MAX_L, 2 * MAX_L + l);
      const Gj = rows.subarray(3 * MAX_L, 3 * MAX_L + l);
      for (let k = 0; k < l; k++) {
        Gi[k] = Qi[ref.perm[k]];
        Gj[k] = Qj[ref.perm[k]];
      }
      const what = `l=${l}, active=${active}${noFirst ? ', gmax = −∞' : ''}`;
      const i = noFirst ? -1 : ts.maxViolator(ref, active);
      const gmax = i < 0 ? -Infinity : ref.y[i] === 1 ? -ref.G[i] : ref.G[i];
      const yi = i < 0 ? 0 : ref.y[i];
      const qdi = i < 0 ? 0 : ref.QD[i];
      const j = ts.selectSecond(ref, Qi, active, gmax, qdi, yi);
      const gmax2 = ts.lastGmax2;
      const next = ts.updateGradient(ref, Qi, Qj, 0.37, -1.25, active);
      for (const loops of [ts, wasm]) {
        const s = loops.state(l);
        fill(s, l, seed);
        const on = `${what}, ${loops === ts ? 'TypeScript' : 'WASM'}`;
        assert.equal(loops.selectSecond(s, Gi, active, gmax, qdi, yi, true), j, on);
        assert.equal(loops.lastGmax2, gmax2, `${on}: Gmax2`);
        assert.equal(
          loops.updateGradient(s, Gi, Gj, 0.37, -1.25, active, true),
          next,
          `${on}: next`,
        );
        assert.deepEqual(s.G, ref.G, `${on}: gradient`);
      }
    }
  } finally {
    arena.release(statePtr);
    arena.releaseView(rows);
  }
});

test('ties go to the last position on both sides, as in libsvm', () => {
  const ptr = arena.alloc(smoStateBytes(4));
  const row = arena.allocF32(4);
  try {
    const wasm = new WasmSmoLoops(localKernels(), arena.memory, ptr, 4);
    for (const loops of [new TsSmoLoops(), wasm]) {
      for (const y of [1, -1]) {
        const s = loops.state(4);
        s.y.fill(y);
        s.status.fill(2); // free: eligible on both sides
        setGates(s, 0, 4);
        s.G.fill(-y); // −y·G = 1 everywhere
        s.QD.fill(1);
        s.perm.set([0, 1, 2, 3]);
        row.fill(0);
        assert.equal(loops.maxViolator(s, 4), 3, `y = ${y}: first index`);
        // Every j gives the same objective decrease: the last one wins.
        s.G.set([-y, -y, y, y]);
        assert.equal(loops.selectSecond(s, row, 4, 1, 1, y), 3, `y = ${y}: second index`);
        assert.equal(loops.selectSecond(s, row, 4, 1, 1, y, true), 3, `y = ${y}: direct`);
        s.G.fill(-y);
        assert.equal(loops.updateGradient(s, row, row, 0, 0, 4, true), 3, `y = ${y}: next`);
      }
    }
  } finally {
    arena.release(ptr);
    arena.releaseView(row);
  }
});

test('a candidate whose objective underflows to 0 still counts, the last one winning', () => {
  const ptr = arena.alloc(smoStateBytes(6));
  const row = arena.allocF32(6);
  try {
    const wasm = new WasmSmoLoops(localKernels(), arena.memory, ptr, 6);
    // gmax + y·G = 1e-200 > 0 at positions 1, 3 (and 4), but (1e-200)² = 0: libsvm's rule
    // (objDiff ≤ objMin, objMin from +∞) still takes them; elsewhere gmax + y·G < 0.
    for (const [active, want] of [
      [4, 3],
      [5, 4],
    ]) {
      for (const loops of [new TsSmoLoops(), wasm]) {
        const s = loops.state(6);
        s.y.fill(1);
        s.status.fill(2);
        setGates(s, 0, 6);
        s.G.set([-1, 0, -1, 0, 0, -1]);
        s.QD.fill(1);
        s.perm.set([5, 4, 3, 2, 1, 0]);
        row.fill(0.5);
        const on = `${loops === wasm ? 'WASM' : 'TypeScript'}, active ${active}`;
        assert.equal(loops.selectSecond(s, row, active, 1e-200, 1, 1), want, on);
        assert.equal(loops.selectSecond(s, row, active, 1e-200, 1, 1, true), want, `${on}, direct`);
        assert.equal(loops.selectSecond(s, row, active, -1e-200, 1, 1), -1, `${on}, none`);
      }
    }
  } finally {
    arena.release(ptr);
    arena.releaseView(row);
  }
});

test('WasmSmoLoops refuses a kernels module with other calling conventions', () => {
  const stale = { ...localKernels(), svmKernelsVersion: () => 1 };
  assert.throws(
    () => new WasmSmoLoops(stale, arena.memory, 0, 1),
    /version 1 of the SVM calling conventions; this fmnist needs 8/,
  );
});

test('WasmSmoLoops refuses a problem larger than its state', () => {
  const ptr = arena.alloc(smoStateBytes(4));
  try {
    const w = new WasmSmoLoops(localKernels(), arena.memory, ptr, 4);
    assert.throws(() => w.state(5), /5 variables exceeds its 4/);
  } finally {
    arena.release(ptr);
  }
});

test('setGates: y in I_low, −y in I_up, NaN outside (libsvm’s is_upper/is_lower rules)', () => {
  const s = new TsSmoLoops().state(6);
  s.y.set([1, 1, 1, -1, -1, -1]);
  s.status.set([0, 1, 2, 0, 1, 2]); // lower bound, upper bound, free
  setGates(s, 0, 6);
  // y = +1: in I_up unless at C, in I_low unless at 0; y = −1 the other way round.
  assert.deepEqual([...s.yLow], [NaN, 1, 1, -1, NaN, -1]);
  assert.deepEqual([...s.yUp], [-1, NaN, -1, NaN, 1, 1]);
});
