/**
 * The convex losses of scikit-learn 0.19's SGD family (sgd_fast.pyx), as functions of the
 * prediction p = w·x + b and the binary target y ∈ {−1, +1}. Losses are small integer
 * codes, not objects, so the per-sample step in sgd-train.ts can switch on them inline.
 */

export const LOSS_HINGE = 0;
export const LOSS_SQUARED_HINGE = 1;
export const LOSS_LOG = 2;
export const LOSS_MODIFIED_HUBER = 3;
export type LossCode =
  typeof LOSS_HINGE | typeof LOSS_SQUARED_HINGE | typeof LOSS_LOG | typeof LOSS_MODIFIED_HUBER;

/**
 * The loss at prediction p for target y. `threshold` is the hinge's margin: 1 for
 * 'hinge' and 'squared_hinge', 0 for 'perceptron' (a hinge with threshold 0); the other
 * losses ignore it.
 */
export function lossValue(loss: LossCode, threshold: number, p: number, y: number): number {
  const z = p * y;
  switch (loss) {
    case LOSS_HINGE:
      return z <= threshold ? threshold - z : 0;
    case LOSS_SQUARED_HINGE: {
      const m = threshold - z;
      return m > 0 ? m * m : 0;
    }
    case LOSS_LOG:
      // Beyond |z| > 18 the log is replaced by its asymptote, as scikit-learn does.
      if (z > 18) return Math.exp(-z);
      if (z < -18) return -z;
      return Math.log(1 + Math.exp(-z));
    case LOSS_MODIFIED_HUBER:
      if (z >= 1) return 0;
      if (z >= -1) return (1 - z) * (1 - z);
      return -4 * z;
  }
}

/** d loss / d p at prediction p for target y (a subgradient at the hinge's kink). */
export function lossDerivative(loss: LossCode, threshold: number, p: number, y: number): number {
  const z = p * y;
  switch (loss) {
    case LOSS_HINGE:
      // `<=` so the perceptron (threshold 0) updates on a zero prediction, e.g. at w = 0.
      return z <= threshold ? -y : 0;
    case LOSS_SQUARED_HINGE: {
      const m = threshold - z;
      return m > 0 ? -2 * y * m : 0;
    }
    case LOSS_LOG:
      if (z > 18) return -y * Math.exp(-z);
      if (z < -18) return -y;
      return -y / (Math.exp(z) + 1);
    case LOSS_MODIFIED_HUBER:
      if (z >= 1) return 0;
      if (z >= -1) return -2 * y * (1 - z);
      return -4 * y;
  }
}

/**
 * Bottou's heuristic behind learning_rate='optimal': a typical weight typw = sqrt(1/sqrt(α)),
 * the first step eta0 = typw / max(1, dloss(−typw, +1)), and the offset t0 = 1/(eta0·α) so
 * that eta = 1/(α·(t0 + t − 1)) equals eta0 at the first sample (t = 1).
 */
export function optimalLearningRateOffset(
  loss: LossCode,
  threshold: number,
  alpha: number,
): number {
  const typw = Math.sqrt(1 / Math.sqrt(alpha));
  const initialEta0 = typw / Math.max(1, lossDerivative(loss, threshold, -typw, 1));
  return 1 / (initialEta0 * alpha);
}
