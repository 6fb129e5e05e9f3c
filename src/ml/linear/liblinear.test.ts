/**
 * The liblinear solvers on small problems: each one's optimality conditions, checked
 * directly rather than against stored numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowDot } from '../../kernels/liblinear.js';
import { ArenaRegion, WasmLinearOps, tsLinearOps } from '../../kernels/linear-ops.js';
import { Rng } from '../random.js';
import {
  crammerSingerDual,
  crammerSingerPrimal,
  solveCrammerSinger,
} from './liblinear-crammer-singer.js';
import { solveSvmDual, type SvmLoss } from './liblinear-dual-cd.js';
import { l1LogisticObjective, solveL1Logistic } from './liblinear-l1-logistic.js';
import { LogisticObjective, SquaredHingeObjective } from './liblinear-primal-objectives.js';
import {
  type LinearProblem,
  oneVsRestLabels,
  primalTolerance,
  weightSize,
} from './liblinear-problem.js';
import { trainOneVsRest } from './liblinear-ovr.js';
import { tron } from './liblinear-tron.js';

/** K Gaussian blobs in d dimensions; `spread` controls the overlap. */
function blobs(
  n: number,
  d: number,
  K: number,
  spread: number,
  seed: number,
): { p: LinearProblem; y: Int32Array } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: K * d }, () => 2 * rng.nextNormal());
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.nextInt(K);
    y[i] = k;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[k * d + j] + spread * rng.nextNormal();
  }
  return { p: { data, rows: n, cols: d, biasValue: 1, ops: tsLinearOps }, y };
}

/** The same problem with its data and vectors in WASM memory, solved by the WASM kernels. */
function onWasm<T extends { p: LinearProblem }>(problem: T): T {
  const region = new ArenaRegion();
  const { data } = problem.p;
  const copy = region.f32(data.length);
  copy.set(data);
  return { ...problem, p: { ...problem.p, data: copy, ops: new WasmLinearOps(region) } };
}

/** A float64 vector from `ops`, holding `values`. */
function vec(p: LinearProblem, values: ArrayLike<number>): Float64Array {
  const v = p.ops.f64(values.length);
  v.set(Array.from(values));
  return v;
}

