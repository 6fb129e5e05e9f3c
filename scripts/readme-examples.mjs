// Regenerates the README's `fmnist report` and `fmnist results` examples from the committed
// results (results/table3-repeats.jsonl, results/sklearn-peer.jsonl,
// results/unfinished-parts.jsonl.gz) by running the real
// commands in a scratch folder, so the README shows what the CLI prints today.
// Usage: npm run build && node scripts/readme-examples.mjs
// Each example sits between <!-- readme-examples:NAME --> and <!-- /readme-examples:NAME -->.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
/** Report sections shown in full; the rest are elided. */
const SECTIONS = ['DecisionTreeClassifier', 'GradientBoostingClassifier', 'SVC'];

const scratch = mkdtempSync(join(tmpdir(), 'fmnist-readme-'));
symlinkSync(join(root, 'results'), join(scratch, 'results'));

/** Runs `fmnist <args>` in the scratch folder; returns what it printed (stdout, then stderr). */
function output(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: scratch, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fmnist ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout + r.stderr;
}

/** The command as a user types it, then its output. */
function fmnist(args) {
  return `$ npx fmnist ${args.map(quote).join(' ')}\n${output(args)}`;
}

function quote(a) {
  return /^[\w./=:,-]+$/.test(a) ? a : JSON.stringify(a);
}

/** The report's head (title, summary, legend), then the chosen sections, each cut with "…". */
function trimReport(markdown) {
  const parts = markdown.split(/\n(?=## )/);
  const kept = [parts[0].trimEnd()];
  for (const part of parts.slice(1)) {
    const name = part.slice(3, part.indexOf('\n')).trim();
    if (SECTIONS.includes(name)) kept.push(`…\n${part.trimEnd()}`);
  }
  return `${kept.join('\n\n')}\n\n…\n`;
}

function replaceBlock(text, name, body) {
  const open = `<!-- readme-examples:${name} -->`;
  const close = `<!-- /readme-examples:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} … ${close} block`);
  return `${text.slice(0, start + open.length)}\n\`\`\`\n${body}\`\`\`\n${text.slice(end)}`;
}

try {
  const imported = fmnist([
    'results',
    'import',
    'results/table3-repeats.jsonl',
    '--store',
    'runs.sqlite',
  ]);
  const reportArgs = [
    'report',
    '--store',
    'runs.sqlite',
    '--format',
    'md',
    '--sklearn',
    'results/sklearn-peer.jsonl',
  ];
  const report = `$ npx fmnist ${reportArgs.join(' ')}\n${trimReport(output(reportArgs))}`;
  const results = [
    fmnist(['results', 'export', 'table3-repeats.jsonl', '--store', 'runs.sqlite']),
    fmnist(['results', 'import', 'table3-repeats.jsonl', '--store', 'demo.sqlite']),
    fmnist(['results', 'import', 'table3-repeats.jsonl', '--store', 'demo.sqlite']),
  ].join('');
  // The long fits still running when results/unfinished-parts.jsonl.gz was exported.
  const parts = [
    fmnist([
      'results',
      'import-parts',
      'results/unfinished-parts.jsonl.gz',
      '--store',
      'runs.sqlite',
    ]),
    fmnist(['results', 'unfinished', '--store', 'runs.sqlite']),
    fmnist(['results', 'export-parts', 'parts.jsonl.gz', '--store', 'runs.sqlite']),
  ].join('');
  const readmePath = join(root, 'README.md');
  let readme = readFileSync(readmePath, 'utf8');
  readme = replaceBlock(readme, 'report', imported + report);
  readme = replaceBlock(readme, 'results', results);
  readme = replaceBlock(readme, 'parts', parts);
  writeFileSync(`${readmePath}.tmp`, readme);
  renameSync(`${readmePath}.tmp`, readmePath);
  process.stderr.write('README.md: report, results and parts examples regenerated\n');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
