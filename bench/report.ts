/**
 * How long the picture commands take end to end (process start, dataset load, work,
 * PNG written): `fmnist sprite fashion` and `fmnist embed fashion --method umap --n 5000`
 * (the target: under 60 s each), plus PCA for comparison. Wall time depends on
 * what else the machine is doing, so the children's CPU seconds (user + sys) and the
 * load average are printed too. Prints one JSON object.
 * Run: npm run bench:build && node dist-bench/bench/report.js [--runs N]
 */
import './lib/help.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
  outputBytes: number;
}

/** One CLI run under bash's `time`, which reports the child's wall and CPU seconds. */
function timeCommand(args: string[], out: string): Timing {
  const quoted = [process.execPath, CLI, ...args]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(' ');
  const result = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${quoted} 2>/dev/null`], {
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`fmnist ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`);
  const [real, user, sys] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return {
    wallSeconds: real,
    cpuSeconds: Math.round((user + sys) * 100) / 100,
    outputBytes: statSync(out).size,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'fmnist-bench-report-'));
const cases: Array<{ name: string; args: (out: string) => string[]; out: string }> = [
  {
    name: 'sprite fashion',
    out: join(dir, 'sprite.png'),
    args: (o) => ['sprite', 'fashion', '--out', o],
  },
  {
    name: 'embed fashion --method umap --n 5000',
    out: join(dir, 'umap.png'),
    args: (o) => ['embed', 'fashion', '--method', 'umap', '--n', '5000', '--out', o],
  },
  {
    name: 'embed fashion --method pca --n 5000',
    out: join(dir, 'pca.png'),
    args: (o) => ['embed', 'fashion', '--method', 'pca', '--n', '5000', '--out', o],
  },
];

const results: Record<string, Timing[]> = {};
const loadBefore = loadavg()[0];
try {
  for (const c of cases) {
    results[c.name] = [];
    for (let r = 0; r < RUNS; r++) results[c.name].push(timeCommand(c.args(c.out), c.out));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  JSON.stringify(
    {
      bench: 'report',
      node: process.version,
      cores: cpus().length,
      loadAverage1m: { before: loadBefore, after: loadavg()[0] },
      targetSeconds: 60,
      results,
    },
    null,
    2,
  ),
);
