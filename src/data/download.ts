/**
 * Download a dataset's four files into the cache, trying mirrors in order. Each file is
 * streamed to a temp file beside its target while its MD5 (and SHA-256 when known) is
 * computed, checked (complete body, gzip not an HTML page, hashes), then renamed into
 * place, so the cache never holds a partial or unverified file.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { tempPathFor } from './atomic.js';
import { DownloadError, type MirrorFailure } from './errors.js';
import { sha256Hex } from './hash.js';
import { gunzipBytes, isGzip } from './idx.js';
import { FILE_ROLES, type DatasetFile, type DatasetSpec } from './registry.js';
import { cacheDir } from './sources.js';

export type DownloadEvent =
  | { type: 'start'; file: string; url: string; total: number | null }
  | { type: 'progress'; file: string; url: string; received: number; total: number | null }
  | { type: 'done'; file: string; url: string; bytes: number }
  | { type: 'mirror-failed'; file: string; url: string; reason: string }
  | { type: 'cached'; file: string; path: string };

export interface DownloadOptions {
  /** Cache root (see cacheHome). */
  home?: string;
  /** Base URLs to use instead of the registry's mirrors, tried in order. */
  mirrors?: readonly string[];
  onProgress?: (event: DownloadEvent) => void;
  /** Give up on a mirror after this long without data. @default 30000 */
  timeoutMs?: number;
}

export interface DownloadResult {
  dir: string;
  downloaded: string[];
  cached: string[];
}

const MAX_REDIRECTS = 5;

/** A failure of one mirror for one file; caught per mirror, collected into DownloadError. */
class MirrorError extends Error {}

