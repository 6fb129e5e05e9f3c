import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Raster, createRaster, rasterFromRgb8 } from '../raster.js';
import { trimBox } from './trim.js';
import { fitSize, sampleOffsets, sample } from './sample.js';
import { extentCentered } from './extent.js';
import { negate } from './negate.js';
import { toGray8, grayQ16 } from './grayscale.js';
import { sharpenKernel } from './sharpen.js';
import { blurKernel, edgeMap } from './adaptive-sharpen.js';

function solid(width: number, height: number, v: number): Raster {
  const r = createRaster(width, height);
  r.data.fill(v * 257);
  return r;
}

function setPixel(r: Raster, x: number, y: number, v: number): void {
  r.data.fill(v * 257, (y * r.width + x) * 3, (y * r.width + x) * 3 + 3);
}

test('trim: inclusive box of pixels differing from the corners by more than the fuzz', () => {
  const r = solid(10, 8, 250);
  setPixel(r, 3, 2, 0);
  setPixel(r, 6, 5, 0);
  assert.deepEqual(trimBox(r), { x: 3, y: 2, width: 4, height: 4 });
  // within 5% (≈ 22 per channel in 8-bit units when all three move) is background
  const faint = solid(10, 8, 250);
  setPixel(faint, 4, 4, 250 - 12);
  assert.equal(trimBox(faint), null);
  setPixel(faint, 4, 4, 250 - 13);
  assert.deepEqual(trimBox(faint), { x: 4, y: 4, width: 1, height: 1 });
});

test('trim: the bottom-right pixel is never used; right edge compares with top-right', () => {
  const r = solid(6, 6, 255);
  setPixel(r, 5, 5, 0); // only the bottom-right corner differs
  // Left/top compare with the top-left pixel → it counts there; right with the top-right
  // (white) → it counts; bottom with the bottom-left (white) → it counts.
  assert.deepEqual(trimBox(r), { x: 5, y: 5, width: 1, height: 1 });
  const one = solid(1, 1, 10);
  assert.equal(trimBox(one), null, 'a single pixel is its own corner: nothing to keep');
  assert.equal(trimBox(solid(5, 5, 40)), null);
});

test('sample: fit-size rounding and pixel-centre offsets', () => {
  assert.deepEqual(fitSize(51, 73, 28, 28), { width: 20, height: 28 });
  assert.deepEqual(fitSize(1, 48, 28, 28), { width: 1, height: 28 });
  assert.deepEqual(fitSize(2, 2, 28, 28), { width: 28, height: 28 });
  // samples just left of pixel centres: 4 → 2 takes source 0.9999… and 2.9999… → 0, 2
  assert.deepEqual(Array.from(sampleOffsets(4, 2)), [0, 2]);
  assert.deepEqual(Array.from(sampleOffsets(2, 4)), [0, 0, 1, 1]);
  // exact halves round down (the 1e-12 offset): 3 → 2 samples at 0.75 and 2.25
  assert.deepEqual(Array.from(sampleOffsets(3, 2)), [0, 2]);
  const src = rasterFromRgb8(2, 1, new Uint8Array([10, 10, 10, 200, 200, 200]));
  const up = sample(src, 4, 2);
  assert.deepEqual(
    Array.from(up.data.filter((_, i) => i % 3 === 0)).map((v) => v / 257),
    [10, 10, 200, 200, 10, 10, 200, 200],
  );
});

test('extent: centred on white, odd leftover to the left/top', () => {
  const small = solid(3, 2, 0);
  const out = extentCentered(small, 6, 5);
  const dark: Array<[number, number]> = [];
  for (let y = 0; y < 5; y++)
    for (let x = 0; x < 6; x++) if (out.data[(y * 6 + x) * 3] === 0) dark.push([x, y]);
  // x0 = 3 − floor(3/2) = 2, y0 = 2 − floor(2/2) = 1
  assert.deepEqual(dark, [
    [2, 1],
    [3, 1],
    [4, 1],
    [2, 2],
    [3, 2],
    [4, 2],
  ]);
  assert.equal(out.data[0], 65535);
});

test('negate and Rec709 gray with truncation to 8 bits', () => {
  const r = rasterFromRgb8(2, 1, new Uint8Array([255, 0, 0, 10, 20, 30]));
  const n = negate(r);
  assert.deepEqual(Array.from(n.data.slice(0, 3)), [0, 65535, 65535]);
  const q = grayQ16(r);
  assert.equal(q[0], Math.floor(0.212656 * 65535 + 0.5));
  assert.deepEqual(Array.from(toGray8(r)), [Math.floor(q[0] / 257), Math.floor(q[1] / 257)]);
  // 13936 / 257 = 54.2 → 54 (truncation), where rounding would give 54 too; pick one that differs:
  const mid = createRaster(1, 1);
  mid.data.fill(257 * 100 + 200); // 25900 → 100.78: truncation gives 100, rounding 101
  assert.deepEqual(Array.from(toGray8(mid)), [100]);
});

test("kernels: sharpen sums to 1 with a positive centre; blur is IM's 3×-supersampled Gaussian", () => {
  const k = sharpenKernel(1);
  assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(k[4] > 1 && k[0] < 0 && k[1] < k[0]);
  const b = blurKernel(1);
  assert.ok(Math.abs(b[0] + b[1] + b[2] - 1) < 1e-12);
  assert.ok(Math.abs(b[0] - b[2]) < 1e-15);
  // a plain 3-tap Gaussian would give 0.2741 at the sides; the binned one is wider
  assert.ok(b[0] > 0.276 && b[0] < 0.29, String(b[0]));
});

test("edge map: with an alpha channel IM's Laplacian collapses to 0/QuantumRange", () => {
  const r = solid(5, 5, 200);
  setPixel(r, 2, 2, 120);
  setPixel(r, 1, 3, 185);
  const matte = edgeMap(r, true);
  const plain = edgeMap(r, false);
  assert.notDeepEqual(Array.from(matte.data), Array.from(plain.data));
  assert.equal(Math.max(...matte.data), 65535);
});
