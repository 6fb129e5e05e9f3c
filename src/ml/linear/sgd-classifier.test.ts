import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFittedError, ShapeMismatchError } from '../../errors.js';
import { sharedArena } from '../../kernels/arena.js';
import { Rng } from '../random.js';
import { SGDClassifier, type SgdLossName } from './sgd-classifier.js';
import { blobs } from './sgd-test-data.js';

const LOSSES: SgdLossName[] = ['hinge', 'squared_hinge', 'perceptron', 'log', 'modified_huber'];
const PENALTIES = ['l2', 'l1', 'elasticnet', 'none'] as const;

test('every loss × penalty learns separable blobs (one-vs-rest, 4 classes)', async () => {
  const train = blobs(400, 12, 4, 1);
  const test_ = blobs(200, 12, 4, 2);
  for (const loss of LOSSES) {
    for (const penalty of PENALTIES) {
      const clf = new SGDClassifier({ loss, penalty, random_state: 0 });
      assert.equal(await clf.fit(train.X, train.y), clf);
      const acc = await clf.score(test_.X, test_.y);
      assert.ok(acc >= 0.9, `${loss}/${penalty}: accuracy ${acc}`);
      assert.equal(clf.coef?.length, 4 * 12);
      assert.equal(clf.nIter, 5);
    }
  }
});

test('defaults are scikit-learn 0.19 (5 epochs, no tol, optimal rate, hinge, l2)', () => {
  const p = new SGDClassifier().params;
  assert.equal(p.loss, 'hinge');
  assert.equal(p.penalty, 'l2');
  assert.equal(p.alpha, 0.0001);
  assert.equal(p.l1_ratio, 0.15);
  assert.equal(p.max_iter, 5);
  assert.equal(p.tol, null);
  assert.equal(p.learning_rate, 'optimal');
  assert.equal(p.fit_intercept, true);
  assert.equal(p.shuffle, true);
});

test('deterministic under random_state; another seed gives other weights', async () => {
  const { X, y } = blobs(150, 6, 3, 4);
  const fit = async (seed: number | Rng) =>
    (await new SGDClassifier({ random_state: seed }).fit(X, y)).coef;
  assert.deepEqual(await fit(7), await fit(7));
  assert.deepEqual(await fit(new Rng(7)), await fit(new Rng(7)));
  assert.notDeepEqual(await fit(7), await fit(8));
});

test('two classes: one weight vector, original labels, positive decision → the larger label', async () => {
  const { X, y } = blobs(120, 5, 2, 3, 3, (c) => (c === 0 ? 3 : 7));
  const clf = await new SGDClassifier({ loss: 'log', random_state: 1 }).fit(X, y);
  assert.equal(clf.coef?.length, 5);
  assert.deepEqual(Array.from(clf.classes ?? []), [3, 7]);
  const pred = await clf.predict(X);
  const dec = await clf.decisionFunction(X);
  assert.equal(dec.cols, 1);
  for (let i = 0; i < X.rows; i++) assert.equal(pred[i], dec.data[i] > 0 ? 7 : 3);
  assert.ok((await clf.score(X, y)) > 0.9);
});

test('multiclass predict is the argmax of the decision function', async () => {
  const { X, y } = blobs(90, 4, 3, 5);
  const clf = await new SGDClassifier({ loss: 'modified_huber', random_state: 0 }).fit(X, y);
  const dec = await clf.decisionFunction(X);
  const pred = await clf.predict(X);
  assert.equal(dec.cols, 3);
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    for (let k = 1; k < 3; k++) if (dec.data[i * 3 + k] > dec.data[i * 3 + best]) best = k;
    assert.equal(pred[i], best);
  }
});

test('tol as a number stops early like scikit-learn >= 0.21; null runs max_iter epochs', async () => {
  const { X, y } = blobs(200, 6, 3, 6);
  const fixed = await new SGDClassifier({ max_iter: 30, random_state: 0 }).fit(X, y);
  assert.equal(fixed.nIter, 30);
  const early = await new SGDClassifier({ max_iter: 1000, tol: 1e-3, random_state: 0 }).fit(X, y);
  assert.ok(early.nIter > 5 && early.nIter < 1000, `n_iter ${early.nIter}`);
});

