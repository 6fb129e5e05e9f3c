import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { matrix, type Matrix } from '../matrix.js';
import { Rng } from '../random.js';
import { LinearSVC } from './linear-svc.js';
import { sklearnLiblinearSeed } from './liblinear-stream.js';
import { pythonHas } from './sklearn.fixture.js';

function blobs(n: number, K: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const d = 5;
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % K;
    y[i] = 10 + k;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal() * 1.5 + (j === k ? 2 : 0);
  }
  return { X: matrix(data, n, d), y };
}

const { X, y } = blobs(150, 4, 1);

describe('LinearSVC', () => {
  it("rejects penalty='l1' with loss='hinge' as scikit-learn does, saying why", () => {
    assert.throws(
      () => new LinearSVC({ penalty: 'l1', loss: 'hinge' }),
      (err: unknown) =>
        err instanceof RangeError &&
        err.message.startsWith(
          "Unsupported set of arguments: The combination of penalty='l1' and loss='hinge' is not supported, Parameters: penalty='l1', loss='hinge', dual=True",
        ),
    );
    assert.throws(
      () => new LinearSVC({ penalty: 'l2', loss: 'hinge', dual: false }),
      /not supported when dual=False/,
    );
    assert.throws(
      () => new LinearSVC({ penalty: 'l1', loss: 'squared_hinge' }),
      /not supported when dual=True/,
    );
  });

  it('crammer_singer ignores loss and penalty (the paper’s four near-equal rows)', async () => {
    const fits = await Promise.all(
      (
        [
          ['hinge', 'l2'],
          ['squared_hinge', 'l1'],
          ['hinge', 'l1'],
        ] as const
      ).map(([loss, penalty]) =>
        new LinearSVC({ multi_class: 'crammer_singer', loss, penalty, random_state: 3 }).fit(X, y),
      ),
    );
    assert.equal(fits[0].coef?.length, 4 * 5);
    assert.deepEqual(fits[1].coef, fits[0].coef);
    assert.deepEqual(fits[2].coef, fits[0].coef);
  });

  it('runs the one-vs-rest problems on worker threads with the same result', async () => {
    for (const loss of ['hinge', 'squared_hinge'] as const) {
      const one = await new LinearSVC({ loss, random_state: 5, n_jobs: 1 }).fit(X, y);
      const two = await new LinearSVC({ loss, random_state: 5, n_jobs: 2 }).fit(X, y);
      assert.deepEqual(two.coef, one.coef);
      assert.deepEqual(two.intercept, one.intercept);
    }
  });

  it('fits two classes with one weight vector, class 1 on the positive side', async () => {
    const two = blobs(80, 2, 2);
    const clf = await new LinearSVC({ random_state: 0 }).fit(two.X, two.y);
    assert.equal(clf.coef?.length, 5);
    assert.ok((await clf.score(two.X, two.y)) > 0.65);
    const primal = await new LinearSVC({ dual: false }).fit(two.X, two.y);
    assert.ok((await primal.score(two.X, two.y)) > 0.65);
    // Two classes: the same single problem as one-vs-rest of class 1, predicted by sign.
    const pred = await clf.predict(two.X);
    assert.ok(pred.every((p) => p === 10 || p === 11));
  });

  it('leaves the intercept at 0 without fit_intercept, and scales it with intercept_scaling', async () => {
    const none = await new LinearSVC({ fit_intercept: false }).fit(X, y);
    assert.deepEqual(Array.from(none.intercept as Float64Array), [0, 0, 0, 0]);
    const scaled = await new LinearSVC({ intercept_scaling: 10, random_state: 0 }).fit(X, y);
    assert.ok((await scaled.score(X, y)) > 0.5);
  });
});

