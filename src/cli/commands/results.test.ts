/** `fmnist results export|import` end to end, as a user runs them, on a fixture store. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { ResultsStore } from '../../benchmark/store.js';
import { packPart } from '../../ml/fit-parts.js';
import { writeFixtureStore } from '../../report/fixture-store.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fmnist-cli-results-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fmnist(...args: string[]) {
  return run(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

test('export then import into a new store gives the same report', async () => {
  const source = join(dir, 'source.sqlite');
  writeFixtureStore(source);
  const file = join(dir, 'repeats.jsonl');
  const exported = await fmnist('results', 'export', file, '--store', source);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.match(exported.stderr, new RegExp(`Wrote ${lines.length} repeats from .*source\\.sqlite`));

  const target = join(dir, 'target.sqlite');
  const first = await fmnist('results', 'import', file, '--store', target);
  assert.match(
    first.stderr,
    new RegExp(`Imported ${lines.length} repeats into .* \\(0 already there\\)`),
  );
  const again = await fmnist('results', 'import', file, '--store', target);
  assert.match(
    again.stderr,
    new RegExp(`Imported 0 repeats .* \\(${lines.length} already there\\)`),
  );

  const a = await fmnist('report', '--store', source, '--format', 'json');
  const b = await fmnist('report', '--store', target, '--format', 'json');
  assert.equal(b.stdout, a.stdout);
});

test('import refuses a conflicting file and a missing one, export a missing store, each named', async () => {
  const store = join(dir, 'conflict.sqlite');
  writeFixtureStore(store);
  const file = join(dir, 'changed.jsonl');
  await fmnist('results', 'export', file, '--store', store);
  const [first, ...rest] = readFileSync(file, 'utf8').trim().split('\n');
  const changed = JSON.parse(first) as { accuracy: number };
  changed.accuracy = changed.accuracy === 0.5 ? 0.25 : 0.5;
  writeFileSync(file, [JSON.stringify(changed), ...rest].join('\n'));
  await assert.rejects(
    fmnist('results', 'import', file, '--store', store),
    (e: { stderr: string }) => {
      assert.match(
        e.stderr,
        /changed\.jsonl, line 1: the store already holds repeat .*nothing was imported/,
      );
      return true;
    },
  );
  const mistyped = join(dir, 'no-such-dir', 'store.sqlite');
  await assert.rejects(
    fmnist('results', 'export', join(dir, 'out.jsonl'), '--store', mistyped),
    (e: { stderr: string }) => /No results store at .*no-such-dir/.test(e.stderr),
  );
  assert.equal(existsSync(mistyped), false, 'export created no store');
  assert.equal(existsSync(join(dir, 'out.jsonl')), false, 'and wrote no file');
  await assert.rejects(
    fmnist('results', 'import', join(dir, 'absent.jsonl'), '--store', store),
    (e: { stderr: string }) => {
      assert.match(e.stderr, /Cannot read the repeats file .*absent\.jsonl/);
      return true;
    },
  );
});

test('unfinished lists the repeats whose fit keeps parts in the store', async () => {
  const path = join(dir, 'unfinished.sqlite');
  await assert.rejects(
    fmnist('results', 'unfinished', '--store', path),
    (err: { stderr: string }) => /No results store at .*unfinished\.sqlite/.test(err.stderr),
  );
  ResultsStore.open(path).close();
  const empty = await fmnist('results', 'unfinished', '--store', path);
  assert.equal(empty.stdout, `${path}: no unfinished repeats (no fit parts kept)\n`);
  const store = ResultsStore.open(path);
  const key = {
    dataset: 'mnist',
    classifier: 'LogisticRegression',
    params: 'C=10 multi_class=ovr penalty=l1',
    protocol: 'seed=0 train=60000 test=10000',
  };
  const parts = store.fitParts(key, 0, () => 'data');
  parts.save('class 0', { bytes: Uint8Array.of(1), seconds: 2400 });
  parts.save('class 1 state', { bytes: packPart({ iter: 123456 }, []), seconds: 3725 });
  store.close();
  const listed = await fmnist('results', 'unfinished', '--store', path);
  assert.match(
    listed.stdout,
    /^mnist LogisticRegression C=10 multi_class=ovr penalty=l1 \[seed=0 train=60000 test=10000\] repeat 1: 2 part\(s\) kept, the latest at 1h02m of fit time \(\d{4}-[^)]+\): class 0, class 1 state; checkpoints: class 1 state at iteration 123,456\n$/,
  );
});

test('export-parts then import-parts carries an unfinished fit to another store, gzipped or not', async () => {
  const source = join(dir, 'parts-source.sqlite');
  const store = ResultsStore.open(source);
  const key = {
    dataset: 'fashion',
    classifier: 'SVC',
    params: 'C=100 kernel=linear',
    protocol: 'seed=0 train=60000 test=10000',
  };
  const parts = store.fitParts(key, 0, () => 'data');
  parts.save('pair 0-1', { bytes: packPart({}, [Float64Array.of(1, 2)]), seconds: 30 });
  parts.save('pair 0-6 state', { bytes: packPart({ iter: 2407884800 }, []), seconds: 9000 });
  store.close();
  const before = await fmnist('results', 'unfinished', '--store', source);

  for (const name of ['parts.jsonl', 'parts.jsonl.gz']) {
    const file = join(dir, name);
    const exported = await fmnist('results', 'export-parts', file, '--store', source);
    assert.equal(exported.stderr, `Wrote 2 fit parts from ${source} to ${file}\n`);
    const gzipped = readFileSync(file)
      .subarray(0, 2)
      .equals(Buffer.from([0x1f, 0x8b]));
    assert.equal(gzipped, name.endsWith('.gz'));

    const target = join(dir, `parts-target-${name}.sqlite`);
    const imported = await fmnist('results', 'import-parts', file, '--store', target);
    assert.match(
      imported.stderr,
      /^Imported 2 fit parts into .* \(0 kept as the store had them saved later or at the same time, 0 left out as their repeat is recorded\)\n$/,
    );
    const again = await fmnist('results', 'import-parts', file, '--store', target);
    assert.match(again.stderr, /^Imported 0 fit parts into .* \(2 kept as/);
    const after = await fmnist('results', 'unfinished', '--store', target);
    assert.equal(after.stdout.replace(target, source), before.stdout);
  }

  const broken = join(dir, 'broken.jsonl.gz');
  writeFileSync(broken, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  await assert.rejects(
    fmnist('results', 'import-parts', broken, '--store', join(dir, 'unused.sqlite')),
    (e: { stderr: string }) =>
      /The fit parts file .*broken\.jsonl\.gz starts like gzip but does not decompress/.test(
        e.stderr,
      ),
  );
});
