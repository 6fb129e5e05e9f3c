/**
 * Puts a training matrix where the WASM liblinear kernels can read it (the process's
 * shared arena: copied once unless it already lives there) and hands the solvers a
 * problem over it with the WASM ops; everything is released when `body` settles.
 */
import { sharedArena } from '../../kernels/arena.js';
import { ArenaRegion, WasmLinearOps } from '../../kernels/linear-ops.js';
import type { Matrix } from '../matrix.js';
import type { LinearProblem } from './liblinear-problem.js';

export async function withWasmProblem<T>(
  X: Matrix,
  fitIntercept: boolean,
  interceptScaling: number,
  body: (p: LinearProblem) => T | Promise<T>,
): Promise<T> {
  const arena = sharedArena();
  const held = arena.borrow(X.data);
  const region = new ArenaRegion(arena);
  try {
    return await body({
      data: new Float32Array(arena.memory.buffer, held.ptr, X.data.length),
      rows: X.rows,
      cols: X.cols,
      biasValue: fitIntercept ? interceptScaling : 0,
      ops: new WasmLinearOps(region),
    });
  } finally {
    region.release();
    held.done();
  }
}
