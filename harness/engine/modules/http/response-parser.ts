// An incremental HTTP/1.1 response parser: the head, then a body framed by Content-Length, chunked
// transfer coding or the end of the connection (RFC 9112 §6.3). Interim 1xx responses are skipped.

/** What a parser reports: one head, then the body's bytes (de-chunked). `done` tells the end. */
export interface ResponseSink {
  onResponseHead(status: number, statusText: string, headers: string[], headBytes: number): void;
  onResponseData(chunk: Buffer): void;
}

/** A response that does not follow HTTP/1.1: the connection it came on cannot be used again. */
export class ResponseParseError extends Error {
  readonly code = 'K6_MALFORMED_RESPONSE';
}

// As Go's http.Transport (MaxResponseHeaderBytes' default).
const MAX_HEAD_BYTES = 1 << 20;
const MAX_CHUNK_LINE = 4096;

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
  Done,
}

const DIGITS = /^\d+$/;
const CHUNKED_LAST = /(?:^|,)\s*chunked\s*$/i;
const HEX = /^[0-9a-fA-F]+$/;

export class ResponseParser {
  private state = State.Done;
  private pending: Buffer | null = null;
  private remaining = 0;
  private noBody = false;
  private chunkLine = '';
  /** Whether the connection may carry another request after this response. */
  keepAlive = true;
  /** Whether any byte of the response has arrived. */
  started = false;

  constructor(private readonly sink: ResponseSink) {}

