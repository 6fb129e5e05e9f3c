/**
 * Throughput of the kernels layer: GEMM A·Bᵀ in plain TypeScript (the reference
 * implementation), in WASM SIMD on one thread, and over the worker pool; the Manhattan
 * distance block the same way. One JSON line per measurement (best of `--reps`).
 *
 *   npm run bench:build
 *   node dist-bench/bench/kernels.js [--reps 3]
 *
 * Threads: FMNIST_THREADS (default 2). The machine may be shared: compare ratios within
 * one run rather than absolute numbers across runs.
 */
import './lib/help.js';
import { manhattanDistances } from '../src/kernels/distances.js';
import { gemmAbt, parallelGemm } from '../src/kernels/gemm.js';
import { closeKernelPool, kernelPool, threadCount } from '../src/kernels/pool.js';
import { gemmAbtRef, manhattanRef } from '../src/kernels/reference.js';
import { parallelKnn } from '../src/kernels/knn.js';
import { Rng } from '../src/ml/random.js';

const args = process.argv.slice(2);
const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 3;

function random(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.nextNormal();
  return a;
}

/** Best wall time of `reps` runs, with the CPU time (all threads) of that run. */
async function best(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  let out = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await fn();
    const u = process.cpuUsage(c);
    const wall = (performance.now() - t) / 1000;
    if (wall < out.wall) out = { wall, cpu: (u.user + u.system) / 1e6 };
  }
  return out;
}

function emit(
  kernel: string,
  impl: string,
  shape: number[],
  flops: number,
  time: { wall: number; cpu: number },
): void {
  console.log(
    JSON.stringify({
      kernel,
      impl,
      shape,
      seconds: +time.wall.toFixed(4),
      cpu_seconds: +time.cpu.toFixed(4),
      gflops: +(flops / time.wall / 1e9).toFixed(2),
      // Per CPU-second: steadier than wall time when other work shares the machine.
      gflops_per_cpu_s: +(flops / time.cpu / 1e9).toFixed(2),
      threads: threadCount(),
    }),
  );
}

async function main(): Promise<void> {
  const rng = new Rng(1);
  const d = 784;
  // Small shape for the slow TypeScript reference, large one for WASM.
  const [ms, ns] = [64, 1024];
  const [m, n] = [1024, 4096];
  const a = random(rng, m * d);
  const b = random(rng, n * d);
  const as = a.subarray(0, ms * d);
  const bs = b.subarray(0, ns * d);
  const pool = kernelPool();
  await parallelGemm(as, ms, bs, ns, d, pool); // start the workers outside the timing

  emit(
    'gemm A·Bᵀ',
    'typescript reference',
    [ms, ns, d],
    2 * ms * ns * d,
    await best(() => gemmAbtRef(as, ms, bs, ns, d)),
  );
  emit(
    'gemm A·Bᵀ',
    'wasm simd, 1 thread',
    [m, n, d],
    2 * m * n * d,
    await best(() => gemmAbt(a, m, b, n, d)),
  );
  emit(
    'gemm A·Bᵀ',
    `wasm simd, pool`,
    [m, n, d],
    2 * m * n * d,
    await best(() => parallelGemm(a, m, b, n, d, pool)),
  );

  // Manhattan: 3 operations per term (sub, abs, add), reported as 3 "flops".
  emit(
    'manhattan',
    'typescript reference',
    [ms, ns, d],
    3 * ms * ns * d,
    await best(() => manhattanRef(as, ms, bs, ns, d)),
  );
  emit(
    'manhattan',
    'wasm simd, 1 thread',
    [m, n, d],
    3 * m * n * d,
    await best(() => manhattanDistances(a, m, b, n, d)),
  );

  // The fused brute-force k-NN block (distance tile + running top-k), both metrics.
  for (const metric of ['euclidean', 'manhattan'] as const) {
    const perTerm = metric === 'euclidean' ? 2 : 3;
    emit(
      `knn k=9 ${metric}`,
      'wasm simd, 1 thread',
      [m, n, d],
      perTerm * m * n * d,
      await best(() => parallelKnn(b, n, a, m, d, 9, metric, { mode: 'local', search: 'brute' })),
    );
    emit(
      `knn k=9 ${metric}`,
      'wasm simd, pool',
      [m, n, d],
      perTerm * m * n * d,
      await best(() => parallelKnn(b, n, a, m, d, 9, metric, { pool, search: 'brute' })),
    );
  }
  await closeKernelPool();
}

await main();
