import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { pickPerClass, pickUniform } from './sample.js';
import { renderSprite, type ImageSplit } from './sprite.js';

/** 3 classes × 7 images of 4×4; image i is filled with the value 10·i + 5, label i mod 3. */
function syntheticSplit(): ImageSplit {
  const count = 21;
  const images = new Uint8Array(count * 16);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.fill(10 * i + 5, i * 16, (i + 1) * 16);
    labels[i] = i % 3;
  }
  return { images, labels, count, height: 4, width: 4 };
}

test('pickPerClass takes N of each class, seeded', () => {
  const labels = new Uint8Array(Array.from({ length: 100 }, (_, i) => i % 4));
  const a = pickPerClass(labels, 4, 5, 1);
  assert.equal(a.length, 4);
  a.forEach((indices, k) => {
    assert.equal(indices.length, 5);
    assert.equal(new Set(indices).size, 5);
    for (const i of indices) assert.equal(labels[i], k);
  });
  assert.deepEqual(pickPerClass(labels, 4, 5, 1), a, 'same seed, same choice');
  assert.notDeepEqual(pickPerClass(labels, 4, 5, 2), a, 'another seed, another choice');
  // A class with too few examples gets all it has.
  assert.equal(pickPerClass(labels, 4, 30, 0)[0].length, 25);
  assert.throws(
    () => pickPerClass(new Uint8Array([0, 7]), 4, 1, 0),
    /Label 7 at example 1 is outside the 4 classes/,
  );
});

test('pickUniform draws distinct sorted indices', () => {
  const idx = pickUniform(1000, 50, 3);
  assert.equal(idx.length, 50);
  assert.equal(new Set(idx).size, 50);
  for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1]);
  assert.throws(() => pickUniform(10, 11, 0), /only 10/);
});

test('renderSprite draws each chosen image, scaled, in its class row, with labels', async () => {
  const split = syntheticSplit();
  const { png, layout } = await renderSprite(split, ['zero', 'one', 'two'], {
    perClass: 2,
    scale: 3,
    seed: 4,
  });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, layout.width);
  assert.equal(info.height, layout.height);
  assert.equal(layout.cell, 12);
  layout.picked.forEach((indices, row) => {
    assert.equal(indices.length, 2);
    indices.forEach((index, col) => {
      assert.equal(split.labels[index], row);
      // Centre pixel of the cell has the image's value in every channel.
      const x = layout.labelWidth + col * (layout.cell + layout.gap) + 6;
      const y = 8 + row * (layout.cell + layout.gap) + 6;
      const o = (y * info.width + x) * info.channels;
      assert.equal(data[o], 10 * index + 5, `row ${row} col ${col}`);
    });
  });
  // Text was rasterised into the label column: some bright pixels there.
  let bright = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < layout.labelWidth - 4; x++)
      if (data[(y * info.width + x) * info.channels] > 128) bright++;
  }
  assert.ok(bright > 10, `label pixels: ${bright}`);
});

test('renderSprite rejects bad options and inconsistent splits', async () => {
  const split = syntheticSplit();
  await assert.rejects(
    renderSprite(split, ['a', 'b', 'c'], { perClass: 0 }),
    /perClass must be an int in \[1, inf\)\. Got 0\./,
  );
  await assert.rejects(
    renderSprite(split, ['a', 'b', 'c'], { scale: 40 }),
    /scale must be an int in \[1, 16\]/,
  );
  await assert.rejects(
    renderSprite({ ...split, count: 5 }, ['a', 'b', 'c']),
    /disagree with its shape/,
  );
});
