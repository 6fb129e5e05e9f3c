// AssemblyScript kernels for the tree family (src/ml/tree, src/ml/ensemble). Re-exported
// by kernels.ts. Same conventions as kernels.ts: pointers are byte offsets into the shared
// memory.

/** Placeholder so the module has an export until tree kernels land. */
export function treeKernelsVersion(): i32 {
  return 0;
}
