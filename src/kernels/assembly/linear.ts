// AssemblyScript kernels for liblinear's solvers (src/ml/linear). Re-exported by kernels.ts.
// Same conventions as kernels.ts: pointers are byte offsets into the shared memory.

/** Placeholder so the module has an export until the liblinear kernels land. */
export function linearKernelsVersion(): i32 {
  return 0;
}