function request(url: string, timeoutMs: number, redirects = 0): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new MirrorError(`invalid URL`));
      return;
    }
    const getter =
      parsed.protocol === 'https:' ? httpsGet : parsed.protocol === 'http:' ? httpGet : null;
    if (getter === null) {
      reject(new MirrorError(`unsupported protocol ${parsed.protocol} (expected http: or https:)`));
      return;
    }
    const req = getter(parsed, { headers: { 'user-agent': 'fmnist' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) {
          reject(new MirrorError(`more than ${MAX_REDIRECTS} redirects`));
          return;
        }
        const next = new URL(res.headers.location, parsed).toString();
        request(next, timeoutMs, redirects + 1).then(resolvePromise, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new MirrorError(`HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      resolvePromise(res);
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy(new MirrorError(`no response for ${timeoutMs / 1000} s`));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof MirrorError) reject(err);
      else if (err.code === 'ECONNREFUSED') reject(new MirrorError('connection refused'));
      else if (err.code === 'ENOTFOUND')
        reject(new MirrorError(`host not found (${parsed.hostname})`));
      else reject(new MirrorError(err.code ? `${err.message} (${err.code})` : err.message));
    });
  });
}

function describeNonGzip(head: Uint8Array, contentType: string | undefined): string {
  if (head.length === 0) return 'empty response body (expected gzip data)';
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1');
  const looksHtml = /^\s*</.test(text) || (contentType ?? '').includes('html');
  const shown = JSON.stringify(text.slice(0, 24));
  return looksHtml
    ? `the server sent an HTML page (Content-Type ${contentType ?? 'unknown'}, starts ${shown}) instead of gzip data`
    : `expected gzip data (starting 1f 8b), got bytes starting ${shown}`;
}

/** Fetch one URL into `temp`, checking completeness, gzip magic, size and hashes. */
async function fetchVerified(
  url: string,
  temp: string,
  expected: DatasetFile,
  options: DownloadOptions,
): Promise<number> {
  const res = await request(url, options.timeoutMs ?? 30_000);
  const lengthHeader = res.headers['content-length'];
  const total = lengthHeader !== undefined ? Number(lengthHeader) : null;
  options.onProgress?.({ type: 'start', file: expected.name, url, total });
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const handle = await open(temp, 'w');
  let received = 0;
  let head: Uint8Array | null = null;
  try {
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        if (head === null) {
          head = chunk;
          if (chunk.length >= 2 && !isGzip(chunk)) {
            throw new MirrorError(describeNonGzip(chunk, res.headers['content-type']));
          }
        }
        md5.update(chunk);
        sha256.update(chunk);
        received += chunk.length;
        await handle.write(chunk);
        options.onProgress?.({ type: 'progress', file: expected.name, url, received, total });
      }
    } catch (err) {
      res.destroy();
      if (err instanceof MirrorError) throw err;
      // The connection closed before the announced Content-Length arrived.
      throw new MirrorError(
        `truncated: connection closed after ${received} of ${total ?? 'unknown'} bytes`,
      );
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (total !== null && received !== total) {
    throw new MirrorError(`truncated: received ${received} of ${total} bytes`);
  }
  if (head === null || !isGzip(head)) {
    throw new MirrorError(describeNonGzip(head ?? new Uint8Array(0), res.headers['content-type']));
  }
  if (expected.gzSize !== null && received !== expected.gzSize) {
    throw new MirrorError(
      `incomplete or corrupted file: expected ${expected.gzSize} bytes, received ${received}`,
    );
  }
  const md5Actual = md5.digest('hex');
  if (md5Actual !== expected.gzMd5) {
    throw new MirrorError(`MD5 mismatch: expected ${expected.gzMd5}, got ${md5Actual}`);
  }
  const shaActual = sha256.digest('hex');
  if (expected.gzSha256 !== null && shaActual !== expected.gzSha256) {
    throw new MirrorError(`SHA-256 mismatch: expected ${expected.gzSha256}, got ${shaActual}`);
  }
  return received;
}

/** Download one file into `dest`, trying each mirror base URL in order. Returns the URL used. */
export async function downloadFile(
  mirrors: readonly string[],
  dest: string,
  expected: DatasetFile,
  options: DownloadOptions = {},
): Promise<string> {
  const failures: MirrorFailure[] = [];
  for (const base of mirrors) {
    const url = base.endsWith('/') ? `${base}${expected.name}` : `${base}/${expected.name}`;
    const temp = tempPathFor(dest);
    try {
      const bytes = await fetchVerified(url, temp, expected, options);
      await rename(temp, dest);
      options.onProgress?.({ type: 'done', file: expected.name, url, bytes });
      return url;
    } catch (err) {
      await rm(temp, { force: true });
      if (!(err instanceof MirrorError)) throw err;
      failures.push({ url, reason: err.message });
      options.onProgress?.({
        type: 'mirror-failed',
        file: expected.name,
        url,
        reason: err.message,
      });
    }
  }
  if (mirrors.length === 0) failures.push({ url: '(none)', reason: 'no mirrors given' });
  throw new DownloadError(expected.name, failures);
}

/** True when `path` holds this file with the right decompressed content. */
async function isCachedAndValid(path: string, file: DatasetFile): Promise<boolean> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return false;
  }
  try {
    const raw = isGzip(bytes) ? await gunzipBytes(bytes, path) : bytes;
    return sha256Hex(raw) === file.contentSha256;
  } catch {
    return false;
  }
}

/**
 * Download every file of `spec` that the cache lacks (or holds with wrong content) into
 * `<home>/<dataset>/`. Files already present and verified are kept.
 */
export async function downloadDataset(
  spec: DatasetSpec,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const dir = cacheDir(spec.name, options.home);
  await mkdir(dir, { recursive: true });
  const mirrors = options.mirrors ?? spec.mirrors;
  const result: DownloadResult = { dir, downloaded: [], cached: [] };
  for (const role of FILE_ROLES) {
    const file = spec.files[role];
    const dest = join(dir, file.name);
    if (await isCachedAndValid(dest, file)) {
      result.cached.push(file.name);
      options.onProgress?.({ type: 'cached', file: file.name, path: dest });
      continue;
    }
    await downloadFile(mirrors, dest, file, options);
    result.downloaded.push(file.name);
  }
  return result;
}
