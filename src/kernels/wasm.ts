/**
 * Loads fmnist's WASM SIMD kernels (dist/kernels/kernels.wasm, built by `npm run
 * build:wasm` from src/kernels/assembly/) and instantiates them over a shared memory.
 * The module is compiled once per process; worker threads receive the compiled module
 * and the same memory, so data never moves between threads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { FmnistError } from '../errors.js';

/** The kernels' exports. Pointers are byte offsets into the shared memory. */
export interface KernelExports {
  dot(x: number, y: number, n: number): number;
  axpy(a: number, x: number, y: number, n: number): void;
  rowSqNorms(a: number, rows: number, cols: number, out: number): void;
  gemmAbt(a: number, m: number, b: number, n: number, d: number, c: number, ldc: number): void;
  sqEuclideanBlock(
    a: number,
    m: number,
    aNorms: number,
    b: number,
    n: number,
    bNorms: number,
    d: number,
    c: number,
    ldc: number,
  ): void;
  manhattanBlock(
    a: number,
    m: number,
    b: number,
    n: number,
    d: number,
    c: number,
    ldc: number,
  ): void;
  topkInit(dist: number, idx: number, rows: number, k: number): void;
  topkUpdate(
    c: number,
    rows: number,
    cols: number,
    ldc: number,
    colOffset: number,
    k: number,
    dist: number,
    idx: number,
  ): void;
  refineEuclidean(
    q: number,
    rows: number,
    x: number,
    d: number,
    m: number,
    dist: number,
    idx: number,
  ): void;
  knnBlock(
    q: number,
    nq: number,
    qNorms: number,
    x: number,
    nx: number,
    xNorms: number,
    d: number,
    metric: number,
    m: number,
    tile: number,
    dist: number,
    idx: number,
  ): void;
  knnBoundedBlock(
    q: number,
    nq: number,
    qAug: number,
    qAugNorms: number,
    qSlackNorms: number,
    x: number,
    nx: number,
    xAug: number,
    xAugNorms: number,
    xSlackNorms: number,
    screenRows: number,
    d: number,
    r1: number,
    k: number,
    c: number,
    tile: number,
    cDist: number,
    cIdx: number,
    dist: number,
    idx: number,
    evals: number,
  ): void;
  knnBoundedL1Block(
    q: number,
    nq: number,
    qPool: number,
    qL1: number,
    x: number,
    nx: number,
    xPool: number,
    xL1: number,
    g: number,
    tol: number,
    screenRows: number,
    d: number,
    k: number,
    c: number,
    tile: number,
    cDist: number,
    cIdx: number,
    dist: number,
    idx: number,
    evals: number,
  ): void;
  refineManhattan(
    q: number,
    rows: number,
    x: number,
    d: number,
    m: number,
    dist: number,
    idx: number,
  ): void;
  knnTileCols(): number;
  heapBase(): number;
}

/**
 * Bytes at the bottom of the shared memory kept for the module's static data, which every
 * instantiation (re)writes; the arena hands out nothing below this.
 */
export const RESERVED_BYTES = 65536;

/** The memory's page limit, as declared by the build (`--maximumMemory`): 2 GiB. */
export const MAX_PAGES = 32768;

let compiled: WebAssembly.Module | null = null;

/** Where the .wasm may be: beside this file (dist/kernels/), or dist/ seen from dist-bench/. */
function wasmPath(): string {
  const candidates = [
    process.env.FMNIST_KERNELS_WASM,
    fileURLToPath(new URL('./kernels.wasm', import.meta.url)),
    fileURLToPath(new URL('../../../dist/kernels/kernels.wasm', import.meta.url)),
  ].filter((p): p is string => typeof p === 'string' && p !== '');
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new FmnistError(
      'KERNELS_NOT_BUILT',
      `The WASM kernels are not built: none of ${candidates.join(', ')} exists. Run 'npm run build:wasm' (or 'npm run build').`,
    );
  }
  return found;
}

/**
 * The compiled kernels module. V8's baseline compiler (Liftoff) runs a long kernel call
 * about 3× slower and a running call never tiers up, so optimizing compilation is asked
 * for before the (one) compile; workers share the compiled code.
 */
export function kernelModule(): WebAssembly.Module {
  if (compiled === null) {
    setFlagsFromString('--no-liftoff');
    compiled = new WebAssembly.Module(readFileSync(wasmPath()));
  }
  return compiled;
}

/** Instantiates the kernels over `memory` (a shared WebAssembly.Memory). */
export function instantiateKernels(
  memory: WebAssembly.Memory,
  module = kernelModule(),
): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  if (exports.heapBase() > RESERVED_BYTES) {
    throw new FmnistError(
      'KERNELS_STATIC_DATA',
      `The WASM kernels' static data ends at byte ${exports.heapBase()}, past the ${RESERVED_BYTES} bytes the arena reserves for it: raise RESERVED_BYTES in src/kernels/wasm.ts.`,
    );
  }
  return exports;
}
