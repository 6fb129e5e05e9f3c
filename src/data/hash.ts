/**
 * Hashing helpers and the `sha256sum` manifest format (SHA256SUMS) used by packed datasets.
 */
import { createHash } from 'node:crypto';
import { DatasetFormatError } from './errors.js';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * Parse `sha256sum` output: one `<64 hex>  <name>` (text mode) or `<64 hex> *<name>`
 * (binary mode) per line; blank lines are skipped. Returns name → lowercase hex.
 */
export function parseSha256Sums(text: string, file: string): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (m === null) {
      throw new DatasetFormatError(
        file,
        `line ${i + 1}: expected '<64 hex digits>  <file name>' (sha256sum format), found '${line}'`,
      );
    }
    sums.set(m[2], m[1].toLowerCase());
  });
  return sums;
}

/** Format a manifest in `sha256sum` text mode, in the given order. */
export function formatSha256Sums(entries: Iterable<[name: string, sha256: string]>): string {
  let out = '';
  for (const [name, sum] of entries) out += `${sum}  ${name}\n`;
  return out;
}
