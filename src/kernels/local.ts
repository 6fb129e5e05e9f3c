/**
 * The kernels instantiated on the calling thread over the process's shared arena, plus
 * the helper every wrapper uses to hand arrays to them (zero-copy when an array already
 * lives in the arena).
 */
import { sharedArena, type SharedArena } from './arena.js';
import { instantiateKernels, type KernelExports } from './wasm.js';

let local: KernelExports | null = null;

/** The kernels, on this thread, over `sharedArena()`'s memory. */
export function localKernels(): KernelExports {
  local ??= instantiateKernels(sharedArena().memory);
  return local;
}

/**
 * Runs `body` with a pointer to each input (borrowed into the arena if needed) and
 * releases the temporary copies afterwards, even when `body` throws.
 */
export async function withBorrowed<T>(
  inputs: readonly Float32Array[],
  body: (ptrs: number[], arena: SharedArena) => T | Promise<T>,
): Promise<T> {
  const arena = sharedArena();
  const held = inputs.map((a) => arena.borrow(a));
  try {
    return await body(
      held.map((h) => h.ptr),
      arena,
    );
  } finally {
    for (const h of held) h.done();
  }
}

/** The synchronous form of `withBorrowed`. */
export function withBorrowedSync<T>(
  inputs: readonly Float32Array[],
  body: (ptrs: number[], arena: SharedArena) => T,
): T {
  const arena = sharedArena();
  const held = inputs.map((a) => arena.borrow(a));
  try {
    return body(
      held.map((h) => h.ptr),
      arena,
    );
  } finally {
    for (const h of held) h.done();
  }
}

/** Checks that `data` holds rows×cols values; names the argument when it does not. */
export function checkShape(
  fn: string,
  name: string,
  data: Float32Array,
  rows: number,
  cols: number,
): void {
  if (!(data instanceof Float32Array))
    throw new TypeError(`${fn}: ${name} must be a Float32Array.`);
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(
      `${fn}: ${name}'s shape must be non-negative integers. Got ${rows}×${cols}.`,
    );
  }
  if (data.length !== rows * cols) {
    throw new RangeError(
      `${fn}: ${name} should hold ${rows}×${cols} = ${rows * cols} values. Got ${data.length}.`,
    );
  }
}
