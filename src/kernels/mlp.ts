/**
 * The neural family's kernels (src/kernels/assembly/mlp.ts) seen from JS: their exports,
 * plain wrappers of the three GEMM shapes a multilayer perceptron needs (used by the
 * tests and small callers), and the forward pass that predicts on a fitted network.
 * Everything runs in float32 over the process's shared arena.
 */
import type { SharedArena } from './arena.js';
import { checkShape, localKernels, withBorrowedSync } from './local.js';

/** The hidden activations, numbered as the WASM kernels number them. */
export const ACT_IDENTITY = 0;
export const ACT_LOGISTIC = 1;
export const ACT_TANH = 2;
export const ACT_RELU = 3;
export type ActivationCode =
  typeof ACT_IDENTITY | typeof ACT_LOGISTIC | typeof ACT_TANH | typeof ACT_RELU;

/** The MLP exports of the kernels module. Pointers are byte offsets into shared memory. */
export interface MlpKernels {
  mlpPadBytes(): number;
  mlpRowTable(a: number, ld: number, m: number, out: number): void;
  mlpGatherBatch(
    a: number,
    ld: number,
    y: number,
    idx: number,
    m: number,
    out: number,
    yOut: number,
  ): void;
  mlpGemmNN(
    aRows: number,
    m: number,
    k: number,
    b: number,
    n: number,
    bias: number,
    c: number,
  ): void;
  mlpGemmTN(
    aRows: number,
    m: number,
    k: number,
    b: number,
    n: number,
    c: number,
    accumulate: number,
  ): void;
  mlpGemmNT(a: number, m: number, k: number, b: number, n: number, c: number): void;
  mlpActivate(z: number, len: number, act: number): void;
  mlpActDerivative(h: number, delta: number, len: number, act: number): void;
  mlpOutputLoss(z: number, m: number, n: number, y: number, delta: number): number;
  mlpColumnSums(a: number, m: number, n: number, out: number, accumulate: number): void;
  mlpSumSquares(w: number, len: number): number;
  mlpAdam(
    param: number,
    grad: number,
    grad2: number,
    m: number,
    v: number,
    len: number,
    gradScale: number,
    decay: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
  ): number;
  mlpArgmaxRows(z: number, m: number, n: number, out: number): void;
  /** One batch's forward and backward pass, described by a table (see assembly/mlp.ts). */
  mlpBackprop(desc: number): void;
}

/** The MLP kernels on this thread, over the shared arena. */
export function mlpKernels(): MlpKernels {
  return localKernels() as unknown as MlpKernels;
}

/** Slack after every buffer a GEMM reads as B: its edge tiles load whole vectors. */
export const MLP_PAD = 32;

/** Allocates n float32 (zeroed, padded) in the arena and returns the pointer. */
export function allocPadded(arena: SharedArena, n: number): number {
  const ptr = arena.alloc(n * 4 + MLP_PAD);
  new Uint8Array(arena.buffer(), ptr, n * 4 + MLP_PAD).fill(0);
  return ptr;
}

/** Copies `src` into a fresh padded allocation and returns the pointer. */
export function putPadded(arena: SharedArena, src: Float32Array): number {
  const ptr = allocPadded(arena, src.length);
  new Float32Array(arena.buffer(), ptr, src.length).set(src);
  return ptr;
}

/** Runs `body` with temporary arena allocations that are all released afterwards. */
export function withScratch<T>(
  body: (alloc: (bytes: number) => number, arena: SharedArena) => T,
  arena: SharedArena,
): T {
  const held: number[] = [];
  try {
    return body((bytes) => {
      const p = arena.alloc(bytes);
      held.push(p);
      return p;
    }, arena);
  } finally {
    for (const p of held) arena.release(p);
  }
}

/** A table of pointers to the m rows of the contiguous m×ld matrix at a. */
function rowTable(alloc: (bytes: number) => number, a: number, ld: number, m: number): number {
  const tab = alloc(Math.max(1, m) * 4);
  mlpKernels().mlpRowTable(a, ld, m, tab);
  return tab;
}

/** C = A·B (+ bias per row) for A m×k, B k×n. */
export function mlpMatMul(
  a: Float32Array,
  m: number,
  k: number,
  b: Float32Array,
  n: number,
  bias: Float32Array | null = null,
): Float32Array {
  checkShape('mlpMatMul', 'A', a, m, k);
  checkShape('mlpMatMul', 'B', b, k, n);
  return withBorrowedSync([a], ([pa], arena) =>
    withScratch((alloc) => {
      const pb = alloc(b.length * 4 + MLP_PAD);
      new Float32Array(arena.buffer(), pb, b.length).set(b);
      let pbias = 0;
      if (bias !== null) {
        checkShape('mlpMatMul', 'bias', bias, 1, n);
        pbias = alloc(n * 4 + MLP_PAD);
        new Float32Array(arena.buffer(), pbias, n).set(bias);
      }
      const pc = alloc(m * n * 4);
      mlpKernels().mlpGemmNN(rowTable(alloc, pa, k, m), m, k, pb, n, pbias, pc);
      return new Float32Array(arena.buffer(), pc, m * n).slice();
    }, arena),
  );
}

