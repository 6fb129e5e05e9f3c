import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError } from '../../errors.js';
import { matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { KNeighborsClassifier } from './k-neighbors-classifier.js';
import { predictFromNeighbours, type Weights } from './vote.js';

const m2 = (rows: number[][]) =>
  matrix(Float32Array.from(rows.flat()), rows.length, rows[0].length);

describe('KNeighborsClassifier', () => {
  it('with k=1 predicts the label of the nearest training row', async () => {
    const X = m2([
      [0, 0],
      [10, 0],
      [0, 10],
      [10, 10],
    ]);
    const y = Int32Array.from([4, 7, 9, 2]);
    const clf = await new KNeighborsClassifier({ n_neighbors: 1 }).fit(X, y);
    assert.deepEqual([...(await clf.predict(X))], [4, 7, 9, 2]);
    assert.deepEqual(
      [
        ...(await clf.predict(
          m2([
            [1, 2],
            [9, 8],
            [-3, 11],
          ]),
        )),
      ],
      [4, 2, 9],
    );
  });

  it('p=1 and p=2 measure distance differently', async () => {
    // From (0,0): row a=(3,0) is at L1 3 / L2 3, row b=(2,2) at L1 4 / L2 2.83.
    const X = m2([
      [3, 0],
      [2, 2],
    ]);
    const y = Int32Array.from([0, 1]);
    const q = m2([[0, 0]]);
    const l1 = await new KNeighborsClassifier({ n_neighbors: 1, p: 1 }).fit(X, y);
    const l2 = await new KNeighborsClassifier({ n_neighbors: 1, p: 2 }).fit(X, y);
    assert.deepEqual([...(await l1.predict(q))], [0]);
    assert.deepEqual([...(await l2.predict(q))], [1]);
    const nb = await l1.kneighbors(q, 2);
    assert.deepEqual([...nb.indices], [0, 1]);
    assert.deepEqual([...nb.distances], [3, 4]);
  });

  it("with 'distance' weights, a neighbour at distance 0 takes the whole vote", async () => {
    // The query equals row 0 (class 1); four class-0 rows are very close.
    const X = m2([
      [0, 0],
      [0.01, 0],
      [0, 0.01],
      [-0.01, 0],
      [0, -0.01],
    ]);
    const y = Int32Array.from([1, 0, 0, 0, 0]);
    const q = m2([[0, 0]]);
    const byDistance = await new KNeighborsClassifier({ n_neighbors: 5, weights: 'distance' }).fit(
      X,
      y,
    );
    const uniform = await new KNeighborsClassifier({ n_neighbors: 5, weights: 'uniform' }).fit(
      X,
      y,
    );
    assert.deepEqual([...(await byDistance.predict(q))], [1]);
    assert.deepEqual([...(await uniform.predict(q))], [0]);
    const proba = await byDistance.predictProba(q);
    assert.deepEqual([...proba.data], [0, 1]);
  });

  it("weighs votes by 1/d with 'distance' weights", async () => {
    // Class 5: one row at distance 1 (weight 1). Class 3: two rows at distance 3 (weight 2/3).
    const X = m2([
      [1, 0],
      [0, 3],
      [-3, 0],
    ]);
    const y = Int32Array.from([5, 3, 3]);
    const q = m2([[0, 0]]);
    assert.deepEqual(
      [
        ...(await new KNeighborsClassifier({ n_neighbors: 3, weights: 'distance' })
          .fit(X, y)
          .then((c) => c.predict(q))),
      ],
      [5],
    );
    assert.deepEqual(
      [...(await new KNeighborsClassifier({ n_neighbors: 3 }).fit(X, y).then((c) => c.predict(q)))],
      [3],
    );
    const proba = await (
      await new KNeighborsClassifier({ n_neighbors: 3, weights: 'distance' }).fit(X, y)
    ).predictProba(q);
    assert.ok(
      Math.abs(proba.data[0] - 2 / 3 / (5 / 3)) < 1e-6 &&
        Math.abs(proba.data[1] - 1 / (5 / 3)) < 1e-6,
    );
  });

  it('gives vote ties to the lowest class', async () => {
    // Two neighbours, one of each class: the smaller label wins, whichever is nearer.
    const X = m2([
      [1, 0],
      [0, 2],
    ]);
    const y = Int32Array.from([8, 3]);
    const clf = await new KNeighborsClassifier({ n_neighbors: 2 }).fit(X, y);
    assert.deepEqual(
      [
        ...(await clf.predict(
          m2([
            [0, 0],
            [0, 1.9],
          ]),
        )),
      ],
      [3, 3],
    );
    // Equal distances: neighbours are ordered by training index.
    const tie = await new KNeighborsClassifier({ n_neighbors: 1 }).fit(
      m2([
        [1, 0],
        [-1, 0],
      ]),
      Int32Array.from([9, 2]),
    );
    assert.deepEqual([...(await tie.predict(m2([[0, 0]])))], [9]);
  });

  it('raises when n_neighbors exceeds the training rows, at predict time', async () => {
    const clf = await new KNeighborsClassifier({ n_neighbors: 5 }).fit(
      m2([[0], [1], [2]]),
      Int32Array.from([0, 1, 0]),
    );
    await assert.rejects(clf.predict(m2([[0]])), {
      name: 'RangeError',
      message: 'Expected n_neighbors <= n_samples, but n_samples = 3, n_neighbors = 5',
    });
  });

  it('rejects NaN and infinite inputs, naming the cell', async () => {
    await assert.rejects(
      new KNeighborsClassifier({ n_neighbors: 1 }).fit(
        m2([
          [0, 1],
          [2, NaN],
        ]),
        Int32Array.from([0, 1]),
      ),
      { name: 'RangeError', message: 'Input X contains NaN (row 1, column 1).' },
    );
    const clf = await new KNeighborsClassifier({ n_neighbors: 1 }).fit(
      m2([[0], [1]]),
      Int32Array.from([0, 1]),
    );
    await assert.rejects(clf.predict(m2([[Infinity]])), /Input X contains infinity/);
  });

  it('validates its params with scikit-learn-shaped messages', () => {
    assert.throws(() => new KNeighborsClassifier({ n_neighbors: 0 }), {
      name: 'RangeError',
      message:
        "The 'n_neighbors' parameter of KNeighborsClassifier must be an int in [1, inf). Got 0.",
    });
    assert.throws(() => new KNeighborsClassifier({ weights: 'gaussian' as Weights }), RangeError);
    assert.throws(
      () => new KNeighborsClassifier({ p: 3 }),
      /only p=1 \(Manhattan\) and p=2 \(Euclidean\) are implemented. Got 3/,
    );
    assert.throws(() => new KNeighborsClassifier({ p: 1.5 }), TypeError);
    assert.throws(
      () => new KNeighborsClassifier({ algorithm: 'kd_tree' as 'auto' }),
      /'algorithm' parameter of KNeighborsClassifier must be a str among \{'auto', 'brute'\}/,
    );
    assert.throws(
      () => new KNeighborsClassifier({ metric: 'cosine' } as object),
      /Invalid parameter 'metric'/,
    );
  });

  it('is not usable before fit, nor after dispose', async () => {
    await assert.rejects(new KNeighborsClassifier().predict(m2([[0]])), NotFittedError);
    await assert.rejects(new KNeighborsClassifier().kneighbors(m2([[0]])), NotFittedError);
    const clf = await new KNeighborsClassifier({ n_neighbors: 1 }).fit(
      m2([[0], [1]]),
      Int32Array.from([0, 1]),
    );
    clf.dispose();
    await assert.rejects(clf.predict(m2([[0]])), NotFittedError);
  });

  it('answers smaller k and either weighting from one k=9 neighbour search', async () => {
    const rng = new Rng(11);
    const n = 240;
    const d = 13;
    const X = new Float32Array(n * d);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      for (let j = 0; j < d; j++) X[i * d + j] = rng.nextNormal() + (j === y[i] ? 1.5 : 0);
    }
    const train = matrix(X.slice(0, 180 * d), 180, d);
    const test = matrix(X.slice(180 * d), 60, d);
    const yTrain = y.slice(0, 180);
    for (const p of [1, 2]) {
      const nine = await new KNeighborsClassifier({ n_neighbors: 9, p }).fit(train, yTrain);
      const lists = await nine.kneighbors(test, 9);
      assert.equal(lists.indices.length, 60 * 9);
      for (const k of [1, 5, 9]) {
        for (const weights of ['uniform', 'distance'] as Weights[]) {
          const direct = await new KNeighborsClassifier({ n_neighbors: k, weights, p }).fit(
            train,
            yTrain,
          );
          assert.deepEqual(
            predictFromNeighbours(lists, yTrain, k, weights),
            await direct.predict(test),
            `p=${p} k=${k} ${weights}`,
          );
        }
      }
      assert.throws(
        () => predictFromNeighbours(lists, yTrain, 10, 'uniform'),
        /k must be an int in \[1, 9\]/,
      );
      assert.ok((await nine.score(test, y.slice(180))) > 0.6);
    }
  });
});
