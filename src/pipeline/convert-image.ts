/**
 * The paper's 7 steps end to end (pipeline-spec.md): read, trim (fuzz 5%), sample to fit
 * 28×28, sharpen (adaptive or plain), extend to 28×28 on white, negate, 8-bit gray.
 * Equivalent to ImageMagick 6.9's
 *   convert IN -fuzz 5% -trim +repage -sample 28x28 -adaptive-sharpen 1x1 -gravity center
 *     -background white -extent 28x28 +repage -negate -colorspace Gray -depth 8 OUT.png
 */
import { type Raster } from './raster.js';
import { decodeImage } from './decode.js';
import { DEFAULT_FUZZ, trim } from './steps/trim.js';
import { sampleToFit } from './steps/sample.js';
import { sharpen } from './steps/sharpen.js';
import { adaptiveSharpen } from './steps/adaptive-sharpen.js';
import { extentCentered } from './steps/extent.js';
import { negate } from './steps/negate.js';
import { toGray8 } from './steps/grayscale.js';
import { DEFAULT_MIN_P99, percentile99 } from './contrast.js';

export const SIDE = 28;
export type SharpenMode = 'adaptive' | 'plain';
export const SHARPEN_MODES: readonly SharpenMode[] = ['adaptive', 'plain'];

export interface ConvertOptions {
  /** @default 'adaptive' (the paper's "increasing effect near outlines") */
  sharpen?: SharpenMode;
  /** Collect the image after every step (for the `--steps` strip). @default false */
  steps?: boolean;
  /** Outputs whose 99th-percentile intensity is below this are 'low-contrast'. @default 40 */
  minP99?: number;
  /** Trim fuzz in Q16 units. @default 5% of 65536 */
  fuzz?: number;
}

export type StepName = 'read' | 'trim' | 'sample' | 'sharpen' | 'extent' | 'negate' | 'gray';

export interface StepImage {
  name: StepName;
  raster: Raster;
}

export interface ConvertResult {
  /** 28×28 gray, row-major; null when the trim left nothing ('empty'). */
  pixels: Uint8Array | null;
  status: 'ok' | 'low-contrast' | 'empty';
  /** 99th-percentile output intensity (0 when empty). */
  p99: number;
  steps?: StepImage[];
}

/** The 7 steps on an already-decoded raster (pure, synchronous). */
export function convertRaster(raster: Raster, options: ConvertOptions = {}): ConvertResult {
  const mode = options.sharpen ?? 'adaptive';
  if (mode !== 'adaptive' && mode !== 'plain') {
    throw new RangeError(
      `convertImage: 'sharpen' must be 'adaptive' or 'plain'. Got ${String(mode)}.`,
    );
  }
  const steps: StepImage[] | undefined = options.steps ? [{ name: 'read', raster }] : undefined;
  const trimmed = trim(raster, options.fuzz ?? DEFAULT_FUZZ);
  if (trimmed === null)
    return { pixels: null, status: 'empty', p99: 0, ...(steps ? { steps } : {}) };
  steps?.push({ name: 'trim', raster: trimmed });
  const sampled = sampleToFit(trimmed, SIDE, SIDE);
  steps?.push({ name: 'sample', raster: sampled });
  const sharpened =
    mode === 'adaptive' ? adaptiveSharpen(sampled, raster.matte === true) : sharpen(sampled);
  steps?.push({ name: 'sharpen', raster: sharpened });
  const extended = extentCentered(sharpened, SIDE, SIDE);
  steps?.push({ name: 'extent', raster: extended });
  const negated = negate(extended);
  steps?.push({ name: 'negate', raster: negated });
  const pixels = toGray8(negated);
  if (steps) {
    const gray = {
      width: SIDE,
      height: SIDE,
      channels: 3 as const,
      data: new Uint16Array(SIDE * SIDE * 3),
    };
    for (let i = 0; i < pixels.length; i++) gray.data.fill(pixels[i] * 257, i * 3, i * 3 + 3);
    steps.push({ name: 'gray', raster: gray });
  }
  const p99 = percentile99(pixels);
  const status = p99 < (options.minP99 ?? DEFAULT_MIN_P99) ? 'low-contrast' : 'ok';
  return { pixels, status, p99, ...(steps ? { steps } : {}) };
}

/** Decodes `input` (any format sharp reads) and runs the 7 steps. Throws ImageDecodeError. */
export async function convertImage(
  input: Buffer,
  options: ConvertOptions & { source?: string } = {},
): Promise<ConvertResult> {
  const raster = await decodeImage(input, options.source);
  return convertRaster(raster, options);
}
