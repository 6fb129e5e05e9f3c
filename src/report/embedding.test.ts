import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { Rng } from '../ml/random.js';
import { embed, embeddingRecords } from './embedding.js';
import { embeddingHtml, embeddingPng } from './embedding-output.js';
import type { ImageSplit } from './sprite.js';

const CLASSES = ['left', 'middle', 'right <b>'];

/** 8×8 images: class k is a bright vertical band at columns 3k..3k+1, plus noise. */
function bands(count: number, seed: number): ImageSplit {
  const rng = new Rng(seed);
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % 3;
    labels[i] = k;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const band = x >= 3 * k && x < 3 * k + 2 ? 200 : 0;
        images[i * 64 + y * 8 + x] = band + rng.nextInt(40);
      }
    }
  }
  return { images, labels, count, height: 8, width: 8 };
}

/** Smallest distance between class centroids over the largest within-class spread. */
function separation(points: Float32Array, labels: number[]): number {
  const cx = [0, 0, 0];
  const cy = [0, 0, 0];
  const n = [0, 0, 0];
  labels.forEach((k, i) => {
    cx[k] += points[2 * i];
    cy[k] += points[2 * i + 1];
    n[k]++;
  });
  for (let k = 0; k < 3; k++) {
    cx[k] /= n[k];
    cy[k] /= n[k];
  }
  let spread = 0;
  labels.forEach((k, i) => {
    spread = Math.max(spread, Math.hypot(points[2 * i] - cx[k], points[2 * i + 1] - cy[k]));
  });
  let gap = Infinity;
  for (let a = 0; a < 3; a++)
    for (let b = a + 1; b < 3; b++) gap = Math.min(gap, Math.hypot(cx[a] - cx[b], cy[a] - cy[b]));
  return gap / spread;
}

test('PCA separates the planted classes and reports explained variance', () => {
  const split = bands(300, 1);
  const e = embed(split, { method: 'pca', n: 120, seed: 5 });
  assert.equal(e.points.length, 240);
  assert.equal(e.indices.length, 120);
  const labels = Array.from(e.indices, (i) => split.labels[i]);
  assert.ok(separation(e.points, labels) > 1, `separation ${separation(e.points, labels)}`);
  assert.match(
    e.description,
    /^PCA: the first two components explain \d+\.\d% \+ \d+\.\d% of the variance$/,
  );
  assert.deepEqual(
    embed(split, { method: 'pca', n: 120, seed: 5 }).points,
    e.points,
    'deterministic',
  );
});

test('UMAP (umap-js) is seeded by our Rng: same seed, same picture', () => {
  const split = bands(150, 2);
  const a = embed(split, { method: 'umap', n: 90, seed: 3, nNeighbors: 10 });
  const b = embed(split, { method: 'umap', n: 90, seed: 3, nNeighbors: 10 });
  assert.deepEqual(a.points, b.points);
  const c = embed(split, { method: 'umap', n: 90, seed: 4, nNeighbors: 10 });
  assert.notDeepEqual(a.points, c.points);
  const labels = Array.from(a.indices, (i) => split.labels[i]);
  assert.ok(separation(a.points, labels) > 1, `separation ${separation(a.points, labels)}`);
  assert.throws(
    () => embed(split, { method: 'umap', n: 8, seed: 0, nNeighbors: 10 }),
    /more examples than neighbours/,
  );
});

test('bad sizes are rejected with the number given', () => {
  const split = bands(30, 1);
  assert.throws(
    () => embed(split, { method: 'pca', n: 2, seed: 0 }),
    /n must be an int in \[3, inf\)\. Got 2\./,
  );
  assert.throws(() => embed(split, { method: 'pca', n: 31, seed: 0 }), /only 30/);
});

test('the figure renders to a PNG and to a self-contained HTML page with a class legend', async () => {
  const split = bands(60, 1);
  const e = embed(split, { method: 'pca', n: 60, seed: 0 });
  const records = embeddingRecords(e, split.labels, CLASSES);
  assert.equal(records.length, 60);
  assert.deepEqual(new Set(records.map((r) => r.label)), new Set(CLASSES));
  const figure = {
    records,
    classes: CLASSES,
    title: 'Bands',
    axisNames: e.axisNames,
    description: e.description,
  };
  const png = await embeddingPng(figure);
  const meta = await sharp(png).metadata();
  assert.equal(meta.format, 'png');
  assert.ok((meta.width ?? 0) > 600 && (meta.height ?? 0) > 500, `${meta.width}×${meta.height}`);
  const html = embeddingHtml(figure);
  assert.doesNotMatch(html, /<script[^>]*\ssrc=/i);
  assert.ok(!html.includes('right <b>'), 'class names are escaped in the page');
  assert.ok(html.includes('right \\u003cb\\u003e'), 'and present in the data');
});
