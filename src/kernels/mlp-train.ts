/**
 * Minibatch Adam training of a multilayer perceptron, scikit-learn 0.19's
 * `BaseMultilayerPerceptron._fit_stochastic` with solver 'adam', in float32 over the
 * shared arena:
 *   per epoch: shuffle the sample order (seeded); per batch of min(batch_size, rest) rows:
 *     forward, softmax (or logistic for one output) + log-loss, backward;
 *     W gradient = (Σ_rows aᵀδ + alpha·W) / m, b gradient = Σ_rows δ / m;
 *     one Adam step on every parameter;
 *   epoch loss = Σ_batches m·(data loss + ½·alpha·Σ‖W‖²/m) / n (as scikit-learn accumulates);
 *   stop when the loss has not improved by tol for more than nIterNoChange epochs in a row
 *   (0.19 hard-codes 2), or after maxIter epochs.
 * One WASM call (`mlpBackprop`) does the forward and backward pass of a batch's half:
 * batches are computed as two halves whose gradients the Adam step sums. With two threads
 * the main thread does one half and a pool worker the other (the data stays in the shared
 * memory, only a pointer is sent); with one, the main thread does both. Either way the
 * numbers are the same.
 */
import { sharedArena } from './arena.js';
import { allocPadded, mlpKernels, putPadded, type ActivationCode } from './mlp.js';
import { kernelPool, type KernelPool } from './pool.js';

export interface MlpTrainConfig {
  activation: ActivationCode;
  /** L2 penalty on the weights (not the biases). */
  alpha: number;
  /** Rows per batch, already resolved ('auto' → min(200, n); clipped to [1, n]). */
  batchSize: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  maxIter: number;
  tol: number;
  /** Epochs without tol improvement tolerated before stopping (0.19: 2). */
  nIterNoChange: number;
  shuffle: boolean;
  /** 1: everything on the calling thread; 2: each batch split with a pool worker. */
  threads: number;
}

/** Anything that shuffles an index array in place (an Rng). */
export interface Shuffler {
  shuffle(a: Uint32Array): void;
}

export interface MlpTrainData {
  /** n×d row-major; used in place when it already lives in the shared arena. */
  X: Float32Array;
  n: number;
  d: number;
  /** Encoded labels 0..K-1 (for a single output unit: 0 or 1). */
  y: Int32Array;
}

export interface MlpTrainResult {
  weights: Float32Array[];
  biases: Float32Array[];
  /** The training loss after each epoch. */
  lossCurve: number[];
  /** Epochs run. */
  nIter: number;
  /** Adam steps taken (batches). */
  steps: number;
  bestLoss: number;
  /** True when the tol rule stopped training before maxIter. */
  converged: boolean;
}

/**
 * scikit-learn's no-improvement count on the training loss: an epoch counts as no
 * improvement when its loss is above best − tol; the count resets otherwise; training
 * stops once the count exceeds `patience`.
 */
export class NoImprovementStopper {
  best = Infinity;
  count = 0;
  constructor(
    readonly tol: number,
    readonly patience: number,
  ) {}

  /** Records an epoch's loss; true when training should stop. */
  update(loss: number): boolean {
    if (loss > this.best - this.tol) this.count++;
    else this.count = 0;
    if (loss < this.best) this.best = loss;
    return this.count > this.patience;
  }
}

/** Words in a batch descriptor (see mlpBackprop in assembly/mlp.ts). */
const DESC_HEADER = 8;
const DESC_LAYER = 8;
/** Below twice this many rows a batch is computed in one part, not two halves. */
const MIN_SPLIT_ROWS = 32;

interface Part {
  desc: number;
  loss: number;
  gW: number[];
  gb: number[];
}

type Alloc = (bytes: number) => number;

/**
 * The buffers and descriptor of one thread's share of a batch (up to `rows` rows): its
 * activations, deltas and gradient sums, over the shared weights W and biases B.
 */
function makePart(
  alloc: Alloc,
  padded: Alloc,
  sizes: readonly number[],
  activation: ActivationCode,
  W: readonly number[],
  B: readonly number[],
  rows: number,
): Part {
  const k = mlpKernels();
  const L = sizes.length - 1;
  const desc = alloc((DESC_HEADER + DESC_LAYER * L) * 4);
  const loss = alloc(8);
  const gW: number[] = [];
  const gb: number[] = [];
  const words: number[] = new Array<number>(DESC_HEADER + DESC_LAYER * L).fill(0);
  words[0] = L;
  words[1] = activation;
  words[5] = loss;
  words[6] = sizes[0];
  for (let l = 0; l < L; l++) {
    const out = sizes[l + 1];
    const acts = padded(rows * out);
    const tab = alloc(Math.max(1, rows) * 4);
    k.mlpRowTable(acts, out, rows, tab);
    gW.push(padded(sizes[l] * out));
    gb.push(padded(out));
    const o = DESC_HEADER + DESC_LAYER * l;
    words[o] = out;
    words[o + 1] = W[l];
    words[o + 2] = B[l];
    words[o + 3] = gW[l];
    words[o + 4] = gb[l];
    words[o + 5] = acts;
    words[o + 6] = tab;
    words[o + 7] = padded(rows * out);
  }
  new Uint32Array(sharedArena().buffer(), desc, words.length).set(words);
  return { desc, loss, gW, gb };
}

