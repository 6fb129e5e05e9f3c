/**
 * The paper's split: per class, a seeded random `testPerClass` images go to the test set,
 * the rest to training; each split is then sorted by label (stable by image name).
 */
import { Rng } from '../../ml/random.js';
import { LabelsFormatError } from '../errors.js';
import type { LabelEntry } from './labels.js';

export interface SplitResult {
  train: LabelEntry[];
  test: LabelEntry[];
}

const byName = (a: LabelEntry, b: LabelEntry) =>
  a.image < b.image ? -1 : a.image > b.image ? 1 : 0;
const byLabelThenName = (a: LabelEntry, b: LabelEntry) => a.label - b.label || byName(a, b);

export function splitPerClass(
  entries: readonly LabelEntry[],
  classNames: readonly string[],
  testPerClass: number,
  seed: number,
  file: string,
): SplitResult {
  if (!Number.isInteger(testPerClass) || testPerClass < 0) {
    throw new RangeError(`pack: --test-per-class must be an integer ≥ 0. Got ${testPerClass}.`);
  }
  const perClass: LabelEntry[][] = Array.from({ length: classNames.length }, () => []);
  for (const e of entries) perClass[e.label].push(e);
  const rng = new Rng(seed);
  const train: LabelEntry[] = [];
  const test: LabelEntry[] = [];
  perClass.forEach((members, label) => {
    if (members.length === 0) {
      throw new LabelsFormatError(
        file,
        0,
        `class ${label} (${classNames[label]}) has no images; remove it from the class list or label some images with it`,
      );
    }
    // One more than the test share, so every class also has a training image.
    if (members.length <= testPerClass) {
      const first = members.reduce((a, b) => (a.line < b.line ? a : b));
      throw new LabelsFormatError(
        file,
        first.line,
        `class ${label} (${classNames[label]}) has ${members.length} usable images (first on this line); --test-per-class ${testPerClass} needs at least ${testPerClass + 1}`,
      );
    }
    members.sort(byName); // independent of the CSV's row order
    const order = rng.permutation(members.length);
    for (let i = 0; i < order.length; i++)
      (i < testPerClass ? test : train).push(members[order[i]]);
  });
  train.sort(byLabelThenName);
  test.sort(byLabelThenName);
  return { train, test };
}
