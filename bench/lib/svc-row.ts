/** The SVC grid row a bench names with --params (e.g. "C=100 kernel=linear"). */
import { GRID } from '../../src/benchmark/grid-rows.js';
import type { GridRow } from '../../src/benchmark/grid-row.js';

export function svcRow(params: string | undefined): GridRow {
  if (params === undefined) {
    throw new RangeError('--params is required, e.g. "C=100 kernel=linear".');
  }
  const row = GRID.find((r) => r.classifier === 'SVC' && r.paramsText === params);
  if (row === undefined) {
    const known = GRID.filter((r) => r.classifier === 'SVC').map((r) => r.paramsText);
    throw new RangeError(`--params: no SVC row '${params}'. Rows: ${known.join('; ')}.`);
  }
  return row;
}
