import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkParam, validateParams, type Schema } from './params.js';
import { Rng } from './random.js';

interface P {
  n_neighbors: number;
  weights: string;
  tol: number | null;
  sizes: number[];
  random_state: number | Rng;
}
const SCHEMA: Schema<P> = {
  n_neighbors: [{ kind: 'int', min: 1 }],
  weights: [{ kind: 'enum', values: ['uniform', 'distance'] }],
  tol: [{ kind: 'float', min: 0, closed: 'neither' }, { kind: 'null' }],
  sizes: [{ kind: 'int-array', min: 1, minLength: 1 }],
  random_state: [{ kind: 'random-state' }],
};
const DEFAULTS: P = {
  n_neighbors: 5,
  weights: 'uniform',
  tol: null,
  sizes: [100],
  random_state: 0,
};

describe('validateParams', () => {
  it('fills defaults and freezes the result', () => {
    const p = validateParams('KNeighborsClassifier', SCHEMA, DEFAULTS, { n_neighbors: 3 });
    assert.deepEqual(p, { ...DEFAULTS, n_neighbors: 3 });
    assert.ok(Object.isFrozen(p));
  });

  it('words range errors as scikit-learn does', () => {
    assert.throws(
      () => validateParams('KNeighborsClassifier', SCHEMA, DEFAULTS, { n_neighbors: 0 }),
      new RangeError(
        "The 'n_neighbors' parameter of KNeighborsClassifier must be an int in [1, inf). Got 0.",
      ),
    );
  });

  it('throws TypeError for a wrong type and lists every accepted form', () => {
    assert.throws(
      () => validateParams('X', SCHEMA, DEFAULTS, { tol: 'small' as unknown as number }),
      new TypeError(
        "The 'tol' parameter of X must be a float in (0, inf) or None (null). Got 'small'.",
      ),
    );
    assert.throws(
      () => validateParams('X', SCHEMA, DEFAULTS, { n_neighbors: 2.5 }),
      (e: unknown) =>
        e instanceof TypeError &&
        /must be an int in \[1, inf\)\. Got 2\.5\./.test((e as Error).message),
    );
  });

  it('lists the allowed strings of an enum', () => {
    assert.throws(
      () => validateParams('X', SCHEMA, DEFAULTS, { weights: 'cosine' }),
      new RangeError(
        "The 'weights' parameter of X must be a str among {'uniform', 'distance'}. Got 'cosine'.",
      ),
    );
  });

  it('checks every entry of an array parameter', () => {
    assert.throws(() => validateParams('X', SCHEMA, DEFAULTS, { sizes: [100, 0] }), RangeError);
    assert.throws(() => validateParams('X', SCHEMA, DEFAULTS, { sizes: [] }), RangeError);
  });

  it('rejects unknown keys, naming the valid ones', () => {
    assert.throws(
      () => validateParams('X', SCHEMA, DEFAULTS, { n_neighbour: 3 } as Partial<P>),
      /Invalid parameter 'n_neighbour' for estimator X\. Valid parameters are: 'n_neighbors', 'weights'/,
    );
  });

  it('accepts an Rng instance or an int seed as random_state', () => {
    assert.doesNotThrow(() => validateParams('X', SCHEMA, DEFAULTS, { random_state: new Rng(1) }));
    assert.throws(() => checkParam('X', 'random_state', SCHEMA.random_state, 1.5), TypeError);
  });
});
