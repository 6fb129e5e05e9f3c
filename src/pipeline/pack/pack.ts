/**
 * `fmnist pack`: 28×28 gray PNGs + labels.csv → the four MNIST-format files
 * (train/t10k × images/labels, gzip), SHA256SUMS and classes.txt, loadable with
 * `loadDataset({ dir })`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import sharp from 'sharp';
import { writeIdx } from '../../data/idx.js';
import { formatSha256Sums, sha256Hex } from '../../data/hash.js';
import { writeFileAtomic } from '../../data/atomic.js';
import { LabelsFormatError } from '../errors.js';
import { parseManifest } from '../manifest.js';
import { decodeGrayPng } from '../png-gray.js';
import { type LabelEntry, parseClasses, parseLabels } from './labels.js';
import { splitPerClass } from './split.js';

export interface PackOptions {
  imagesDir: string;
  labelsPath: string;
  outDir: string;
  /** @default 1000 (as Fashion-MNIST: 1,000 test images per class) */
  testPerClass?: number;
  /** @default 0 */
  seed?: number;
  /** names.txt: class names in index order. */
  classesPath?: string;
  /** Pack images convert flagged as low-contrast (when their PNG exists). @default false */
  keepLowContrast?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface PackSummary {
  classes: string[];
  train: number;
  test: number;
  /** Labelled images left out because convert flagged them (image → reason). */
  skipped: Array<{ image: string; line: number; reason: string }>;
  files: string[];
}

export const PACK_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
] as const;

const SIDE = 28;

const stem = (p: string) => (extname(p) ? p.slice(0, -extname(p).length) : p);

/** PNG files under `dir`, keyed by relative path with and without the extension. */
function indexImages(dir: string): Map<string, string> {
  const index = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && /\.png$/i.test(e.name) && !/\.steps\.png$/i.test(e.name)) {
        const rel = relative(dir, path).split(sep).join('/');
        index.set(rel, path);
        if (!index.has(stem(rel))) index.set(stem(rel), path);
      }
    }
  };
  walk(dir);
  return index;
}

/** Outputs `fmnist convert` flagged (from its manifest.csv), keyed like indexImages. */
function flaggedByConvert(dir: string, keepLowContrast: boolean): Map<string, string> {
  const flagged = new Map<string, string>();
  const manifestPath = join(dir, 'manifest.csv');
  if (!existsSync(manifestPath)) return flagged;
  for (const row of parseManifest(readFileSync(manifestPath, 'utf8'))) {
    if (
      row.status === 'ok' ||
      (row.status === 'low-contrast' && keepLowContrast && row.output !== '')
    )
      continue;
    const reason = `${row.status}${row.reason ? `: ${row.reason}` : ''}`;
    const sourceStem = stem(row.source.split(/[\\/]/).pop() ?? row.source);
    for (const key of [row.output, stem(row.output), row.source, stem(row.source), sourceStem])
      if (key) flagged.set(key, reason);
  }
  return flagged;
}

async function readGray28(path: string): Promise<Uint8Array> {
  const bytes = await readFile(path);
  const gray = decodeGrayPng(bytes);
  if (gray) {
    if (gray.width !== SIDE || gray.height !== SIDE) {
      throw new Error(
        `${path}: expected a ${SIDE}×${SIDE} image, found ${gray.width}×${gray.height}`,
      );
    }
    return gray.data;
  }
  const { data, info } = await sharp(bytes, { failOn: 'warning' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== SIDE || info.height !== SIDE) {
    throw new Error(
      `${path}: expected a ${SIDE}×${SIDE} image, found ${info.width}×${info.height}`,
    );
  }
  return info.channels === 1
    ? new Uint8Array(data)
    : Uint8Array.from({ length: SIDE * SIDE }, (_, i) => data[i * info.channels]);
}

async function packImages(
  entries: LabelEntry[],
  paths: Map<string, string>,
  onDone: () => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(entries.length * SIDE * SIDE);
  let next = 0;
  const lane = async () => {
    while (next < entries.length) {
      const i = next++;
      out.set(await readGray28(paths.get(entries[i].image)!), i * SIDE * SIDE);
      onDone();
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  return out;
}

export async function packDataset(options: PackOptions): Promise<PackSummary> {
  const testPerClass = options.testPerClass ?? 1000;
  const seed = options.seed ?? 0;
  const labelsFile = options.labelsPath;
  const classList = options.classesPath
    ? parseClasses(readFileSync(options.classesPath, 'utf8'), options.classesPath)
    : null;
  const { entries, classes } = parseLabels(readFileSync(labelsFile, 'utf8'), labelsFile, classList);
  const images = indexImages(options.imagesDir);
  const flagged = flaggedByConvert(options.imagesDir, options.keepLowContrast ?? false);
  const usable: LabelEntry[] = [];
  const paths = new Map<string, string>();
  const skipped: PackSummary['skipped'] = [];
  for (const e of entries) {
    const reason = flagged.get(e.image) ?? flagged.get(stem(e.image));
    if (reason !== undefined) {
      skipped.push({ image: e.image, line: e.line, reason });
      continue;
    }
    const path = images.get(e.image) ?? images.get(stem(e.image));
    if (path === undefined) {
      throw new LabelsFormatError(
        labelsFile,
        e.line,
        `unknown image '${e.image}': no such PNG under ${options.imagesDir}`,
      );
    }
    paths.set(e.image, path);
    usable.push(e);
  }
  const { train, test } = splitPerClass(usable, classes, testPerClass, seed, labelsFile);
  let done = 0;
  const tick = () => options.onProgress?.(++done, usable.length);
  const trainImages = await packImages(train, paths, tick);
  const testImages = await packImages(test, paths, tick);
  await mkdir(options.outDir, { recursive: true });
  const arrays = [
    { type: 'u8' as const, shape: [train.length, SIDE, SIDE], data: trainImages },
    { type: 'u8' as const, shape: [train.length], data: Uint8Array.from(train, (e) => e.label) },
    { type: 'u8' as const, shape: [test.length, SIDE, SIDE], data: testImages },
    { type: 'u8' as const, shape: [test.length], data: Uint8Array.from(test, (e) => e.label) },
  ];
  const sums: Array<[string, string]> = [];
  for (let k = 0; k < PACK_FILES.length; k++) {
    const path = join(options.outDir, PACK_FILES[k]);
    await writeIdx(path, arrays[k], { gzip: true, level: 9 });
    sums.push([PACK_FILES[k], sha256Hex(await readFile(path))]);
  }
  await writeFileAtomic(join(options.outDir, 'classes.txt'), classes.join('\n') + '\n');
  await writeFileAtomic(join(options.outDir, 'SHA256SUMS'), formatSha256Sums(sums));
  return {
    classes,
    train: train.length,
    test: test.length,
    skipped,
    files: [...PACK_FILES, 'classes.txt', 'SHA256SUMS'],
  };
}
