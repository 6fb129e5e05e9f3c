/**
 * Trust-region Newton (TRON) as liblinear 1.x / scikit-learn 0.19 run it (Lin, Weng &
 * Keerthi 2008): from w = 0, each iteration solves H s = −g approximately by conjugate
 * gradients inside a trust region (CG stops when ‖r‖ ≤ 0.1‖g‖ or at the boundary), then
 * accepts or rejects the step and resizes the region from the ratio of actual to predicted
 * reduction. Stops when ‖g‖ ≤ eps·‖g₀‖ or after maxIter accepted steps.
 */
import { axpy64, dot64, norm64 } from '../../kernels/liblinear.js';

/** A twice-differentiable objective as TRON needs it (liblinear's `function`). */
export interface TronObjective {
  readonly size: number;
  /** f(w); caches the margins X·w that `gradient` then uses (it is always called at the last w). */
  value(w: Float64Array): number;
  /** ∇f at the w last passed to `value`. */
  gradient(w: Float64Array, g: Float64Array): void;
  /** Hessian (at the w of the last `gradient`) times s. */
  hessianTimes(s: Float64Array, out: Float64Array): void;
}

export interface TronResult {
  /** Accepted Newton steps (liblinear's returned iteration count). */
  iterations: number;
  /** Total conjugate-gradient steps (each one Hessian–vector product). */
  cgIterations: number;
  /** f at the start (w = 0) and the end. */
  initialValue: number;
  finalValue: number;
  initialGradNorm: number;
  finalGradNorm: number;
}

const ETA0 = 1e-4;
const ETA1 = 0.25;
const ETA2 = 0.75;
const SIGMA1 = 0.25;
const SIGMA2 = 0.5;
const SIGMA3 = 4;

/** Minimises `fn` in place in `w` (which is reset to 0 first, as liblinear does). */
export function tron(
  fn: TronObjective,
  w: Float64Array,
  eps: number,
  maxIter: number,
  alloc: (n: number) => Float64Array = (n) => new Float64Array(n),
): TronResult {
  const n = fn.size;
  // Every vector an objective may read or write comes from `alloc` (the kernels' memory).
  const s = alloc(n);
  const r = alloc(n);
  const wNew = alloc(n);
  const g = alloc(n);
  const cg = { d: alloc(n), Hd: alloc(n) };
  w.fill(0);

  let f = fn.value(w);
  fn.gradient(w, g);
  let delta = norm64(g);
  const gnorm0 = delta;
  let gnorm = gnorm0;
  const initialValue = f;
  const search = gnorm > eps * gnorm0;
  let iter = 1;
  let cgTotal = 0;

  while (iter <= maxIter && search) {
    cgTotal += truncatedCg(fn, delta, g, s, r, cg);
    wNew.set(w);
    axpy64(1, s, wNew);
    const gs = dot64(g, s);
    const prered = -0.5 * (gs - dot64(s, r));
    const fnew = fn.value(wNew);
    const actred = f - fnew;
    const snorm = norm64(s);
    if (iter === 1) delta = Math.min(delta, snorm);
    const alpha = fnew - f - gs <= 0 ? SIGMA3 : Math.max(SIGMA1, -0.5 * (gs / (fnew - f - gs)));
    if (actred < ETA0 * prered) delta = Math.min(Math.max(alpha, SIGMA1) * snorm, SIGMA2 * delta);
    else if (actred < ETA1 * prered)
      delta = Math.max(SIGMA1 * delta, Math.min(alpha * snorm, SIGMA2 * delta));
    else if (actred < ETA2 * prered)
      delta = Math.max(SIGMA1 * delta, Math.min(alpha * snorm, SIGMA3 * delta));
    else delta = Math.max(delta, Math.min(alpha * snorm, SIGMA3 * delta));

    if (actred > ETA0 * prered) {
      iter++;
      w.set(wNew);
      f = fnew;
      fn.gradient(w, g);
      gnorm = norm64(g);
      if (gnorm <= eps * gnorm0) break;
    }
    // A rejected step needs no re-evaluation: hessianTimes keeps using the curvature that
    // `gradient` stored at the current w, and the next `value` call overwrites the margins.
    if (f < -1e32) break;
    if (Math.abs(actred) <= 0 && prered <= 0) break;
    if (Math.abs(actred) <= 1e-12 * Math.abs(f) && Math.abs(prered) <= 1e-12 * Math.abs(f)) break;
  }
  return {
    iterations: iter - 1,
    cgIterations: cgTotal,
    initialValue,
    finalValue: f,
    initialGradNorm: gnorm0,
    finalGradNorm: gnorm,
  };
}

/**
 * Approximately solves H s = −g within ‖s‖ ≤ delta; leaves the residual −g − H s in r.
 * Returns the number of CG steps.
 */
function truncatedCg(
  fn: TronObjective,
  delta: number,
  g: Float64Array,
  s: Float64Array,
  r: Float64Array,
  work: { d: Float64Array; Hd: Float64Array },
): number {
  const { d, Hd } = work;
  const n = g.length;
  for (let i = 0; i < n; i++) {
    s[i] = 0;
    r[i] = -g[i];
    d[i] = r[i];
  }
  const cgtol = 0.1 * norm64(g);
  let steps = 0;
  let rTr = dot64(r, r);
  for (;;) {
    if (Math.sqrt(rTr) <= cgtol) break;
    steps++;
    fn.hessianTimes(d, Hd);
    let alpha = rTr / dot64(d, Hd);
    axpy64(alpha, d, s);
    if (norm64(s) > delta) {
      // Step back and move along d exactly to the trust-region boundary.
      axpy64(-alpha, d, s);
      const std = dot64(s, d);
      const sts = dot64(s, s);
      const dtd = dot64(d, d);
      const dsq = delta * delta;
      const rad = Math.sqrt(std * std + dtd * (dsq - sts));
      alpha = std >= 0 ? (dsq - sts) / (std + rad) : (rad - std) / dtd;
      axpy64(alpha, d, s);
      axpy64(-alpha, Hd, r);
      break;
    }
    axpy64(-alpha, Hd, r);
    const rnew = dot64(r, r);
    const beta = rnew / rTr;
    for (let i = 0; i < n; i++) d[i] = r[i] + beta * d[i];
    rTr = rnew;
  }
  return steps;
}
