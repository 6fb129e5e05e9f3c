/**
 * liblinear's finished one-vs-rest problems as FitParts (ml/fit-parts.ts): class k's
 * weights and iterations under the name "class k", and the latest checkpoint of its solver
 * while it runs (newGLMNET only) under "class k state".
 */
import {
  ResumeTally,
  packPart,
  resumedNote,
  unpackPart,
  type FitParts,
  type ResumedParts,
} from '../fit-parts.js';
import type { BinaryResult } from './liblinear-binary.js';
import type { ClassKeeper } from './liblinear-ovr.js';
import { subproblemStates } from './solver-checkpoints.js';

const name = (positive: number): string => `class ${positive}`;
const stateName = (positive: number): string => `class ${positive} state`;

export function classKeeper(parts: FitParts, tally: ResumeTally): ClassKeeper {
  return {
    ...subproblemStates(parts, tally, stateName),
    restore(positive: number, size: number): BinaryResult | null {
      const stored = parts.load(name(positive));
      if (stored === null) return null;
      const u = unpackPart(stored.bytes);
      // Weights of another size are not this problem's: solve it again.
      if (u === null || u.arrays.length !== 1 || u.arrays[0].length !== size) return null;
      tally.add(stored);
      return { w: u.arrays[0], iterations: Number(u.header.iterations) };
    },
    keep(positive: number, r: BinaryResult): void {
      // The solver says whether it used the checkpoint (one of other sizes is ignored).
      if (r.continuedFrom != null) tally.addContinued();
      parts.save(name(positive), {
        bytes: packPart({ iterations: r.iterations }, [r.w]),
        seconds: tally.elapsed(),
      });
    },
  };
}

/**
 * The fit-parts side of a one-vs-rest liblinear estimator (LogisticRegression, LinearSVC):
 * the parts it was given, a keeper per fit, and what the last fit restored.
 */
export class OvrFitParts {
  parts: FitParts | null = null;
  resumed: ResumedParts | null = null;
  private tally: ResumeTally | null = null;

  /** A keeper for the next fit on `nClasses` classes, or null without parts. */
  startFit(nClasses: number): ClassKeeper | null {
    this.resumed = null;
    if (this.parts === null) return (this.tally = null);
    this.tally = new ResumeTally(nClasses === 2 ? 1 : nClasses);
    return classKeeper(this.parts, this.tally);
  }

  /** Records what the fit that startFit began has restored. */
  endFit(): void {
    this.resumed = this.tally?.result() ?? null;
  }

  /** The benchmark note on restored problems, or null. */
  get note(): string | null {
    const note = resumedNote(this.resumed, 'one-vs-rest problems');
    return note === '' ? null : note.slice(2);
  }
}
