/**
 * The browser builds of vega and vega-lite from node_modules, read once, so pages can
 * inline them and work from file:// with no network. Both are UMD bundles:
 * vega.min.js defines `vega`; vega-lite.min.js defines `vegaLite` and needs `vega`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VegaAssets {
  readonly vega: string;
  readonly vegaLite: string;
}

let cached: VegaAssets | null = null;

export function vegaAssets(): VegaAssets {
  if (cached === null) {
    cached = {
      vega: readBuild('vega', 'vega.min.js'),
      vegaLite: readBuild('vega-lite', 'vega-lite.min.js'),
    };
  }
  return cached;
}

/** The package entry resolves into its build/ folder, where the minified UMD file sits too. */
function readBuild(pkg: string, file: string): string {
  const entry = fileURLToPath(import.meta.resolve(pkg));
  const path = join(dirname(entry), file);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `The browser build of ${pkg} was not found at ${path} (${(err as Error).message}). Reinstall dependencies with npm ci.`,
      { cause: err },
    );
  }
}
