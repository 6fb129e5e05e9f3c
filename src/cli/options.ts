/** Parsing of option values shared by the commands, with errors that name the option. */

export const DATASET_NAMES = ['fashion', 'mnist'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export function parseDatasetList(text: string): DatasetName[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new RangeError(`--dataset needs at least one of: ${DATASET_NAMES.join(', ')}.`);
  for (const n of names) {
    if (!(DATASET_NAMES as readonly string[]).includes(n)) {
      throw new RangeError(
        `--dataset: unknown dataset '${n}'. Expected one of: ${DATASET_NAMES.join(', ')}.`,
      );
    }
  }
  return names as DatasetName[];
}

export function parsePositiveInt(text: string, option: string, min = 1): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`${option} must be an integer ≥ ${min}. Got '${text}'.`);
  }
  return n;
}
