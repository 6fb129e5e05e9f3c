/**
 * A tiny synthetic MNIST-format dataset with its own registry entry, for tests of the
 * loader and the downloader (never the real 30 MB files there).
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { md5Hex, sha256Hex } from './hash.js';
import { encodeIdx } from './idx.js';
import { FILE_ROLES, STANDARD_FILE_NAMES, type DatasetSpec, type FileRole } from './registry.js';

export interface TinyDataset {
  spec: DatasetSpec;
  /** Each file as published (gzip) and decompressed. */
  files: Record<FileRole, { gz: Uint8Array; raw: Uint8Array }>;
}

export interface TinyOptions {
  name?: string;
  trainCount?: number;
  testCount?: number;
  classes?: number;
  /** Varies the pixel pattern, so two tiny datasets differ in content. */
  salt?: number;
  mirrors?: string[];
}

function images(count: number, salt: number): Uint8Array {
  const data = new Uint8Array(count * 28 * 28);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + salt * 31 + (i >> 5)) & 0xff;
  return data;
}

function labels(count: number, classes: number, salt: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => (i + salt) % classes);
}

/** Build a tiny dataset and a registry entry whose hashes match it. */
export function makeTinyDataset(options: TinyOptions = {}): TinyDataset {
  const { name = 'tiny', trainCount = 12, testCount = 5, classes = 3, salt = 0 } = options;
  const raws: Record<FileRole, Uint8Array> = {
    trainImages: encodeIdx({
      type: 'u8',
      shape: [trainCount, 28, 28],
      data: images(trainCount, salt),
    }),
    trainLabels: encodeIdx({
      type: 'u8',
      shape: [trainCount],
      data: labels(trainCount, classes, salt),
    }),
    testImages: encodeIdx({
      type: 'u8',
      shape: [testCount, 28, 28],
      data: images(testCount, salt + 1),
    }),
    testLabels: encodeIdx({
      type: 'u8',
      shape: [testCount],
      data: labels(testCount, classes, salt + 1),
    }),
  };
  const files = {} as TinyDataset['files'];
  const specFiles = {} as Record<FileRole, DatasetSpec['files'][FileRole]>;
  for (const role of FILE_ROLES) {
    const raw = raws[role];
    const gz = new Uint8Array(gzipSync(raw));
    files[role] = { gz, raw };
    specFiles[role] = {
      name: STANDARD_FILE_NAMES[role],
      gzSize: gz.length,
      gzMd5: md5Hex(gz),
      gzSha256: sha256Hex(gz),
      contentSize: raw.length,
      contentSha256: sha256Hex(raw),
    };
  }
  const spec: DatasetSpec = {
    name,
    title: `Tiny-${name}`,
    classes: Array.from({ length: classes }, (_, k) => `class-${k}`),
    files: specFiles,
    mirrors: options.mirrors ?? [],
    systemSources: [],
  };
  return { spec, files };
}

/** Write the dataset's four files into `dir` (gzip by default, or raw). */
export async function writeTinyDataset(
  tiny: TinyDataset,
  dir: string,
  { raw = false }: { raw?: boolean } = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const role of FILE_ROLES) {
    const name = STANDARD_FILE_NAMES[role];
    await writeFile(
      join(dir, raw ? name.slice(0, -3) : name),
      raw ? tiny.files[role].raw : tiny.files[role].gz,
    );
  }
}
