/**
 * Checkpoints of a long solver (newGLMNET for one L1 logistic one-vs-rest class,
 * Crammer–Singer for its one joint problem): the solver's whole state as bytes, replaced
 * every few minutes, so that a killed fit continues from its last checkpoint instead of
 * from nothing. Bytes, not objects, because the solver may run on a worker thread and its
 * keeper on the main thread.
 */
import type { FitParts, ResumeTally, StoredPart } from '../fit-parts.js';

/** How often a solver checkpoints when its FitParts does not say. */
export const DEFAULT_CHECKPOINT_SECONDS = 120;

/** What a solver asks of whoever keeps its checkpoints. */
export interface BinaryCheckpoints {
  /** The bytes of the last checkpoint of this problem, or null. */
  restore(): Uint8Array | null;
  /** Whether a checkpoint is due now. */
  due(): boolean;
  save(bytes: Uint8Array): void;
}

/** Checkpoints due every `everySeconds` of wall-clock time, starting from `restored`. */
export function timedCheckpoints(
  restored: Uint8Array | null,
  everySeconds: number,
  save: (bytes: Uint8Array) => void,
): BinaryCheckpoints {
  let last = performance.now();
  return {
    restore: () => restored,
    due: () => performance.now() - last >= everySeconds * 1000,
    save(bytes) {
      save(bytes);
      last = performance.now();
    },
  };
}

/**
 * Checkpoints kept as the part `name` of `parts`, each saved with the fit's time so far
 * (`tally`). `stored` is the checkpoint found there, if any.
 */
export function partCheckpoints(
  parts: FitParts,
  name: string,
  tally: ResumeTally,
): { checkpoints: BinaryCheckpoints; stored: StoredPart | null } {
  const stored = parts.load(name);
  if (stored !== null) tally.carry(stored.seconds);
  const checkpoints = timedCheckpoints(
    stored?.bytes ?? null,
    parts.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS,
    (bytes) => parts.save(name, { bytes, seconds: tally.elapsed() }),
  );
  return { checkpoints, stored };
}

/** How a keeper of many subproblems (classes, class pairs) loads and saves their checkpoints. */
export interface SubproblemStates<T> {
  /** The last checkpoint of subproblem t's unfinished solver, or null. */
  loadState(t: T): Uint8Array | null;
  saveState(t: T, bytes: Uint8Array): void;
  /** How often a subproblem's solver saves its state. */
  readonly checkpointSeconds: number;
}

/**
 * Checkpoints of subproblem t kept as the part `stateName(t)` of `parts`, each saved with
 * the fit's time so far; loading one carries its time into `tally`.
 */
export function subproblemStates<T>(
  parts: FitParts,
  tally: ResumeTally,
  stateName: (t: T) => string,
): SubproblemStates<T> {
  return {
    checkpointSeconds: parts.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS,
    loadState(t: T): Uint8Array | null {
      const stored = parts.load(stateName(t));
      if (stored === null) return null;
      tally.carry(stored.seconds);
      return stored.bytes;
    },
    saveState(t: T, bytes: Uint8Array): void {
      parts.save(stateName(t), { bytes, seconds: tally.elapsed() });
    },
  };
}
