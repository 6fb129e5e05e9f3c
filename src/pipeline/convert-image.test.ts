/**
 * ImageMagick 6.9 is the oracle: generated thumbnails and edge-case files must convert to
 * the same 784 bytes as the reference command, for both sharpen variants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { convertImage, SHARPEN_MODES } from './convert-image.js';
import { ImageDecodeError } from './errors.js';
import {
  imageMagickConvert,
  imageMagickMogrify,
  readGrayPng,
  writeEdgeCases,
  writeThumbnailCorpus,
} from './fixtures.js';

const CORPUS_SIZE = 40;

function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

test('thumbnails convert byte for byte like ImageMagick, both sharpen variants', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-pipeline-'));
  try {
    const files = await writeThumbnailCorpus(join(dir, 'in'), CORPUS_SIZE);
    for (const mode of SHARPEN_MODES) {
      await imageMagickMogrify(files, join(dir, mode), mode);
      const mismatched: string[] = [];
      for (const file of files) {
        const expected = await readGrayPng(join(dir, mode, basename(file, '.jpg') + '.png'));
        const result = await convertImage(await readFile(file), { sharpen: mode });
        assert.equal(result.status, 'ok', `${file}: ${result.status}`);
        assert.ok(result.pixels);
        const n = differing(result.pixels, expected);
        if (n > 0) mismatched.push(`${basename(file)} (${n} px)`);
      }
      assert.deepEqual(mismatched, [], `${mode}: outputs differing from ImageMagick`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('edge-case files: same bytes as ImageMagick, or refused/empty where it refuses', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-pipeline-edge-'));
  try {
    const cases = await writeEdgeCases(join(dir, 'in'));
    for (const mode of SHARPEN_MODES) {
      for (const c of cases) {
        const expected = await imageMagickConvert(c.path, join(dir, `${c.name}.${mode}.png`), mode);
        const input = await readFile(c.path);
        if (c.expect === 'invalid') {
          assert.ok(expected instanceof Error, `${c.name}: ImageMagick should refuse it`);
          await assert.rejects(
            convertImage(input, { sharpen: mode, source: c.name }),
            (err: unknown) => {
              assert.ok(err instanceof ImageDecodeError);
              assert.equal(err.code, 'IMAGE_DECODE');
              assert.match(
                err.message,
                new RegExp(`^${c.name.replace('.', '\\.')}: cannot decode image: .+`),
              );
              return true;
            },
          );
          continue;
        }
        const result = await convertImage(input, { sharpen: mode, source: c.name });
        if (c.expect === 'empty') {
          assert.ok(
            expected instanceof Error && /does not contain image/.test(expected.message),
            `${c.name}: IM should find no trim box`,
          );
          assert.equal(result.status, 'empty', c.name);
          assert.equal(result.pixels, null);
          continue;
        }
        assert.ok(
          !(expected instanceof Error),
          `${c.name}: ImageMagick failed: ${String(expected)}`,
        );
        assert.ok(result.pixels, c.name);
        assert.equal(
          differing(result.pixels, expected),
          0,
          `${mode} ${c.name}: differs from ImageMagick`,
        );
        assert.equal(result.status, c.expect, `${c.name}: status`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('steps: one image per step, the last equal to the output', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-pipeline-steps-'));
  try {
    const [file] = await writeThumbnailCorpus(dir, 1);
    const result = await convertImage(await readFile(file), { steps: true });
    assert.deepEqual(
      result.steps?.map((s) => s.name),
      ['read', 'trim', 'sample', 'sharpen', 'extent', 'negate', 'gray'],
    );
    const read = result.steps![0].raster;
    assert.deepEqual([read.width, read.height], [51, 73]);
    const sampled = result.steps![2].raster;
    assert.ok(Math.max(sampled.width, sampled.height) === 28);
    const gray = result.steps![6].raster;
    for (let i = 0; i < 784; i++) assert.equal(gray.data[i * 3], result.pixels![i] * 257);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rejects an unknown sharpen mode', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-pipeline-mode-'));
  try {
    const [file] = await writeThumbnailCorpus(dir, 1);
    await assert.rejects(
      convertImage(await readFile(file), { sharpen: 'unsharp' as never }),
      /'sharpen' must be 'adaptive' or 'plain'/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
