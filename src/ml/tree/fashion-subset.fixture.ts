/**
 * Test data for the tree families: the first rows of real Fashion-MNIST (Debian's
 * dataset-fashion-mnist, which CI installs), StandardScaler-scaled on the subset as the
 * benchmark protocol does; tests that use it skip with a reason when it is absent.
 */
import { loadDataset } from '../../data/load.js';
import { affineColumns, columnMeanVar } from '../../kernels/columns.js';
import { fromBytes, matrix, type Matrix } from '../matrix.js';

export interface Subset {
  X: Matrix;
  y: Uint8Array;
  Xtest: Matrix;
  ytest: Uint8Array;
}

export async function fashionSubset(nTrain: number, nTest: number): Promise<Subset | null> {
  let ds;
  try {
    ds = await loadDataset('fashion', { home: '/nonexistent-fmnist-home' });
  } catch {
    return null;
  }
  const d = ds.train.height * ds.train.width;
  const X = fromBytes(ds.train.images.subarray(0, nTrain * d), nTrain, d);
  const Xtest = fromBytes(ds.test.images.subarray(0, nTest * d), nTest, d);
  const { mean, variance } = columnMeanVar(X.data, X.rows, X.cols);
  const factor = variance.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
  affineColumns(X.data, X.rows, d, mean, factor, X.data);
  affineColumns(Xtest.data, Xtest.rows, d, mean, factor, Xtest.data);
  return {
    X: matrix(X.data, nTrain, d),
    y: ds.train.labels.slice(0, nTrain),
    Xtest: matrix(Xtest.data, nTest, d),
    ytest: ds.test.labels.slice(0, nTest),
  };
}
