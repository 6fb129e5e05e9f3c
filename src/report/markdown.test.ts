import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GRID } from '../benchmark/grid.js';
import { escapeMarkdown, renderMarkdown } from './markdown.js';
import { readSklearnReference } from './sklearn-reference.js';
import { buildTable3 } from './table3.js';
import type { RunSummary } from './types.js';

function summary(over: Partial<RunSummary>): RunSummary {
  return {
    dataset: 'fashion',
    classifier: 'GaussianNB',
    paramsText: GRID.find((g) => g.classifier === 'GaussianNB')?.paramsText ?? '',
    protocol: 'seed=0 test=10000 train=60000',
    scores: [0.5856, 0.5856],
    mean: 0.5856,
    std2: 0,
    repeats: 2,
    secondsPerRepeat: 0.42,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    paper: 0.511,
    note: null,
    ...over,
  };
}

const rows = buildTable3(
  GRID,
  [
    summary({ peakRssMB: 812.4 }),
    summary({
      dataset: 'mnist',
      scores: [0.5558, 0.5558],
      mean: 0.5558,
      paper: 0.524,
      secondsPerRepeat: 65,
    }),
    summary({
      dataset: 'mnist',
      classifier: 'SGDClassifier',
      paramsText: 'loss=hinge penalty=l2',
      mean: 0.91,
      std2: 0.01,
      repeats: 5,
      scores: [0.91],
      protocol: 'seed=0 test=500 train=2000',
      secondsPerRepeat: 2.5,
    }),
  ],
  { isImplemented: (n) => n === 'GaussianNB' || n === 'SGDClassifier' },
);
const md = renderMarkdown(rows, { source: '/tmp/results.sqlite' });
const lines = md.split('\n');

test('one section per classifier, each with the Table-3 header', () => {
  const headings = lines.filter((l) => l.startsWith('## '));
  assert.equal(headings.length, new Set(GRID.map((g) => g.classifier)).size);
  assert.ok(headings.includes('## GaussianNB'));
  const headers = lines.filter((l) => l.startsWith('| Parameters |'));
  assert.equal(headers.length, headings.length);
  assert.equal(
    headers[0],
    '| Parameters | Paper Fashion | Ours Fashion | Δ | Paper MNIST | Ours MNIST | Δ | s / repeat (F · M) | peak MB (F · M) |',
  );
  // 126 grid lines, each with 9 cells.
  const body = lines.filter(
    (l) => l.startsWith('| ') && !l.startsWith('| Parameters') && !l.startsWith('| ---'),
  );
  assert.equal(body.length, GRID.length);
  for (const l of body) assert.equal(l.split(' | ').length, 9, l);
});

test('a run row shows paper, ours ± 2σ with repeats, Δ, seconds and peak memory (— where unmeasured)', () => {
  const line = lines.find((l) => l.startsWith('| priors=[0.1'));
  assert.equal(
    line,
    '| priors=[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] | 0.511 | 0.586 ± 0.000 (n=2) | +0.075 | 0.524 | 0.556 ± 0.000 (n=2) | +0.032 | 0.42 s · 1 min 05 s | 812 · — |',
  );
});

test('subset runs say so; unrun rows say why', () => {
  const sgd = lines.find((l) => l.startsWith('| loss=hinge penalty=l2 |'));
  assert.match(
    sgd ?? '',
    /\| \*not run\* \| {2}\| 0\.914 \| 0\.910 ± 0\.010 \(n=5\) on a subset: train=2000 test=500 \| −0\.004 \|/,
  );
  const svc = lines.find((l) => l.startsWith('| C=10 kernel=rbf |'));
  assert.match(svc ?? '', /\*not implemented\*/);
});

test('the summary line counts rows run, rows within ±0.01 and compute time', () => {
  assert.ok(
    md.includes(
      '**Rows run:** Fashion-MNIST 1/126, MNIST 2/126. **Within ±0.01 of the paper:** Fashion-MNIST 0/1, MNIST 1/2. **Total compute time:** 2 min 23 s.',
    ),
    md.slice(0, 600),
  );
  assert.ok(md.includes('Results from `/tmp/results.sqlite`.'));
});

