/**
 * The training set in a repeat's shuffled order, written into one block of the shared
 * arena that every repeat of a configuration reuses. A fresh 188 MB SharedArrayBuffer
 * per repeat was garbage the GC reclaimed late: RSS climbed ~180 MB per repeat, to
 * 3.7 GB on the SGD rows. In the arena the kernels also read it in place (k-NN indexes
 * it without copying it). Each shuffle is declared a row permutation of the training set,
 * so tree fits reuse its bins (src/ml/tree/training-bins.ts).
 */
import { sharedArena, type SharedArena } from '../kernels/arena.js';
import { matrix, type Matrix } from '../ml/matrix.js';
import { declareRowPermutation } from '../ml/tree/training-bins.js';

export class ShuffledTrain {
  private readonly arena: SharedArena = sharedArena();
  private block: Float32Array | null = null;

  constructor(private readonly train: Matrix) {}

  /**
   * The rows of the training set listed in `order`. The returned matrix is overwritten by
   * the next call, so the previous repeat's estimator must be done with it.
   */
  take(order: ArrayLike<number>): Matrix {
    const { rows, cols, data } = this.train;
    if (order.length !== rows) {
      throw new RangeError(
        `ShuffledTrain.take: order must list all ${rows} rows. Got ${order.length}.`,
      );
    }
    const out = (this.block ??= this.arena.allocF32(rows * cols));
    for (let i = 0; i < rows; i++) {
      const src = order[i] * cols;
      out.set(data.subarray(src, src + cols), i * cols);
    }
    const X = matrix(out, rows, cols);
    // Tree fits then permute the training set's bins instead of binning X again.
    declareRowPermutation(X, this.train, order);
    return X;
  }

  /** Returns the block to the arena. */
  release(): void {
    if (this.block !== null) this.arena.releaseView(this.block);
    this.block = null;
  }
}
