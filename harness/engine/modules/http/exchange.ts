// One request in flight on undici, with its redirects, timeout, samples and response.
//
// Timings follow k6's tracer (lib/netext/httpext/tracer.go), measured with undici's handler hooks:
//   blocked   = dispatch → request assigned to a socket (includes looking_up, connecting, tls_handshaking
//               for a new connection, as in k6; on a reused keep-alive socket, the one event-loop turn
//               undici 7 waits to check the idle socket first, GHSA-35p6-xmwp-9g52)
//   sending   = socket assigned → request head and body written (onRequestSent)
//   waiting   = written → first byte of the response parsed (onResponseStarted: llhttp's message begin,
//               i.e. when the event loop reads the first response bytes — time to first byte as the client sees it)
//   receiving = first byte → last byte of the body
//   duration  = sending + waiting + receiving
// data_sent/data_received count HTTP/1.1 message bytes (request line, headers, body; status line,
// headers, decoded body), not TCP/TLS framing.
import type { Dispatcher } from 'undici';
import { builtin } from '../../metrics/metric.ts';
import type { VuState } from '../../runtime/vu-context.ts';
import { dispatcher, freshConnection, peerOf, type ConnectionTiming } from './connections.ts';
import type { CookieJar, RequestCookies } from './cookie-jar.ts';
import { CANCELED, errorCodeOf, TIMEOUT, type ErrorCode } from './error-codes.ts';
import { debugRequest, debugResponse } from './http-debug.ts';
import type { ExpectedStatuses } from './expected-statuses.ts';
import { config, defaultHeaderBytes, defaultHeaders, headerBytes } from './options.ts';
import type { Params, RequestBody } from './params.ts';
import { requestTags } from './request-tags.ts';
import { Response, type ResponseType, type Timings } from './response.ts';
import { target, type Target } from './url.ts';

const inflight = new Set<Exchange>();
let sweeper: NodeJS.Timeout | undefined;
const SWEEP_MS = 10;

// One timer for all request timeouts instead of one per request.
function sweep(): void {
  if (inflight.size === 0) return;
  const now = performance.now();
  for (const x of inflight) if (now >= x.deadline) x.fail(TIMEOUT, true);
}

const watchedSignals = new WeakSet<AbortSignal>();

