/**
 * SVC's finished class pairs as FitParts (ml/fit-parts.ts): a pair's α over its rows, ρ,
 * and its solver statistics, under the name "pair a-b"; and the latest checkpoint of its
 * solver while it runs, under "pair a-b state".
 */
import { packPart, unpackPart, type FitParts, type ResumeTally } from '../fit-parts.js';
import { subproblemStates } from '../linear/solver-checkpoints.js';
import type { PairKeeper, PairResult, PairTask } from './ovo.js';

const name = (t: PairTask): string => `pair ${t.a}-${t.b}`;
const stateName = (t: PairTask): string => `pair ${t.a}-${t.b} state`;

export function pairKeeper(parts: FitParts, tally: ResumeTally): PairKeeper {
  return {
    ...subproblemStates(parts, tally, stateName),
    restore(t: PairTask): PairResult | null {
      const stored = parts.load(name(t));
      if (stored === null) return null;
      const u = unpackPart(stored.bytes);
      // A part that does not fit this pair's rows is not this pair's: solve it again.
      if (u === null || u.header.rows !== t.cols.length || u.arrays.length !== 1) return null;
      const h = u.header;
      tally.add(stored);
      return {
        p: t.p,
        alpha: u.arrays[0],
        rho: Number(h.rho),
        obj: Number(h.obj),
        iterations: Number(h.iterations),
        converged: h.converged === true,
        rowsComputed: Number(h.rowsComputed),
        passes: Number(h.passes),
        wasmLoops: h.wasmLoops === true,
        continuedFrom: null,
        rowsGathered: 0,
        runIterations: 0,
      };
    },
    keep(t: PairTask, r: PairResult): void {
      // The solver says whether it used the checkpoint (one of another size is ignored).
      if (r.continuedFrom !== null) tally.addContinued();
      const header = {
        rows: t.cols.length,
        rho: r.rho,
        obj: r.obj,
        iterations: r.iterations,
        converged: r.converged,
        rowsComputed: r.rowsComputed,
        passes: r.passes,
        wasmLoops: r.wasmLoops,
      };
      parts.save(name(t), { bytes: packPart(header, [r.alpha]), seconds: tally.elapsed() });
    },
  };
}
