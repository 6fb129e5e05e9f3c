import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FAMILY_OF, GRID, QUICK_ROWS, canonicalParamsText, selectRows } from './grid.js';
import { parseParamsText } from './grid-row.js';

// CI lays shared/ beside the clone; the grid must equal the paper's table there.
const CSV = fileURLToPath(new URL('../../../shared/reference/paper-table3.csv', import.meta.url));

describe('grid', () => {
  it("holds the paper's 126 configurations in 13 families", () => {
    assert.equal(GRID.length, 126);
    assert.equal(new Set(GRID.map((r) => r.classifier)).size, 13);
    for (const r of GRID) assert.ok(FAMILY_OF[r.classifier], `${r.classifier} has no family`);
  });

  it('equals the reference CSV row for row', (t) => {
    if (!existsSync(CSV)) return t.skip(`no ${CSV}`);
    const lines = readFileSync(CSV, 'utf8').trim().split('\n').slice(1);
    assert.equal(lines.length, GRID.length);
    lines.forEach((line, i) => {
      const [, classifier, text, f, m] = /^(\w+),"([^"]*)",([\d.]+),([\d.]+)$/.exec(line) ?? [];
      assert.equal(GRID[i].classifier, classifier);
      assert.equal(GRID[i].paramsText, text);
      assert.equal(GRID[i].paper.fashion, Number(f));
      assert.equal(GRID[i].paper.mnist, Number(m));
    });
  });

  it('parses values: numbers, arrays with spaces, strings', () => {
    assert.deepEqual(parseParamsText('activation=relu hidden_layer_sizes=[100, 10] C=1'), {
      activation: 'relu',
      hidden_layer_sizes: [100, 10],
      C: 1,
    });
    assert.throws(() => parseParamsText('C'), /Expected key=value/);
    assert.throws(() => parseParamsText('a=[1, 2'), /Unbalanced/);
  });

  it('keys configurations independently of the order of their pairs', () => {
    assert.equal(
      canonicalParamsText(parseParamsText('penalty=l2 loss=hinge')),
      canonicalParamsText(parseParamsText('loss=hinge penalty=l2')),
    );
  });

  it('selects by classifier, family, or paper row in any order', () => {
    assert.equal(selectRows('SVC').length, 12);
    assert.equal(selectRows('svm').length, 12);
    assert.equal(selectRows('linear').length, 5 + 18 + 15 + 3 + 3);
    const one = selectRows('SGDClassifier penalty=l2 loss=hinge');
    assert.equal(one.length, 1);
    assert.equal(one[0].paramsText, 'loss=hinge penalty=l2');
    assert.equal(selectRows('SVC C=10').length, 4);
    assert.equal(selectRows('GaussianNB,SVC kernel=rbf').length, 4);
    assert.equal(selectRows(undefined).length, 126);
  });

  it('keeps the commas of a list value inside its row', () => {
    const priors = 'GaussianNB priors=[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]';
    assert.equal(selectRows(priors).length, 1);
    const two = selectRows(`MLPClassifier activation=relu hidden_layer_sizes=[100, 10],${priors}`);
    assert.deepEqual(
      two.map((r) => `${r.classifier} ${r.paramsText}`),
      [priors, 'MLPClassifier activation=relu hidden_layer_sizes=[100, 10]'],
    );
    assert.throws(
      () => selectRows('MLPClassifier hidden_layer_sizes=[100, 10'),
      /Unbalanced brackets in the --only list/,
    );
  });

  it('says what a filter that matches nothing could have been', () => {
    assert.throws(() => selectRows('SVC kernel=cubic'), /--only "SVC kernel=cubic" matches no row/);
    assert.throws(() => selectRows('RandomTrees'), /Use a classifier \(DecisionTreeClassifier/);
  });

  it('has quick rows that all exist in the grid', () => {
    assert.equal(selectRows(QUICK_ROWS).length, QUICK_ROWS.split(',').length);
  });
});