function watchSignal(vu: VuState): void {
  const signal = vu.signal;
  if (watchedSignals.has(signal)) return;
  watchedSignals.add(signal);
  signal.addEventListener(
    'abort',
    () => {
      for (const x of inflight) if (x.vu === vu) x.fail(CANCELED, false);
    },
    { once: true },
  );
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** What an exchange sends: the request as asyncRequest resolved it from its arguments and params. */
export interface ExchangeRequest {
  vu: VuState;
  method: string;
  target: Target;
  /** The `name` tag ('' for the URL). */
  name: string;
  userTags: Params['tags'];
  callback: ExpectedStatuses | null;
  responseType: ResponseType;
  /** The headers as the script gave them, for response.request. */
  requestHeaders: Record<string, unknown> | undefined;
  /** The headers to send, as a flat name/value list. */
  headers: string[];
  body: RequestBody;
  redirects: number;
  timeoutMs: number;
  /** The jar whose cookies go with each hop and which keeps what responses set. */
  jar: CookieJar;
  /** params.cookies. */
  cookies: RequestCookies | undefined;
}

/** Sends `request`, following redirects; resolves with its response (rejects only with k6's `throw` option). */
export function exchange(request: ExchangeRequest): Promise<Response> {
  const x = new Exchange(request);
  const promise = new Promise<Response>((resolve, reject) => {
    x.resolve = resolve;
    x.reject = reject;
  });
  watchSignal(request.vu);
  inflight.add(x);
  if (!sweeper) sweeper = setInterval(sweep, SWEEP_MS).unref();
  x.start();
  return promise;
}

// One request (and its redirects) in flight: undici's handler, the timing record and the promise.
class Exchange {
  readonly vu: VuState;
  method: string;
  target: Target;
  readonly name: string;
  readonly userTags: Params['tags'];
  readonly callback: ExpectedStatuses | null;
  readonly responseType: ResponseType;
  readonly requestHeaders: Record<string, unknown> | undefined;
  headers: string[];
  body: RequestBody;
  redirectsLeft: number;
  readonly deadline: number;
  readonly jar: CookieJar;
  readonly cookies: RequestCookies | undefined;
  resolve!: (r: Response) => void;
  reject!: (e: Error) => void;

  // per hop
  abortFn: ((err?: Error) => void) | null = null;
  done = false;
  hopDone = false;
  sentBytes = 0;
  tStart = 0;
  tConnect = 0;
  tSent = 0;
  tFirstByte = 0;
  connection: ConnectionTiming | undefined;
  status = 0;
  statusText = '';
  rawHeaders: Buffer[] | null = null;
  chunks: Buffer[] | null = null;
  chunk: Buffer | null = null;
  receivedBytes = 0;
  /** The first hop's headers, for response.request.cookies (read only if the script asks). */
  firstHeaders: string[] | undefined;
  /** The id this hop's request was logged under with httpDebug (0: not logged). */
  debugId = 0;

  constructor(request: ExchangeRequest) {
    this.vu = request.vu;
    this.method = request.method;
    this.target = request.target;
    this.name = request.name;
    this.userTags = request.userTags;
    this.callback = request.callback;
    this.responseType = request.responseType;
    this.requestHeaders = request.requestHeaders;
    this.headers = request.headers;
    this.body = request.body;
    this.redirectsLeft = request.redirects;
    this.deadline = performance.now() + request.timeoutMs;
    this.jar = request.jar;
    this.cookies = request.cookies;
  }

  /** This hop's headers: the request's, with the Cookie header the jar and params.cookies make for its URL. */
  private hopHeaders(): string[] {
    const cookie = this.jar.headerFor(this.target.clean, this.cookies);
    if (!cookie) return this.headers;
    const headers = [...this.headers];
    for (let i = 0; i < headers.length; i += 2)
      if (headers[i].length === 6 && headers[i].toLowerCase() === 'cookie') {
        // As Go's AddCookie: after a Cookie header the script set.
        headers[i + 1] = headers[i + 1] ? `${headers[i + 1]}; ${cookie}` : cookie;
        return headers;
      }
    headers.push('cookie', cookie);
    return headers;
  }

  start(): void {
    const t = this.target;
    const hopHeaders = this.hopHeaders();
    this.firstHeaders ??= hopHeaders;
    // As undici writes it: request line, host, connection, headers, blank line, then content-length and body.
    const headers = hopHeaders === defaultHeaders ? defaultHeaderBytes : headerBytes(hopHeaders);
    // "connection: keep-alive\r\n" (24 bytes), or "connection: close\r\n" (19) without connection reuse.
    const reset = config.noConnectionReuse;
    let sent = this.method.length + t.path.length + 12 + t.host.length + 8 + (reset ? 19 : 24) + 2 + headers;
    const body = this.body;
    if (body !== null) {
      const len = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      sent += len + 18 + String(len).length;
    }
    this.sentBytes = sent;
    if (config.httpDebug) this.debugId = debugRequest(this.method, t, hopHeaders, body, config.httpDebug === 'full');
    this.tStart = performance.now();
    dispatcher(this.vu).dispatch(
      {
        origin: t.origin,
        path: t.path,
        method: this.method as Dispatcher.HttpMethod,
        headers: hopHeaders,
        body,
        reset,
      },
      this as unknown as Dispatcher.DispatchHandler,
    );
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.done) {
      abort(new Error(CANCELED.message));
      return;
    }
    this.abortFn = abort;
    this.tConnect = performance.now();
    this.connection = freshConnection;
  }

  onRequestSent(): void {
    this.tSent = performance.now();
  }

  onResponseStarted(): void {
    this.tFirstByte = performance.now();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true; // 1xx interim responses
    if (this.tFirstByte === 0) this.tFirstByte = performance.now();
    this.status = statusCode;
    this.statusText = statusText;
    this.rawHeaders = rawHeaders;
    this.keepCookies(rawHeaders);
    let n = 17 + statusText.length;
    for (let i = 0; i < rawHeaders.length; i++) n += rawHeaders[i].length + 2;
    this.receivedBytes = n;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.receivedBytes += chunk.length;
    if (this.responseType !== 'none' || config.httpDebug === 'full') {
      if (this.chunk === null) this.chunk = chunk;
      else (this.chunks ??= [this.chunk]).push(chunk);
    }
    return true;
  }

  onComplete(): void {
    if (this.done) return;
    const end = performance.now();
    const status = this.status;
    if (this.debugId) {
      const body = this.chunks ? Buffer.concat(this.chunks) : this.chunk;
      debugResponse(this.debugId, status, this.statusText, this.rawHeaders, body, config.httpDebug === 'full');
    }
    if (this.redirectsLeft > 0 && REDIRECT_STATUSES.has(status)) {
      const location = this.header('location');
      const next = location === undefined ? undefined : this.redirectTarget(location);
      if (next) {
        this.emit(this.timings(end), status, 0, '');
        this.redirect(next, status);
        return;
      }
    }
    this.finish(end, 0, '');
  }

  onError(err: Error): void {
    if (this.done) return;
    this.fail(errorCodeOf(err), true);
  }

  /** Ends the exchange with a network-level error (emits samples unless the VU was stopped). */
  fail(error: ErrorCode, emit: boolean): void {
    if (this.done) return;
    const end = performance.now();
    // Marked done first: undici's onError for the abort below, or a late onConnect, must be ignored.
    this.done = true;
    if (error === TIMEOUT || error === CANCELED) this.abortFn?.(new Error(error.message));
    this.status = 0;
    this.statusText = '';
    this.rawHeaders = null;
    this.chunk = null;
    this.chunks = null;
    this.finish(end, error.code, error.message, emit);
  }

  private keepCookies(raw: Buffer[]): void {
    let setCookies: string[] | undefined;
    for (let i = 0; i < raw.length; i += 2)
      if (raw[i].length === 10 && raw[i].toString('latin1').toLowerCase() === 'set-cookie')
        (setCookies ??= []).push(raw[i + 1].toString('latin1'));
    if (setCookies) this.jar.store(this.target.clean, setCookies);
  }

  private header(name: string): string | undefined {
    const raw = this.rawHeaders;
    if (!raw) return undefined;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i].length === name.length && raw[i].toString('latin1').toLowerCase() === name)
        return raw[i + 1].toString('latin1');
    }
    return undefined;
  }

  private redirectTarget(location: string): Target | undefined {
    let href: string;
    try {
      href = new URL(location, this.target.clean).href;
    } catch {
      return undefined;
    }
    return target(href);
  }

  private redirect(next: Target, status: number): void {
    this.redirectsLeft--;
    if (status === 303 || ((status === 301 || status === 302) && this.method !== 'GET' && this.method !== 'HEAD')) {
      this.method = 'GET';
      this.body = null;
      this.headers = this.headers.filter((_, i, h) => !(i % 2 === 0 ? isBodyHeader(h[i]) : isBodyHeader(h[i - 1])));
    }
    this.target = next;
    this.abortFn = null;
    this.tConnect = this.tSent = this.tFirstByte = 0;
    this.connection = undefined;
    this.status = 0;
    this.statusText = '';
    this.rawHeaders = null;
    this.chunk = null;
    this.chunks = null;
    this.receivedBytes = 0;
    this.start();
  }

  private timings(end: number): Timings {
    const start = this.tStart;
    const connected = this.tConnect || end;
    const sent = this.tSent || (this.tConnect ? end : connected);
    const firstByte = this.tFirstByte;
    const c = this.connection;
    const sending = sent - connected;
    const waiting = firstByte ? Math.max(0, firstByte - sent) : end - sent;
    const receiving = firstByte ? end - firstByte : 0;
    return {
      duration: sending + waiting + receiving,
      blocked: connected - start,
      looking_up: c ? c.lookingUp : 0,
      connecting: c ? c.connecting : 0,
      tls_handshaking: c ? c.tlsHandshaking : 0,
      sending,
      waiting,
      receiving,
    };
  }

  private emit(timings: Timings, status: number, errorCode: number, errorMessage: string): boolean | undefined {
    const vu = this.vu;
    const callback = this.callback;
    const expected = callback === null ? undefined : callback.expected(status);
    const code = errorCode !== 0 ? errorCode : status >= 400 ? 1000 + status : 0;
    const tags = requestTags(
      vu,
      this.userTags,
      this.method,
      this.target.clean,
      this.name || this.target.clean,
      status,
      expected,
      status === 0 ? '' : 'HTTP/1.1',
      code,
      errorMessage,
    );
    const sink = vu.sink;
    sink.add(builtin.http_reqs, 1, tags);
    sink.add(builtin.http_req_duration, timings.duration, tags);
    sink.add(builtin.http_req_blocked, timings.blocked, tags);
    sink.add(builtin.http_req_connecting, timings.connecting, tags);
    sink.add(builtin.http_req_tls_handshaking, timings.tls_handshaking, tags);
    sink.add(builtin.http_req_sending, timings.sending, tags);
    sink.add(builtin.http_req_waiting, timings.waiting, tags);
    sink.add(builtin.http_req_receiving, timings.receiving, tags);
    if (expected !== undefined) sink.add(builtin.http_req_failed, expected ? 0 : 1, tags);
    sink.add(builtin.data_sent, this.sentBytes, vu.tags);
    if (this.receivedBytes > 0) sink.add(builtin.data_received, this.receivedBytes, vu.tags);
    return expected;
  }

  private finish(end: number, errorCode: number, errorMessage: string, emit = true): void {
    this.done = true;
    inflight.delete(this);
    const timings = this.timings(end);
    const status = this.status;
    if (emit) this.emit(timings, status, errorCode, errorMessage);
    if (errorCode !== 0 && config.throw) {
      this.reject(new Error(`${this.method} ${this.target.clean}: ${errorMessage} (error_code ${errorCode})`));
      return;
    }
    const r = new Response(this.target.clean, timings, this.responseType, this.method, this.requestHeaders, this.body);
    r.setSentHeaders(this.firstHeaders ?? []);
    if (errorCode !== 0) {
      r.error = errorMessage;
      r.error_code = errorCode;
    } else {
      r.status = status;
      r.status_text = `${status} ${this.statusText}`;
      r.proto = 'HTTP/1.1';
      if (status >= 400) r.error_code = 1000 + status;
      const peer = this.connection?.peer ?? peerOf(this.target.origin);
      if (peer) {
        r.remote_ip = peer.ip;
        r.remote_port = peer.port;
        r.tls_version = peer.tlsVersion;
        r.tls_cipher_suite = peer.tlsCipherSuite;
      }
      const chunks = this.chunks;
      r.setPayload(this.rawHeaders, chunks ? Buffer.concat(chunks) : this.chunk);
    }
    this.resolve(r);
  }
}

function isBodyHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'content-type' || n === 'content-length';
}
