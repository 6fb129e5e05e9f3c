/**
 * Turns neighbour lists into class predictions with scikit-learn's KNeighborsClassifier
 * semantics. Pure functions, so a benchmark can compute neighbours once for the largest
 * k and answer every smaller k and both weightings from the same lists.
 *
 * - 'uniform': each of the first k neighbours casts one vote.
 * - 'distance': a neighbour's vote weighs 1/d; if any of the k neighbours is at distance
 *   exactly 0, only the zero-distance neighbours vote, one each.
 * - Ties in the vote go to the lowest class (scikit-learn's mode / weighted_mode).
 */
import { encodeLabels } from '../estimator.js';

export type Weights = 'uniform' | 'distance';

/** Neighbour lists of `rows` queries, `k` per row, ascending by (distance, index). */
export interface NeighbourLists {
  distances: Float32Array;
  indices: Int32Array;
  rows: number;
  k: number;
}

/** Per-row class weights (rows×nClasses, float64) from the first `k` neighbours. */
export function classWeights(
  neighbours: NeighbourLists,
  yEncoded: Int32Array,
  nClasses: number,
  k: number,
  weights: Weights,
): Float64Array {
  checkK(neighbours, k);
  const { distances, indices, rows } = neighbours;
  const stride = neighbours.k;
  const out = new Float64Array(rows * nClasses);
  for (let i = 0; i < rows; i++) {
    const o = i * stride;
    const w = i * nClasses;
    let zeros = false;
    if (weights === 'distance') {
      for (let t = 0; t < k; t++) if (distances[o + t] === 0) zeros = true;
    }
    for (let t = 0; t < k; t++) {
      const label = yEncoded[indices[o + t]];
      const d = distances[o + t];
      if (weights === 'uniform') out[w + label] += 1;
      else if (zeros) out[w + label] += d === 0 ? 1 : 0;
      else out[w + label] += 1 / d;
    }
  }
  return out;
}

/** The class with the largest weight per row, lowest class on ties. */
export function argmaxRows(weights: Float64Array, rows: number, nClasses: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * nClasses;
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (weights[o + c] > weights[o + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Predicted labels from neighbour lists computed for some k ≥ `k`: `trainLabels[j]` is the
 * label of training row j (any integers; ties go to the smallest label).
 */
export function predictFromNeighbours(
  neighbours: NeighbourLists,
  trainLabels: ArrayLike<number>,
  k: number,
  weights: Weights,
): Int32Array {
  if (weights !== 'uniform' && weights !== 'distance') {
    throw new RangeError(
      `predictFromNeighbours: weights must be 'uniform' or 'distance'. Got '${String(weights)}'.`,
    );
  }
  const { classes, encoded } = encodeLabels(Int32Array.from(trainLabels));
  const w = classWeights(neighbours, encoded, classes.length, k, weights);
  const best = argmaxRows(w, neighbours.rows, classes.length);
  const out = new Int32Array(best.length);
  for (let i = 0; i < best.length; i++) out[i] = classes[best[i]];
  return out;
}

function checkK(neighbours: NeighbourLists, k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > neighbours.k) {
    throw new RangeError(
      `The neighbour lists hold ${neighbours.k} neighbours per row; k must be an int in [1, ${neighbours.k}]. Got ${k}.`,
    );
  }
  if (
    neighbours.distances.length !== neighbours.rows * neighbours.k ||
    neighbours.indices.length !== neighbours.rows * neighbours.k
  ) {
    throw new RangeError(
      `The neighbour lists should hold ${neighbours.rows}×${neighbours.k} distances and indices. Got ${neighbours.distances.length} and ${neighbours.indices.length}.`,
    );
  }
}
