/**
 * LinearSVC with scikit-learn 0.19's liblinear solvers:
 *   ovr, l2, hinge,         dual=True  → L2R_L1LOSS_SVC_DUAL (dual coordinate descent)
 *   ovr, l2, squared_hinge, dual=True  → L2R_L2LOSS_SVC_DUAL (dual coordinate descent)
 *   ovr, l2, squared_hinge, dual=False → L2R_L2LOSS_SVC (trust-region Newton)
 *   crammer_singer (loss, penalty, dual and max_iter ignored, as in scikit-learn) → MCSVM_CS
 * The intercept is a constant extra feature (intercept_scaling) whose weight is
 * regularised, as in liblinear. penalty='l1' with one-vs-rest (L1R_L2LOSS_SVC) is not
 * implemented here; the paper's table never uses it.
 */
import { rowDot } from '../../kernels/liblinear.js';
import { BaseClassifier } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import { type RandomState, toRng } from '../random.js';
import type { BinarySolver } from './liblinear-binary.js';
import { solveCrammerSinger } from './liblinear-crammer-singer.js';
import { predictLinear, trainOneVsRest, trainOneVsRestInSklearnOrder } from './liblinear-ovr.js';
import { sklearnLiblinearSeed } from './liblinear-stream.js';
import { OvrFitParts } from './class-parts.js';
import { ResumeTally, type FitParts, type ResumedParts } from '../fit-parts.js';
import { partCheckpoints } from './solver-checkpoints.js';
import { withWasmProblem } from './liblinear-wasm-problem.js';
import { splitIntercept } from './logistic-regression.js';

export interface LinearSVCParams {
  /** 'l2' (or 'l1', accepted only where liblinear ignores it: crammer_singer). @default 'l2' */
  penalty: 'l1' | 'l2';
  /** 'hinge' or 'squared_hinge'. @default 'squared_hinge' */
  loss: 'hinge' | 'squared_hinge';
  /** Solve the dual (coordinate descent) rather than the primal (TRON). @default true */
  dual: boolean;
  /** liblinear's eps: the dual solvers stop when the projected-gradient spread ≤ tol. @default 1e-4 */
  tol: number;
  /** Penalty on the slack (inverse regularisation strength). @default 1.0 */
  C: number;
  /** 'ovr' (one binary SVM per class) or 'crammer_singer' (one joint multi-class SVM). @default 'ovr' */
  multi_class: 'ovr' | 'crammer_singer';
  /** Append the constant feature that plays the intercept. @default true */
  fit_intercept: boolean;
  /** Value of that constant feature. @default 1 */
  intercept_scaling: number;
  /** Seed for the random order of coordinate descent (liblinear's rand()). @default null (seed 0) */
  random_state: RandomState | null;
  /**
   * Passes over the data per one-vs-rest problem. Ignored by crammer_singer, as in
   * scikit-learn, whose liblinear caps that solver at 100000 passes. @default 1000
   */
  max_iter: number;
  /** fmnist's addition: worker threads for the one-vs-rest problems (null = 1, −1 = all cores). @default null */
  n_jobs: number | null;
  /**
   * fmnist's addition: where the dual coordinate descent's visiting order comes from.
   * 'fmnist': its own seeded stream, one per class, classes in parallel and resumable.
   * 'sklearn': scikit-learn's liblinear stream (MT19937 seeded from random_state as
   * scikit-learn seeds it, rows grouped by class, classes in turn), so that with the same
   * rows and integer random_state the weights are scikit-learn's up to rounding, even
   * where max_iter stops the solver early. One thread; fit parts are not used. Only for
   * the one-vs-rest dual solvers (with the primal solver, which draws nothing, it changes
   * nothing). @default 'fmnist'
   */
  random_stream: 'fmnist' | 'sklearn';
}

const SCHEMA: Schema<LinearSVCParams> = {
  penalty: [{ kind: 'enum', values: ['l1', 'l2'] }],
  loss: [{ kind: 'enum', values: ['hinge', 'squared_hinge'] }],
  dual: [{ kind: 'bool' }],
  tol: [{ kind: 'float', min: 0, closed: 'neither' }],
  C: [{ kind: 'float', min: 0, closed: 'neither' }],
  multi_class: [{ kind: 'enum', values: ['ovr', 'crammer_singer'] }],
  fit_intercept: [{ kind: 'bool' }],
  intercept_scaling: [{ kind: 'float', min: 0, closed: 'neither' }],
  random_state: [{ kind: 'null' }, { kind: 'random-state' }],
  max_iter: [{ kind: 'int', min: 1 }],
  n_jobs: [{ kind: 'null' }, { kind: 'int', min: 1 }, { kind: 'int', min: -1, max: -1 }],
  random_stream: [{ kind: 'enum', values: ['fmnist', 'sklearn'] }],
};

