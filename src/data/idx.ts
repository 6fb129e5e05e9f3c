/**
 * The IDX format of the MNIST files: a 4-byte magic (0, 0, type code, number of dims),
 * each dim as a big-endian uint32, then the elements big-endian in row-major order.
 * Files may be gzip-compressed; we detect that by the gzip magic (1f 8b), never by name.
 */
import { readFile } from 'node:fs/promises';
import { gunzip, gunzipSync, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { writeFileAtomic } from './atomic.js';
import { IdxFormatError } from './errors.js';

export type IdxType = 'u8' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64';

export interface IdxDataTypes {
  u8: Uint8Array;
  i8: Int8Array;
  i16: Int16Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}

/** An IDX array of one element type; `shape`'s product equals `data.length`. */
export interface IdxArrayOf<T extends IdxType> {
  type: T;
  shape: number[];
  data: IdxDataTypes[T];
}

/** An IDX array of any element type, discriminated by `type`. */
export type IdxArray = { [T in IdxType]: IdxArrayOf<T> }[IdxType];

interface TypeInfo {
  code: number;
  size: number;
  ctor: { new (buffer: ArrayBuffer, byteOffset?: number, length?: number): IdxDataTypes[IdxType] };
}

const TYPES: Record<IdxType, TypeInfo> = {
  u8: { code: 0x08, size: 1, ctor: Uint8Array },
  i8: { code: 0x09, size: 1, ctor: Int8Array },
  i16: { code: 0x0b, size: 2, ctor: Int16Array },
  i32: { code: 0x0c, size: 4, ctor: Int32Array },
  f32: { code: 0x0d, size: 4, ctor: Float32Array },
  f64: { code: 0x0e, size: 8, ctor: Float64Array },
};

const TYPE_BY_CODE = new Map<number, IdxType>(
  (Object.keys(TYPES) as IdxType[]).map((t) => [TYPES[t].code, t]),
);

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** True when `bytes` start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function corruptGzip(file: string, err: unknown): IdxFormatError {
  const detail = err instanceof Error ? err.message : String(err);
  return new IdxFormatError(file, `corrupt gzip data (${detail})`);
}

/** Decompress gzip bytes off the main thread; corrupt input becomes an IdxFormatError. */
export async function gunzipBytes(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  try {
    return await promisify(gunzip)(bytes);
  } catch (err) {
    throw corruptGzip(file, err);
  }
}

/**
 * Decode IDX bytes (raw, or gzip detected by magic) into a typed array. For u8 and i8
 * the data is a view on `bytes` (or on the decompressed buffer): no copy.
 * `file` only names the source in error messages.
 */
export function decodeIdx(bytes: Uint8Array, file: string): IdxArray {
  if (isGzip(bytes)) {
    let raw: Uint8Array;
    try {
      raw = gunzipSync(bytes);
    } catch (err) {
      throw corruptGzip(file, err);
    }
    return decodeRawIdx(raw, file);
  }
  return decodeRawIdx(bytes, file);
}

function decodeRawIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new IdxFormatError(
      file,
      `expected a 4-byte magic number, found only ${bytes.length} byte(s)`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      file,
      `wrong magic: expected the first two bytes to be 00 00, found ${hex(bytes[0])} ${hex(bytes[1])}`,
    );
  }
  const type = TYPE_BY_CODE.get(bytes[2]);
  if (type === undefined) {
    throw new IdxFormatError(
      file,
      `unknown type code ${hex(bytes[2])}: expected one of 0x08 (u8), 0x09 (i8), 0x0b (i16), 0x0c (i32), 0x0d (f32), 0x0e (f64)`,
    );
  }
  const ndims = bytes[3];
  const headerSize = 4 + 4 * ndims;
  if (bytes.length < headerSize) {
    throw new IdxFormatError(
      file,
      `header declares ${ndims} dimension(s), so it needs ${headerSize} bytes, but the file has only ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const dim = view.getUint32(4 + 4 * i, false);
    shape.push(dim);
    count *= dim;
  }
  const { size, ctor } = TYPES[type];
  const expectedBody = count * size;
  const actualBody = bytes.length - headerSize;
  if (actualBody < expectedBody) {
    throw new IdxFormatError(
      file,
      `truncated body: shape [${shape.join(', ')}] of ${type} needs ${expectedBody} bytes after the ${headerSize}-byte header, found ${actualBody}`,
    );
  }
  if (actualBody > expectedBody) {
    throw new IdxFormatError(
      file,
      `${actualBody - expectedBody} trailing byte(s): shape [${shape.join(', ')}] of ${type} needs ${expectedBody} bytes after the ${headerSize}-byte header, found ${actualBody}`,
    );
  }
  const start = bytes.byteOffset + headerSize;
  if (size === 1) {
    return { type, shape, data: new ctor(bytes.buffer as ArrayBuffer, start, count) } as IdxArray;
  }
  // Multi-byte elements: copy into an aligned buffer, swapping to host byte order.
  const out = new Uint8Array(expectedBody);
  out.set(bytes.subarray(headerSize));
  if (LITTLE_ENDIAN_HOST) swapBytes(out, size);
  return { type, shape, data: new ctor(out.buffer, 0, count) } as IdxArray;
}

/** Reverse the bytes of every `size`-byte element in place (big ↔ little endian). */
function swapBytes(buf: Uint8Array, size: number): void {
  for (let i = 0; i < buf.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = buf[a];
      buf[a] = buf[b];
      buf[b] = t;
    }
  }
}

function typeOfData(data: unknown): IdxType | undefined {
  for (const t of Object.keys(TYPES) as IdxType[]) {
    if (data instanceof TYPES[t].ctor) return t;
  }
  return undefined;
}

/** Encode a typed array as raw (uncompressed) IDX bytes. */
export function encodeIdx(arr: IdxArray): Uint8Array {
  const info = TYPES[arr.type];
  if (info === undefined) {
    throw new TypeError(
      `encodeIdx: 'type' must be one of ${Object.keys(TYPES).join(', ')}. Got ${String(arr.type)}.`,
    );
  }
  const actualType = typeOfData(arr.data);
  if (actualType !== arr.type) {
    throw new TypeError(
      `encodeIdx: type '${arr.type}' needs data as a ${info.ctor.name}. Got ${
        (arr.data as object)?.constructor?.name ?? typeof arr.data
      }.`,
    );
  }
  if (!Array.isArray(arr.shape) || arr.shape.length > 255) {
    throw new RangeError(
      `encodeIdx: 'shape' must be an array of at most 255 dimensions. Got ${String(arr.shape)}.`,
    );
  }
  let count = 1;
  for (const dim of arr.shape) {
    if (!Number.isInteger(dim) || dim < 0 || dim > 0xffffffff) {
      throw new RangeError(
        `encodeIdx: every dimension must be an integer in [0, 4294967295]. Got shape [${arr.shape.join(', ')}].`,
      );
    }
    count *= dim;
  }
  if (count !== arr.data.length) {
    throw new RangeError(
      `encodeIdx: shape [${arr.shape.join(', ')}] holds ${count} elements but data has ${arr.data.length}.`,
    );
  }
  const headerSize = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(headerSize + count * info.size);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = arr.shape.length;
  arr.shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  const body = out.subarray(headerSize);
  body.set(new Uint8Array(arr.data.buffer, arr.data.byteOffset, count * info.size));
  if (info.size > 1 && LITTLE_ENDIAN_HOST) swapBytes(body, info.size);
  return out;
}

/** Read an IDX file, raw or gzip. */
export async function readIdx(path: string): Promise<IdxArray> {
  const bytes = await readFile(path);
  const raw = isGzip(bytes) ? await gunzipBytes(bytes, path) : bytes;
  return decodeIdx(raw, path);
}

export interface WriteIdxOptions {
  /** Compress with gzip. @default false */
  gzip?: boolean;
  /** zlib compression level 0–9 when gzip is on. @default 6 */
  level?: number;
}

/** Write an IDX file atomically (temp file + rename), optionally gzip-compressed. */
export async function writeIdx(
  path: string,
  arr: IdxArray,
  options: WriteIdxOptions = {},
): Promise<void> {
  let bytes = encodeIdx(arr);
  if (options.gzip) bytes = await promisify(gzip)(bytes, { level: options.level ?? 6 });
  await writeFileAtomic(path, bytes);
}