test('text from the store cannot break the table or inject markup', () => {
  assert.equal(escapeMarkdown('a|b <script>`x`'), 'a\\|b \\<script\\>\\`x\\`');
  assert.equal(escapeMarkdown('two\nlines'), 'two lines');
});

test("the store's notes are listed under their classifier's table", () => {
  const noted = buildTable3(GRID, [summary({ note: 'means reused from | <run 3>' })], {
    isImplemented: () => true,
  });
  const text = renderMarkdown(noted);
  const section = text.slice(
    text.indexOf('## GaussianNB'),
    text.indexOf('## GradientBoostingClassifier'),
  );
  assert.match(
    section,
    /\n- priors=\[0\.1, .*\], Fashion-MNIST: means reused from \\\| \\<run 3\\>\n/,
  );
});

test('a note shared by many rows is listed once, naming every row and dataset it applies to', () => {
  const shared = 'feature bins reused';
  const [a, b] = GRID.filter((g) => g.classifier === 'DecisionTreeClassifier');
  const noted = buildTable3(
    GRID,
    [
      summary({ classifier: a.classifier, paramsText: a.paramsText, note: shared }),
      summary({
        classifier: a.classifier,
        paramsText: a.paramsText,
        dataset: 'mnist',
        note: shared,
      }),
      summary({ classifier: b.classifier, paramsText: b.paramsText, note: shared }),
      summary({
        classifier: b.classifier,
        paramsText: b.paramsText,
        dataset: 'mnist',
        note: 'other',
      }),
    ],
    { isImplemented: () => true },
  );
  const text = renderMarkdown(noted);
  const bullets = text.split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(bullets, [
    `- ${escapeMarkdown(a.paramsText)}, Fashion-MNIST and MNIST; ${escapeMarkdown(b.paramsText)}, Fashion-MNIST: ${shared}`,
    `- ${escapeMarkdown(b.paramsText)}, MNIST: other`,
  ]);
});

test('with scikit-learn runs, rows outside the paper get its accuracy and the summary counts them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-md-sk-'));
  const file = join(dir, 'sklearn-peer.jsonl');
  const params = GRID.find((g) => g.classifier === 'GaussianNB')?.paramsText ?? '';
  const line = (dataset: string, accuracy: number): string =>
    JSON.stringify({ dataset, classifier: 'GaussianNB', params, seed: 0, result: { accuracy } });
  // MNIST: two runs, mean 0.55 (ours 0.5558 is within 0.01 of it); Fashion: 0.5703 (ours
  // 0.5856 is 0.0153 away).
  writeFileSync(
    file,
    [line('fashion', 0.5703), line('mnist', 0.54), line('mnist', 0.56)].join('\n') + '\n',
  );
  try {
    const md = renderMarkdown(rows, { sklearn: readSklearnReference(file) });
    assert.match(
      md,
      /\*\*Outside the paper but within ±0\.01 of scikit-learn run here:\*\* Fashion-MNIST 0\/1 \(scikit-learn run on 1\), MNIST 1\/1 \(scikit-learn run on 1\)\./,
    );
    assert.match(
      md,
      /Fashion-MNIST: outside the paper; scikit-learn run here gives 0\.5703 \(1 run\), ours − scikit-learn \+0\.015: outside ±0\.01 of it\./,
    );
    assert.match(
      md,
      /MNIST: outside the paper; scikit-learn run here gives 0\.5500 \(mean of 2 runs\), ours − scikit-learn \+0\.006: within ±0\.01 of it\./,
    );
    // Without the runs, none of this appears.
    assert.doesNotMatch(renderMarkdown(rows), /scikit-learn/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a scikit-learn runs file that is not one names the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-md-sk-'));
  const file = join(dir, 'bad.jsonl');
  try {
    writeFileSync(file, '{"dataset":"fashion","classifier":"SVC","params":"C=1","result":{}}\n');
    assert.throws(
      () => readSklearnReference(file),
      /bad\.jsonl line 1 is not a scikit-learn run: expected/,
    );
    writeFileSync(file, '\nnot json\n');
    assert.throws(() => readSklearnReference(file), /bad\.jsonl line 2 is not JSON/);
    assert.throws(() => readSklearnReference(join(dir, 'missing.jsonl')), /cannot read .*missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
