/**
 * What the results folder's JSON-lines files (finished repeats: store-file.ts; fit parts:
 * parts-file.ts) check the same way: one object a line, a format tag, non-empty names, and
 * no key twice. Each file type reports a failure with its own error class, through `fail`.
 */

/** A line of such a file that cannot be read, named by file and 1-based line number. */
export class LineFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}, line ${line}: ${detail}`);
    this.name = new.target.name;
  }
}

/** Throws the caller's error for the line being read, with `detail` saying what is wrong. */
export type LineFail = (detail: string) => never;

/** The line's JSON object, once it is one and carries `"format": format`. */
export function taggedObject(
  text: string,
  format: string,
  fail: LineFail,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail('expected one JSON object, found text that is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('expected one JSON object per line');
  }
  const o = value as Record<string, unknown>;
  if (o.format !== format) {
    fail(`expected "format": "${format}", got ${JSON.stringify(o.format)}`);
  }
  return o;
}

/** Checks that each of `fields` is a non-empty string. */
export function requireNames(
  o: Record<string, unknown>,
  fields: readonly string[],
  fail: LineFail,
): void {
  for (const f of fields) {
    if (typeof o[f] !== 'string' || o[f] === '') fail(`field '${f}' must be a non-empty string`);
  }
}

/**
 * Parses every non-blank line of `text` with `parse` (given 1-based line numbers), and
 * refuses a second line with the same `keyOf`, saying through `duplicate` which line came first.
 */
export function parseUniqueLines<T>(
  text: string,
  parse: (raw: string, line: number) => T,
  keyOf: (t: T) => string,
  duplicate: (t: T, line: number, firstLine: number) => never,
): { items: T[]; lineOf: Map<string, number> } {
  const items: T[] = [];
  const lineOf = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const item = parse(raw, i + 1);
    const key = keyOf(item);
    const first = lineOf.get(key);
    if (first !== undefined) duplicate(item, i + 1, first);
    lineOf.set(key, i + 1);
    items.push(item);
  });
  return { items, lineOf };
}
