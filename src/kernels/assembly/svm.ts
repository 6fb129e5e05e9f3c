// AssemblyScript kernels for the SVM family (src/ml/svm). Re-exported by kernels.ts.
// Same conventions as kernels.ts: pointers are byte offsets into the shared memory.

/** Placeholder so the module has an export until the SVM kernels land. */
export function svmKernelsVersion(): i32 {
  return 0;
}
