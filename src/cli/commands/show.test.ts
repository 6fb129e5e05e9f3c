import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { imageAt, loadDataset } from '../../data/load.js';
import { gray256, renderAscii, renderHalfBlocks } from './show.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const HAVE_FASHION = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
const skip = !HAVE_FASHION && 'Debian Fashion-MNIST absent';

function fmnist(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      {
        env: {
          ...process.env,
          FMNIST_DATA_DIR: '',
          FMNIST_HOME: '/nonexistent-fmnist-home',
          ...env,
        },
      },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

test('gray256 maps to the nearest xterm gray', () => {
  assert.equal(gray256(0), 16);
  assert.equal(gray256(255), 231);
  assert.equal(gray256(8), 232);
  assert.equal(gray256(128), 244); // 8 + 10×12 = 128
  assert.equal(gray256(250), 231);
});

test('half blocks: top pixel is the foreground, the next row the background', () => {
  const img = Uint8Array.of(10, 20, 30, 40, 50, 60); // 3 rows × 2 columns
  const lines = renderHalfBlocks(img, 3, 2, 'truecolor');
  assert.equal(lines.length, 2);
  assert.equal(
    lines[0],
    '\x1b[38;2;10;10;10m\x1b[48;2;30;30;30m▀\x1b[38;2;20;20;20m\x1b[48;2;40;40;40m▀\x1b[0m',
  );
  // The odd last row has a black bottom half; unchanged colours are not repeated.
  assert.equal(lines[1], '\x1b[38;2;50;50;50m\x1b[48;2;0;0;0m▀\x1b[38;2;60;60;60m▀\x1b[0m');
  assert.ok(renderHalfBlocks(img, 3, 2, '256')[0].startsWith('\x1b[38;5;232m\x1b[48;5;234m▀'));
});

/** Replay the escape codes like a terminal would, back into gray pixels. */
function decodeHalfBlocks(lines: string[], width: number): number[] {
  const out: number[] = [];
  for (const line of lines) {
    const top: number[] = [];
    const bottom: number[] = [];
    let fg = -1;
    let bg = -1;
    for (const piece of line.split('\x1b[').filter(Boolean)) {
      const m = /^(38|48);2;(\d+);\d+;\d+m(▀*)$/.exec(piece);
      if (m === null) {
        assert.equal(piece, '0m');
        continue;
      }
      if (m[1] === '38') fg = Number(m[2]);
      else bg = Number(m[2]);
      for (let k = 0; k < m[3].length; k++) {
        top.push(fg);
        bottom.push(bg);
      }
    }
    assert.equal(top.length, width);
    out.push(...top, ...bottom);
  }
  return out;
}

test('half blocks decode back to the exact pixels', () => {
  const h = 28;
  const w = 28;
  const img = Uint8Array.from({ length: h * w }, (_, i) =>
    (i * 37) % 7 === 0 ? 0 : (i * 53) & 0xff,
  );
  for (let i = 100; i < 140; i++) img[i] = 200; // runs of equal pixels exercise the skipped codes
  assert.deepEqual(decodeHalfBlocks(renderHalfBlocks(img, h, w, 'truecolor'), w), Array.from(img));
});

test('ASCII shades, two characters per pixel', () => {
  assert.deepEqual(renderAscii(Uint8Array.of(0, 255, 128, 0), 2, 2), ['  @@', '++  ']);
});

test(
  'fmnist show fashion test 0 1 --ascii draws both images under index and class',
  { skip },
  async () => {
    const { code, stdout, stderr } = await fmnist(['show', 'fashion', 'test', '0', '1', '--ascii']);
    assert.equal(code, 0, stderr);
    const blocks = stdout.trimEnd().split('\n\n');
    assert.equal(blocks.length, 2);
    const [first, second] = blocks.map((b) => b.split('\n'));
    assert.equal(first[0], 'fashion test[0]: Ankle boot (label 9)');
    assert.equal(second[0], 'fashion test[1]: Pullover (label 2)');
    assert.equal(first.length, 29);
    assert.ok(first.slice(1).every((l) => l.length === 56 && /^[ .:\-=+*#%@]*$/.test(l)));
    assert.ok(second.some((l) => l.includes('@@')));
  },
);

test('fmnist show with colour: 14 lines of half blocks per 28×28 image', { skip }, async () => {
  const tc = await fmnist(['show', 'fashion', 'train', '0', '--color', 'truecolor']);
  assert.equal(tc.code, 0, tc.stderr);
  const lines = tc.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'fashion train[0]: Ankle boot (label 9)');
  assert.equal(lines.length, 15);
  assert.equal((lines[1].match(/▀/g) ?? []).length, 28);
  // Replayed like a terminal, the codes give back exactly the dataset's pixels.
  const ds = await loadDataset('fashion', { home: '/nonexistent-fmnist-home' });
  assert.deepEqual(decodeHalfBlocks(lines.slice(1), 28), Array.from(imageAt(ds.train, 0)));
  const c256 = await fmnist(['show', 'fashion', 'train', '0'], { COLORTERM: '', NO_COLOR: '' });
  assert.ok(
    c256.stdout.includes('\x1b[38;5;16m\x1b[48;5;16m▀'),
    'black background as xterm color 16',
  );
  assert.ok(!c256.stdout.includes(';2;'), 'no 24-bit codes in 256-colour mode');
});

test('fmnist show mnist works the same way', async () => {
  const { code, stdout } = await fmnist(['show', 'mnist', 'train', '0', '--ascii']);
  assert.equal(code, 0);
  assert.match(stdout, /^mnist train\[0\]: 5 \(label 5\)\n/);
});

test(
  'fmnist show: out-of-range index, bad split, unknown dataset all exit 1 with a clear message',
  { skip },
  async () => {
    const range = await fmnist(['show', 'fashion', 'test', '3', '10000']);
    assert.equal(range.code, 1);
    assert.equal(range.stdout, '');
    assert.match(
      range.stderr,
      /index 10000 is out of range for fashion test: valid range is 0\.\.9999/,
    );
    const notInt = await fmnist(['show', 'fashion', 'test', '-1']);
    assert.equal(notInt.code, 1);
    const split = await fmnist(['show', 'fashion', 'valid', '0']);
    assert.equal(split.code, 1);
    assert.match(split.stderr, /Allowed choices are train, test/);
    const ds = await fmnist(['show', 'kmnist', 'test', '0']);
    assert.equal(ds.code, 1);
    assert.match(ds.stderr, /unknown dataset 'kmnist'; expected one of: fashion, mnist/);
  },
);
