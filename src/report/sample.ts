/** Seeded choice of examples from a split: per class for sprites, overall for embeddings. */
import { Rng } from '../ml/random.js';

/**
 * `perClass` example indices for each class 0..nClasses−1, chosen uniformly at random
 * (one seeded permutation, first come first taken). A class with fewer examples than
 * asked gets all it has.
 */
export function pickPerClass(
  labels: Uint8Array,
  nClasses: number,
  perClass: number,
  seed: number,
): number[][] {
  const picked: number[][] = Array.from({ length: nClasses }, () => []);
  let missing = nClasses;
  for (const i of new Rng(seed).permutation(labels.length)) {
    const k = labels[i];
    if (k >= nClasses) {
      throw new RangeError(
        `Label ${k} at example ${i} is outside the ${nClasses} classes of the dataset.`,
      );
    }
    if (picked[k].length < perClass) {
      picked[k].push(i);
      if (picked[k].length === perClass && --missing === 0) break;
    }
  }
  return picked;
}

/** `n` distinct example indices chosen uniformly at random, in ascending order. */
export function pickUniform(count: number, n: number, seed: number): Uint32Array {
  if (n > count) throw new RangeError(`Asked for ${n} examples but the split has only ${count}.`);
  return new Rng(seed).permutation(count).subarray(0, n).sort();
}
