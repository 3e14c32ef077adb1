// One HTTP/1.1 connection: a socket that carries one request at a time, as Go's persistent connection does
// for k6. It writes the request, parses the response, and hands itself back to its pool when the response
// allows another request on it.
import type { Socket } from 'node:net';
import type { RequestBody } from './params.ts';
import { ResponseParser, type ResponseSink } from './response-parser.ts';

/** The far end of a connection, as k6's response reports it (remote_ip, remote_port, tls_version, tls_cipher_suite). */
export interface Peer {
  ip: string;
  port: number;
  tlsVersion: string;
  tlsCipherSuite: string;
}

/** What setting up the connection took; zeros for a request that reuses it. */
export interface ConnectionTiming {
  lookingUp: number;
  connecting: number;
  tlsHandshaking: number;
  peer: Peer;
}

export interface OutgoingRequest {
  method: string;
  path: string;
  /** The Host header, unless `headers` has one. */
  host: string;
  /** Name/value pairs. */
  headers: string[];
  /** Whether `headers` are known good (the defaults): not validated again. */
  trusted: boolean;
  body: RequestBody;
  /** `Connection: close`, and the connection is closed after the response (k6's noConnectionReuse). */
  close: boolean;
}

/** The exchange a connection carries: told each step of its request and response. */
export interface ExchangeHandler {
  /** The connection is the request's; false if the exchange ended meanwhile (the connection stays free). */
  onConnect(connection: H1Connection, timing: ConnectionTiming): boolean;
  /** The request is written; `bytes` of it. */
  onRequestSent(bytes: number): void;
  /** The first byte of the response arrived. */
  onResponseStarted(): void;
  onHeaders(status: number, statusText: string, headers: string[], headBytes: number): void;
  /** A piece of the body, valid only during the call. */
  onData(chunk: Buffer): void;
  onComplete(): void;
  onError(err: Error): void;
}

/** The pool a connection belongs to. */
export interface ConnectionOwner {
  /** The connection may carry another request. */
  release(connection: H1Connection): void;
  /** The connection closed. */
  closed(connection: H1Connection): void;
  /** Sends a request on one of the pool's connections (a request this one could not carry). */
  dispatch(request: OutgoingRequest, handler: ExchangeHandler): void;
}

const connections = new WeakMap<Socket, H1Connection>();

/**
 * The `onread` option for plain sockets: every read of the thread's connections lands in one buffer, handed
 * to the connection it came on without a Buffer or a stream event per read. The bytes are valid only until
 * the connection's handler returns.
 */
export const BORROWED_READS = {
  buffer: Buffer.allocUnsafe(64 * 1024),
  callback(this: Socket, bytes: number, buffer: Uint8Array): boolean {
    connections.get(this)?.receive((buffer as Buffer).subarray(0, bytes));
    return true; // keep reading
  },
};

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;
// As Go's Request.isReplayable: these may be sent again when a kept-alive connection turns out closed.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const LENGTH_REQUIRED = new Set(['POST', 'PUT', 'PATCH']);