/**
 * The mean log-loss of the network on (X, y) (no penalty) and its gradient with respect
 * to every weight and bias, from the same forward/backward kernel training uses (for
 * tests and diagnostics; X is used in one batch).
 */
export function mlpLossAndGradient(
  data: MlpTrainData,
  sizes: readonly number[],
  params: { weights: readonly Float32Array[]; biases: readonly Float32Array[] },
  activation: ActivationCode,
): { loss: number; gradWeights: Float32Array[]; gradBiases: Float32Array[] } {
  const { X, n, d, y } = data;
  const arena = sharedArena();
  const held: number[] = [];
  const alloc = (bytes: number): number => {
    const p = arena.alloc(bytes);
    held.push(p);
    return p;
  };
  const padded = (len: number): number => {
    const p = allocPadded(arena, len);
    held.push(p);
    return p;
  };
  const xHeld = arena.borrow(X);
  try {
    const k = mlpKernels();
    const W = params.weights.map((w) => putPadded(arena, w));
    const B = params.biases.map((b) => putPadded(arena, b));
    held.push(...W, ...B);
    const part = makePart(alloc, padded, sizes, activation, W, B, n);
    const tab = alloc(Math.max(1, n) * 4);
    k.mlpRowTable(xHeld.ptr, d, n, tab);
    const py = alloc(Math.max(1, n) * 4);
    new Int32Array(arena.buffer(), py, n).set(y);
    const words = new Uint32Array(arena.buffer(), part.desc, DESC_HEADER);
    words[2] = n;
    words[3] = tab;
    words[4] = py;
    k.mlpBackprop(part.desc);
    const f32 = (p: number, len: number): Float32Array =>
      new Float32Array(arena.buffer(), p, len).map((v) => v / n);
    return {
      loss: new Float64Array(arena.buffer(), part.loss, 1)[0] / n,
      gradWeights: part.gW.map((p, l) => f32(p, sizes[l] * sizes[l + 1])),
      gradBiases: part.gb.map((p, l) => f32(p, sizes[l + 1])),
    };
  } finally {
    for (const p of held) arena.release(p);
    xHeld.done();
  }
}

/**
 * Trains the network whose layer sizes are `sizes` (input first, output last) from the
 * initial weights (W_l is sizes[l]×sizes[l+1] row-major). Resolves to the final weights.
 */