for (const kind of ['ts', 'wasm'] as const) {
  const at = <T extends { p: LinearProblem }>(problem: T): T =>
    kind === 'ts' ? problem : onWasm(problem);
  const overlapping = at(blobs(240, 6, 3, 2.0, 11));
  const separable = at(blobs(120, 4, 2, 0.2, 12));

  describe(`TRON on the L2 logistic objective (${kind} kernels)`, () => {
    for (const [name, { p, y }] of [
      ['non-separable', overlapping],
      ['separable', separable],
    ] as const) {
      it(`decreases the objective and meets the gradient tolerance (${name})`, () => {
        const yb = oneVsRestLabels(y, 1);
        const fn = new LogisticObjective(p, yb, 1);
        const w = p.ops.f64(weightSize(p));
        const eps = 1e-6;
        const r = tron(fn, w, eps, 100, (n) => p.ops.f64(n));
        assert.ok(r.finalValue < r.initialValue, `${r.finalValue} !< ${r.initialValue}`);
        assert.ok(
          r.finalGradNorm <= eps * r.initialGradNorm,
          `|g| ${r.finalGradNorm} > ${eps}·${r.initialGradNorm}`,
        );
        // The returned w is what was measured: recompute the gradient there.
        const g = p.ops.f64(w.length);
        fn.value(w);
        fn.gradient(w, g);
        assert.ok(Math.hypot(...g) <= eps * r.initialGradNorm * 1.0001);
      });
    }

    it("uses liblinear's class-balanced tolerance eps·max(min(pos,neg),1)/l", () => {
      assert.equal(primalTolerance(0.1, Int8Array.from([1, -1, -1, -1])), 0.025);
      assert.equal(primalTolerance(0.1, Int8Array.from([-1, -1])), 0.05);
    });

    it('gradient and Hessian-vector products match finite differences', () => {
      const { p, y } = overlapping;
      const yb = oneVsRestLabels(y, 0);
      for (const fn of [new LogisticObjective(p, yb, 0.7), new SquaredHingeObjective(p, yb, 0.7)]) {
        const rng = new Rng(5);
        const w = vec(
          p,
          Array.from({ length: fn.size }, () => 0.1 * rng.nextNormal()),
        );
        const dir = vec(
          p,
          Array.from({ length: fn.size }, () => rng.nextNormal()),
        );
        const g = p.ops.f64(fn.size);
        fn.value(w);
        fn.gradient(w, g);
        const h = 1e-5;
        const plus = vec(
          p,
          Array.from(w, (v, j) => v + h * dir[j]),
        );
        const minus = vec(
          p,
          Array.from(w, (v, j) => v - h * dir[j]),
        );
        const fd = (fn.value(plus) - fn.value(minus)) / (2 * h);
        const gd = g.reduce((s, v, j) => s + v * dir[j], 0);
        assert.ok(
          Math.abs(fd - gd) <= 1e-5 * (1 + Math.abs(gd)),
          `${fn.constructor.name}: ${fd} vs ${gd}`,
        );
        if (fn instanceof LogisticObjective) {
          // Hv ≈ (∇f(w + h·d) − ∇f(w − h·d)) / 2h
          const Hd = p.ops.f64(fn.size);
          fn.value(w);
          fn.gradient(w, g);
          fn.hessianTimes(dir, Hd);
          const gp = p.ops.f64(fn.size);
          const gm = p.ops.f64(fn.size);
          fn.value(plus);
          fn.gradient(plus, gp);
          fn.value(minus);
          fn.gradient(minus, gm);
          for (let j = 0; j < fn.size; j++) {
            const fdj = (gp[j] - gm[j]) / (2 * h);
            assert.ok(
              Math.abs(fdj - Hd[j]) <= 1e-4 * (1 + Math.abs(Hd[j])),
              `H·d[${j}]: ${fdj} vs ${Hd[j]}`,
            );
          }
        }
      }
    });
  });

  describe(`dual coordinate descent (L1- and L2-loss SVM, ${kind} kernels)`, () => {
    for (const loss of ['hinge', 'squared_hinge'] as SvmLoss[]) {
      it(`ends at a KKT point of the dual (${loss})`, () => {
        const { p, y } = overlapping;
        const yb = oneVsRestLabels(y, 2);
        const C = 0.5;
        const eps = 1e-6;
        const r = solveSvmDual(p, yb, C, loss, eps, 100000, new Rng(1));
        assert.ok(r.iterations < 100000, 'did not converge');
        const diag = loss === 'hinge' ? 0 : 0.5 / C;
        const upper = loss === 'hinge' ? C : Infinity;
        const tol = 10 * eps;
        // w is exactly Σ α_i y_i x_i
        const w = new Float64Array(r.w.length);
        for (let i = 0; i < p.rows; i++) {
          for (let j = 0; j < p.cols; j++) w[j] += r.alpha[i] * yb[i] * p.data[i * p.cols + j];
          w[p.cols] += r.alpha[i] * yb[i] * p.biasValue;
        }
        for (let j = 0; j < w.length; j++) assert.ok(Math.abs(w[j] - r.w[j]) < 1e-8);
        let free = 0;
        for (let i = 0; i < p.rows; i++) {
          const a = r.alpha[i];
          assert.ok(a >= 0 && a <= upper);
          const G = yb[i] * rowDot(p.data, i * p.cols, p.cols, r.w, 0, p.biasValue) - 1 + diag * a;
          if (a === 0) assert.ok(G >= -tol, `α=0 but G=${G}`);
          else if (a === upper) assert.ok(G <= tol, `α=C but G=${G}`);
          else {
            free++;
            assert.ok(Math.abs(G) <= tol, `free α but G=${G}`);
          }
        }
        assert.ok(free > 0);
      });
    }

    it('is deterministic for a seed and depends on it only through the visiting order', () => {
      const { p, y } = overlapping;
      const yb = oneVsRestLabels(y, 0);
      const a = solveSvmDual(p, yb, 1, 'hinge', 1e-4, 5, new Rng(7));
      const b = solveSvmDual(p, yb, 1, 'hinge', 1e-4, 5, new Rng(7));
      const c = solveSvmDual(p, yb, 1, 'hinge', 1e-4, 5, new Rng(8));
      assert.deepEqual(a.w, b.w);
      assert.notDeepEqual(a.w, c.w);
    });
  });

  describe(`Crammer–Singer (${kind} kernels)`, () => {
    it('beats chance on 3 classes and closes the duality gap', async () => {
      const { p, y } = overlapping;
      const C = 1;
      const r = await solveCrammerSinger(p, y, 3, C, 1e-5, 100000, new Rng(2));
      const size = weightSize(p);
      let hits = 0;
      for (let i = 0; i < p.rows; i++) {
        let best = 0;
        let bestScore = -Infinity;
        for (let m = 0; m < 3; m++) {
          const s = rowDot(p.data, i * p.cols, p.cols, r.W, m * size, p.biasValue);
          if (s > bestScore) [best, bestScore] = [m, s];
        }
        if (best === y[i]) hits++;
      }
      assert.ok(hits / p.rows > 0.6, `training accuracy ${hits / p.rows}`);
      // Constraints: Σ_m α_i^m = 0, α_i^m ≤ C·[m = y_i]
      for (let i = 0; i < p.rows; i++) {
        let s = 0;
        for (let m = 0; m < 3; m++) {
          const a = r.alpha[i * 3 + m];
          s += a;
          assert.ok(a <= (m === y[i] ? C : 0) + 1e-12);
        }
        assert.ok(Math.abs(s) < 1e-9);
      }
      const primal = crammerSingerPrimal(p, y, 3, C, r.W);
      const dual = crammerSingerDual(y, 3, r.W, r.alpha);
      // Weak duality: primal ≥ −dual, with equality at the optimum.
      assert.ok(primal + dual >= -1e-9);
      assert.ok((primal + dual) / primal < 1e-3, `gap ${primal + dual} of ${primal}`);
    });
  });
}

