/** What every bench script shares: the paper's scaling and where the scikit-learn peer is. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { affineColumns, columnMeanVar } from '../../src/kernels/columns.js';
import type { Matrix } from '../../src/ml/matrix.js';

/**
 * The scikit-learn reference script in ../shared/reference beside the repository
 * (override with FMNIST_SKLEARN_PEER). Compiled, this file sits in dist-bench/bench/lib/.
 */
export const SKLEARN_PEER =
  process.env.FMNIST_SKLEARN_PEER ??
  fileURLToPath(new URL('../../../../shared/reference/sklearn_peer.py', import.meta.url));

export function sklearnPeerAvailable(): boolean {
  return existsSync('/usr/bin/python3') && existsSync(SKLEARN_PEER);
}

/**
 * StandardScaler fitted on `train` and applied to both, in place (population std; a
 * zero-variance feature gets scale 1): the same numbers as src/ml/preprocessing's
 * StandardScaler, without allocating a second 188 MB copy.
 */
export function standardScaleInPlace(train: Matrix, test: Matrix): void {
  const { mean, variance } = columnMeanVar(train.data, train.rows, train.cols);
  const factor = variance.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
  affineColumns(train.data, train.rows, train.cols, mean, factor, train.data);
  affineColumns(test.data, test.rows, test.cols, mean, factor, test.data);
}
