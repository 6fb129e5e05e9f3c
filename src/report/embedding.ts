/**
 * 2-D embeddings of a dataset's images: PCA by fmnist's own kernel (src/kernels/pca.ts)
 * or UMAP by umap-js, seeded through its `random` option with fmnist's Rng. Pixels are
 * scaled to [0, 1]; no other preprocessing.
 */
import { UMAP } from 'umap-js';
import { principalComponents, projectRows } from '../kernels/pca.js';
import { Rng } from '../ml/random.js';
import type { EmbeddingRecord } from './charts.js';
import { pickUniform } from './sample.js';
import type { ImageSplit } from './sprite.js';

export const EMBED_METHODS = ['pca', 'umap'] as const;
export type EmbedMethod = (typeof EMBED_METHODS)[number];

export interface EmbedOptions {
  readonly method: EmbedMethod;
  /** How many examples, drawn uniformly from the split. */
  readonly n: number;
  readonly seed: number;
  /** UMAP's neighbourhood size. @default 15 */
  readonly nNeighbors?: number;
}

export interface Embedding {
  /** n×2, row-major. */
  readonly points: Float32Array;
  /** Which examples of the split, ascending. */
  readonly indices: Uint32Array;
  readonly axisNames: readonly [string, string];
  /** e.g. "PCA: 29.1% + 17.7% of the variance" or "UMAP: 15 neighbours, 400 epochs". */
  readonly description: string;
}

export function embed(split: ImageSplit, options: EmbedOptions): Embedding {
  const { n, seed } = options;
  if (!Number.isInteger(n) || n < 3)
    throw new RangeError(`n must be an int in [3, inf). Got ${n}.`);
  const indices = pickUniform(split.count, n, seed);
  const d = split.height * split.width;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const src = indices[i] * d;
    for (let j = 0; j < d; j++) data[i * d + j] = split.images[src + j] / 255;
  }
  // A generator of its own, independent of the one that chose the examples.
  const rng = new Rng(seed).fork();
  return options.method === 'pca'
    ? pcaEmbedding(data, n, d, indices, rng)
    : umapEmbedding(data, n, d, indices, rng, options.nNeighbors ?? 15);
}

function pcaEmbedding(
  data: Float32Array,
  n: number,
  d: number,
  indices: Uint32Array,
  rng: Rng,
): Embedding {
  const pca = principalComponents(data, n, d, { k: 2, random: () => rng.nextFloat() });
  let total = 0;
  const mean = pca.mean;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) total += (data[i * d + j] - mean[j]) ** 2;
  }
  total /= n - 1;
  const share = (c: number) => `${((100 * pca.explainedVariance[c]) / total).toFixed(1)}%`;
  return {
    points: projectRows(data, n, d, pca),
    indices,
    axisNames: [`PC1 (${share(0)} of variance)`, `PC2 (${share(1)})`],
    description: `PCA: the first two components explain ${share(0)} + ${share(1)} of the variance`,
  };
}

function umapEmbedding(
  data: Float32Array,
  n: number,
  d: number,
  indices: Uint32Array,
  rng: Rng,
  nNeighbors: number,
): Embedding {
  if (n <= nNeighbors) {
    throw new RangeError(
      `UMAP needs more examples than neighbours: n = ${n}, n_neighbors = ${nNeighbors}.`,
    );
  }
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(data.subarray(i * d, (i + 1) * d));
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors,
    minDist: 0.1,
    random: () => rng.nextFloat(),
  });
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) umap.step();
  const result = umap.getEmbedding();
  const points = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    points[i * 2] = result[i][0];
    points[i * 2 + 1] = result[i][1];
  }
  return {
    points,
    indices,
    axisNames: ['UMAP 1', 'UMAP 2'],
    description: `UMAP (umap-js): ${nNeighbors} neighbours, min_dist 0.1, ${epochs} epochs`,
  };
}

/** One chart record per embedded example, labelled with its class name. */
export function embeddingRecords(
  embedding: Embedding,
  labels: Uint8Array,
  classes: readonly string[],
): EmbeddingRecord[] {
  const out: EmbeddingRecord[] = [];
  for (let i = 0; i < embedding.indices.length; i++) {
    out.push({
      x: round(embedding.points[i * 2]),
      y: round(embedding.points[i * 2 + 1]),
      label: classes[labels[embedding.indices[i]]] ?? String(labels[embedding.indices[i]]),
    });
  }
  return out;
}

/** Four significant decimals are plenty for a picture and keep the HTML small. */
function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
