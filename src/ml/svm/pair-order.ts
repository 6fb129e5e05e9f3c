/**
 * The order in which worker threads take SVC's class pairs. A pair's solve time is set by
 * its iteration count, which spans six orders of magnitude between pairs of the same size
 * (Fashion-MNIST, linear, C = 100: 371 iterations for pair 0-7, over 2·10⁹ for pair 0-6).
 * Workers take the next pair the moment they finish one, so a hard pair taken late runs
 * alone at the end while the other cores idle. Taking the likely-hard pairs first makes the
 * stragglers cheap ones.
 *
 * The estimate: the pairs whose classes overlap most are the hard ones. Overlap is measured
 * as the share of the pair's rows that lie nearer the other class's mean than their own
 * (a nearest-centroid error). On MNIST its six highest pairs hold the six hardest solves
 * of linear C = 100. The order changes only when a pair is solved, never its solution.
 */
import type { PairTask } from './ovo.js';

/** Rows looked at, at most: enough for shares of a few percent, cheap next to any fit. */
const SAMPLE_ROWS = 8192;

/**
 * Share of each pair's sampled rows nearer the other class's mean (index: the pair's p).
 * `x` holds n rows of d features; `y` their class in [0, nClasses).
 */
export function pairOverlap(
  x: Float32Array,
  n: number,
  d: number,
  y: Int32Array,
  nClasses: number,
): Float64Array {
  const stride = Math.max(1, Math.ceil(n / SAMPLE_ROWS));
  const means = Array.from({ length: nClasses }, () => new Float64Array(d));
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < n; i += stride) {
    const m = means[y[i]];
    counts[y[i]]++;
    for (let j = 0, o = i * d; j < d; j++) m[j] += x[o + j];
  }
  for (let k = 0; k < nClasses; k++)
    if (counts[k] > 0) for (let j = 0; j < d; j++) means[k][j] /= counts[k];
  const nPairs = (nClasses * (nClasses - 1)) / 2;
  const nearer = new Float64Array(nPairs);
  const inPair = new Float64Array(nPairs);
  const dist = new Float64Array(nClasses);
  for (let i = 0; i < n; i += stride) {
    for (let k = 0; k < nClasses; k++) {
      const m = means[k];
      let s = 0;
      for (let j = 0, o = i * d; j < d; j++) {
        const t = x[o + j] - m[j];
        s += t * t;
      }
      dist[k] = s;
    }
    const own = y[i];
    for (let other = 0; other < nClasses; other++) {
      if (other === own) continue;
      const p = pairIndex(Math.min(own, other), Math.max(own, other), nClasses);
      inPair[p]++;
      if (dist[other] < dist[own]) nearer[p]++;
    }
  }
  for (let p = 0; p < nPairs; p++) nearer[p] = inPair[p] > 0 ? nearer[p] / inPair[p] : 0;
  return nearer;
}

/**
 * The tasks in the order workers should take them: pairs resumed from a checkpoint first
 * (they have already run for minutes), then by overlap, then the larger pair, then libsvm's
 * pair order, so the order is deterministic.
 */
export function hardestPairsFirst(
  tasks: readonly PairTask[],
  overlap: Float64Array,
  resumed: (task: PairTask) => boolean = () => false,
): PairTask[] {
  const keyed = tasks.map((t) => ({ t, resumed: resumed(t) ? 1 : 0, overlap: overlap[t.p] }));
  keyed.sort(
    (s, u) =>
      u.resumed - s.resumed ||
      u.overlap - s.overlap ||
      u.t.cols.length - s.t.cols.length ||
      s.t.p - u.t.p,
  );
  return keyed.map((k) => k.t);
}

/** libsvm's index of pair (a, b), a < b: pairs (0,1), (0,2), …, (K−2, K−1). */
export function pairIndex(a: number, b: number, K: number): number {
  // Offset of row a plus b − a − 1.
  return a * K - (a * (a + 1)) / 2 + (b - a - 1);
}
