/**
 * Expands `fmnist convert`'s arguments (files and directories) into conversion tasks with
 * unique output names: a directory's files keep their relative sub-path, a file given
 * directly keeps its base name; the extension becomes .png.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';

export interface ConvertTask {
  source: string;
  /** Output path relative to the output directory (forward slashes). */
  output: string;
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(path, out);
    else if (e.isFile()) out.push(path);
  }
}

function toPng(rel: string): string {
  const ext = extname(rel);
  return (ext ? rel.slice(0, -ext.length) : rel).split(sep).join('/') + '.png';
}

/** Throws when an argument does not exist; `exclude` drops files (e.g. the output dir). */
export function collectInputs(
  args: readonly string[],
  exclude: (path: string) => boolean = () => false,
): ConvertTask[] {
  const tasks: ConvertTask[] = [];
  const used = new Set<string>();
  const add = (source: string, rel: string) => {
    if (exclude(source)) return;
    let output = toPng(rel);
    for (let n = 2; used.has(output); n++) output = toPng(rel).replace(/\.png$/, `~${n}.png`);
    used.add(output);
    tasks.push({ source, output });
  };
  for (const arg of args) {
    let stats;
    try {
      stats = statSync(arg);
    } catch {
      throw new Error(`convert: input '${arg}' does not exist`);
    }
    if (stats.isDirectory()) {
      const files: string[] = [];
      walk(arg, files);
      for (const f of files) add(f, relative(arg, f));
    } else add(arg, basename(arg));
  }
  return tasks;
}
