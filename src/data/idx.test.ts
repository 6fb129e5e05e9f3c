import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeIdx, encodeIdx, isGzip, readIdx, writeIdx, type IdxArray } from './idx.js';
import { IdxFormatError } from './errors.js';

const SHAPES = [[7], [3, 5], [2, 3, 4], [2, 1, 3, 2]];

function sample(type: IdxArray['type'], shape: number[]): IdxArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => i * 37 - 50);
  switch (type) {
    case 'u8':
      return { type, shape, data: Uint8Array.from(values, (v) => v & 0xff) };
    case 'i8':
      return { type, shape, data: Int8Array.from(values, (v) => (v % 128) - 1) };
    case 'i16':
      return { type, shape, data: Int16Array.from(values, (v) => v * 301) };
    case 'i32':
      return { type, shape, data: Int32Array.from(values, (v) => v * 40_000_001) };
    case 'f32':
      return { type, shape, data: Float32Array.from(values, (v) => v / 3) };
    case 'f64':
      return { type, shape, data: Float64Array.from(values, (v) => Math.PI * v) };
  }
}

const TYPES: IdxArray['type'][] = ['u8', 'i8', 'i16', 'i32', 'f32', 'f64'];

function expectIdxError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof IdxFormatError, `expected IdxFormatError, got ${String(err)}`);
    assert.equal(err.code, 'IDX_FORMAT');
    assert.equal(err.file, 'bad.idx');
    assert.match(err.message, /^bad\.idx: /);
    assert.match(err.reason, pattern);
    return true;
  });
}

test('round trip over every type code and 1–4 dimensions, raw and gzip', () => {
  for (const type of TYPES) {
    for (const shape of SHAPES) {
      const arr = sample(type, shape);
      const bytes = encodeIdx(arr);
      for (const input of [bytes, gzipSync(bytes)]) {
        const back = decodeIdx(input, 'mem');
        assert.equal(back.type, type);
        assert.deepEqual(back.shape, shape);
        assert.equal(back.data.constructor, arr.data.constructor);
        assert.deepEqual(Array.from(back.data), Array.from(arr.data));
      }
    }
  }
});

test('the header is big-endian with the documented type codes', () => {
  const bytes = encodeIdx({ type: 'i16', shape: [2, 1], data: Int16Array.of(0x0102, -2) });
  assert.deepEqual(
    Array.from(bytes),
    [0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xff, 0xfe],
  );
  const codes = TYPES.map((t) => encodeIdx(sample(t, [1]))[2]);
  assert.deepEqual(codes, [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e]);
});

test('u8 data is a view on the input buffer, not a copy', () => {
  const bytes = encodeIdx({ type: 'u8', shape: [2, 2], data: Uint8Array.of(1, 2, 3, 4) });
  const arr = decodeIdx(bytes, 'mem');
  assert.equal(arr.data.buffer, bytes.buffer);
  assert.equal(arr.data.byteOffset, 12);
  bytes[12] = 99;
  assert.equal(arr.data[0], 99);
});

test('decodes from a Buffer slice with a non-zero offset', () => {
  const inner = encodeIdx(sample('f32', [3, 2]));
  const padded = new Uint8Array(inner.length + 3);
  padded.set(inner, 3);
  const arr = decodeIdx(padded.subarray(3), 'mem');
  assert.deepEqual(Array.from(arr.data), Array.from(sample('f32', [3, 2]).data));
});

