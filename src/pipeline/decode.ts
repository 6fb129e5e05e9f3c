/**
 * Step 1, reading: any image sharp (libvips) can decode → a Q16 RGB raster, matching what
 * ImageMagick 6.9 holds after `-regard-warnings IN -colorspace sRGB -background white
 * -alpha remove`. libvips and IM both decode JPEG with libjpeg(-turbo), so the RGB bytes
 * agree; the conversions that differ between the two libraries (CMYK → sRGB, alpha
 * flattening, 16-bit samples) are done here with IM's formulas instead of libvips's.
 * Common baseline JPEGs skip sharp altogether (jpeg/decode-jpeg.ts, same bytes).
 */
import type SharpDefault from 'sharp';
import { type Raster, QUANTUM_RANGE, createRaster } from './raster.js';
import { ImageDecodeError } from './errors.js';
import { decodeJpeg } from './jpeg/decode-jpeg.js';

/** What the file header says, enough to choose a decode path without a metadata call. */
export interface SniffResult {
  format: 'jpeg' | 'png' | 'other';
  cmyk: boolean;
  sixteenBit: boolean;
  /** width × height from a JPEG frame header (0 when unknown). */
  pixels: number;
}

/**
 * The JS JPEG decoder wins below about this many pixels (thumbnails: no per-call overhead);
 * above it libjpeg-turbo's SIMD code in sharp, off the JS thread, is faster.
 */
const FAST_JPEG_MAX_PIXELS = 10_000;

/** The JPEG frame header: components (1 gray, 3 YCbCr, 4 CMYK/YCCK) and size, or null. */
function jpegFrame(buf: Uint8Array): { components: number; pixels: number } | null {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      const height = (buf[i + 5] << 8) | buf[i + 6];
      const width = (buf[i + 7] << 8) | buf[i + 8];
      return { components: buf[i + 9], pixels: width * height };
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    i += 2 + ((buf[i + 2] << 8) | buf[i + 3]);
  }
  return null;
}

export function sniff(buf: Uint8Array): SniffResult {
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    const frame = jpegFrame(buf);
    return {
      format: 'jpeg',
      cmyk: frame?.components === 4,
      sixteenBit: false,
      pixels: frame?.pixels ?? 0,
    };
  }
  if (buf.length > 26 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) {
    return { format: 'png', cmyk: false, sixteenBit: buf[24] === 16, pixels: 0 };
  }
  return { format: 'other', cmyk: false, sixteenBit: false, pixels: 0 };
}

type Sharp = typeof SharpDefault;
let sharpLoading: Promise<Sharp> | null = null;
let tuneForSmallImages = false;

/**
 * sharp is loaded on first use: thumbnails never need it, and loading its native library
 * costs a worker thread ~0.1 s of CPU.
 */
function loadSharp(): Promise<Sharp> {
  sharpLoading ??= import('sharp').then(({ default: sharp }) => {
    if (tuneForSmallImages) {
      // libvips's operation cache and its own threads only add overhead for small images
      sharp.cache(false);
      sharp.concurrency(1);
    }
    return sharp;
  });
  return sharpLoading;
}

/** For worker threads converting many small files (process-wide sharp settings). */
export function tuneSharpForSmallImages(): void {
  tuneForSmallImages = true;
}

// failOn 'warning' is IM's -regard-warnings: a truncated JPEG is an error, not grey rows.
// ignoreIcc: IM's -colorspace sRGB relabels, it does not apply embedded profiles.
const SHARP_OPTIONS = { failOn: 'warning', ignoreIcc: true, limitInputPixels: 1e8 } as const;

const QUANTUM_SCALE = 1 / QUANTUM_RANGE;

/** IM's `-alpha remove` over opaque white for one Q16 sample (MagickOver_ with Da = 1). */
function flattenOnWhite(value: number, alpha: number): number {
  const sa = 1 - QUANTUM_SCALE * (QUANTUM_RANGE - alpha);
  const v = sa * value + QUANTUM_RANGE * (1 - sa);
  return v <= 0 ? 0 : v >= QUANTUM_RANGE ? QUANTUM_RANGE : Math.floor(v + 0.5);
}