/** scikit-learn's LinearSVC on the same rows, when python3-sklearn is installed (.ci/run installs it). */
function sklearnLinearSvc(
  X: Matrix,
  y: Int32Array,
  params: Record<string, unknown>,
): { coef: number[][]; intercept: number[] } | null {
  const script = [
    'import json, sys, warnings',
    'import numpy as np',
    'from sklearn.svm import LinearSVC',
    'a = json.load(sys.stdin)',
    "X = np.array(a['X'], dtype=np.float32).astype(np.float64).reshape(-1, a['cols'])",
    "clf = LinearSVC(**a['params'])",
    'with warnings.catch_warnings():',
    "    warnings.simplefilter('ignore')",
    "    clf.fit(X, np.array(a['y']))",
    "print(json.dumps({'coef': clf.coef_.tolist(), 'intercept': clf.intercept_.tolist()}))",
  ].join('\n');
  try {
    const out = execFileSync('/usr/bin/python3', ['-c', script], {
      encoding: 'utf8',
      input: JSON.stringify({ X: Array.from(X.data), cols: X.cols, y: Array.from(y), params }),
    });
    return JSON.parse(out);
  } catch {
    return null;
  }
}

const hasSklearn = pythonHas('sklearn.svm');

describe("LinearSVC random_stream='sklearn'", () => {
  it('derives the seed scikit-learn hands liblinear (np.random.RandomState(s).randint(2**31 - 1))', () => {
    assert.equal(sklearnLiblinearSeed(0), 209652396);
    assert.throws(
      () => sklearnLiblinearSeed(-1),
      /random_state must be an integer in \[0, 2\^32\)/,
    );
    assert.throws(
      () => new LinearSVC({ random_stream: 'sklearn', multi_class: 'crammer_singer' }),
      /one-vs-rest dual coordinate descent only/,
    );
    assert.throws(
      () => new LinearSVC({ random_stream: 'sklearn', random_state: new Rng(1) }),
      /needs random_state as an integer/,
    );
  });

  it('matches numpy’s seeds for several random_state values', { skip: !hasSklearn }, () => {
    const seeds = [0, 1, 7, 42, 123456, 4294967295];
    const script = `import numpy as np; print([int(np.random.RandomState(s).randint(np.iinfo('i').max)) for s in ${JSON.stringify(seeds)}])`;
    const theirs = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }),
    );
    assert.deepEqual(seeds.map(sklearnLiblinearSeed), theirs);
  });

  for (const [what, loss, K, maxIter] of [
    ['4 classes, hinge', 'hinge', 4, 3],
    ['2 classes, squared hinge', 'squared_hinge', 2, 2],
  ] as const) {
    it(
      `stopped early (max_iter ${maxIter}), gives scikit-learn's weights: ${what}`,
      { skip: !hasSklearn },
      async () => {
        const d = blobs(240, K, 9);
        const params = { C: 10, loss, max_iter: maxIter, random_state: 5 } as const;
        const theirs = sklearnLinearSvc(d.X, d.y, params);
        assert.ok(theirs !== null, 'scikit-learn ran');
        const ours = await new LinearSVC({ ...params, random_stream: 'sklearn' }).fit(d.X, d.y);
        const other = await new LinearSVC(params).fit(d.X, d.y);
        let diff = 0;
        let otherDiff = 0;
        theirs.coef.flat().forEach((c, t) => {
          diff = Math.max(diff, Math.abs((ours.coef as Float64Array)[t] - c));
          otherDiff = Math.max(otherDiff, Math.abs((other.coef as Float64Array)[t] - c));
        });
        theirs.intercept.forEach((b, k) => {
          diff = Math.max(diff, Math.abs((ours.intercept as Float64Array)[k] - b));
        });
        assert.ok(diff < 1e-9, `largest difference from scikit-learn: ${diff}`);
        assert.equal(ours.nIter, maxIter);
        // The visiting order matters when the solver stops early: fmnist's own stream differs.
        assert.ok(otherDiff > 1e-4, `fmnist's stream differs by ${otherDiff}`);
      },
    );
  }
});
