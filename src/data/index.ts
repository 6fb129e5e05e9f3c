/** The data layer: IDX codec, dataset registry, sources, download and loading. */
export * from './errors.js';
export * from './idx.js';
export * from './registry.js';
export * from './hash.js';
export { cacheDir, cacheHome, findFiles, type SourceKind } from './sources.js';
export * from './download.js';
export * from './load.js';
export { writeFileAtomic } from './atomic.js';
