// One request in flight, with its redirects, timeout, samples and response.
//
// Timings follow k6's tracer (lib/netext/httpext/tracer.go), measured at the connection's steps:
//   blocked   = dispatch → request given a connection (includes looking_up, connecting, tls_handshaking
//               for a new connection, as in k6; next to nothing on a reused keep-alive connection)
//   sending   = connection given → request head and body written
//   waiting   = written → first byte of the response read (time to first byte as the client sees it)
//   receiving = first byte → last byte of the body
//   duration  = sending + waiting + receiving
// data_sent/data_received count HTTP/1.1 message bytes (request line, headers, body; status line,
// headers, decoded body), not TCP/TLS framing.
import { builtin } from '../../metrics/metric.ts';
import type { VuState } from '../../runtime/vu-context.ts';
import { dispatcher } from './connections.ts';
import type { ConnectionTiming, ExchangeHandler, H1Connection } from './h1-connection.ts';
import type { CookieJar, RequestCookies } from './cookie-jar.ts';
import { CANCELED, errorCodeOf, TIMEOUT, type ErrorCode } from './error-codes.ts';
import { debugRequest, debugResponse } from './http-debug.ts';
import type { ExpectedStatuses } from './expected-statuses.ts';
import { config, defaultHeaders } from './options.ts';
import type { Params, RequestBody } from './params.ts';
import { requestTags } from './request-tags.ts';
import { Response, type ResponseType, type Timings } from './response.ts';
import { target, type Target } from './url.ts';

// The exchanges in flight, as a list through the exchanges themselves. With a Set churned by every request,
// young-generation collections found its former members still reachable and copied and promoted them:
// 12 ms per collection and 2 MB promoted each time, against 0.4 ms and almost nothing with this list.
let inflight: Exchange | null = null;
let sweeper: NodeJS.Timeout | undefined;
const SWEEP_MS = 10;

function track(x: Exchange): void {
  x.next = inflight;
  if (inflight) inflight.prev = x;
  inflight = x;
}

function untrack(x: Exchange): void {
  if (x.prev) x.prev.next = x.next;
  else if (inflight === x) inflight = x.next;
  if (x.next) x.next.prev = x.prev;
  x.prev = x.next = null;
}

/** Fails the exchanges in flight that `expired` picks (the list may lose them as it goes). */
function failEach(expired: (x: Exchange) => boolean, error: ErrorCode, emit: boolean): void {
  for (let x = inflight; x;) {
    const next = x.next;
    if (expired(x)) x.fail(error, emit);
    x = next;
  }
}

// One timer for all request timeouts instead of one per request.
function sweep(): void {
  if (!inflight) return;
  const now = performance.now();
  failEach((x) => now >= x.deadline, TIMEOUT, true);
}

const watchedSignals = new WeakSet<AbortSignal>();

function watchSignal(vu: VuState): void {
  const signal = vu.signal;
  if (watchedSignals.has(signal)) return;
  watchedSignals.add(signal);
  signal.addEventListener(
    'abort',
    () => {
      failEach((x) => x.vu === vu, CANCELED, false);
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
  track(x);
  if (!sweeper) sweeper = setInterval(sweep, SWEEP_MS).unref();
  x.start();
  return promise;
}

// One request (and its redirects) in flight: the connection's handler, the timing record and the promise.
class Exchange implements ExchangeHandler {
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

  prev: Exchange | null = null;
  next: Exchange | null = null;

  // per hop
  carrier: H1Connection | null = null;
  done = false;
  sentBytes = 0;
  tStart = 0;
  tConnect = 0;
  tSent = 0;
  tFirstByte = 0;
  connection: ConnectionTiming | undefined;
  status = 0;
  statusText = '';
  rawHeaders: string[] | null = null;
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
    const body = this.body;
    if (config.httpDebug) this.debugId = debugRequest(this.method, t, hopHeaders, body, config.httpDebug === 'full');
    this.tStart = performance.now();
    dispatcher(this.vu).dispatch(
      t.origin,
      {
        method: this.method,
        path: t.path,
        host: t.host,
        headers: hopHeaders,
        trusted: hopHeaders === defaultHeaders,
        body,
        close: config.noConnectionReuse,
      },
      this,
    );
  }

  onConnect(connection: H1Connection, timing: ConnectionTiming): boolean {
    if (this.done) return false;
    this.carrier = connection;
    this.tConnect = performance.now();
    this.connection = timing;
    return true;
  }

  onRequestSent(bytes: number): void {
    this.tSent = performance.now();
    this.sentBytes = bytes;
  }

  onResponseStarted(): void {
    this.tFirstByte = performance.now();
  }

  onHeaders(status: number, statusText: string, headers: string[], headBytes: number): void {
    this.status = status;
    this.statusText = statusText;
    this.rawHeaders = headers;
    this.keepCookies(headers);
    this.receivedBytes = headBytes;
  }

  onData(chunk: Buffer): void {
    this.receivedBytes += chunk.length;
    if (this.responseType !== 'none' || config.httpDebug === 'full') {
      const copy = Buffer.from(chunk);
      if (this.chunk === null) this.chunk = copy;
      else (this.chunks ??= [this.chunk]).push(copy);
    }
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
    // Marked done first: a late onConnect must be refused.
    this.done = true;
    if (error === TIMEOUT || error === CANCELED) this.carrier?.abort(this);
    this.status = 0;
    this.statusText = '';
    this.rawHeaders = null;
    this.chunk = null;
    this.chunks = null;
    this.finish(end, error.code, error.message, emit);
  }

  private keepCookies(raw: string[]): void {
    let setCookies: string[] | undefined;
    for (let i = 0; i < raw.length; i += 2)
      if (raw[i].length === 10 && raw[i].toLowerCase() === 'set-cookie') (setCookies ??= []).push(raw[i + 1]);
    if (setCookies) this.jar.store(this.target.clean, setCookies);
  }

  private header(name: string): string | undefined {
    const raw = this.rawHeaders;
    if (!raw) return undefined;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i].length === name.length && raw[i].toLowerCase() === name) return raw[i + 1];
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
    this.carrier = null;
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
      this.target,
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
    untrack(this);
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
      const peer = this.connection?.peer;
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
