/**
 * scikit-learn's liblinear random stream, replicated: std::mt19937 seeded with the seed
 * scikit-learn hands liblinear, and its `bounded_rand_int` (a 32×32→64 multiply with
 * Lemire's rejection, sklearn/svm/src/newrand/newrand.h). With it, our dual coordinate
 * descent visits rows in the very order liblinear does (LinearSVC's random_stream='sklearn',
 * bench/liblinear-trajectory.ts).
 */
import MersenneTwister from 'mersenne-twister';
import type { IndexStream } from './liblinear-dual-cd.js';

const TWO_32 = 4294967296;

/** The high and low 32-bit words of x·range, exact for 32-bit unsigned x and range. */
function multiply64(x: number, range: number): { hi: number; lo: number } {
  const a = (x & 0xffff) * range; // < 2^48: exact in a double
  const b = (x >>> 16) * range;
  const t = (a % TWO_32) + (b % 65536) * 65536; // < 2^33
  return {
    hi: Math.floor(a / TWO_32) + Math.floor(b / 65536) + Math.floor(t / TWO_32),
    lo: t % TWO_32,
  };
}

export class LiblinearStream implements IndexStream {
  private readonly mt: MersenneTwister;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_32) {
      throw new RangeError(
        `LiblinearStream: the seed must be a 32-bit unsigned integer. Got ${seed}.`,
      );
    }
    this.mt = new MersenneTwister(seed);
  }

  /** The generator's next raw 32-bit output (std::mt19937's operator()). */
  nextUint32(): number {
    return this.mt.random_int();
  }

  /** bounded_rand_int(n): uniform in [0, n), as newrand.h draws it. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n >= TWO_32) {
      throw new RangeError(`LiblinearStream.nextInt: n must be in [1, 2^32). Got ${n}.`);
    }
    let m = multiply64(this.nextUint32(), n);
    if (m.lo < n) {
      const t = (TWO_32 - n) % n; // (2^32 − n) mod n: the tweaked threshold
      while (m.lo < t) m = multiply64(this.nextUint32(), n);
    }
    return m.hi;
  }
}

/**
 * The seed scikit-learn's _fit_liblinear hands liblinear for an integer random_state:
 * np.random.RandomState(s).randint(2**31 − 1), i.e. the first of numpy's legacy MT19937
 * outputs (seeded like std::mt19937) whose low 31 bits are below 2^31 − 1.
 */
export function sklearnLiblinearSeed(randomState: number): number {
  if (!Number.isInteger(randomState) || randomState < 0 || randomState >= TWO_32) {
    throw new RangeError(
      `random_state must be an integer in [0, 2^32) to replicate scikit-learn's liblinear seed. Got ${randomState}.`,
    );
  }
  const mt = new LiblinearStream(randomState);
  let v: number;
  do v = mt.nextUint32() & 0x7fffffff;
  while (v > 0x7ffffffe);
  return v;
}