/** C = Aᵀ·B for A m×k, B m×n (C is k×n). */
export function mlpMatMulTN(
  a: Float32Array,
  m: number,
  k: number,
  b: Float32Array,
  n: number,
): Float32Array {
  checkShape('mlpMatMulTN', 'A', a, m, k);
  checkShape('mlpMatMulTN', 'B', b, m, n);
  return withBorrowedSync([a], ([pa], arena) =>
    withScratch((alloc) => {
      const pb = alloc(b.length * 4 + MLP_PAD);
      new Float32Array(arena.buffer(), pb, b.length).set(b);
      const pc = alloc(k * n * 4);
      mlpKernels().mlpGemmTN(rowTable(alloc, pa, k, m), m, k, pb, n, pc, 0);
      return new Float32Array(arena.buffer(), pc, k * n).slice();
    }, arena),
  );
}

/** C = A·Bᵀ for A m×k, B n×k (C is m×n). */
export function mlpMatMulNT(
  a: Float32Array,
  m: number,
  k: number,
  b: Float32Array,
  n: number,
): Float32Array {
  checkShape('mlpMatMulNT', 'A', a, m, k);
  checkShape('mlpMatMulNT', 'B', b, n, k);
  return withBorrowedSync([a, b], ([pa, pb], arena) =>
    withScratch((alloc) => {
      const pc = alloc(m * n * 4);
      mlpKernels().mlpGemmNT(pa, m, k, pb, n, pc);
      return new Float32Array(arena.buffer(), pc, m * n).slice();
    }, arena),
  );
}

/** A copy of `values` with the hidden activation `act` applied (the kernel, for tests). */
export function mlpApplyActivation(values: Float32Array, act: ActivationCode): Float32Array {
  return withBorrowedSync([values.slice()], ([p], arena) => {
    mlpKernels().mlpActivate(p, values.length, act);
    return new Float32Array(arena.buffer(), p, values.length).slice();
  });
}

/** A fitted network: layer l maps sizes[l] units to sizes[l+1] through W_l (sizes[l]×sizes[l+1]) and b_l. */
export interface MlpWeights {
  /** Units per layer, input first, output last (1 output unit: a binary logistic output). */
  sizes: readonly number[];
  weights: readonly Float32Array[];
  biases: readonly Float32Array[];
  activation: ActivationCode;
}

/** Rows per forward block in predict: small enough that the activations stay in cache. */
const PREDICT_BLOCK = 256;

/**
 * The forward pass over X (n×d): per row either the index of the largest output
 * ('argmax'; for a single logistic output, 1 when it is positive) or the output
 * probabilities ('proba': softmax rows, or P(class 1) for a single output).
 */
export function mlpForward(net: MlpWeights, X: Float32Array, n: number, mode: 'argmax'): Int32Array;
export function mlpForward(
  net: MlpWeights,
  X: Float32Array,
  n: number,
  mode: 'proba',
): Float32Array;
export function mlpForward(
  net: MlpWeights,
  X: Float32Array,
  n: number,
  mode: 'argmax' | 'proba',
): Int32Array | Float32Array {
  const { sizes } = net;
  const L = sizes.length - 1;
  const d = sizes[0];
  const K = sizes[L];
  checkShape('mlpForward', 'X', X, n, d);
  const k = mlpKernels();
  return withBorrowedSync([X], ([px], arena) =>
    withScratch((alloc) => {
      const W = net.weights.map((w) => {
        const p = alloc(w.length * 4 + MLP_PAD);
        new Float32Array(arena.buffer(), p, w.length).set(w);
        return p;
      });
      const B = net.biases.map((b) => {
        const p = alloc(b.length * 4 + MLP_PAD);
        new Float32Array(arena.buffer(), p, b.length).set(b);
        return p;
      });
      const rows = Math.min(PREDICT_BLOCK, n);
      const acts = sizes.map((s, l) => (l === 0 ? 0 : alloc(rows * s * 4 + MLP_PAD)));
      const tabs = sizes.map((s, l) => {
        const t = alloc(Math.max(1, rows) * 4);
        if (l > 0) k.mlpRowTable(acts[l], s, rows, t);
        return t;
      });
      const outArgmax = mode === 'argmax' ? alloc(Math.max(1, n) * 4) : 0;
      const proba = mode === 'proba' ? new Float32Array(n * K) : null;
      for (let s = 0; s < n; s += rows) {
        const m = Math.min(rows, n - s);
        k.mlpRowTable(px + s * d * 4, d, m, tabs[0]);
        for (let l = 0; l < L; l++) {
          k.mlpGemmNN(tabs[l], m, sizes[l], W[l], sizes[l + 1], B[l], acts[l + 1]);
          if (l + 1 < L) k.mlpActivate(acts[l + 1], m * sizes[l + 1], net.activation);
        }
        if (mode === 'argmax') {
          if (K === 1) {
            const z = new Float32Array(arena.buffer(), acts[L], m);
            const out = new Int32Array(arena.buffer(), outArgmax + s * 4, m);
            for (let i = 0; i < m; i++) out[i] = z[i] > 0 ? 1 : 0;
          } else {
            k.mlpArgmaxRows(acts[L], m, K, outArgmax + s * 4);
          }
        } else {
          k.mlpOutputLoss(acts[L], m, K, 0, 0);
          (proba as Float32Array).set(new Float32Array(arena.buffer(), acts[L], m * K), s * K);
        }
      }
      return mode === 'argmax'
        ? new Int32Array(arena.buffer(), outArgmax, n).slice()
        : (proba as Float32Array);
    }, arena),
  );
}
