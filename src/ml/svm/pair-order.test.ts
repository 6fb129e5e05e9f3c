import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../random.js';
import type { PairTask } from './ovo.js';
import { hardestPairsFirst, pairIndex, pairOverlap } from './pair-order.js';

/** n rows per class around the given 2-D centres, with unit Gaussian noise. */
function blobs(centres: Array<[number, number]>, n: number) {
  const rng = new Rng(7);
  const x = new Float32Array(centres.length * n * 2);
  const y = new Int32Array(centres.length * n);
  centres.forEach(([cx, cy], k) => {
    for (let i = 0; i < n; i++) {
      const r = k * n + i;
      x[2 * r] = cx + rng.nextNormal();
      x[2 * r + 1] = cy + rng.nextNormal();
      y[r] = k;
    }
  });
  return { x, y, n: centres.length * n };
}

function task(a: number, b: number, size: number, K = 4): PairTask {
  return { p: pairIndex(a, b, K), a, b, cols: new Int32Array(size), y: new Int8Array(size) };
}

describe('pairOverlap', () => {
  it('scores the pair whose classes overlap above the pairs that are far apart', () => {
    // Classes 0 and 1 one standard deviation apart, class 2 far from both.
    const { x, y, n } = blobs(
      [
        [0, 0],
        [1, 0],
        [20, 20],
      ],
      500,
    );
    const overlap = pairOverlap(x, n, 2, y, 3);
    const near = overlap[pairIndex(0, 1, 3)];
    // Half a standard deviation to the midpoint: about Φ(−0.5) ≈ 0.31 on the wrong side.
    assert.ok(near > 0.25 && near < 0.37, `overlap of 0-1: ${near}`);
    assert.equal(overlap[pairIndex(0, 2, 3)], 0);
    assert.equal(overlap[pairIndex(1, 2, 3)], 0);
  });

  it('estimates from a strided sample of a large set as from all rows of a small one', () => {
    const centres: Array<[number, number]> = [
      [0, 0],
      [1.5, 0],
    ];
    const small = blobs(centres, 2000);
    const large = blobs(centres, 20000);
    const a = pairOverlap(small.x, small.n, 2, small.y, 2)[0];
    const b = pairOverlap(large.x, large.n, 2, large.y, 2)[0];
    // Φ(−0.75) ≈ 0.227 for both; the sample of the large set has about 8,192 rows.
    assert.ok(Math.abs(a - 0.227) < 0.03 && Math.abs(b - 0.227) < 0.03, `${a} ${b}`);
  });
});

describe('hardestPairsFirst', () => {
  it('puts resumed pairs first, then the most overlapping, then the larger, then libsvm order', () => {
    const tasks = [
      task(0, 1, 100),
      task(0, 2, 100),
      task(0, 3, 120),
      task(1, 2, 100),
      task(2, 3, 100),
    ];
    const overlap = new Float64Array(6);
    overlap[pairIndex(0, 1, 4)] = 0.05;
    overlap[pairIndex(0, 2, 4)] = 0.05;
    overlap[pairIndex(0, 3, 4)] = 0.05;
    overlap[pairIndex(1, 2, 4)] = 0.3;
    overlap[pairIndex(2, 3, 4)] = 0.01;
    const order = hardestPairsFirst(tasks, overlap, (t) => t.a === 2 && t.b === 3);
    assert.deepEqual(
      order.map((t) => `${t.a}-${t.b}`),
      ['2-3', '1-2', '0-3', '0-1', '0-2'],
    );
  });
});
