import type { EstimatorEntry } from '../registry.js';

/** The neural family's estimators (none registered yet: MLPClassifier is being built). */
export const entries: EstimatorEntry[] = [];
