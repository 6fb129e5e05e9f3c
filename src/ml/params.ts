/**
 * Declarative parameter validation in the spirit of scikit-learn's
 * utils/_param_validation.py: each estimator lists, per parameter, the constraints a
 * value may satisfy; `validateParams` fills defaults, rejects unknown keys and formats
 * scikit-learn-shaped messages:
 *   The 'n_neighbors' parameter of KNeighborsClassifier must be an int in [1, inf). Got 0.
 * Wrong types throw TypeError; right type but out of range throws RangeError.
 */
import { Rng } from './random.js';

export type Interval = {
  /** Lower bound; omitted means -inf. */
  min?: number;
  /** Upper bound; omitted means +inf. */
  max?: number;
  /** Which ends are closed (default 'both'; an infinite end is always open). */
  closed?: 'both' | 'left' | 'right' | 'neither';
};

export type Constraint =
  | ({ kind: 'int' } & Interval)
  | ({ kind: 'float' } & Interval)
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'null' }
  /** An array of numbers, e.g. priors; `length` fixes its size, `sumTo` its sum. */
  | ({ kind: 'number-array'; minLength?: number } & Interval)
  /** An array of ints, e.g. hidden_layer_sizes. */
  | ({ kind: 'int-array'; minLength?: number } & Interval)
  /** A seed (int) or an Rng instance. */
  | { kind: 'random-state' };

export type Schema<P> = { readonly [K in keyof P]-?: readonly Constraint[] };

export function validateParams<P extends object>(
  estimator: string,
  schema: Schema<P>,
  defaults: P,
  given: Partial<P> | undefined,
): Readonly<P> {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  if (
    given !== undefined &&
    (typeof given !== 'object' || given === null || Array.isArray(given))
  ) {
    throw new TypeError(
      `The parameters of ${estimator} must be an object. Got ${describe(given)}.`,
    );
  }
  const known = Object.keys(schema);
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!known.includes(key)) {
      throw new TypeError(
        `Invalid parameter '${key}' for estimator ${estimator}. Valid parameters are: ${known.map((k) => `'${k}'`).join(', ')}.`,
      );
    }
    if (value === undefined) continue;
    out[key] = value;
  }
  for (const key of known) {
    checkParam(estimator, key, (schema as Record<string, readonly Constraint[]>)[key], out[key]);
  }
  return Object.freeze(out) as Readonly<P>;
}

/** Checks one value against its constraints; throws TypeError or RangeError. */
export function checkParam(
  estimator: string,
  key: string,
  constraints: readonly Constraint[],
  value: unknown,
): void {
  if (constraints.some((c) => satisfies(c, value))) return;
  const wording = constraints.map(describeConstraint);
  const expected =
    wording.length > 1 ? `${wording.slice(0, -1).join(', ')} or ${wording.at(-1)}` : wording[0];
  const message = `The '${key}' parameter of ${estimator} must be ${expected}. Got ${describe(value)}.`;
  const rightType = constraints.some((c) => hasType(c, value));
  throw rightType ? new RangeError(message) : new TypeError(message);
}

function hasType(c: Constraint, v: unknown): boolean {
  switch (c.kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float':
      return typeof v === 'number' && !Number.isNaN(v);
    case 'enum':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    case 'number-array':
      return Array.isArray(v) && v.every((x) => typeof x === 'number');
    case 'int-array':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x));
    case 'random-state':
      return v instanceof Rng || (typeof v === 'number' && Number.isInteger(v));
  }
}

function satisfies(c: Constraint, v: unknown): boolean {
  if (!hasType(c, v)) return false;
  switch (c.kind) {
    case 'int':
    case 'float':
      return inInterval(c, v as number);
    case 'enum':
      return c.values.includes(v as string);
    case 'number-array':
    case 'int-array': {
      const a = v as number[];
      return a.length >= (c.minLength ?? 0) && a.every((x) => inInterval(c, x));
    }
    default:
      return true;
  }
}

function inInterval(iv: Interval, x: number): boolean {
  const closed = iv.closed ?? 'both';
  const leftClosed = closed === 'both' || closed === 'left';
  const rightClosed = closed === 'both' || closed === 'right';
  if (iv.min !== undefined && (leftClosed ? x < iv.min : x <= iv.min)) return false;
  if (iv.max !== undefined && (rightClosed ? x > iv.max : x >= iv.max)) return false;
  return true;
}

function describeInterval(iv: Interval): string {
  if (iv.min === undefined && iv.max === undefined) return '';
  const closed = iv.closed ?? 'both';
  const l =
    iv.min === undefined
      ? '(-inf'
      : `${closed === 'both' || closed === 'left' ? '[' : '('}${iv.min}`;
  const r =
    iv.max === undefined
      ? 'inf)'
      : `${iv.max}${closed === 'both' || closed === 'right' ? ']' : ')'}`;
  return ` in ${l}, ${r}`;
}

function describeConstraint(c: Constraint): string {
  switch (c.kind) {
    case 'int':
      return `an int${describeInterval(c)}`;
    case 'float':
      return `a float${describeInterval(c)}`;
    case 'enum':
      return `a str among {${c.values.map((s) => `'${s}'`).join(', ')}}`;
    case 'bool':
      return 'a bool';
    case 'null':
      return 'None (null)';
    case 'number-array':
      return `an array of numbers${describeInterval(c)}${c.minLength ? ` with at least ${c.minLength} entries` : ''}`;
    case 'int-array':
      return `an array of ints${describeInterval(c)}${c.minLength ? ` with at least ${c.minLength} entries` : ''}`;
    case 'random-state':
      return 'an int seed or an Rng instance';
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Rng) return 'an Rng';
  if (typeof v === 'object') return `an object`;
  return String(v);
}