export class H1Connection implements ResponseSink {
  private handler: ExchangeHandler | null = null;
  private request: OutgoingRequest | null = null;
  private readonly parser = new ResponseParser(this);
  private readonly reusedTiming: ConnectionTiming;
  private uses = 0;
  private error: Error | undefined;
  closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly timing: ConnectionTiming,
    private readonly owner: ConnectionOwner,
  ) {
    this.reusedTiming = { lookingUp: 0, connecting: 0, tlsHandshaking: 0, peer: timing.peer };
    connections.set(socket, this);
    // A TLS socket (no `onread`) reads as a stream.
    socket.on('data', (data: Buffer) => this.receive(data));
    socket.on('error', (err: Error) => (this.error = err));
    socket.on('close', () => this.onSocketClose());
  }

  get busy(): boolean {
    return this.handler !== null;
  }

  /** Sends `request` on this connection, reporting to `handler`. */
  send(request: OutgoingRequest, handler: ExchangeHandler): void {
    if (!handler.onConnect(this, this.uses === 0 ? this.timing : this.reusedTiming)) {
      this.owner.release(this);
      return;
    }
    this.uses++;
    this.handler = handler;
    this.request = request;
    this.parser.expect(request.method === 'HEAD');
    this.socket.ref();
    let bytes: number;
    try {
      bytes = write(this.socket, request);
    } catch (err) {
      // An invalid header: nothing was written, the connection is still good.
      this.handler = null;
      this.owner.release(this);
      handler.onError(err as Error);
      return;
    }
    handler.onRequestSent(bytes);
  }

  /** Ends the exchange `handler` has on this connection (a timeout or a stopped VU), closing the connection. */
  abort(handler: ExchangeHandler): void {
    if (this.handler !== handler) return;
    this.handler = null;
    this.destroy();
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  onResponseHead(status: number, statusText: string, headers: string[], headBytes: number): void {
    this.handler!.onHeaders(status, statusText, headers, headBytes);
  }

  onResponseData(chunk: Buffer): void {
    this.handler!.onData(chunk);
  }

  /** Bytes read from the socket (borrowed: see BORROWED_READS). */
  receive(data: Buffer): void {
    const handler = this.handler;
    if (!handler) {
      // Bytes nobody asked for: the connection cannot be trusted with another request.
      this.destroy();
      return;
    }
    if (!this.parser.started) handler.onResponseStarted();
    let extra: number;
    try {
      extra = this.parser.execute(data);
    } catch (err) {
      this.handler = null;
      this.destroy();
      handler.onError(err as Error);
      return;
    }
    if (this.handler === handler && this.parser.done) this.complete(handler, extra === 0);
  }

  private complete(handler: ExchangeHandler, clean: boolean): void {
    this.handler = null;
    if (clean && this.parser.keepAlive && !this.request!.close && !this.closed) {
      this.socket.unref();
      this.owner.release(this);
    } else this.destroy();
    handler.onComplete();
  }

  private onSocketClose(): void {
    this.closed = true;
    this.owner.closed(this);
    const handler = this.handler;
    if (!handler) return;
    this.handler = null;
    if (this.parser.endsWithConnection()) {
      handler.onComplete();
      return;
    }
    const request = this.request!;
    if (!this.parser.started && this.uses > 1 && replayable(request)) {
      // As Go: the server closed a kept-alive connection as the request went out; send it on another.
      this.owner.dispatch(request, handler);
      return;
    }
    handler.onError(this.error ?? Object.assign(new Error('unexpected EOF'), { code: 'K6_UNEXPECTED_EOF' }));
  }
}

function replayable(request: OutgoingRequest): boolean {
  if (IDEMPOTENT.has(request.method)) return true;
  const h = request.headers;
  for (let i = 0; i < h.length; i += 2) if (h[i].toLowerCase() === 'idempotency-key') return true;
  return false;
}

/** Writes the request (one write, or one corked pair with a binary body); returns its bytes. */
function write(socket: Socket, request: OutgoingRequest): number {
  const { headers, body } = request;
  let host = request.host;
  let fields = '';
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i];
    const value = headers[i + 1];
    if (!request.trusted) {
      if (!TOKEN.test(name)) throw new Error(`net/http: invalid header field name ${JSON.stringify(name)}`);
      if (BAD_VALUE.test(value)) throw new Error(`net/http: invalid header field value for ${JSON.stringify(name)}`);
      // As Go's request writer: Host replaces the URL's host, the body's framing is the writer's own.
      const lower = name.length === 4 || name.length === 14 || name.length === 17 ? name.toLowerCase() : '';
      if (lower === 'host') {
        host = value;
        continue;
      }
      if (lower === 'content-length' || lower === 'transfer-encoding') continue;
    }
    fields += `${name}: ${value}\r\n`;
  }
  let head = `${request.method} ${request.path} HTTP/1.1\r\nHost: ${host}\r\n${fields}`;
  if (request.close) head += 'Connection: close\r\n';
  if (body === null) {
    head += LENGTH_REQUIRED.has(request.method) ? 'Content-Length: 0\r\n\r\n' : '\r\n';
    if (request.trusted) {
      socket.write(head, 'latin1');
      return head.length;
    }
    socket.write(head, 'utf8');
    return Buffer.byteLength(head, 'utf8');
  }
  if (typeof body === 'string') {
    const length = Buffer.byteLength(body, 'utf8');
    head += `Content-Length: ${length}\r\n\r\n`;
    const message = head + body;
    socket.write(message, 'utf8');
    return Buffer.byteLength(head, 'utf8') + length;
  }
  head += `Content-Length: ${body.byteLength}\r\n\r\n`;
  socket.cork();
  socket.write(head, 'utf8');
  socket.write(body);
  socket.uncork();
  return Buffer.byteLength(head, 'utf8') + body.byteLength;
}
