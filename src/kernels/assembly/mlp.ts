// AssemblyScript kernels for the neural family (src/ml/neural). Re-exported by kernels.ts.
// Same conventions as kernels.ts: pointers are byte offsets into the shared memory.

/** Placeholder so the module has an export until the MLP kernels land. */
export function mlpKernelsVersion(): i32 {
  return 0;
}
