/**
 * MLPClassifier with scikit-learn 0.19's semantics for solver 'adam': a multilayer
 * perceptron with a softmax output (a single logistic unit for two classes) trained on the
 * log-loss plus ½·alpha·Σ‖W‖² by minibatch Adam; Glorot-uniform initialisation; the
 * training set reshuffled every epoch; stop when the epoch's training loss has not
 * improved by tol for more than two epochs in a row (0.19's hard-coded rule, here the
 * n_iter_no_change parameter with default 2), or after max_iter epochs.
 *
 * Computed in float32 (scikit-learn uses float64): the GEMMs run as WASM SIMD kernels,
 * and the accuracy stays within scikit-learn's run-to-run spread.
 */
import {
  ACT_IDENTITY,
  ACT_LOGISTIC,
  ACT_RELU,
  ACT_TANH,
  mlpForward,
  type ActivationCode,
  type MlpWeights,
} from '../../kernels/mlp.js';
import { trainMlp } from '../../kernels/mlp-train.js';
import { threadCount } from '../../kernels/pool.js';
import { BaseClassifier } from '../estimator.js';
import { matrix, type Matrix } from '../matrix.js';
import type { Schema } from '../params.js';
import { toRng, type RandomState, type Rng } from '../random.js';

export type MlpActivation = 'identity' | 'logistic' | 'tanh' | 'relu';

export interface MLPClassifierParams {
  /**
   * Units of each hidden layer, e.g. [100] or [100, 10]; an int n means [n]; [] means no
   * hidden layer (multinomial logistic regression).
   * @default [100]
   */
  hidden_layer_sizes: number[] | number;
  /**
   * The hidden layers' activation: 'identity' f(x) = x, 'logistic' 1/(1 + e^−x),
   * 'tanh', 'relu' max(0, x).
   * @default 'relu'
   */
  activation: MlpActivation;
  /**
   * The weight optimiser. Only 'adam' (the paper's, and scikit-learn's, default) is
   * implemented; 'sgd' and 'lbfgs' are recognised and rejected.
   * @default 'adam'
   */
  solver: 'adam' | 'sgd' | 'lbfgs';
  /**
   * L2 penalty: the loss gets ½·alpha·Σ‖W‖² / batch size (weights only, not biases).
   * @default 0.0001
   */
  alpha: number;
  /**
   * Rows per minibatch; 'auto' is min(200, n_samples). Larger than n_samples is clipped.
   * @default 'auto'
   */
  batch_size: 'auto' | number;
  /**
   * Adam's step size.
   * @default 0.001
   */
  learning_rate_init: number;
  /**
   * Most epochs (passes over the training set).
   * @default 200
   */
  max_iter: number;
  /**
   * Reshuffle the training set before every epoch.
   * @default true
   */
  shuffle: boolean;
  /**
   * Seed (or generator) for the initial weights and the shuffles; null means seed 0.
   * @default null
   */
  random_state: RandomState | null;
  /**
   * An epoch improves when its training loss is below the best so far minus tol.
   * @default 0.0001
   */
  tol: number;
  /**
   * Adam's decay rate of the first moment.
   * @default 0.9
   */
  beta_1: number;
  /**
   * Adam's decay rate of the second moment.
   * @default 0.999
   */
  beta_2: number;
  /**
   * Adam's numerical-stability term.
   * @default 1e-8
   */
  epsilon: number;
  /**
   * Training stops once more than this many epochs in a row did not improve. scikit-learn
   * 0.19 (the paper's) hard-codes 2; scikit-learn ≥ 0.20 made it this parameter with
   * default 10.
   * @default 2
   */
  n_iter_no_change: number;
}

const SCHEMA: Schema<MLPClassifierParams> = {
  hidden_layer_sizes: [
    { kind: 'int-array', min: 1 },
    { kind: 'int', min: 1 },
  ],
  activation: [{ kind: 'enum', values: ['identity', 'logistic', 'tanh', 'relu'] }],
  solver: [{ kind: 'enum', values: ['lbfgs', 'sgd', 'adam'] }],
  alpha: [{ kind: 'float', min: 0 }],
  batch_size: [
    { kind: 'enum', values: ['auto'] },
    { kind: 'int', min: 1 },
  ],
  learning_rate_init: [{ kind: 'float', min: 0, closed: 'neither' }],
  max_iter: [{ kind: 'int', min: 1 }],
  shuffle: [{ kind: 'bool' }],
  random_state: [{ kind: 'null' }, { kind: 'random-state' }],
  tol: [{ kind: 'float', min: 0 }],
  beta_1: [{ kind: 'float', min: 0, max: 1, closed: 'left' }],
  beta_2: [{ kind: 'float', min: 0, max: 1, closed: 'left' }],
  epsilon: [{ kind: 'float', min: 0, closed: 'neither' }],
  n_iter_no_change: [{ kind: 'int', min: 1 }],
};

const DEFAULTS: MLPClassifierParams = {
  hidden_layer_sizes: [100],
  activation: 'relu',
  solver: 'adam',
  alpha: 0.0001,
  batch_size: 'auto',
  learning_rate_init: 0.001,
  max_iter: 200,
  shuffle: true,
  random_state: null,
  tol: 0.0001,
  beta_1: 0.9,
  beta_2: 0.999,
  epsilon: 1e-8,
  n_iter_no_change: 2,
};

const ACTIVATIONS: Record<MlpActivation, ActivationCode> = {
  identity: ACT_IDENTITY,
  logistic: ACT_LOGISTIC,
  tanh: ACT_TANH,
  relu: ACT_RELU,
};