/** Interleaved samples (1–4 channels, already Q16) → RGB raster, alpha flattened on white. */
function toRaster(
  width: number,
  height: number,
  channels: number,
  samples: ArrayLike<number>,
  scale: number,
): Raster {
  const raster = { ...createRaster(width, height), matte: channels === 2 || channels === 4 };
  const out = raster.data;
  if (channels === 3) {
    // the common case, kept branch-free
    for (let i = 0; i < out.length; i++) out[i] = samples[i] * scale;
    return raster;
  }
  const n = width * height;
  const hasAlpha = channels === 2 || channels === 4;
  const colour = hasAlpha ? channels - 1 : channels;
  for (let p = 0, i = 0, o = 0; p < n; p++, i += channels, o += 3) {
    let r = samples[i] * scale;
    let g = colour === 3 ? samples[i + 1] * scale : r;
    let b = colour === 3 ? samples[i + 2] * scale : r;
    if (hasAlpha) {
      const a = samples[i + colour] * scale;
      if (a !== QUANTUM_RANGE) {
        r = flattenOnWhite(r, a);
        g = flattenOnWhite(g, a);
        b = flattenOnWhite(b, a);
      }
    }
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
  }
  return raster;
}

/** IM 6.9's CMYK → RGB (no ICC): R = QR − (C/QR·(QR − K) + K), per channel, Q16-rounded. */
function cmykToRaster(width: number, height: number, channels: number, cmyk: Uint8Array): Raster {
  const raster = createRaster(width, height);
  const out = raster.data;
  const n = width * height;
  for (let p = 0, i = 0, o = 0; p < n; p++, i += channels, o += 3) {
    const k = cmyk[i + 3] * 257;
    for (let ch = 0; ch < 3; ch++) {
      const v = QUANTUM_RANGE - (QUANTUM_SCALE * cmyk[i + ch] * 257 * (QUANTUM_RANGE - k) + k);
      out[o + ch] = v <= 0 ? 0 : v >= QUANTUM_RANGE ? QUANTUM_RANGE : Math.floor(v + 0.5);
    }
  }
  return raster;
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (
    message
      .split('\n')[0]
      .replace(/^Input buffer (has|contains) /, '')
      .trim() || 'unknown error'
  );
}

async function decodeWith(input: Buffer, kind: SniffResult): Promise<Raster> {
  if (
    kind.format === 'jpeg' &&
    !kind.cmyk &&
    kind.pixels > 0 &&
    kind.pixels <= FAST_JPEG_MAX_PIXELS
  ) {
    // Fast path, bit-identical to libjpeg-turbo; null → let libjpeg (via sharp) decide.
    const jpeg = decodeJpeg(input);
    if (jpeg) return toRaster(jpeg.width, jpeg.height, jpeg.channels, jpeg.data, 257);
  }
  const sharp = await loadSharp();
  if (kind.cmyk) {
    const { data, info } = await sharp(input, SHARP_OPTIONS)
      .pipelineColourspace('cmyk')
      .toColourspace('cmyk')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return cmykToRaster(info.width, info.height, info.channels, data);
  }
  if (kind.sixteenBit) {
    const { data, info } = await sharp(input, SHARP_OPTIONS)
      .pipelineColourspace('rgb16')
      .toColourspace('rgb16')
      .raw({ depth: 'ushort' })
      .toBuffer({ resolveWithObject: true });
    const samples = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
    return toRaster(info.width, info.height, info.channels, samples, 1);
  }
  const { data, info } = await sharp(input, SHARP_OPTIONS)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toRaster(info.width, info.height, info.channels, data, 257);
}

/** Decodes one file's bytes; `source` only names the file in errors. */
export async function decodeImage(input: Buffer, source = 'input'): Promise<Raster> {
  if (input.length === 0) throw new ImageDecodeError(source, 'empty file');
  let kind = sniff(input);
  try {
    if (kind.format === 'other') {
      const sharp = await loadSharp();
      const meta = await sharp(input, SHARP_OPTIONS).metadata();
      kind = {
        format: 'other',
        cmyk: meta.space === 'cmyk',
        sixteenBit: meta.depth === 'ushort' || meta.space === 'rgb16' || meta.space === 'grey16',
        pixels: 0,
      };
    }
    return await decodeWith(input, kind);
  } catch (err) {
    throw new ImageDecodeError(source, describe(err));
  }
}
