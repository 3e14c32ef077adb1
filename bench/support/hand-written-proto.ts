// A hand-written encoder of the Prometheus remote write 1.0 WriteRequest (prompb/remote.proto,
// prompb/types.proto): bench/remote-write-encoding.ts measures the engine's encoder against it.

import type { NativeHistogram, TimeSeries } from '../../harness/engine/output/remote-write/proto.ts';

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;

class Writer {
  buf: Buffer;
  len = 0;

  constructor(size = 64) {
    this.buf = Buffer.allocUnsafe(size);
  }

  #ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  varint(n: number): void {
    this.#ensure(10);
    // Arithmetic instead of bit operations: timestamps exceed 32 bits.
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  uint(field: number, n: number): void {
    if (n === 0) return;
    this.tag(field, VARINT);
    this.varint(n);
  }

  /** int64: negative values take ten bytes, two's complement. */
  int(field: number, n: number): void {
    if (n === 0) return;
    this.tag(field, VARINT);
    if (n >= 0) this.varint(n);
    else this.varint(2 ** 64 + n); // loses precision only below -2^53, which timestamps never are
  }

  sint(field: number, n: number): void {
    if (n === 0) return;
    this.tag(field, VARINT);
    this.varint(zigzag(n));
  }

  double(field: number, v: number): void {
    if (v === 0 && !Object.is(v, -0)) return;
    this.tag(field, FIXED64);
    this.#ensure(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
  }

  /** Prometheus' stale marker: a NaN with its own bit pattern (0x7ff0000000000002). */
  staleMarker(field: number): void {
    this.tag(field, FIXED64);
    this.#ensure(8);
    this.buf.writeUInt32LE(0x00000002, this.len);
    this.buf.writeUInt32LE(0x7ff00000, this.len + 4);
    this.len += 8;
  }

  string(field: number, s: string): void {
    const n = Buffer.byteLength(s);
    this.tag(field, BYTES);
    this.varint(n);
    this.#ensure(n);
    this.buf.write(s, this.len, 'utf8');
    this.len += n;
  }

  message(field: number, write: (w: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.tag(field, BYTES);
    this.varint(inner.len);
    this.#ensure(inner.len);
    inner.buf.copy(this.buf, this.len, 0, inner.len);
    this.len += inner.len;
  }

  packedSint(field: number, values: number[]): void {
    if (values.length === 0) return;
    const inner = new Writer();
    for (const v of values) inner.varint(zigzag(v));
    this.tag(field, BYTES);
    this.varint(inner.len);
    this.#ensure(inner.len);
    inner.buf.copy(this.buf, this.len, 0, inner.len);
    this.len += inner.len;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function writeHistogram(w: Writer, h: NativeHistogram): void {
  w.uint(1, h.count); // count_int
  w.double(3, h.sum);
  w.sint(4, h.schema);
  w.double(5, h.zeroThreshold);
  w.uint(6, h.zeroCount); // zero_count_int
  for (const span of h.positiveSpans)
    w.message(11, (s) => {
      s.sint(1, span.offset);
      s.uint(2, span.length);
    });
  w.packedSint(12, h.positiveDeltas);
  w.int(15, h.timestamp);
}

export function encodeWriteRequestByHand(series: TimeSeries[]): Buffer {
  const w = new Writer(16_384);
  for (const ts of series) {
    w.message(1, (t) => {
      for (const label of ts.labels)
        t.message(1, (l) => {
          l.string(1, label.name);
          l.string(2, label.value);
        });
      for (const sample of ts.samples ?? [])
        t.message(2, (s) => {
          if (sample.stale) s.staleMarker(1);
          else s.double(1, sample.value);
          s.int(2, sample.timestamp);
        });
      for (const h of ts.histograms ?? []) t.message(4, (m) => writeHistogram(m, h));
    });
  }
  return Buffer.from(w.bytes());
}
