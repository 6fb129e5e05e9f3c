/**
 * One configuration of the paper's Table 3: a scikit-learn classifier, its parameters
 * as the paper wrote them, and the paper's mean test accuracy on both datasets.
 */
export type ParamValue = string | number | number[];

export interface GridRow {
  /** scikit-learn class name, e.g. 'SVC'. */
  readonly classifier: string;
  /** Parameters as the paper's table spells them, e.g. "C=10 kernel=rbf". */
  readonly paramsText: string;
  /** The same parameters parsed, with scikit-learn names: { C: 10, kernel: 'rbf' }. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The paper's mean test accuracy. */
  readonly paper: { readonly fashion: number; readonly mnist: number };
}

export function row(
  classifier: string,
  paramsText: string,
  fashion: number,
  mnist: number,
): GridRow {
  return { classifier, paramsText, params: parseParamsText(paramsText), paper: { fashion, mnist } };
}

/**
 * Parses "key=value" pairs separated by spaces; values are numbers, JSON arrays of
 * numbers ("[100, 10]") or bare strings. Spaces inside brackets belong to the value.
 */
export function parseParamsText(text: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const pair of splitPairs(text)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new SyntaxError(`Expected key=value in the parameter text "${text}". Got "${pair}".`);
    }
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (key in out) throw new SyntaxError(`Parameter '${key}' is given twice in "${text}".`);
    out[key] = parseValue(raw, text);
  }
  return out;
}

function splitPairs(text: string): string[] {
  return splitOutsideBrackets(text, (ch) => /\s/.test(ch), 'parameter text');
}

/**
 * Splits text at the characters `isSeparator` accepts, except inside [...] (a list value
 * such as priors=[0.1, 0.1] or hidden_layer_sizes=[100, 10] stays whole); empty parts
 * are dropped. `what` names the text in the error for unbalanced brackets.
 */
export function splitOutsideBrackets(
  text: string,
  isSeparator: (ch: string) => boolean,
  what: string,
): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text.trim()) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (depth < 0) break;
    if (isSeparator(ch) && depth === 0) {
      if (current.trim()) parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (depth !== 0) throw new SyntaxError(`Unbalanced brackets in the ${what} "${text}".`);
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function parseValue(raw: string, text: string): ParamValue {
  if (raw.startsWith('[')) {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'number')) {
      throw new SyntaxError(`Expected an array of numbers in "${text}". Got ${raw}.`);
    }
    return parsed as number[];
  }
  if (raw !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return raw;
}

/** The same parameters with keys sorted: how a configuration is keyed in the store. */
export function canonicalParamsText(params: Readonly<Record<string, ParamValue>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${formatValue(params[k])}`)
    .join(' ');
}

function formatValue(v: ParamValue): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}
