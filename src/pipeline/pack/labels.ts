/**
 * labels.csv and names.txt for `fmnist pack`. Every problem names the file and the line.
 * labels.csv: `image,label` rows (an optional `image,label` header); the label is a class
 * name from the class list or an integer index into it.
 */
import { parseCsv } from '../manifest.js';
import { LabelsFormatError } from '../errors.js';

export interface LabelEntry {
  image: string;
  /** Class index 0..K-1. */
  label: number;
  /** 1-based line in labels.csv. */
  line: number;
}

/** IDX label files are unsigned bytes. */
export const MAX_CLASSES = 256;

/** names.txt: one class name per non-empty line, index order; names must be unique. */
export function parseClasses(text: string, file: string): string[] {
  const classes: string[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const name = raw.trim();
    if (name === '') return;
    const first = seen.get(name);
    if (first !== undefined)
      throw new LabelsFormatError(
        file,
        i + 1,
        `class '${name}' is listed twice (first on line ${first})`,
      );
    seen.set(name, i + 1);
    classes.push(name);
  });
  if (classes.length === 0)
    throw new LabelsFormatError(file, 0, 'expected one class name per line, found none');
  if (classes.length > MAX_CLASSES)
    throw new LabelsFormatError(
      file,
      0,
      `has ${classes.length} classes; IDX labels hold at most ${MAX_CLASSES}`,
    );
  return classes;
}

/**
 * Parses labels.csv. With `classes`, labels must be one of its names or an index into it;
 * without, all labels must be integer indices (classes become '0'..max) or all names
 * (classes become the sorted distinct names).
 */
export function parseLabels(
  text: string,
  file: string,
  classes: string[] | null,
): { entries: LabelEntry[]; classes: string[] } {
  let records = parseCsv(text);
  if (
    records.length > 0 &&
    records[0].fields.map((f) => f.trim().toLowerCase()).join(',') === 'image,label'
  )
    records = records.slice(1);
  const rows: Array<{ image: string; label: string; line: number }> = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.length !== 2)
      throw new LabelsFormatError(
        file,
        line,
        `expected 2 fields 'image,label', found ${fields.length}`,
      );
    const image = fields[0].trim();
    const label = fields[1].trim();
    if (image === '') throw new LabelsFormatError(file, line, 'the image name is empty');
    if (label === '') throw new LabelsFormatError(file, line, `the label of '${image}' is empty`);
    const first = seen.get(image);
    if (first !== undefined)
      throw new LabelsFormatError(
        file,
        line,
        `duplicate image '${image}' (first on line ${first})`,
      );
    seen.set(image, line);
    rows.push({ image, label, line });
  }
  if (rows.length === 0) throw new LabelsFormatError(file, 0, 'has no label rows');
  const isIndex = (s: string) => /^\d+$/.test(s);
  let resolved = classes;
  if (resolved === null) {
    if (rows.every((r) => isIndex(r.label))) {
      const max = Math.max(...rows.map((r) => Number(r.label)));
      if (max >= MAX_CLASSES) {
        const row = rows.find((r) => Number(r.label) === max)!;
        throw new LabelsFormatError(
          file,
          row.line,
          `label ${max} is outside 0..${MAX_CLASSES - 1} (IDX labels are bytes)`,
        );
      }
      resolved = Array.from({ length: max + 1 }, (_, k) => String(k));
    } else {
      resolved = [...new Set(rows.map((r) => r.label))].sort();
      if (resolved.length > MAX_CLASSES)
        throw new LabelsFormatError(
          file,
          0,
          `has ${resolved.length} classes; IDX labels hold at most ${MAX_CLASSES}`,
        );
    }
  }
  const byName = new Map(resolved.map((name, k) => [name, k]));
  const entries = rows.map((r) => {
    let label = byName.get(r.label);
    if (label === undefined && isIndex(r.label) && Number(r.label) < resolved.length)
      label = Number(r.label);
    if (label === undefined) {
      throw new LabelsFormatError(
        file,
        r.line,
        `label '${r.label}' of '${r.image}' is not in the class list (${describeClasses(resolved)})`,
      );
    }
    return { image: r.image, label, line: r.line };
  });
  return { entries, classes: resolved };
}

function describeClasses(classes: string[]): string {
  const shown = classes
    .slice(0, 10)
    .map((c, k) => `${k}=${c}`)
    .join(', ');
  return classes.length > 10 ? `${shown}, … ${classes.length} in all` : shown;
}