  /** Readies the parser for the response to a request; `noBody` for HEAD, whose response has none. */
  expect(noBody: boolean): void {
    this.state = State.Head;
    this.pending = null;
    this.noBody = noBody;
    this.keepAlive = true;
    this.started = false;
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /**
   * Parses `data`. Returns the number of bytes left over after the response ended (0 normally).
   * Throws ResponseParseError for a malformed response.
   */
  execute(data: Buffer): number {
    this.started = true;
    let at = 0;
    const end = data.length;
    while (at < end) {
      switch (this.state) {
        case State.Head: {
          let buf = data;
          let from = at;
          if (this.pending) {
            buf = Buffer.concat([this.pending, data.subarray(at)]);
            from = 0;
          }
          const stop = headEnd(buf, from);
          if (stop < 0) {
            if (buf.length - from > MAX_HEAD_BYTES) throw new ResponseParseError('response head too large');
            this.pending = buf === data ? Buffer.from(data.subarray(at)) : buf;
            return 0;
          }
          const pendingLength = this.pending ? this.pending.length : 0;
          this.pending = null;
          this.head(buf.toString('latin1', from, stop), stop - from);
          // Continue in `data`, past the head's bytes that came in this chunk.
          at = at + (stop - from) - pendingLength;
          break;
        }
        case State.Length:
        case State.ChunkData: {
          const n = Math.min(this.remaining, end - at);
          this.sink.onResponseData(data.subarray(at, at + n));
          at += n;
          this.remaining -= n;
          if (this.remaining > 0) break;
          if (this.state === State.Length) this.finish();
          else this.state = State.ChunkEnd;
          break;
        }
        case State.UntilClose:
          this.sink.onResponseData(at === 0 ? data : data.subarray(at));
          return 0;
        case State.ChunkSize:
        case State.ChunkEnd:
        case State.Trailers: {
          const nl = data.indexOf(10, at);
          const stop = nl < 0 ? end : nl;
          this.chunkLine += data.toString('latin1', at, stop);
          if (this.chunkLine.length > MAX_CHUNK_LINE) throw new ResponseParseError('chunk line too long');
          if (nl < 0) return 0;
          at = nl + 1;
          const line = this.chunkLine.endsWith('\r') ? this.chunkLine.slice(0, -1) : this.chunkLine;
          this.chunkLine = '';
          this.chunkLineDone(line);
          break;
        }
        case State.Done:
          return end - at;
      }
    }
    return 0;
  }

  /** The connection closed: true when that ends the response (a body read to the end of the connection). */
  endsWithConnection(): boolean {
    if (this.state !== State.UntilClose) return false;
    this.finish();
    return true;
  }

  private head(text: string, bytes: number): void {
    let eol = text.indexOf('\n');
    const statusLine = trimCR(text.slice(0, eol));
    // "HTTP/1.x NNN[ reason]"
    const status = statusLine.length >= 12 ? Number(statusLine.slice(9, 12)) : NaN;
    const minor = statusLine.charCodeAt(7);
    if (
      !statusLine.startsWith('HTTP/1.') ||
      (minor !== 48 && minor !== 49) ||
      statusLine.charCodeAt(8) !== 32 ||
      !(status >= 100 && status <= 999) ||
      (statusLine.length > 12 && statusLine.charCodeAt(12) !== 32)
    )
      throw new ResponseParseError(`malformed HTTP status line ${JSON.stringify(statusLine.slice(0, 64))}`);
    const headers: string[] = [];
    let length = -1;
    let chunked = false;
    let encoded = false;
    // HTTP/1.1 keeps the connection unless told to close it; HTTP/1.0 closes it unless told to keep it.
    let keepAlive = minor === 49;
    while (eol + 1 < text.length) {
      const from = eol + 1;
      eol = text.indexOf('\n', from);
      if (eol < 0) eol = text.length;
      const to = text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      if (to === from) continue;
      const first = text.charCodeAt(from);
      if ((first === 32 || first === 9) && headers.length > 0) {
        // An obsolete folded line continues the previous value.
        headers[headers.length - 1] += ' ' + text.slice(from, to).trim();
        continue;
      }
      const colon = text.indexOf(':', from);
      if (colon <= from || colon > to)
        throw new ResponseParseError(`malformed HTTP header line ${JSON.stringify(text.slice(from, to).slice(0, 64))}`);
      const name = text.slice(from, colon);
      const value = trimOWS(text, colon + 1, to);
      headers.push(name, value);
      switch (name.length) {
        case 10:
          if (name.toLowerCase() === 'connection') {
            const v = value.toLowerCase();
            if (v.includes('close')) keepAlive = false;
            else if (v.includes('keep-alive')) keepAlive = true;
          }
          break;
        case 14:
          if (name.toLowerCase() === 'content-length') {
            const n = DIGITS.test(value) ? Number(value) : NaN;
            if (!Number.isSafeInteger(n) || (length >= 0 && n !== length))
              throw new ResponseParseError(`bad Content-Length ${JSON.stringify(value)}`);
            length = n;
          }
          break;
        case 17:
          if (name.toLowerCase() === 'transfer-encoding') {
            encoded = true;
            chunked = CHUNKED_LAST.test(value);
          }
          break;
      }
    }
    if (status >= 100 && status < 200 && status !== 101) return; // interim: the final head follows
    this.keepAlive = keepAlive;
    this.sink.onResponseHead(status, statusLine.slice(13), headers, bytes);
    if (this.noBody || status === 204 || status === 304 || status === 101) {
      if (status === 101) this.keepAlive = false;
      this.finish();
    } else if (encoded) {
      if (chunked) this.state = State.ChunkSize;
      else {
        this.keepAlive = false;
        this.state = State.UntilClose;
      }
    } else if (length >= 0) {
      this.remaining = length;
      if (length === 0) this.finish();
      else this.state = State.Length;
    } else {
      this.keepAlive = false;
      this.state = State.UntilClose;
    }
  }

  private chunkLineDone(line: string): void {
    if (this.state === State.ChunkEnd) {
      if (line.length !== 0) throw new ResponseParseError('malformed chunked encoding');
      this.state = State.ChunkSize;
    } else if (this.state === State.ChunkSize) {
      const semicolon = line.indexOf(';');
      const size = (semicolon < 0 ? line : line.slice(0, semicolon)).trim();
      if (!HEX.test(size) || size.length > 12) throw new ResponseParseError('malformed chunked encoding');
      this.remaining = parseInt(size, 16);
      this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
    } else if (line.length === 0) this.finish(); // the blank line after the trailers
  }

  private finish(): void {
    this.state = State.Done;
  }
}

function trimCR(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** `text` from `from` to `to` without the spaces and tabs around it. */
function trimOWS(text: string, from: number, to: number): string {
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  return text.slice(from, to);
}

/** Where the head ends in `buf` (after its blank line), searching from `from`; −1 if not yet. */
function headEnd(buf: Buffer, from: number): number {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  if (crlf >= 0) return crlf + 4;
  const lf = buf.indexOf('\n\n', from, 'latin1');
  return lf < 0 ? -1 : lf + 2;
}
