import type { EstimatorEntry } from '../registry.js';

/** The svm family's estimators (none registered yet: SVC is being built). */
export const entries: EstimatorEntry[] = [];
