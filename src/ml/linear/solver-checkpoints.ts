/**
 * Checkpoints of one binary liblinear problem's solver (newGLMNET for L1 logistic
 * regression, whose one-vs-rest classes on MNIST take most of an hour each): the solver's
 * whole state as bytes, replaced every few minutes, so that a killed fit continues a class
 * from its last checkpoint instead of from nothing. Bytes, not objects, because the solver
 * may run on a worker thread and its keeper on the main thread.
 */

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
