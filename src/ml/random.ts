/**
 * One seeded PRNG for all of fmnist (never Math.random): xoshiro128** seeded through
 * splitmix32. Small and monomorphic so it inlines in hot loops; runs are reproducible
 * across machines for the same seed.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new TypeError(`Rng: the seed must be an integer. Got ${seed}.`);
    }
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /**
   * The generator's state (xoshiro128**'s four words), written to `out` if given: with
   * setState, hands the stream to another implementation (the WASM tree kernels) and back.
   */
  getState(out: Uint32Array = new Uint32Array(4)): Uint32Array {
    out[0] = this.a;
    out[1] = this.b;
    out[2] = this.c;
    out[3] = this.d;
    return out;
  }

  /** Continues from a state taken by getState (four uint32 words, not all zero). */
  setState(s: ArrayLike<number>): void {
    if (s.length !== 4) throw new RangeError(`Rng.setState: expected 4 words. Got ${s.length}.`);
    this.a = s[0] | 0;
    this.b = s[1] | 0;
    this.c = s[2] | 0;
    this.d = s[3] | 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number {
    if (n <= 0 || n > 0x100000000)
      throw new RangeError(`Rng.nextInt: n must be in [1, 2^32]. Got ${n}.`);
    const limit = 0x100000000 - (0x100000000 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** A standard normal deviate (Box–Muller). */
  nextNormal(): number {
    let u = 0;
    while (u === 0) u = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.nextFloat());
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle(a: { length: number; [i: number]: number }): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** An independent child generator, for handing to a sub-task (a tree, a worker). */
  fork(): Rng {
    return new Rng(this.nextUint32() | 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** What estimators accept as `random_state`: a seed or a generator to draw from. */
export type RandomState = number | Rng;

export function toRng(state: RandomState | null | undefined): Rng {
  if (state instanceof Rng) return state;
  return new Rng(state ?? 0);
}
