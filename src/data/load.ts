/**
 * loadDataset: find a dataset (explicit dir, FMNIST_DATA_DIR, cache, Debian, npm, or
 * download), read its four IDX files in parallel (gunzip runs on the thread pool),
 * verify the decompressed content against the registry's SHA-256 on every load, and
 * return images and labels as zero-copy views on the decompressed buffers.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  UnknownDatasetError,
  ChecksumMismatch,
  DatasetFormatError,
  DatasetNotFoundError,
  type TriedSource,
} from './errors.js';
import { downloadDataset, type DownloadEvent } from './download.js';
import { parseSha256Sums, sha256Hex } from './hash.js';
import { decodeIdx, gunzipBytes, isGzip, type IdxArray } from './idx.js';
import {
  DATASET_NAMES,
  DATASETS,
  FILE_ROLES,
  getDatasetSpec,
  identifyContent,
  type DatasetName,
  type DatasetSpec,
  type FileRole,
} from './registry.js';
import { cacheDir, candidates, findFiles, type FilePaths, type SourceKind } from './sources.js';

export interface Split {
  /** n × height × width pixels, row-major, 0 = background. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

export interface Dataset {
  name: string;
  classes: readonly string[];
  train: Split;
  test: Split;
  source: { kind: SourceKind; path: string };
  /**
   * 'verified': content matched the registry's SHA-256; 'manifest': files matched the
   * directory's SHA256SUMS; 'none': a custom directory without SHA256SUMS.
   */
  checksums: 'verified' | 'manifest' | 'none';
}

export interface LoadOptions {
  /** Load from this directory only (for a registered dataset the content is still verified). */
  dir?: string;
  /** Cache root. @default FMNIST_HOME, else ~/.cache/fmnist */
  home?: string;
  /** Download into the cache when no local source has the files. @default false */
  download?: boolean;
  /** Mirror base URLs to use instead of the registry's. */
  mirrors?: string[];
  onProgress?: (event: DownloadEvent) => void;
  /** Registry entry to use instead of the built-in one (tests, private datasets). */
  spec?: DatasetSpec;
}

export interface DirLoadOptions {
  /** Dataset name reported in `Dataset.name`. @default the directory's base name */
  name?: string;
}

/** The raw (decompressed) bytes of one file, with the file's bytes as stored. */
interface FileBytes {
  path: string;
  stored: Uint8Array;
  raw: Uint8Array;
}

async function readFileBytes(path: string): Promise<FileBytes> {
  const stored = await readFile(path);
  const raw = isGzip(stored) ? await gunzipBytes(stored, path) : stored;
  return { path, stored, raw };
}

async function readAll(files: FilePaths): Promise<Record<FileRole, FileBytes>> {
  const read = await Promise.all(FILE_ROLES.map((role) => readFileBytes(files[role])));
  return Object.fromEntries(FILE_ROLES.map((role, i) => [role, read[i]])) as Record<
    FileRole,
    FileBytes
  >;
}

function verifyContent(
  bytes: Record<FileRole, FileBytes>,
  spec: DatasetSpec,
  foundVia: string,
): void {
  for (const role of FILE_ROLES) {
    const expected = spec.files[role].contentSha256;
    const actual = sha256Hex(bytes[role].raw);
    if (actual !== expected) {
      const other = identifyContent(actual);
      const hint =
        `This is not ${spec.title}'s ${spec.files[role].name.replace(/\.gz$/, '')}` +
        (other ? ` (its content is ${other})` : ' (damaged, or another dataset)') +
        `; found via ${foundVia}: remove or replace the file`;
      throw new ChecksumMismatch(bytes[role].path, expected, actual, hint);
    }
  }
}

function asImages(
  arr: IdxArray,
  file: string,
): { count: number; height: number; width: number; data: Uint8Array } {
  if (arr.type !== 'u8' || arr.shape.length !== 3) {
    throw new DatasetFormatError(
      file,
      `expected images as u8 IDX with 3 dimensions (count × height × width), found ${arr.type} with shape [${arr.shape.join(', ')}]`,
    );
  }
  const [count, height, width] = arr.shape;
  return { count, height, width, data: arr.data };
}

