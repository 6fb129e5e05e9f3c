// The library API in one page: load a dataset (only the name changes between Fashion-MNIST
// and MNIST), scale it, fit an estimator, score it, and benchmark it under the paper's protocol.
// Run: npm run build && node examples/api.mjs
import {
  GaussianNB,
  KNeighborsClassifier,
  StandardScaler,
  benchmarkClassifier,
  fromBytes,
  loadDataset,
} from 'fmnist';

for (const name of ['fashion', 'mnist']) {
  const ds = await loadDataset(name); // checksums verified on every load
  const d = ds.train.height * ds.train.width;
  const scaler = new StandardScaler().fit(fromBytes(ds.train.images, ds.train.count, d));
  const X = scaler.transform(fromBytes(ds.train.images, ds.train.count, d));
  const Xtest = scaler.transform(fromBytes(ds.test.images, ds.test.count, d));

  const knn = await new KNeighborsClassifier({ n_neighbors: 5, weights: 'distance', p: 2 }).fit(
    X,
    ds.train.labels,
  );
  const [first] = await knn.predict({ data: Xtest.data.subarray(0, d), rows: 1, cols: d });
  console.log(
    `${ds.name}: source ${ds.source.kind}, checksums ${ds.checksums}; predicted class of test[0]: ${ds.classes[first]}`,
  );
  console.log(
    `  k-NN (k=5, distance, p=2) test accuracy: ${(await knn.score(Xtest, ds.test.labels)).toFixed(4)}`,
  );
  knn.dispose();

  // The paper's protocol (scale, shuffle, repeat, stop early, mean ± 2σ) for any classifier.
  const summary = await benchmarkClassifier(
    { name: 'GaussianNB', create: () => new GaussianNB() },
    ds,
  );
  console.log(
    `  GaussianNB under the protocol: ${summary.mean.toFixed(4)} ± ${summary.std2.toFixed(4)} over ${summary.repeats} repeats`,
  );
}
