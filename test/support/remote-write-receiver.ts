// A Prometheus remote-write receiver on loopback: decodes snappy + protobuf WriteRequests independently
// of the encoder under test.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uncompress } from 'snappyjs';

export interface ReceivedHistogram {
  count: number;
  sum: number;
  schema: number;
  zeroCount: number;
  spans: Array<{ offset: number; length: number }>;
  deltas: number[];
  timestamp: number;
}

export interface ReceivedSeries {
  labels: Record<string, string>;
  samples: Array<{ value: number; timestamp: number; raw: Buffer }>;
  histograms: ReceivedHistogram[];
}

export interface Receiver {
  url: string;
  requests: Array<{ headers: IncomingHttpHeaders; series: ReceivedSeries[] }>;
  /** Every series received, latest value last. */
  series(): ReceivedSeries[];
  close(): Promise<void>;
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  }
  int64(): number {
    const n = this.varint();
    return n >= 2 ** 63 ? n - 2 ** 64 : n;
  }
  sint(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
  bytes(): Buffer {
    const len = this.varint();
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  fixed64(): Buffer {
    const b = this.buf.subarray(this.pos, this.pos + 8);
    this.pos += 8;
    return b;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function fields(buf: Buffer, each: (field: number, wire: number, r: Reader) => void): void {
  const r = new Reader(buf);
  while (!r.done) {
    const tag = r.varint();
    each(Math.floor(tag / 8), tag & 7, r);
  }
}

function decodeHistogram(buf: Buffer): ReceivedHistogram {
  const h: ReceivedHistogram = { count: 0, sum: 0, schema: 0, zeroCount: 0, spans: [], deltas: [], timestamp: 0 };
  fields(buf, (f, w, r) => {
    if (f === 1) h.count = r.varint();
    else if (f === 3) h.sum = r.fixed64().readDoubleLE(0);
    else if (f === 4) h.schema = r.sint();
    else if (f === 6) h.zeroCount = r.varint();
    else if (f === 11) {
      const span = { offset: 0, length: 0 };
      fields(r.bytes(), (sf, _sw, sr) => {
        if (sf === 1) span.offset = sr.sint();
        else span.length = sr.varint();
      });
      h.spans.push(span);
    } else if (f === 12) {
      const packed = new Reader(r.bytes());
      while (!packed.done) h.deltas.push(packed.sint());
    } else if (f === 15) h.timestamp = r.int64();
    else r.skip(w);
  });
  return h;
}

export function decodeWriteRequest(body: Buffer): ReceivedSeries[] {
  const out: ReceivedSeries[] = [];
  fields(body, (f, w, r) => {
    if (f !== 1) return r.skip(w);
    const series: ReceivedSeries = { labels: {}, samples: [], histograms: [] };
    fields(r.bytes(), (tf, tw, tr) => {
      if (tf === 1) {
        let name = '';
        let value = '';
        fields(tr.bytes(), (lf, _lw, lr) => {
          if (lf === 1) name = lr.bytes().toString();
          else value = lr.bytes().toString();
        });
        series.labels[name] = value;
      } else if (tf === 2) {
        const sample = { value: 0, timestamp: 0, raw: Buffer.alloc(8) };
        fields(tr.bytes(), (sf, _sw, sr) => {
          if (sf === 1) {
            sample.raw = Buffer.from(sr.fixed64());
            sample.value = sample.raw.readDoubleLE(0);
          } else sample.timestamp = sr.int64();
        });
        series.samples.push(sample);
      } else if (tf === 4) series.histograms.push(decodeHistogram(tr.bytes()));
      else tr.skip(tw);
    });
    out.push(series);
  });
  return out;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const series = decodeWriteRequest(Buffer.from(uncompress(Buffer.concat(chunks))));
        requests.push({ headers: req.headers, series });
        res.statusCode = 204;
        res.end();
      } catch (err) {
        res.statusCode = 400;
        res.end((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    requests,
    series: () => requests.flatMap((r) => r.series),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