export async function trainMlp(
  data: MlpTrainData,
  sizes: readonly number[],
  init: { weights: readonly Float32Array[]; biases: readonly Float32Array[] },
  cfg: MlpTrainConfig,
  rng: Shuffler,
  pool: KernelPool | null = null,
): Promise<MlpTrainResult> {
  const { X, n, d, y } = data;
  const L = sizes.length - 1;
  if (sizes[0] !== d)
    throw new RangeError(`trainMlp: sizes[0] is ${sizes[0]} but X has ${d} columns.`);
  if (X.length !== n * d)
    throw new RangeError(`trainMlp: X should hold ${n}×${d} values. Got ${X.length}.`);
  if (y.length !== n) throw new RangeError(`trainMlp: y should hold ${n} labels. Got ${y.length}.`);
  const bs = cfg.batchSize;
  // Batches of at least 2·MIN_SPLIT_ROWS rows are always computed as two halves, whatever
  // the thread count, so the float32 sums (and so the fit) do not depend on it.
  const halves = bs >= 2 * MIN_SPLIT_ROWS;
  const workers = halves && cfg.threads >= 2 ? (pool ?? kernelPool()) : null;
  const arena = sharedArena();
  const k = mlpKernels();
  const held: number[] = [];
  const alloc = (bytes: number): number => {
    const p = arena.alloc(bytes);
    held.push(p);
    return p;
  };
  const padded = (len: number): number => {
    const p = allocPadded(arena, len);
    held.push(p);
    return p;
  };
  const xHeld = arena.borrow(X);
  try {
    const px = xHeld.ptr;
    const py = alloc(n * 4);
    new Int32Array(arena.buffer(), py, n).set(y);
    const pIdx = alloc(n * 4);
    const idx = new Uint32Array(arena.buffer(), pIdx, n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const batchTab = alloc(bs * 4);
    const batchY = alloc(bs * 4);

    const lens = Array.from({ length: L }, (_, l) => sizes[l] * sizes[l + 1]);
    const W = init.weights.map((w) => {
      const p = putPadded(arena, w);
      held.push(p);
      return p;
    });
    const B = init.biases.map((b) => {
      const p = putPadded(arena, b);
      held.push(p);
      return p;
    });
    const mW = lens.map((len) => padded(len));
    const vW = lens.map((len) => padded(len));
    const mB = sizes.slice(1).map((s) => padded(s));
    const vB = sizes.slice(1).map((s) => padded(s));

    const partRows = halves ? Math.ceil(bs / 2) : bs;
    const parts: Part[] = [];
    for (let p = 0; p < (halves ? 2 : 1); p++) {
      parts.push(makePart(alloc, padded, sizes, cfg.activation, W, B, partRows));
    }
    const setRows = (part: Part, offset: number, m: number): void => {
      const words = new Uint32Array(arena.buffer(), part.desc, DESC_HEADER);
      words[2] = m;
      words[3] = batchTab + offset * 4;
      words[4] = batchY + offset * 4;
    };
    const lossOf = (part: Part): number => new Float64Array(arena.buffer(), part.loss, 1)[0];

    const stopper = new NoImprovementStopper(cfg.tol, cfg.nIterNoChange);
    const lossCurve: number[] = [];
    let steps = 0;
    let converged = false;
    const { alpha, beta1, beta2, epsilon } = cfg;
    // Σ‖W‖² of the current weights; each Adam step returns it for the weights it leaves.
    let sq = 0;
    for (let l = 0; l < L; l++) sq += k.mlpSumSquares(W[l], lens[l]);
    for (let epoch = 0; epoch < cfg.maxIter; epoch++) {
      if (cfg.shuffle) rng.shuffle(new Uint32Array(arena.buffer(), pIdx, n));
      let accumulated = 0;
      for (let start = 0; start < n; start += bs) {
        const m = Math.min(bs, n - start);
        k.mlpGatherBatch(px, d, py, pIdx + start * 4, m, batchTab, batchY);
        // Part 0 holds partRows rows: a batch larger than that is always split.
        const split = halves && (m >= 2 * MIN_SPLIT_ROWS || m > partRows);
        let batchLoss: number;
        if (split) {
          const m0 = Math.ceil(m / 2);
          setRows(parts[0], 0, m0);
          setRows(parts[1], m0, m - m0);
          if (workers !== null) {
            const other = workers.run({ fn: 'mlpBackprop', batches: [[parts[1].desc]] });
            k.mlpBackprop(parts[0].desc);
            await other;
          } else {
            k.mlpBackprop(parts[0].desc);
            k.mlpBackprop(parts[1].desc);
          }
          batchLoss = lossOf(parts[0]) + lossOf(parts[1]);
        } else {
          setRows(parts[0], 0, m);
          k.mlpBackprop(parts[0].desc);
          batchLoss = lossOf(parts[0]);
        }
        accumulated += batchLoss + 0.5 * alpha * sq;
        steps++;
        const lr = (cfg.learningRate * Math.sqrt(1 - beta2 ** steps)) / (1 - beta1 ** steps);
        sq = 0;
        for (let l = 0; l < L; l++) {
          const g2W = split ? parts[1].gW[l] : 0;
          const g2b = split ? parts[1].gb[l] : 0;
          const g = parts[0];
          sq += k.mlpAdam(
            W[l],
            g.gW[l],
            g2W,
            mW[l],
            vW[l],
            lens[l],
            1 / m,
            alpha / m,
            lr,
            beta1,
            beta2,
            epsilon,
          );
          k.mlpAdam(
            B[l],
            g.gb[l],
            g2b,
            mB[l],
            vB[l],
            sizes[l + 1],
            1 / m,
            0,
            lr,
            beta1,
            beta2,
            epsilon,
          );
        }
      }
      const loss = accumulated / n;
      lossCurve.push(loss);
      if (stopper.update(loss)) {
        converged = true;
        break;
      }
    }
    const weights = W.map((p, l) => new Float32Array(arena.buffer(), p, lens[l]).slice());
    const biases = B.map((p, l) => new Float32Array(arena.buffer(), p, sizes[l + 1]).slice());
    return {
      weights,
      biases,
      lossCurve,
      nIter: lossCurve.length,
      steps,
      bestLoss: stopper.best,
      converged,
    };
  } finally {
    for (const p of held) arena.release(p);
    xHeld.done();
  }
}