function asLabels(arr: IdxArray, file: string): Uint8Array {
  if (arr.type !== 'u8' || arr.shape.length !== 1) {
    throw new DatasetFormatError(
      file,
      `expected labels as u8 IDX with 1 dimension, found ${arr.type} with shape [${arr.shape.join(', ')}]`,
    );
  }
  return arr.data;
}

function makeSplit(images: FileBytes, labels: FileBytes): Split {
  const img = asImages(decodeIdx(images.raw, images.path), images.path);
  const lab = asLabels(decodeIdx(labels.raw, labels.path), labels.path);
  if (lab.length !== img.count) {
    throw new DatasetFormatError(
      labels.path,
      `has ${lab.length} labels but ${images.path} has ${img.count} images`,
    );
  }
  return { images: img.data, labels: lab, count: img.count, height: img.height, width: img.width };
}

function buildSplits(bytes: Record<FileRole, FileBytes>): { train: Split; test: Split } {
  const train = makeSplit(bytes.trainImages, bytes.trainLabels);
  const test = makeSplit(bytes.testImages, bytes.testLabels);
  if (train.height !== test.height || train.width !== test.width) {
    throw new DatasetFormatError(
      bytes.testImages.path,
      `images are ${test.height}×${test.width} but the training images are ${train.height}×${train.width}`,
    );
  }
  return { train, test };
}

function checkLabelRange(split: Split, classes: readonly string[], file: string): void {
  for (let i = 0; i < split.count; i++) {
    if (split.labels[i] >= classes.length) {
      throw new DatasetFormatError(
        file,
        `label ${split.labels[i]} at index ${i} is outside the ${classes.length} classes (0..${classes.length - 1})`,
      );
    }
  }
}

/** Load a registered dataset from the given files, verifying their content. */
async function loadRegistered(
  spec: DatasetSpec,
  files: FilePaths,
  source: Dataset['source'],
  foundVia: string,
): Promise<Dataset> {
  const bytes = await readAll(files);
  verifyContent(bytes, spec, foundVia);
  const { train, test } = buildSplits(bytes);
  checkLabelRange(train, spec.classes, files.trainLabels);
  checkLabelRange(test, spec.classes, files.testLabels);
  return { name: spec.name, classes: spec.classes, train, test, source, checksums: 'verified' };
}

function fixesFor(spec: DatasetSpec): string[] {
  const fixes = [`run 'fmnist download ${spec.name}' (or pass { download: true })`];
  for (const s of spec.systemSources) fixes.push(s.install);
  fixes.push(`set FMNIST_DATA_DIR to a directory holding the four ${spec.title} files`);
  return fixes;
}

