/**
 * Test and bench fixtures, generated at run time (no binaries in the repository):
 * product-like thumbnails made from Fashion-MNIST test images (dark product, colour tint,
 * on #fdfdfd with a margin, 51×73 JPEG), edge-case files, and ImageMagick as the oracle.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { Rng } from '../ml/random.js';
import type { SharpenMode } from './convert-image.js';

const run = promisify(execFile);

export const FASHION_T10K = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
export const IMAGEMAGICK_CONVERT = '/usr/bin/convert';
export const IMAGEMAGICK_MOGRIFY = '/usr/bin/mogrify';

/** The first `count` 28×28 images of an IDX3 gz file. */
export async function readIdxImages(path: string, count: number): Promise<Uint8Array[]> {
  const raw = gunzipSync(await readFile(path));
  if (raw.readUInt32BE(0) !== 0x803) throw new Error(`${path}: not an IDX3 ubyte file`);
  const n = Math.min(count, raw.readUInt32BE(4));
  const size = raw.readUInt32BE(8) * raw.readUInt32BE(12);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++)
    out.push(new Uint8Array(raw.subarray(16 + i * size, 16 + (i + 1) * size)));
  return out;
}

/** One thumbnail: the image tinted dark-on-#fdfdfd, resized, with a margin, as JPEG. */
export async function makeThumbnail(image: Uint8Array, rng: Rng): Promise<Buffer> {
  const tint = [rng.nextInt(140), rng.nextInt(140), rng.nextInt(140)];
  const rgb = Buffer.alloc(28 * 28 * 3);
  for (let p = 0; p < 784; p++) {
    const a = image[p] / 255;
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(253 * (1 - a) + tint[c] * a);
  }
  const width = 51;
  const height = 73;
  const innerW = 30 + rng.nextInt(width - 30 - 4);
  const innerH = 40 + rng.nextInt(height - 40 - 4);
  const left = 2 + rng.nextInt(width - innerW - 3);
  const top = 2 + rng.nextInt(height - innerH - 3);
  return sharp(rgb, { raw: { width: 28, height: 28, channels: 3 } })
    .resize(innerW, innerH, { fit: 'fill' })
    .extend({
      left,
      top,
      right: width - innerW - left,
      bottom: height - innerH - top,
      background: { r: 253, g: 253, b: 253 },
    })
    .jpeg({ quality: 85 + rng.nextInt(11) })
    .toBuffer();
}

/** Writes `count` thumbnails into `dir` as thumb-0000.jpg …; returns their paths. */
export async function writeThumbnailCorpus(
  dir: string,
  count: number,
  seed = 6,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const images = await readIdxImages(FASHION_T10K, count);
  const rng = new Rng(seed);
  const paths: string[] = [];
  for (let i = 0; i < images.length; i++) {
    const path = join(dir, `thumb-${String(i).padStart(4, '0')}.jpg`);
    await writeFile(path, await makeThumbnail(images[i], rng));
    paths.push(path);
  }
  return paths;
}

export interface EdgeCase {
  name: string;
  /**
   * What ImageMagick (and so fmnist) makes of it: a 28×28 output ('ok' or 'low-contrast'),
   * no trim box ('empty': IM's "geometry does not contain image"), or a refusal ('invalid').
   */
  expect: 'ok' | 'low-contrast' | 'empty' | 'invalid';
}

