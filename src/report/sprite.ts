/**
 * The sprite of the paper's Table 2: N examples of every class, one class per row,
 * each row labelled with its class name, drawn as a PNG. Pixels are shown as stored
 * (0 = background = black), scaled up without smoothing so each pixel stays visible.
 */
import sharp from 'sharp';
import { escapeHtml } from './html-escape.js';
import { pickPerClass } from './sample.js';

/** The parts of a dataset split a sprite needs (src/data/load.ts's Split has them). */
export interface ImageSplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
}

export interface SpriteOptions {
  /** Examples per class. @default 10 */
  readonly perClass?: number;
  /** Seed of the random choice of examples. @default 0 */
  readonly seed?: number;
  /** Screen pixels per image pixel. @default 2 */
  readonly scale?: number;
}

export interface SpriteLayout {
  readonly width: number;
  readonly height: number;
  readonly labelWidth: number;
  readonly cell: number;
  readonly gap: number;
  /** The examples drawn: row k holds class k's indices into the split. */
  readonly picked: number[][];
}

const GAP = 2;
const MARGIN = 8;
const BACKGROUND = 16;

export async function renderSprite(
  split: ImageSplit,
  classes: readonly string[],
  options: SpriteOptions = {},
): Promise<{ png: Buffer; layout: SpriteLayout }> {
  const perClass = options.perClass ?? 10;
  const scale = options.scale ?? 2;
  const layout = spriteLayout(split, classes, perClass, scale, options.seed ?? 0);
  const pixels = new Uint8Array(layout.width * layout.height).fill(BACKGROUND);
  const { cell, gap, labelWidth } = layout;
  layout.picked.forEach((indices, row) => {
    indices.forEach((index, col) => {
      const left = labelWidth + col * (cell + gap);
      const top = MARGIN + row * (cell + gap);
      drawScaled(split, index, pixels, layout.width, left, top, scale);
    });
  });
  const labels = labelsSvg(classes, layout);
  const png = await sharp(Buffer.from(pixels), {
    raw: { width: layout.width, height: layout.height, channels: 1 },
  })
    .toColourspace('srgb')
    .composite([{ input: Buffer.from(labels), top: 0, left: 0 }])
    .png({ compressionLevel: 9 })
    .toBuffer();
  return { png, layout };
}

export function spriteLayout(
  split: ImageSplit,
  classes: readonly string[],
  perClass: number,
  scale: number,
  seed: number,
): SpriteLayout {
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new RangeError(`perClass must be an int in [1, inf). Got ${perClass}.`);
  }
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) {
    throw new RangeError(`scale must be an int in [1, 16]. Got ${scale}.`);
  }
  if (
    split.images.length !== split.count * split.height * split.width ||
    split.labels.length !== split.count
  ) {
    throw new RangeError(
      `The split's arrays disagree with its shape: ${split.images.length} pixels and ${split.labels.length} labels for ${split.count} images of ${split.height}×${split.width}.`,
    );
  }
  const picked = pickPerClass(split.labels, classes.length, perClass, seed);
  const cell = split.width * scale;
  const cellHeight = split.height * scale;
  if (cell !== cellHeight)
    throw new RangeError(`Sprites need square images. Got ${split.height}×${split.width}.`);
  const fontSize = Math.max(11, Math.round(cell * 0.27));
  const longest = Math.max(...classes.map((c) => c.length));
  const labelWidth = MARGIN * 2 + Math.ceil(longest * fontSize * 0.62);
  return {
    width: labelWidth + perClass * (cell + GAP) - GAP + MARGIN,
    height: MARGIN * 2 + classes.length * (cell + GAP) - GAP,
    labelWidth,
    cell,
    gap: GAP,
    picked,
  };
}

/** Nearest-neighbour upscaling of one image into the sprite's pixel buffer. */
function drawScaled(
  split: ImageSplit,
  index: number,
  out: Uint8Array,
  outWidth: number,
  left: number,
  top: number,
  scale: number,
): void {
  const { width, height } = split;
  const base = index * width * height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = split.images[base + y * width + x];
      for (let dy = 0; dy < scale; dy++) {
        const o = (top + y * scale + dy) * outWidth + left + x * scale;
        out.fill(v, o, o + scale);
      }
    }
  }
}

/** Class names, right-aligned beside their rows (sharp rasterises the SVG text). */
function labelsSvg(classes: readonly string[], layout: SpriteLayout): string {
  const fontSize = Math.max(11, Math.round(layout.cell * 0.27));
  const texts = classes.map((name, row) => {
    const y = MARGIN + row * (layout.cell + layout.gap) + layout.cell / 2;
    return `<text x="${layout.labelWidth - MARGIN}" y="${y}" dominant-baseline="central" text-anchor="end">${escapeHtml(name)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">
<g font-family="DejaVu Sans, Noto Sans, Liberation Sans, sans-serif" font-size="${fontSize}" fill="#e8eaed">${texts.join('')}</g>
</svg>`;
}