const DEFAULTS: LinearSVCParams = {
  penalty: 'l2',
  loss: 'squared_hinge',
  dual: true,
  tol: 1e-4,
  C: 1.0,
  multi_class: 'ovr',
  fit_intercept: true,
  intercept_scaling: 1,
  random_state: null,
  max_iter: 1000,
  n_jobs: null,
  random_stream: 'fmnist',
};

/**
 * liblinear's default iteration cap for Solver_MCSVM_CS. scikit-learn (0.19 and later)
 * never passes its max_iter to that solver, so crammer_singer runs up to this many passes.
 */
export const CRAMMER_SINGER_MAX_ITER = 100000;

/** The liblinear solver scikit-learn picks, or its "Unsupported set of arguments" error. */
export function liblinearSvcSolver(
  p: Pick<LinearSVCParams, 'penalty' | 'loss' | 'dual' | 'multi_class'>,
): BinarySolver | 'mcsvm_cs' {
  const { penalty, loss, dual, multi_class } = p;
  if (multi_class === 'crammer_singer') return 'mcsvm_cs';
  const args = `Parameters: penalty='${penalty}', loss='${loss}', dual=${dual ? 'True' : 'False'}`;
  if (penalty === 'l1' && loss === 'hinge') {
    throw new RangeError(
      `Unsupported set of arguments: The combination of penalty='l1' and loss='hinge' is not supported, ${args}. ` +
        `(liblinear has no solver for an L1 penalty with the hinge loss; use loss='squared_hinge' with dual=False, or multi_class='crammer_singer'.)`,
    );
  }
  if (penalty === 'l2' && loss === 'hinge' && !dual) {
    throw new RangeError(
      `Unsupported set of arguments: The combination of penalty='l2' and loss='hinge' are not supported when dual=False, ${args}`,
    );
  }
  if (penalty === 'l1' && dual) {
    throw new RangeError(
      `Unsupported set of arguments: The combination of penalty='l1' and loss='squared_hinge' are not supported when dual=True, ${args}`,
    );
  }
  if (penalty === 'l1') {
    throw new RangeError(
      `LinearSVC: penalty='l1' with multi_class='ovr' (liblinear's L1R_L2LOSS_SVC) is not implemented in fmnist; the paper's table does not use it. ${args}`,
    );
  }
  if (loss === 'hinge') return 'l2r_l1loss_svc_dual';
  return dual ? 'l2r_l2loss_svc_dual' : 'l2r_l2loss_svc';
}

/** The fit part under which Crammer–Singer keeps its solver checkpoint. */
const CS_STATE = 'crammer-singer state';

export class LinearSVC extends BaseClassifier<LinearSVCParams> {
  /** Weights, nW × n_features (nW = 1 for two classes with ovr), like scikit-learn's coef_. */
  coef: Float64Array | null = null;
  intercept: Float64Array | null = null;
  /** Solver passes (max over the one-vs-rest problems, as scikit-learn's n_iter_). */
  nIter = 0;
  private readonly solver: BinarySolver | 'mcsvm_cs';
  private model: { coef: Float64Array; nW: number; biasValue: number } | null = null;
  private readonly ovrParts = new OvrFitParts();
  /** The last Crammer–Singer fit's resume: the pass it continued from, or null. */
  private csResumed: { pass: number; parts: ResumedParts } | null = null;

  /**
   * Keeps each one-vs-rest problem in `parts` as soon as it is solved, and takes the ones
   * found there instead of solving them; Crammer–Singer, one joint problem, keeps a
   * checkpoint of its solver there every few minutes instead. Either way a fit of hours
   * that is killed resumes (the benchmark hands every repeat its own parts in the results
   * store).
   */
  useFitParts(parts: FitParts | null): void {
    this.ovrParts.parts = parts;
  }

  /** What the last fit restored from its FitParts (see useFitParts), or null. */
  get resumedParts(): ResumedParts | null {
    return this.solver === 'mcsvm_cs' ? (this.csResumed?.parts ?? null) : this.ovrParts.resumed;
  }

