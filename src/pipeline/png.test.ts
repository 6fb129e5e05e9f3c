import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { encodeGrayPng, encodePng } from './png.js';

test('gray 28×28 (stored) and a larger RGB image (deflated) decode to the same samples', async () => {
  const gray = Uint8Array.from({ length: 784 }, (_, i) => (i * 37) & 255);
  const png = encodeGrayPng(gray, 28, 28);
  assert.ok(png.length < 1000);
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.width, meta.height, meta.channels, meta.depth], [28, 28, 1, 'uchar']);
  const g = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual(new Uint8Array(g.data), gray);
  const rgb = Uint8Array.from({ length: 90 * 60 * 3 }, (_, i) => (i * 7 + (i >> 9)) & 255);
  const big = await sharp(encodePng(rgb, 90, 60, 3))
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.deepEqual([big.info.width, big.info.height, big.info.channels], [90, 60, 3]);
  assert.deepEqual(new Uint8Array(big.data), rgb);
  assert.throws(() => encodeGrayPng(gray, 28, 27), /expected 756 samples/);
});

test('ImageMagick reads our PNG without warnings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-png-'));
  try {
    const path = join(dir, 'x.png');
    writeFileSync(path, encodeGrayPng(new Uint8Array(784).fill(200), 28, 28));
    const out = execFileSync(
      '/usr/bin/convert',
      ['-regard-warnings', path, '-format', '%w %h %[fx:mean*255]', 'info:'],
      { encoding: 'utf8' },
    );
    assert.equal(out.trim(), '28 28 200');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("decodeGrayPng reads our PNGs and ImageMagick's filtered ones; null for other kinds", async () => {
  const { decodeGrayPng } = await import('./png-gray.js');
  const gray = Uint8Array.from({ length: 784 }, (_, i) => (i * 37 + (i >> 5) * 11) & 255);
  assert.deepEqual(decodeGrayPng(encodeGrayPng(gray, 28, 28))?.data, gray);
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-pngg-'));
  try {
    const path = join(dir, 'a.png');
    writeFileSync(path, encodeGrayPng(gray, 28, 28));
    // IM writes gray 8-bit PNGs with its own filter choices (5 = adaptive per row)
    for (const filter of ['0', '1', '2', '3', '4', '5']) {
      const im = execFileSync('/usr/bin/convert', [
        path,
        '-define',
        `png:compression-filter=${filter}`,
        'PNG:-',
      ]);
      const decoded = decodeGrayPng(im);
      assert.ok(decoded, `filter ${filter}: expected a gray 8-bit PNG from ImageMagick`);
      assert.deepEqual(decoded.data, gray, `filter ${filter}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(decodeGrayPng(encodePng(new Uint8Array(12), 2, 2, 3)), null);
  const corrupt = encodeGrayPng(gray, 28, 28);
  corrupt[60] ^= 0xff;
  assert.equal(decodeGrayPng(corrupt), null);
});