/** Below this many multiply-adds per batch, a second thread costs more than it saves. */
const MIN_WORK_FOR_THREADS = 2_000_000;

/**
 * scikit-learn's `_init_coef` (Glorot et al.): weights and biases uniform in ±√(f/(fan_in +
 * fan_out)) with f = 2 for logistic and 6 otherwise; W_l row-major fan_in×fan_out.
 */
export function glorotInit(
  sizes: readonly number[],
  activation: MlpActivation,
  rng: Rng,
): { weights: Float32Array[]; biases: Float32Array[] } {
  const factor = activation === 'logistic' ? 2 : 6;
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const bound = Math.sqrt(factor / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.nextFloat() - 1) * bound;
    const b = new Float32Array(fanOut);
    for (let i = 0; i < b.length; i++) b[i] = (2 * rng.nextFloat() - 1) * bound;
    weights.push(w);
    biases.push(b);
  }
  return { weights, biases };
}

export class MLPClassifier extends BaseClassifier<MLPClassifierParams> {
  /** W_l (fan_in×fan_out, row-major) per layer: scikit-learn's coefs_. */
  coefs: Float32Array[] | null = null;
  /** b_l per layer: scikit-learn's intercepts_. */
  intercepts: Float32Array[] | null = null;
  /** Units per layer, input first (scikit-learn's layer units). */
  layerSizes: number[] = [];
  /** The training loss after each epoch: scikit-learn's loss_curve_. */
  lossCurve: number[] = [];
  /** The final epoch's loss: scikit-learn's loss_. */
  loss = NaN;
  bestLoss = NaN;
  /** Epochs run: scikit-learn's n_iter_. */
  nIter = 0;
  /** Samples seen (epochs × n): scikit-learn's t_. */
  t = 0;
  benchmarkNote: string | null = null;

  constructor(params?: Partial<MLPClassifierParams>) {
    super('MLPClassifier', SCHEMA, DEFAULTS, params);
    if (this.params.solver !== 'adam') {
      throw new RangeError(
        `The 'solver' parameter of MLPClassifier: only 'adam' is implemented in fmnist (the paper's and scikit-learn's default). Got '${this.params.solver}'.`,
      );
    }
  }

  /** The hidden layer sizes as an array. */
  get hiddenLayerSizes(): number[] {
    const h = this.params.hidden_layer_sizes;
    return typeof h === 'number' ? [h] : [...h];
  }

  protected async fitEncoded(X: Matrix, y: Int32Array, nClasses: number): Promise<void> {
    const p = this.params;
    const n = X.rows;
    // Two classes: one logistic output, as scikit-learn's LabelBinarizer makes it.
    const nOut = nClasses <= 2 ? 1 : nClasses;
    const sizes = [X.cols, ...this.hiddenLayerSizes, nOut];
    const rng = toRng(p.random_state);
    const init = glorotInit(sizes, p.activation, rng);
    const batchSize =
      p.batch_size === 'auto' ? Math.min(200, n) : Math.min(Math.max(1, p.batch_size), n);
    let work = 0;
    for (let l = 0; l + 1 < sizes.length; l++) work += batchSize * sizes[l] * sizes[l + 1];
    const threads = work >= MIN_WORK_FOR_THREADS ? Math.min(2, threadCount()) : 1;
    const result = await trainMlp(
      { X: X.data, n, d: X.cols, y },
      sizes,
      init,
      {
        activation: ACTIVATIONS[p.activation],
        alpha: p.alpha,
        batchSize,
        learningRate: p.learning_rate_init,
        beta1: p.beta_1,
        beta2: p.beta_2,
        epsilon: p.epsilon,
        maxIter: p.max_iter,
        tol: p.tol,
        nIterNoChange: p.n_iter_no_change,
        shuffle: p.shuffle,
        threads,
      },
      rng,
    );
    this.coefs = result.weights;
    this.intercepts = result.biases;
    this.layerSizes = sizes;
    this.lossCurve = result.lossCurve;
    this.loss = result.lossCurve.at(-1) ?? NaN;
    this.bestLoss = result.bestLoss;
    this.nIter = result.nIter;
    this.t = result.nIter * n;
    this.benchmarkNote =
      `${result.nIter} epochs (${result.converged ? 'tol reached' : 'max_iter reached'}), ` +
      `${threads} thread${threads > 1 ? 's' : ''}, float32`;
  }

  private network(): MlpWeights {
    return {
      sizes: this.layerSizes,
      weights: this.coefs as Float32Array[],
      biases: this.intercepts as Float32Array[],
      activation: ACTIVATIONS[this.params.activation],
    };
  }

  protected predictEncoded(X: Matrix): Int32Array {
    const out = mlpForward(this.network(), X.data, X.rows, 'argmax');
    // One class seen in fit: the single output never names a second one.
    if ((this.classes as Int32Array).length === 1) out.fill(0);
    return out;
  }

  /** Class probabilities (n×classes, in the order of `classes`). */
  async predictProba(X: Matrix): Promise<Matrix> {
    const classes = this.checkFitted(X);
    const K = classes.length;
    const out = mlpForward(this.network(), X.data, X.rows, 'proba');
    if (K > 2) return matrix(out, X.rows, K);
    if (K === 1) return matrix(new Float32Array(X.rows).fill(1), X.rows, 1);
    const two = new Float32Array(X.rows * 2);
    for (let i = 0; i < X.rows; i++) {
      two[2 * i] = 1 - out[i];
      two[2 * i + 1] = out[i];
    }
    return matrix(two, X.rows, 2);
  }
}