describe('WASM kernels against the TypeScript reference', () => {
  const base = blobs(240, 6, 3, 2.0, 11);
  const wasm = onWasm(base);
  it('dual CD, TRON and Crammer–Singer reach the same weights', async () => {
    const close = (a: Float64Array, b: Float64Array, what: string): void => {
      const scale = Math.max(...Array.from(b, Math.abs));
      for (let j = 0; j < a.length; j++)
        assert.ok(Math.abs(a[j] - b[j]) <= 1e-5 * scale, `${what}[${j}]: ${a[j]} vs ${b[j]}`);
    };
    const yb = oneVsRestLabels(base.y, 1);
    close(
      solveSvmDual(wasm.p, yb, 0.5, 'hinge', 1e-8, 100000, new Rng(3)).w,
      solveSvmDual(base.p, yb, 0.5, 'hinge', 1e-8, 100000, new Rng(3)).w,
      'dual CD w',
    );
    const tronW = (p: LinearProblem): Float64Array => {
      const w = p.ops.f64(weightSize(p));
      tron(new LogisticObjective(p, yb, 1), w, 1e-8, 100, (n) => p.ops.f64(n));
      return w;
    };
    close(tronW(wasm.p), tronW(base.p), 'TRON w');
    const a = await solveCrammerSinger(wasm.p, base.y, 3, 1, 1e-7, 100000, new Rng(2));
    const b = await solveCrammerSinger(base.p, base.y, 3, 1, 1e-7, 100000, new Rng(2));
    close(a.W, b.W, 'Crammer–Singer W');
  });

  it('newGLMNET over the column-major copy in WASM memory reaches the same weights', async () => {
    const spec = { solver: 'l1r_lr', C: 0.5, eps: 1e-6, maxIter: 100 } as const;
    const onWasm = await trainOneVsRest(wasm.p, base.y, 3, spec, new Rng(5), 1);
    const onTs = await trainOneVsRest(base.p, base.y, 3, spec, new Rng(5), 1);
    const scale = Math.max(...Array.from(onTs.coef, Math.abs));
    for (let j = 0; j < onTs.coef.length; j++)
      assert.ok(Math.abs(onWasm.coef[j] - onTs.coef[j]) <= 1e-5 * scale, `coef[${j}]`);
  });
});

describe('newGLMNET (L1 logistic regression)', () => {
  it('gives exact zeros and satisfies the L1 optimality conditions', () => {
    // Six informative features plus 10 pure-noise ones.
    const rng = new Rng(4);
    const n = 300;
    const d = 16;
    const data = new Float32Array(n * d);
    const yb = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = rng.nextNormal();
        data[i * d + j] = v;
        if (j < 6) s += v * (j % 2 === 0 ? 1 : -1);
      }
      yb[i] = s + 0.5 * rng.nextNormal() > 0 ? 1 : -1;
    }
    const p: LinearProblem = { data, rows: n, cols: d, biasValue: 1, ops: tsLinearOps };
    const C = 0.05;
    const r = solveL1Logistic(p, yb, C, 1e-6, 100, new Rng(0));
    const zeros = Array.from(r.w).filter((v) => v === 0).length;
    assert.ok(zeros >= 5, `only ${zeros} exact zeros in ${Array.from(r.w)}`);
    for (let j = 0; j < 6; j++) assert.notEqual(r.w[j], 0, `informative feature ${j} was dropped`);
    // Subgradient conditions: ∇L_j + sign(w_j) = 0 for w_j ≠ 0, |∇L_j| ≤ 1 for w_j = 0.
    const grad = new Float64Array(d + 1);
    for (let i = 0; i < n; i++) {
      const z = rowDot(data, i * d, d, r.w, 0, 1);
      const coef = C * (1 / (1 + Math.exp(-yb[i] * z)) - 1) * yb[i];
      for (let j = 0; j < d; j++) grad[j] += coef * data[i * d + j];
      grad[d] += coef;
    }
    for (let j = 0; j <= d; j++) {
      if (r.w[j] === 0) assert.ok(Math.abs(grad[j]) <= 1 + 1e-3, `w_${j}=0 but |∇|=${grad[j]}`);
      else
        assert.ok(Math.abs(grad[j] + Math.sign(r.w[j])) <= 1e-3, `w_${j}=${r.w[j]}: ∇=${grad[j]}`);
    }
    const f = l1LogisticObjective(p, yb, C, r.w);
    assert.ok(f < l1LogisticObjective(p, yb, C, new Float64Array(d + 1)));
  });
});
