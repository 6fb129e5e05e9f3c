/**
 * fmnist's library API: load Fashion-MNIST or MNIST (only the name changes), read and
 * write IDX files, fit scikit-learn-style estimators on flat Float32Array matrices, and
 * benchmark them under the paper's protocol.
 */
export * from './data/index.js';
export { FmnistError, NotFittedError, ShapeMismatchError, type ErrorCode } from './errors.js';

export { matrix, fromBytes, sharedFloat32, type Matrix, type Labels } from './ml/matrix.js';
export { Rng, type RandomState } from './ml/random.js';
export { accuracy } from './ml/metrics.js';
export type { Classifier } from './ml/estimator.js';
export { BaseClassifier } from './ml/estimator.js';
export {
  isResumableFit,
  packPart,
  unpackPart,
  type FitParts,
  type ResumableFit,
  type ResumedParts,
  type StoredPart,
} from './ml/fit-parts.js';
export { ESTIMATORS, findEstimator, type EstimatorEntry } from './ml/registry.js';
export { StandardScaler } from './ml/preprocessing/standard-scaler.js';
export { GaussianNB } from './ml/naive-bayes/gaussian-nb.js';
export { KNeighborsClassifier } from './ml/neighbors/index.js';
export { SGDClassifier, Perceptron, PassiveAggressiveClassifier } from './ml/linear/sgd-index.js';
export { LogisticRegression, LinearSVC } from './ml/linear/liblinear-index.js';
export { DecisionTreeClassifier, ExtraTreeClassifier } from './ml/tree/index.js';
export { RandomForestClassifier, GradientBoostingClassifier } from './ml/ensemble/index.js';
export { SVC } from './ml/svm/svc.js';
export { MLPClassifier } from './ml/neural/mlp-classifier.js';

export { GRID, selectRows, type GridRow } from './benchmark/grid.js';
export { prepareData, type ImageSplits } from './benchmark/prepare.js';
export {
  PAPER_PROTOCOL,
  runConfig,
  type PreparedData,
  type ProtocolOptions,
} from './benchmark/protocol.js';
export { ResultsStore, defaultStorePath } from './benchmark/store.js';
export { summarize, type ConfigSummary } from './benchmark/summary.js';
export { runBenchmark } from './benchmark/runner.js';
export { benchmarkClassifier, type CustomClassifier } from './benchmark/custom.js';
