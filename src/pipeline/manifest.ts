/** manifest.csv of `fmnist convert`: one row per input, what happened to it. */

export type ManifestStatus = 'ok' | 'low-contrast' | 'empty' | 'error';

export interface ManifestRow {
  /** The input path as given (or found under a given directory). */
  source: string;
  /** Output PNG path relative to the output directory; '' when nothing was written. */
  output: string;
  status: ManifestStatus;
  /** Why it is not 'ok' (decode error, empty trim box, low p99). */
  reason: string;
  /** 99th-percentile output intensity; null when there is no output image. */
  p99: number | null;
}

export const MANIFEST_HEADER = 'source,output,status,reason,p99';

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatManifest(rows: readonly ManifestRow[]): string {
  const lines = [MANIFEST_HEADER];
  for (const r of rows) {
    lines.push(
      [r.source, r.output, r.status, r.reason, r.p99 === null ? '' : String(r.p99)]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Splits CSV text into records (RFC 4180 quoting), each with its 1-based starting line. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (any || field !== '') records.push({ line: start, fields: [...fields, field] });
      fields = [];
      field = '';
      any = false;
      line++;
      start = line;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any || field !== '') records.push({ line: start, fields: [...fields, field] });
  return records;
}

export function parseManifest(text: string): ManifestRow[] {
  const records = parseCsv(text);
  if (records.length === 0 || records[0].fields.join(',') !== MANIFEST_HEADER) {
    throw new Error(`manifest.csv: expected the header '${MANIFEST_HEADER}'`);
  }
  return records.slice(1).map(({ fields }) => ({
    source: fields[0] ?? '',
    output: fields[1] ?? '',
    status: (fields[2] ?? 'error') as ManifestStatus,
    reason: fields[3] ?? '',
    p99: fields[4] ? Number(fields[4]) : null,
  }));
}