  get benchmarkNote(): string | null {
    if (this.solver !== 'mcsvm_cs') return this.ovrParts.note;
    if (this.model === null) return null;
    // Whether the solver met tol or stopped at its cap says whether the visiting order
    // still matters (a converged fit is the problem's one optimum).
    const end =
      this.nIter < CRAMMER_SINGER_MAX_ITER
        ? 'converged'
        : `stopped at liblinear's cap of ${CRAMMER_SINGER_MAX_ITER} passes before tol was met`;
    const cs = this.csResumed;
    const resumed =
      cs === null
        ? ''
        : `; resumed at pass ${cs.pass} of an interrupted fit (its ${cs.parts.seconds.toFixed(1)} s counted in the fit time)`;
    return `Crammer–Singer solver: ${this.nIter} passes, ${end}${resumed}`;
  }

  constructor(params?: Partial<LinearSVCParams>) {
    super('LinearSVC', SCHEMA, DEFAULTS, params);
    this.solver = liblinearSvcSolver(this.params);
    const { random_stream, random_state } = this.params;
    if (random_stream === 'sklearn') {
      if (this.solver === 'mcsvm_cs') {
        throw new RangeError(
          `LinearSVC: random_stream='sklearn' replicates liblinear's one-vs-rest dual coordinate descent only; multi_class='crammer_singer' keeps fmnist's stream.`,
        );
      }
      if (random_state !== null && typeof random_state !== 'number') {
        throw new RangeError(
          `LinearSVC: random_stream='sklearn' needs random_state as an integer (scikit-learn's seed) or null (0); got a generator.`,
        );
      }
      sklearnLiblinearSeed(random_state ?? 0); // validates the range now, not at fit time
    }
  }

  protected async fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> {
    const { C, tol, max_iter, fit_intercept, intercept_scaling, n_jobs, random_state } =
      this.params;
    if (nClasses < 2) {
      throw new RangeError(
        `LinearSVC.fit: the number of classes has to be greater than one; got 1 class.`,
      );
    }
    const rng = toRng(random_state);
    this.ovrParts.resumed = null;
    this.csResumed = null;
    const biasValue = fit_intercept ? intercept_scaling : 0;
    const solver = this.solver;
    const { coef, nW, nIter } = await withWasmProblem(
      X,
      fit_intercept,
      intercept_scaling,
      async (p) => {
        if (solver === 'mcsvm_cs') {
          // scikit-learn's liblinear builds Solver_MCSVM_CS without passing max_iter, so the
          // solver's own default cap applies; the paper's crammer_singer rows ran under it.
          const parts = this.ovrParts.parts;
          const tally = new ResumeTally(1);
          const kept = parts === null ? null : partCheckpoints(parts, CS_STATE, tally);
          const r = await solveCrammerSinger(
            p,
            y,
            nClasses,
            C,
            tol,
            CRAMMER_SINGER_MAX_ITER,
            rng.fork(),
            kept?.checkpoints ?? null,
          );
          if (r.continuedFrom !== null && kept?.stored) {
            tally.add(kept.stored);
            this.csResumed = { pass: r.continuedFrom, parts: tally.result() };
          }
          return { coef: r.W.slice(), nW: nClasses, nIter: r.iterations };
        }
        if (this.params.random_stream === 'sklearn' && solver !== 'l2r_l2loss_svc') {
          const seed = sklearnLiblinearSeed((random_state as number | null) ?? 0);
          const spec = { solver, C, eps: tol, maxIter: max_iter };
          const m = trainOneVsRestInSklearnOrder(p, y, nClasses, spec, seed);
          return { coef: m.coef, nW: m.nW, nIter: Math.max(...m.iterations) };
        }
        const keeper = this.ovrParts.startFit(nClasses);
        const m = await trainOneVsRest(
          p,
          y,
          nClasses,
          { solver, C, eps: tol, maxIter: max_iter },
          rng,
          n_jobs ?? 1,
          keeper,
        );
        this.ovrParts.endFit();
        return { coef: m.coef, nW: m.nW, nIter: Math.max(...m.iterations) };
      },
    );
    this.nIter = nIter;
    this.model = { coef, nW, biasValue };
    [this.coef, this.intercept] = splitIntercept(coef, nW, X.cols, biasValue);
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const m = this.model as NonNullable<typeof this.model>;
    return predictLinear(X.data, X.rows, X.cols, m.coef, m.nW, m.biasValue, rowDot);
  }
}