test('constant and invscaling rates need eta0 > 0; optimal needs alpha > 0', () => {
  assert.throws(
    () => new SGDClassifier({ learning_rate: 'constant' }),
    /'eta0' parameter of SGDClassifier must be > 0/,
  );
  assert.throws(() => new SGDClassifier({ alpha: 0 }), RangeError);
  assert.doesNotThrow(() => new SGDClassifier({ learning_rate: 'invscaling', eta0: 0.01 }));
  assert.doesNotThrow(() => new SGDClassifier({ alpha: 0, learning_rate: 'constant', eta0: 0.1 }));
});

test('parameter errors speak scikit-learn', () => {
  assert.throws(
    () => new SGDClassifier({ loss: 'squared_loss' as SgdLossName }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message ===
        "The 'loss' parameter of SGDClassifier must be a str among {'hinge', 'log', 'log_loss', 'modified_huber', 'squared_hinge', 'perceptron'}. Got 'squared_loss'.",
  );
  assert.throws(
    () => new SGDClassifier({ max_iter: 0 }),
    /'max_iter' parameter of SGDClassifier must be an int in \[1, inf\)\. Got 0\./,
  );
  assert.throws(
    () => new SGDClassifier({ average: true } as never),
    /Invalid parameter 'average' for estimator SGDClassifier/,
  );
});

test('not fitted, wrong width and a single class are refused', async () => {
  const { X, y } = blobs(30, 3, 3, 1);
  await assert.rejects(new SGDClassifier().predict(X), NotFittedError);
  const clf = await new SGDClassifier().fit(X, y);
  await assert.rejects(
    clf.predict({ data: new Float32Array(8), rows: 2, cols: 4 }),
    ShapeMismatchError,
  );
  await assert.rejects(
    new SGDClassifier().fit(X, new Int32Array(30).fill(2)),
    /number of classes has to be greater than one; got 1 class/,
  );
});

test('n_jobs = 2 (worker threads) gives exactly the one-thread model', async () => {
  const { X, y } = blobs(300, 8, 4, 9);
  for (const loss of ['hinge', 'log'] as const) {
    const one = await new SGDClassifier({ loss, penalty: 'elasticnet', random_state: 3 }).fit(X, y);
    const two = await new SGDClassifier({
      loss,
      penalty: 'elasticnet',
      random_state: 3,
      n_jobs: 2,
    }).fit(X, y);
    assert.deepEqual(two.coef, one.coef);
    assert.deepEqual(two.intercept, one.intercept);
  }
});

test('a diverging fit raises NUMERIC_OVERFLOW, also from a worker thread', async () => {
  const X = { data: Float32Array.from([3e38, -3e38, 3e38, 3e38, -3e38, 3e38]), rows: 3, cols: 2 };
  const y = Int32Array.from([0, 1, 2]);
  for (const n_jobs of [1, 2]) {
    await assert.rejects(
      new SGDClassifier({ learning_rate: 'constant', eta0: 1e300, penalty: 'none', n_jobs }).fit(
        X,
        y,
      ),
      (e: unknown) => (e as { code?: string }).code === 'NUMERIC_OVERFLOW',
    );
  }
});

test('the WASM kernels and the TypeScript reference fit the same model, on 1 or 2 threads, and free their arena memory', async () => {
  const { X, y } = blobs(300, 17, 5, 8);
  const arena = sharedArena();
  const before = arena.liveBytes();
  for (const penalty of ['l2', 'l1', 'elasticnet'] as const) {
    const coefs: string[] = [];
    for (const kernels of ['ts', 'wasm'] as const) {
      for (const n_jobs of [null, 2]) {
        const clf = new SGDClassifier({ penalty, random_state: 3, n_jobs });
        clf.kernels = kernels;
        await clf.fit(X, y);
        const c = clf.coef as Float64Array;
        coefs.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('hex'));
      }
    }
    assert.equal(new Set(coefs).size, 1, `${penalty}: ${coefs.length} fits, one model`);
  }
  assert.equal(arena.liveBytes(), before);
});