async function loadByName(name: string, options: LoadOptions): Promise<Dataset> {
  const spec = options.spec ?? getDatasetSpec(name);
  const names = Object.fromEntries(FILE_ROLES.map((r) => [r, spec.files[r].name])) as Record<
    FileRole,
    string
  >;
  const tried: TriedSource[] = [];
  for (const candidate of candidates(spec, { dir: options.dir, home: options.home })) {
    if (candidate.path === null) {
      tried.push({ kind: candidate.label, path: '-', reason: candidate.reason ?? 'not available' });
      continue;
    }
    const found = await findFiles(candidate.path, names);
    if (found.found) {
      return loadRegistered(
        spec,
        found.files,
        { kind: candidate.kind, path: candidate.path },
        candidate.label,
      );
    }
    tried.push({
      kind: candidate.label,
      path: candidate.path,
      reason: `missing ${found.missing.join(', ')}`,
    });
  }
  if (options.download && !options.dir) {
    const result = await downloadDataset(spec, {
      home: options.home,
      mirrors: options.mirrors,
      onProgress: options.onProgress,
    });
    const found = await findFiles(result.dir, names);
    if (found.found) {
      return loadRegistered(spec, found.files, { kind: 'download', path: result.dir }, 'download');
    }
    tried.push({ kind: 'download', path: result.dir, reason: 'files missing after download' });
  } else if (!options.dir) {
    tried.push({
      kind: 'download',
      path: cacheDir(spec.name, options.home),
      reason: 'not attempted (download: false)',
    });
  }
  throw new DatasetNotFoundError(spec.name, tried, fixesFor(spec));
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Load a custom MNIST-format directory (e.g. made by `fmnist pack`). */
async function loadDirectory(dirOption: string, options: DirLoadOptions): Promise<Dataset> {
  const dir = resolve(dirOption);
  const found = await findFiles(dir);
  if (!found.found) {
    throw new DatasetNotFoundError(
      basename(dir),
      [{ kind: 'dir', path: dir, reason: `missing ${found.missing.join(', ')}` }],
      ['put the four MNIST-format files there (e.g. with `fmnist pack`)', 'check the path'],
    );
  }
  const manifestPath = join(dir, 'SHA256SUMS');
  const [bytes, manifestText, classesText] = await Promise.all([
    readAll(found.files),
    readOptional(manifestPath),
    readOptional(join(dir, 'classes.txt')),
  ]);
  let checksums: Dataset['checksums'] = 'none';
  if (manifestText !== null) {
    const sums = parseSha256Sums(manifestText, manifestPath);
    for (const role of FILE_ROLES) {
      const { path, stored } = bytes[role];
      const expected = sums.get(basename(path));
      if (expected === undefined) {
        throw new DatasetFormatError(manifestPath, `has no entry for ${basename(path)}`);
      }
      const actual = sha256Hex(stored);
      if (actual !== expected) throw new ChecksumMismatch(path, expected, actual, 'per SHA256SUMS');
    }
    checksums = 'manifest';
  }
  const { train, test } = buildSplits(bytes);
  let classes: string[];
  if (classesText !== null) {
    classes = classesText.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (classes.length === 0) {
      throw new DatasetFormatError(
        join(dir, 'classes.txt'),
        'expected one class name per line, found none',
      );
    }
  } else {
    let max = -1;
    for (const split of [train, test]) {
      for (let i = 0; i < split.count; i++) if (split.labels[i] > max) max = split.labels[i];
    }
    classes = Array.from({ length: max + 1 }, (_, k) => String(k));
  }
  checkLabelRange(train, classes, found.files.trainLabels);
  checkLabelRange(test, classes, found.files.testLabels);
  return {
    name: options.name ?? basename(dir),
    classes,
    train,
    test,
    source: { kind: 'dir', path: dir },
    checksums,
  };
}

/**
 * Load Fashion-MNIST or MNIST (switching the name is the only change), or a custom
 * MNIST-format directory with `{ dir }`. Registered datasets are verified by content
 * SHA-256 on every load; a file with the wrong content fails with ChecksumMismatch.
 */
export function loadDataset(name: DatasetName, options?: LoadOptions): Promise<Dataset>;
export function loadDataset(source: { dir: string }, options?: DirLoadOptions): Promise<Dataset>;
export function loadDataset(
  nameOrSource: DatasetName | { dir: string },
  options: LoadOptions | DirLoadOptions = {},
): Promise<Dataset> {
  if (typeof nameOrSource === 'object' && nameOrSource !== null) {
    return loadDirectory(nameOrSource.dir, options as DirLoadOptions);
  }
  return loadByName(nameOrSource, options as LoadOptions);
}

/** Image `index` of a split as a height×width view (no copy). */
export function imageAt(split: Split, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= split.count) {
    throw new RangeError(
      `image index must be an integer in [0, ${split.count - 1}]. Got ${index}.`,
    );
  }
  const size = split.height * split.width;
  return split.images.subarray(index * size, (index + 1) * size);
}

/**
 * For command lines: a registered dataset name, or else the path of a directory of
 * MNIST-format files (e.g. made by `fmnist pack`).
 */
export async function loadDatasetOrDir(
  nameOrDir: string,
  options: LoadOptions = {},
): Promise<Dataset> {
  if (Object.hasOwn(DATASETS, nameOrDir)) return loadDataset(nameOrDir as DatasetName, options);
  const isDir = await stat(nameOrDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new UnknownDatasetError(
      nameOrDir,
      DATASET_NAMES,
      'or the path of a directory of MNIST-format files',
    );
  }
  return loadDataset({ dir: nameOrDir });
}
