// A hand-written Snappy block format codec (github.com/google/snappy/blob/main/format_description.txt): a
// greedy LZ77 compressor with a 4-byte hash, and the decoder. bench/remote-write-encoding.ts measures the
// libraries the engine uses against it.

const MAX_OFFSET = 65_536;
const HASH_BITS = 14;

function varint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

function load32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

function literal(out: number[], src: Uint8Array, start: number, end: number): void {
  const len = end - start;
  if (len === 0) return;
  const n = len - 1;
  if (n < 60) out.push(n << 2);
  else if (n < 0x100) out.push(60 << 2, n);
  else if (n < 0x10000) out.push(61 << 2, n & 0xff, n >>> 8);
  else if (n < 0x1000000) out.push(62 << 2, n & 0xff, (n >>> 8) & 0xff, n >>> 16);
  else out.push(63 << 2, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  for (let i = start; i < end; i++) out.push(src[i]);
}

function copy(out: number[], offset: number, len: number): void {
  while (len >= 68) {
    out.push(2 | (63 << 2), offset & 0xff, offset >>> 8);
    len -= 64;
  }
  if (len > 64) {
    out.push(2 | (59 << 2), offset & 0xff, offset >>> 8);
    len -= 60;
  }
  if (len <= 11 && offset < 2048) out.push(1 | ((len - 4) << 2) | ((offset >>> 8) << 5), offset & 0xff);
  else out.push(2 | ((len - 1) << 2), offset & 0xff, offset >>> 8);
}

export function snappyCompress(src: Uint8Array): Buffer {
  const out: number[] = [];
  varint(out, src.length);
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let i = 0;
  let pending = 0;
  while (i + 4 <= src.length) {
    const word = load32(src, i);
    const h = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
    const candidate = table[h];
    table[h] = i;
    if (candidate >= 0 && i - candidate < MAX_OFFSET && load32(src, candidate) === word) {
      literal(out, src, pending, i);
      let len = 4;
      while (i + len < src.length && src[candidate + len] === src[i + len]) len++;
      copy(out, i - candidate, len);
      i += len;
      pending = i;
    } else i++;
  }
  literal(out, src, pending, src.length);
  return Buffer.from(out);
}

export function snappyUncompress(src: Uint8Array): Buffer {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= src.length) throw new Error('snappy: truncated length');
    const b = src[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = Buffer.alloc(length);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        len = 0;
        for (let k = 0; k < bytes; k++) len |= src[pos++] << (8 * k);
        len >>>= 0;
      }
      len += 1;
      if (pos + len > src.length || o + len > length) throw new Error('snappy: literal out of range');
      out.set(src.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos++];
    } else if (kind === 2) {
      len = (tag >>> 2) + 1;
      offset = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      len = (tag >>> 2) + 1;
      offset = (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16) | (src[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + len > length) throw new Error('snappy: copy out of range');
    for (let k = 0; k < len; k++, o++) out[o] = out[o - offset];
  }
  if (o !== length) throw new Error(`snappy: decoded ${o} bytes, header says ${length}`);
  return out;
}