test('readIdx and writeIdx round trip on disk, raw and gzip, atomically', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fmnist-idx-'));
  try {
    const arr = sample('f64', [2, 3, 4]);
    await writeIdx(join(dir, 'a.idx'), arr);
    await writeIdx(join(dir, 'a.idx.gz'), arr, { gzip: true });
    assert.equal(isGzip(await readFile(join(dir, 'a.idx'))), false);
    assert.equal(isGzip(await readFile(join(dir, 'a.idx.gz'))), true);
    // Detection is by magic, not name: a gzip file without .gz still reads.
    await writeIdx(join(dir, 'plain-name'), arr, { gzip: true });
    for (const name of ['a.idx', 'a.idx.gz', 'plain-name']) {
      const back = await readIdx(join(dir, name));
      assert.deepEqual(back.shape, [2, 3, 4]);
      assert.deepEqual(Array.from(back.data), Array.from(arr.data));
    }
    assert.deepEqual((await readdir(dir)).sort(), ['a.idx', 'a.idx.gz', 'plain-name']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('error: wrong magic', () => {
  const bytes = encodeIdx(sample('u8', [4]));
  bytes[0] = 0x50;
  expectIdxError(
    () => decodeIdx(bytes, 'bad.idx'),
    /wrong magic: expected .*00 00, found 0x50 0x00/,
  );
  expectIdxError(() => decodeIdx(Uint8Array.of(0, 0), 'bad.idx'), /4-byte magic.*found only 2/);
});

test('error: unknown type code', () => {
  const bytes = encodeIdx(sample('u8', [4]));
  bytes[2] = 0x0a;
  expectIdxError(() => decodeIdx(bytes, 'bad.idx'), /unknown type code 0x0a: expected one of 0x08/);
});

test('error: header shorter than its dimension count says', () => {
  const bytes = Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1, 0, 0);
  expectIdxError(
    () => decodeIdx(bytes, 'bad.idx'),
    /declares 3 dimension\(s\), so it needs 16 bytes, but the file has only 10/,
  );
});

test('error: truncated body', () => {
  const bytes = encodeIdx(sample('i32', [2, 3]));
  expectIdxError(
    () => decodeIdx(bytes.subarray(0, bytes.length - 5), 'bad.idx'),
    /truncated body: shape \[2, 3\] of i32 needs 24 bytes .* found 19/,
  );
});

test('error: trailing bytes', () => {
  const bytes = encodeIdx(sample('u8', [2, 2]));
  const longer = new Uint8Array(bytes.length + 2);
  longer.set(bytes);
  expectIdxError(
    () => decodeIdx(longer, 'bad.idx'),
    /2 trailing byte\(s\).*needs 4 bytes .* found 6/,
  );
});

test('error: corrupt gzip (bad data and truncated stream)', async () => {
  const gz = gzipSync(encodeIdx(sample('u8', [50, 50])));
  const damaged = Uint8Array.from(gz);
  for (let i = 12; i < 40; i++) damaged[i] ^= 0xa5;
  expectIdxError(() => decodeIdx(damaged, 'bad.idx'), /corrupt gzip data/);
  expectIdxError(() => decodeIdx(gz.subarray(0, gz.length - 30), 'bad.idx'), /corrupt gzip data/);

  const dir = await mkdtemp(join(tmpdir(), 'fmnist-idx-'));
  try {
    await writeFile(join(dir, 'bad.idx'), damaged);
    await assert.rejects(readIdx(join(dir, 'bad.idx')), (err: unknown) => {
      assert.ok(err instanceof IdxFormatError);
      assert.equal(err.file, join(dir, 'bad.idx'));
      assert.match(err.message, /corrupt gzip data/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('encodeIdx rejects inconsistent arrays with clear messages', () => {
  assert.throws(
    () => encodeIdx({ type: 'u8', shape: [2, 3], data: new Uint8Array(5) }),
    /shape \[2, 3\] holds 6 elements but data has 5/,
  );
  assert.throws(
    () => encodeIdx({ type: 'f32', shape: [2], data: new Float64Array(2) } as unknown as IdxArray),
    /type 'f32' needs data as a Float32Array. Got Float64Array/,
  );
  assert.throws(
    () => encodeIdx({ type: 'u8', shape: [-1], data: new Uint8Array(0) }),
    /every dimension must be an integer/,
  );
});