/** Edge-case inputs: formats and shapes the pipeline must handle, and files it must refuse. */
export async function writeEdgeCases(dir: string): Promise<Array<EdgeCase & { path: string }>> {
  await mkdir(dir, { recursive: true });
  const [image] = await readIdxImages(FASHION_T10K, 1);
  const rng = new Rng(66);
  const thumb = await makeThumbnail(image, rng);
  const rgb = await sharp(thumb).raw().toBuffer();
  const raw = (b: Buffer, channels: 1 | 2 | 3 | 4, w = 51, h = 73) =>
    sharp(b, { raw: { width: w, height: h, channels } });
  const rgba = Buffer.alloc(51 * 73 * 4);
  for (let p = 0; p < 51 * 73; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = rgb[p * 3 + c];
    // transparent border, partly transparent product: flattening must happen on white
    const lum = rgb[p * 3];
    rgba[p * 4 + 3] = lum > 240 ? 0 : 90 + (p % 166);
  }
  const wide = await sharp(thumb).rotate(90).toBuffer();
  const grayAlpha = Buffer.alloc(51 * 73 * 2);
  for (let p = 0; p < 51 * 73; p++) {
    grayAlpha[p * 2] = rgb[p * 3 + 1];
    grayAlpha[p * 2 + 1] = rgba[p * 4 + 3];
  }
  // tiny images with something to keep: trim leaves a few pixels that sample must enlarge
  const tiny3x50 = Buffer.alloc(3 * 50 * 3, 250);
  for (let y = 5; y < 45; y++) tiny3x50.fill(20 + 4 * y, (y * 3 + 1) * 3, (y * 3 + 2) * 3);
  const tiny6x5 = Buffer.alloc(6 * 5 * 3, 255);
  for (const [x, y, v] of [
    [2, 1, 10],
    [3, 1, 90],
    [2, 2, 160],
    [3, 3, 40],
  ])
    tiny6x5.fill(v, (y * 6 + x) * 3, (y * 6 + x + 1) * 3);
  const files: Array<[string, EdgeCase['expect'], Buffer]> = [
    ['gray.jpg', 'ok', await sharp(thumb).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer()],
    ['gray.png', 'ok', await sharp(thumb).toColourspace('b-w').png().toBuffer()],
    ['rgba.png', 'ok', await raw(rgba, 4).png().toBuffer()],
    ['cmyk.jpg', 'ok', await sharp(thumb).toColourspace('cmyk').jpeg({ quality: 90 }).toBuffer()],
    ['rgb16.png', 'ok', await sharp(thumb).toColourspace('rgb16').png().toBuffer()],
    ['palette.png', 'ok', await sharp(thumb).png({ palette: true, colours: 64 }).toBuffer()],
    ['wide.jpg', 'ok', wide],
    // above the JS decoder's size limit: decoded by libjpeg-turbo inside sharp
    ['large.jpg', 'ok', await sharp(thumb).resize(300, 433).jpeg({ quality: 90 }).toBuffer()],
    ['gray-alpha.png', 'ok', await raw(grayAlpha, 2).png().toBuffer()],
    ['opaque-alpha.png', 'ok', await sharp(thumb).ensureAlpha(1).png().toBuffer()],
    ['rgba16.png', 'ok', await raw(rgba, 4).toColourspace('rgb16').png().toBuffer()],
    ['palette-alpha.png', 'ok', await raw(rgba, 4).png({ palette: true, colours: 32 }).toBuffer()],
    [
      'transparent.png',
      'empty',
      await raw(Buffer.alloc(51 * 73 * 4, 0), 4)
        .png()
        .toBuffer(),
    ],
    [
      'tiny-1x1.png',
      'empty',
      await raw(Buffer.from([30, 60, 90]), 3, 1, 1)
        .png()
        .toBuffer(),
    ],
    ['tiny-3x50.png', 'ok', await raw(tiny3x50, 3, 3, 50).png().toBuffer()],
    ['tiny-6x5.png', 'ok', await raw(tiny6x5, 3, 6, 5).png().toBuffer()],
    [
      'white.png',
      'empty',
      await raw(Buffer.alloc(51 * 73 * 3, 253), 3)
        .png()
        .toBuffer(),
    ],
    [
      'pale.jpg',
      'low-contrast',
      await sharp(thumb).linear(0.12, 224).jpeg({ quality: 90 }).toBuffer(),
    ],
    ['truncated.jpg', 'invalid', thumb.subarray(0, Math.floor(thumb.length * 0.6))],
    ['corrupt.jpg', 'invalid', Buffer.concat([thumb.subarray(0, 20), Buffer.alloc(400, 0x5a)])],
    ['notes.txt', 'invalid', Buffer.from('this is not an image\n')],
  ];
  const out: Array<EdgeCase & { path: string }> = [];
  for (const [name, expect, bytes] of files) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    out.push({ name, expect, path });
  }
  return out;
}

/** The reference command's operators (pipeline-spec.md), robust-input prefix included. */
export function imageMagickOps(mode: SharpenMode): string[] {
  return [
    '-colorspace',
    'sRGB',
    '-background',
    'white',
    '-alpha',
    'remove',
    '-fuzz',
    '5%',
    '-trim',
    '+repage',
    '-sample',
    '28x28',
    ...(mode === 'adaptive' ? ['-adaptive-sharpen', '1x1'] : ['-sharpen', '1x1']),
    '-gravity',
    'center',
    '-background',
    'white',
    '-extent',
    '28x28',
    '+repage',
    '-negate',
    '-colorspace',
    'Gray',
    '-depth',
    '8',
  ];
}

/** 784 gray bytes from a 28×28 PNG. */
export async function readGrayPng(path: string): Promise<Uint8Array> {
  const { data, info } = await sharp(path)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== 28 || info.height !== 28)
    throw new Error(`${path}: ${info.width}×${info.height}, not 28×28`);
  return new Uint8Array(data);
}

/** `convert` once: the 784 reference bytes, or an Error when IM refuses the input. */
export async function imageMagickConvert(
  input: string,
  output: string,
  mode: SharpenMode,
): Promise<Uint8Array | Error> {
  try {
    await run(IMAGEMAGICK_CONVERT, ['-regard-warnings', input, ...imageMagickOps(mode), output]);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  return readGrayPng(output);
}

/** One batched `mogrify` over many inputs into `outDir` (same basename, .png). */
export async function imageMagickMogrify(
  inputs: string[],
  outDir: string,
  mode: SharpenMode,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await run(
    IMAGEMAGICK_MOGRIFY,
    ['-regard-warnings', '-path', outDir, '-format', 'png', ...imageMagickOps(mode), ...inputs],
    {
      maxBuffer: 1 << 24,
    },
  );
}
