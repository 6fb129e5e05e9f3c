import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlatTreeBuilder } from './flat-tree-builder.js';

test('FlatTreeBuilder links children, keeps values and grows past its first capacity', () => {
  const b = new FlatTreeBuilder(3, 2);
  const root = b.addNode(-1, false, 10);
  const left = b.addNode(root, true, 6);
  const right = b.addNode(root, false, 4);
  b.setSplit(root, 5, 0.25, 17);
  b.setValues(left, Int32Array.of(4, 2, 0));
  // Past capacity 2 twice over: every earlier entry must survive the copies.
  const deeper: number[] = [];
  for (let i = 0; i < 5; i++) deeper.push(b.addNode(right, i % 2 === 0, 1));
  b.setValues(deeper[4], [0, 0, 1]);
  const t = b.build();
  assert.equal(t.nodeCount, 8);
  assert.equal(b.nodeCount, 0, 'build empties the builder');
  assert.equal(t.valueStride, 3);
  assert.deepEqual([...t.feature], [5, -1, -1, -1, -1, -1, -1, -1]);
  assert.deepEqual([...t.threshold], [0.25, -2, -2, -2, -2, -2, -2, -2]);
  assert.deepEqual([...t.cutBin], [17, -1, -1, -1, -1, -1, -1, -1]);
  // The last child linked on each side wins, as a grower links each node once.
  assert.deepEqual([...t.left], [1, -1, 7, -1, -1, -1, -1, -1]);
  assert.deepEqual([...t.right], [2, -1, 6, -1, -1, -1, -1, -1]);
  assert.deepEqual([...t.nSamples], [10, 6, 4, 1, 1, 1, 1, 1]);
  assert.equal(t.value.length, 24);
  assert.deepEqual([...t.value.subarray(3, 6)], [4, 2, 0]);
  assert.deepEqual([...t.value.subarray(21, 24)], [0, 0, 1]);
  assert.equal(
    t.value.reduce((s, v) => s + v, 0),
    7,
    'interior and untouched nodes hold zeros',
  );
});

test('FlatTreeBuilder.build returns arrays of exactly nodeCount entries that it no longer writes', () => {
  const b = new FlatTreeBuilder(1);
  const root = b.addNode(-1, false, 3);
  b.setValue(root, 0.5);
  const t = b.build();
  assert.equal(t.feature.length, 1);
  assert.equal(t.value.length, 1);
  assert.equal(t.value[0], 0.5);
  b.setValue(root, 2);
  assert.equal(t.value[0], 0.5);
});

test('FlatTreeBuilder.acquire reuses the last built builder of a stride, emptied, values zeroed', () => {
  const first = FlatTreeBuilder.acquire(2);
  const root = first.addNode(-1, false, 5);
  first.setValues(root, [3, 2]);
  const child = first.addNode(root, true, 2);
  first.setValues(child, [9, 9]);
  const t1 = first.build();
  const again = FlatTreeBuilder.acquire(2);
  assert.equal(again, first, 'the spare comes back');
  assert.notEqual(FlatTreeBuilder.acquire(2), again, 'and only once');
  assert.notEqual(FlatTreeBuilder.acquire(3), again, 'a stride gets its own');
  assert.equal(again.nodeCount, 0);
  const r = again.addNode(-1, false, 7);
  again.addNode(r, false, 1);
  const t2 = again.build();
  assert.deepEqual([...t2.value], [0, 0, 0, 0], 'new nodes do not inherit old values');
  assert.deepEqual([...t2.left], [-1, -1]);
  assert.deepEqual([...t2.right], [1, -1]);
  assert.deepEqual([...t1.value], [3, 2, 9, 9], 'an earlier tree is untouched');
});
