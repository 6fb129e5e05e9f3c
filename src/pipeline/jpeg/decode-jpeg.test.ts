/**
 * The fast JPEG path must give exactly libjpeg-turbo's pixels (sharp is the reference here;
 * sharp and ImageMagick agree), and must step aside (null) whenever libjpeg would warn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { Rng } from '../../ml/random.js';
import { makeThumbnail, readIdxImages, FASHION_T10K } from '../fixtures.js';
import { decodeJpeg } from './decode-jpeg.js';

async function reference(
  jpeg: Buffer,
): Promise<{ width: number; height: number; data: Buffer } | null> {
  try {
    const { data, info } = await sharp(jpeg, { failOn: 'warning', ignoreIcc: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data };
  } catch {
    return null;
  }
}

function rgbOf(decoded: NonNullable<ReturnType<typeof decodeJpeg>>): Buffer {
  if (decoded.channels === 3) return Buffer.from(decoded.data);
  const out = Buffer.alloc(decoded.data.length * 3);
  for (let i = 0; i < decoded.data.length; i++) out.fill(decoded.data[i], i * 3, i * 3 + 3);
  return out;
}

async function variants(): Promise<Array<[string, Buffer]>> {
  const images = await readIdxImages(FASHION_T10K, 8);
  const rng = new Rng(3);
  const out: Array<[string, Buffer]> = [];
  for (let i = 0; i < images.length; i++) {
    const thumb = await makeThumbnail(images[i], rng);
    const rgb = await sharp(thumb).raw().toBuffer();
    const raw = () => sharp(rgb, { raw: { width: 51, height: 73, channels: 3 } });
    out.push([`sharp-420-${i}`, thumb]);
    out.push([
      `sharp-444-${i}`,
      await raw().jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer(),
    ]);
    out.push([
      `sharp-gray-${i}`,
      await raw().toColourspace('b-w').jpeg({ quality: 80 }).toBuffer(),
    ]);
    const im = (...args: string[]) =>
      execFileSync('/usr/bin/convert', ['-', ...args, 'jpg:-'], { input: thumb });
    out.push([`im-default-${i}`, im('-quality', '75')]);
    out.push([`im-422-${i}`, im('-sampling-factor', '2x1', '-quality', '90')]);
    out.push([`im-restart-${i}`, im('-define', 'jpeg:restart-interval=1', '-quality', '88')]);
    out.push([`im-odd-${i}`, im('-resize', `${9 + i * 11}x${7 + i * 13}!`, '-quality', '70')]);
  }
  return out;
}

test('decodeJpeg is bit-identical to libjpeg-turbo (via sharp) across layouts', async () => {
  const cases = await variants();
  const mismatched: string[] = [];
  for (const [name, jpeg] of cases) {
    const ours = decodeJpeg(jpeg);
    assert.ok(ours, `${name}: the fast path should handle it`);
    const ref = await reference(jpeg);
    assert.ok(ref, name);
    assert.deepEqual([ours.width, ours.height], [ref.width, ref.height], name);
    if (!rgbOf(ours).equals(ref.data)) mismatched.push(name);
  }
  assert.deepEqual(mismatched, []);
});

test('decodeJpeg steps aside for progressive, CMYK and non-JPEG input', async () => {
  const [image] = await readIdxImages(FASHION_T10K, 1);
  const thumb = await makeThumbnail(image, new Rng(4));
  assert.equal(decodeJpeg(await sharp(thumb).jpeg({ progressive: true }).toBuffer()), null);
  assert.equal(decodeJpeg(await sharp(thumb).toColourspace('cmyk').jpeg().toBuffer()), null);
  assert.equal(decodeJpeg(Buffer.from('not a jpeg at all')), null);
});

test('damaged files: whenever libjpeg refuses (or warns), decodeJpeg returns null; otherwise same pixels', async () => {
  const images = await readIdxImages(FASHION_T10K, 6);
  const rng = new Rng(5);
  const problems: string[] = [];
  let checked = 0;
  for (const image of images) {
    const good = await makeThumbnail(image, rng);
    for (let k = 0; k < 24; k++) {
      let bad: Buffer;
      if (k % 3 === 0) bad = good.subarray(0, 2 + rng.nextInt(good.length - 2));
      else if (k % 3 === 1) {
        bad = Buffer.from(good);
        bad[100 + rng.nextInt(good.length - 102)] = rng.nextInt(256);
      } else
        bad = Buffer.concat([
          good.subarray(0, good.length - 2),
          Buffer.alloc(1 + rng.nextInt(4), 7),
          good.subarray(good.length - 2),
        ]);
      const ours = decodeJpeg(bad);
      const ref = await reference(bad);
      checked++;
      if (ours && !ref) problems.push(`k=${k}: decoded what libjpeg refuses`);
      if (ours && ref && !rgbOf(ours).equals(ref.data)) problems.push(`k=${k}: pixels differ`);
    }
  }
  assert.equal(checked, 144);
  assert.deepEqual(problems, []);
});
