/**
 * Checkpoints of the Crammer–Singer solver as a FitPart (ml/fit-parts.ts). Crammer–Singer
 * is one joint problem, not independent parts, so what is kept is the whole solver state
 * after a pass — duals, weights, shrinking state, pass count, random stream — replaced
 * every few minutes. A killed fit continues from the last checkpoint with the very passes
 * it would have made, so it ends with the same model.
 */
import { ResumeTally, packPart, unpackPart, type FitParts } from '../fit-parts.js';

/** The solver state after a pass (views are fine: saving copies them). */
export interface CrammerSingerSnapshot {
  readonly iter: number;
  readonly activeSize: number;
  readonly epsShrink: number;
  readonly startFromAll: boolean;
  /** The random stream's state (Rng.getState). */
  readonly rng: Uint32Array;
  readonly W: Float64Array;
  readonly alpha: Float64Array;
  readonly alphaIndex: Int32Array;
  readonly yIndex: Int32Array;
  readonly activeSizeI: Int32Array;
  readonly index: Int32Array;
}

/** Sizes a snapshot must have to belong to the problem being solved. */
export interface CrammerSingerShape {
  readonly rows: number;
  readonly K: number;
  readonly size: number;
}

/** What solveCrammerSinger asks of whoever keeps its checkpoints. */
export interface CrammerSingerCheckpoints {
  /** The last checkpoint of this problem, or null (none, or not of this shape). */
  restore(shape: CrammerSingerShape): CrammerSingerSnapshot | null;
  /** Whether a checkpoint is due after the pass just finished. */
  due(): boolean;
  save(snapshot: CrammerSingerSnapshot): void;
}

const PART = 'crammer-singer state';

/** How often the solver saves its state when the FitParts does not say. */
export const DEFAULT_CHECKPOINT_SECONDS = 120;

/**
 * Checkpoints kept in `parts`. `tally` counts a restore and times the fit across runs;
 * `restoredPass` is the pass the fit continued from (null: it started afresh).
 */
export class CrammerSingerParts implements CrammerSingerCheckpoints {
  restoredPass: number | null = null;
  private lastSave = performance.now();
  private readonly everyMs: number;

  constructor(
    private readonly parts: FitParts,
    private readonly tally: ResumeTally,
  ) {
    this.everyMs = 1000 * (parts.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS);
  }

  restore(shape: CrammerSingerShape): CrammerSingerSnapshot | null {
    const stored = this.parts.load(PART);
    if (stored === null) return null;
    const snapshot = fromPart(stored.bytes, shape);
    // A state of another shape is not this problem's: start afresh.
    if (snapshot === null) return null;
    this.tally.add(stored);
    this.restoredPass = snapshot.iter;
    return snapshot;
  }

  due(): boolean {
    return performance.now() - this.lastSave >= this.everyMs;
  }

  save(s: CrammerSingerSnapshot): void {
    const header = {
      iter: s.iter,
      activeSize: s.activeSize,
      epsShrink: s.epsShrink,
      startFromAll: s.startFromAll,
      rng: [...s.rng],
    };
    const ints = [s.alphaIndex, s.yIndex, s.activeSizeI, s.index].map((a) => Float64Array.from(a));
    this.parts.save(PART, {
      bytes: packPart(header, [s.W, s.alpha, ...ints]),
      seconds: this.tally.elapsed(),
    });
    this.lastSave = performance.now();
  }
}

function fromPart(bytes: Uint8Array, shape: CrammerSingerShape): CrammerSingerSnapshot | null {
  const u = unpackPart(bytes);
  if (u === null || u.arrays.length !== 6) return null;
  const { rows: l, K, size } = shape;
  const [W, alpha, alphaIndex, yIndex, activeSizeI, index] = u.arrays;
  const lengths = [W, alpha, alphaIndex, yIndex, activeSizeI, index].map((a) => a.length);
  if (lengths.join() !== [K * size, l * K, l * K, l, l, l].join()) return null;
  const h = u.header;
  const rng = h.rng;
  if (
    !Number.isInteger(h.iter) ||
    !Number.isInteger(h.activeSize) ||
    typeof h.epsShrink !== 'number' ||
    typeof h.startFromAll !== 'boolean' ||
    !Array.isArray(rng) ||
    rng.length !== 4
  ) {
    return null;
  }
  return {
    iter: h.iter as number,
    activeSize: h.activeSize as number,
    epsShrink: h.epsShrink,
    startFromAll: h.startFromAll,
    rng: Uint32Array.from(rng as number[]),
    W,
    alpha,
    alphaIndex: Int32Array.from(alphaIndex),
    yIndex: Int32Array.from(yIndex),
    activeSizeI: Int32Array.from(activeSizeI),
    index: Int32Array.from(index),
  };
}
