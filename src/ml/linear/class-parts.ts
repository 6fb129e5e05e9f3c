/**
 * liblinear's finished one-vs-rest problems as FitParts (ml/fit-parts.ts): class k's
 * weights and iterations under the name "class k".
 */
import { packPart, unpackPart, type FitParts, type ResumeTally } from '../fit-parts.js';
import type { BinaryResult } from './liblinear-binary.js';
import type { ClassKeeper } from './liblinear-ovr.js';

const name = (positive: number): string => `class ${positive}`;

export function classKeeper(parts: FitParts, tally: ResumeTally): ClassKeeper {
  return {
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
      parts.save(name(positive), {
        bytes: packPart({ iterations: r.iterations }, [r.w]),
        seconds: tally.elapsed(),
      });
    },
  };
}
