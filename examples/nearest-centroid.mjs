// A classifier of your own, benchmarked under the paper's protocol:
//   npx fmnist benchmark --custom examples/nearest-centroid.mjs --dataset fashion
// The default export names the classifier, its parameters, and builds a fresh one per repeat.
import { BaseClassifier } from 'fmnist';

class NearestCentroid extends BaseClassifier {
  constructor() {
    super('NearestCentroid', {}, {}, {});
  }
  fitEncoded(X, y, nClasses) {
    const sums = new Float64Array(nClasses * X.cols);
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < X.rows; i++) {
      counts[y[i]]++;
      for (let j = 0; j < X.cols; j++) sums[y[i] * X.cols + j] += X.data[i * X.cols + j];
    }
    for (let k = 0; k < nClasses; k++)
      for (let j = 0; j < X.cols; j++) sums[k * X.cols + j] /= counts[k];
    this.centroids = sums;
  }
  predictEncoded(X) {
    const K = this.centroids.length / X.cols;
    const out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = Infinity;
      for (let k = 0; k < K; k++) {
        let d = 0;
        for (let j = 0; j < X.cols; j++)
          d += (X.data[i * X.cols + j] - this.centroids[k * X.cols + j]) ** 2;
        if (d < best) [best, out[i]] = [d, k];
      }
    }
    return out;
  }
}

export default {
  name: 'NearestCentroid',
  params: {},
  create: () => new NearestCentroid(),
};
