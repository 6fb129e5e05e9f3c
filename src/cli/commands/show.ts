/**
 * `fmnist show <dataset> <train|test> <index...>`: draw images in the terminal. Each
 * character cell is an upper half block ▀ whose foreground is one pixel row and whose
 * background is the next, so a 28×28 image takes 28 columns × 14 lines; --ascii uses
 * shade characters instead (two per pixel, to keep the aspect ratio).
 */
import { Argument, Option, type Command } from 'commander';
import { DATASET_NAMES, imageAt, loadDatasetOrDir } from '../../data/index.js';

export type ColorMode = 'truecolor' | '256';

const ASCII_RAMP = ' .:-=+*#%@';
const RESET = '\x1b[0m';

/** Nearest xterm-256 colour index for a gray level: 16 (black), 232–255 (grays), 231 (white). */
export function gray256(v: number): number {
  let best = 16;
  let bestDist = v;
  for (let i = 0; i < 24; i++) {
    const d = Math.abs(v - (8 + 10 * i));
    if (d < bestDist) {
      best = 232 + i;
      bestDist = d;
    }
  }
  return 255 - v < bestDist ? 231 : best;
}

function fg(v: number, mode: ColorMode): string {
  return mode === 'truecolor' ? `\x1b[38;2;${v};${v};${v}m` : `\x1b[38;5;${gray256(v)}m`;
}

function bg(v: number, mode: ColorMode): string {
  return mode === 'truecolor' ? `\x1b[48;2;${v};${v};${v}m` : `\x1b[48;5;${gray256(v)}m`;
}

/**
 * Lines of half blocks for a height×width gray image (an odd last row gets a black
 * bottom). Colour codes are emitted only when they change, to keep the output small.
 */
export function renderHalfBlocks(
  img: Uint8Array,
  height: number,
  width: number,
  mode: ColorMode,
): string[] {
  const lines: string[] = [];
  for (let r = 0; r < height; r += 2) {
    let line = '';
    let lastTop = -1;
    let lastBottom = -1;
    for (let c = 0; c < width; c++) {
      const top = img[r * width + c];
      const bottom = r + 1 < height ? img[(r + 1) * width + c] : 0;
      if (top !== lastTop) line += fg(top, mode);
      if (bottom !== lastBottom) line += bg(bottom, mode);
      line += '▀';
      lastTop = top;
      lastBottom = bottom;
    }
    lines.push(line + RESET);
  }
  return lines;
}

/** Lines of ASCII shades, two characters per pixel. */
export function renderAscii(img: Uint8Array, height: number, width: number): string[] {
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    let line = '';
    for (let c = 0; c < width; c++) {
      const ch = ASCII_RAMP[Math.floor((img[r * width + c] * ASCII_RAMP.length) / 256)];
      line += ch + ch;
    }
    lines.push(line);
  }
  return lines;
}

function parseIndex(text: string, count: number, where: string): number {
  if (!/^\d+$/.test(text)) {
    throw new RangeError(
      `index '${text}' is not a non-negative integer (valid range for ${where}: 0..${count - 1})`,
    );
  }
  const index = Number(text);
  if (index >= count) {
    throw new RangeError(
      `index ${index} is out of range for ${where}: valid range is 0..${count - 1}`,
    );
  }
  return index;
}

interface ShowOptions {
  ascii?: boolean;
  color?: ColorMode;
  home?: string;
  dir?: string;
}

function colorMode(options: ShowOptions): ColorMode | 'ascii' {
  if (options.ascii) return 'ascii';
  if (options.color) return options.color;
  if (process.env.NO_COLOR) return 'ascii';
  const colorterm = process.env.COLORTERM ?? '';
  return colorterm === 'truecolor' || colorterm === '24bit' ? 'truecolor' : '256';
}

async function run(
  dataset: string,
  split: 'train' | 'test',
  indices: string[],
  options: ShowOptions,
): Promise<void> {
  const ds = await loadDatasetOrDir(dataset, { home: options.home, dir: options.dir });
  const data = ds[split];
  const where = `${ds.name} ${split}`;
  // Check every index before drawing anything.
  const parsed = indices.map((text) => parseIndex(text, data.count, where));
  const mode = colorMode(options);
  const blocks = parsed.map((index) => {
    const label = data.labels[index];
    const img = imageAt(data, index);
    const header = `${where}[${index}]: ${ds.classes[label]} (label ${label})`;
    const body =
      mode === 'ascii'
        ? renderAscii(img, data.height, data.width)
        : renderHalfBlocks(img, data.height, data.width, mode);
    return [header, ...body].join('\n');
  });
  process.stdout.write(blocks.join('\n\n') + '\n');
}

export function register(program: Command): void {
  program
    .command('show')
    .description('draw images of a dataset in the terminal, each under its index and class name')
    .addArgument(
      new Argument(
        '<dataset>',
        `dataset: ${DATASET_NAMES.join(', ')}, or a directory of MNIST-format files`,
      ),
    )
    .addArgument(new Argument('<split>', 'which split').choices(['train', 'test']))
    .addArgument(new Argument('<index...>', 'image index(es), 0-based'))
    .option(
      '--ascii',
      'draw with ASCII shades instead of colour half blocks (also the default when NO_COLOR is set)',
    )
    .addOption(
      new Option(
        '--color <mode>',
        'colour escape codes: 24-bit or xterm 256-colour grays (default: truecolor if $COLORTERM says so, else 256)',
      ).choices(['truecolor', '256']),
    )
    .option('--home <dir>', 'cache directory (default: $FMNIST_HOME or ~/.cache/fmnist)')
    .option('--dir <dir>', 'read the files from this directory only (content still verified)')
    .addHelpText(
      'after',
      `
Examples:
  fmnist show fashion test 0 1
  fmnist show mnist train 7 --ascii`,
    )
    .action((dataset: string, split: 'train' | 'test', indices: string[], options: ShowOptions) =>
      run(dataset, split, indices, options),
    );
}
