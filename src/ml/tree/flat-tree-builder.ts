/**
 * Builds a FlatTree node by node in typed arrays that double when full. The growers add
 * thousands of nodes per tree (a forest's fully grown tree has ~9,000); growing plain JS
 * arrays one push at a time and copying them out at the end cost about a tenth of a forest
 * tree's fit. `FlatTreeBuilder.acquire` hands back the last built builder with its
 * capacity, so a thread growing many trees stops doubling (fresh memory is slow to touch
 * on these VMs) after its first tree.
 */
import type { FlatTree } from './flat-tree.js';

/** One spare builder per stride, put back by build(). */
const spares = new Map<number, FlatTreeBuilder>();

export class FlatTreeBuilder {
  /** A builder for `stride` values per node: the spare one (emptied) if there is one. */
  static acquire(stride: number): FlatTreeBuilder {
    const spare = spares.get(stride);
    if (spare === undefined) return new FlatTreeBuilder(stride);
    spares.delete(stride);
    return spare;
  }

  private count = 0;
  private capacity: number;
  private feature: Int32Array;
  private threshold: Float64Array;
  private cutBin: Int32Array;
  private left: Int32Array;
  private right: Int32Array;
  private nSamples: Int32Array;
  private value: Float64Array;

  /** `stride`: values per node (classes, or 1 for regression). */
  constructor(
    private readonly stride: number,
    initialCapacity = 1024,
  ) {
    this.capacity = Math.max(1, initialCapacity);
    this.feature = new Int32Array(this.capacity);
    this.threshold = new Float64Array(this.capacity);
    this.cutBin = new Int32Array(this.capacity);
    this.left = new Int32Array(this.capacity);
    this.right = new Int32Array(this.capacity);
    this.nSamples = new Int32Array(this.capacity);
    this.value = new Float64Array(this.capacity * stride);
  }

  get nodeCount(): number {
    return this.count;
  }

  /** A new leaf-for-now node (feature −1, threshold −2, no children, values 0), linked to its parent. */
  addNode(parent: number, isLeft: boolean, nSamples: number): number {
    if (this.count === this.capacity) this.grow();
    const id = this.count++;
    this.feature[id] = -1;
    this.threshold[id] = -2;
    this.cutBin[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    this.nSamples[id] = nSamples;
    // A reused builder holds old values here; a new node's are 0.
    this.value.fill(0, id * this.stride, (id + 1) * this.stride);
    if (parent >= 0) {
      if (isLeft) this.left[parent] = id;
      else this.right[parent] = id;
    }
    return id;
  }

  /** Makes node id a split: x[feature] ≤ threshold (bin ≤ cutBin; −1 when unbinned) goes left. */
  setSplit(id: number, feature: number, threshold: number, cutBin = -1): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.cutBin[id] = cutBin;
  }

  /** Sets node id's values from values[0 .. stride). */
  setValues(id: number, values: ArrayLike<number>): void {
    const base = id * this.stride;
    for (let k = 0; k < this.stride; k++) this.value[base + k] = values[k];
  }

  /** Sets a regression node's single value. */
  setValue(id: number, v: number): void {
    this.value[id * this.stride] = v;
  }

  /** The tree so far, copied out; the builder is emptied and becomes the spare for its stride. */
  build(): FlatTree {
    const n = this.count;
    const tree: FlatTree = {
      nodeCount: n,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      cutBin: this.cutBin.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      nSamples: this.nSamples.slice(0, n),
      value: this.value.slice(0, n * this.stride),
      valueStride: this.stride,
    };
    this.count = 0;
    spares.set(this.stride, this);
    return tree;
  }

  private grow(): void {
    const c = this.capacity * 2;
    const more = <T extends Int32Array | Float64Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.feature = more(this.feature, c);
    this.threshold = more(this.threshold, c);
    this.cutBin = more(this.cutBin, c);
    this.left = more(this.left, c);
    this.right = more(this.right, c);
    this.nSamples = more(this.nSamples, c);
    this.value = more(this.value, c * this.stride);
    this.capacity = c;
  }
}
