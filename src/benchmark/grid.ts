/**
 * The benchmark grid (all 126 rows of the paper's Table 3) and how users pick rows:
 * `--only` takes a comma-separated list of filters, each a classifier name
 * ("SVC"), a family folder name ("neighbors"), or a row as the paper writes it
 * ("SGDClassifier loss=hinge penalty=l2"; key=value pairs in any order, a subset of
 * the row's pairs selects every row that has them).
 */
import { findEstimator } from '../ml/registry.js';
import {
  canonicalParamsText,
  parseParamsText,
  splitOutsideBrackets,
  type GridRow,
} from './grid-row.js';
import { GRID } from './grid-rows.js';

export { GRID, canonicalParamsText, type GridRow };

/**
 * The rows `--quick` runs: fast ones from several families, a first look in about a
 * minute per dataset on two cores.
 */
export const QUICK_ROWS = [
  'GaussianNB',
  'SGDClassifier loss=hinge penalty=l2',
  'PassiveAggressiveClassifier C=1',
  'ExtraTreeClassifier criterion=gini max_depth=10 splitter=best',
].join(',');

/** Which src/ml/ folder each of the paper's classifiers belongs to. */
export const FAMILY_OF: Readonly<Record<string, string>> = {
  GaussianNB: 'naive-bayes',
  KNeighborsClassifier: 'neighbors',
  LogisticRegression: 'linear',
  LinearSVC: 'linear',
  SGDClassifier: 'linear',
  Perceptron: 'linear',
  PassiveAggressiveClassifier: 'linear',
  DecisionTreeClassifier: 'tree',
  ExtraTreeClassifier: 'tree',
  RandomForestClassifier: 'ensemble',
  GradientBoostingClassifier: 'ensemble',
  SVC: 'svm',
  MLPClassifier: 'neural',
};

/** Whether fmnist has an estimator for this row's classifier yet. */
export function isImplemented(row: GridRow): boolean {
  return findEstimator(row.classifier) !== undefined;
}

/** Rows matching any of the comma-separated filters; throws if a filter matches nothing. */
export function selectRows(
  filterList: string | undefined,
  grid: readonly GridRow[] = GRID,
): GridRow[] {
  if (filterList === undefined || filterList.trim() === '') return [...grid];
  // Commas inside a list value (priors=[0.1, 0.1, ...]) belong to the row, not the list.
  const filters = splitOutsideBrackets(filterList, (ch) => ch === ',', '--only list');
  const chosen = new Set<GridRow>();
  for (const filter of filters) {
    const matches = grid.filter((r) => matchesFilter(r, filter));
    if (matches.length === 0) {
      const names = [...new Set(grid.map((r) => r.classifier))].join(', ');
      throw new RangeError(
        `--only "${filter}" matches no row of the grid. Use a classifier (${names}), a family (${[...new Set(Object.values(FAMILY_OF))].join(', ')}), or a row as in the paper, e.g. "SGDClassifier loss=hinge penalty=l2".`,
      );
    }
    matches.forEach((r) => chosen.add(r));
  }
  return grid.filter((r) => chosen.has(r));
}

function matchesFilter(row: GridRow, filter: string): boolean {
  const [head, ...rest] = filter.split(/\s+/);
  const name = head.toLowerCase();
  const nameMatches =
    row.classifier.toLowerCase() === name || (FAMILY_OF[row.classifier] ?? '') === name;
  if (!nameMatches) return false;
  if (rest.length === 0) return true;
  const wanted = parseParamsText(rest.join(' '));
  return Object.entries(wanted).every(
    ([k, v]) =>
      k in row.params &&
      canonicalParamsText({ [k]: row.params[k] }) === canonicalParamsText({ [k]: v }),
  );
}
