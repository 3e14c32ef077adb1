// k6/http on undici. One undici Agent per process (keep-alive pools per origin), shared by the VUs of a
// worker; k6 gives every VU its own connection pool, so here a connection freed by one VU may carry
// another VU's next request. With one connection per concurrently busy VU the load on the target is the same.
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
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { Socket } from 'node:net';
import { builtin, type Tags } from '../metrics/metric.ts';
import { currentVu, InitContextError, type VuState } from '../runtime/vu-context.ts';
import { parseDuration } from '../options/duration.ts';

// ---------------------------------------------------------------------------------------------- options

export interface HttpOptions {
  /** k6 `discardResponseBodies`: responseType defaults to 'none'. */
  discardResponseBodies?: boolean;
  /** k6 `maxRedirects` (10). */
  maxRedirects?: number;
  /** k6 `userAgent`. */
  userAgent?: string;
  /** k6 `throw`: failed requests (network errors) throw instead of returning an error response. */
  throw?: boolean;
}

const config = {
  discardResponseBodies: false,
  maxRedirects: 10,
  userAgent: 'cats-stress/0.1 (k6-compatible)',
  throw: false,
};

/** Applies the script's k6 options that shape http requests. */
export function configureHttp(options: HttpOptions): void {
  if (options.discardResponseBodies !== undefined)
    config.discardResponseBodies = Boolean(options.discardResponseBodies);
  if (options.maxRedirects !== undefined) config.maxRedirects = Number(options.maxRedirects);
  if (options.userAgent !== undefined) config.userAgent = String(options.userAgent);
  if (options.throw !== undefined) config.throw = Boolean(options.throw);
  defaultHeaders = config.userAgent ? ['user-agent', config.userAgent] : [];
  defaultHeaderBytes = headerBytes(defaultHeaders);
}

// ------------------------------------------------------------------------------------------ connections

interface ConnectionTiming {
  lookingUp: number;
  connecting: number;
  tlsHandshaking: number;
}

// Set while undici hands a brand-new socket to its client: the client writes the waiting request in the
// same synchronous call, so that request's onConnect reads the timing of the connection it caused.
let freshConnection: ConnectionTiming | undefined;

const baseConnector = buildConnector({ timeout: 10_000 });

function timedConnector(options: buildConnector.Options, callback: buildConnector.Callback): Socket {
  const start = performance.now();
  let lookedUp = start;
  let tcpDone = 0;
  const socket = baseConnector(options, (err, sock) => {
    if (err || !sock) return callback(err as Error, null);
    const done = performance.now();
    if (tcpDone === 0) tcpDone = done;
    freshConnection = {
      lookingUp: lookedUp - start,
      connecting: tcpDone - lookedUp,
      tlsHandshaking: done - tcpDone,
    };
    try {
      callback(null, sock);
    } finally {
      freshConnection = undefined;
    }
  }) as unknown as Socket;
  socket.once('lookup', () => {
    lookedUp = performance.now();
  });
  if (options.protocol === 'https:') {
    socket.once('connect', () => {
      tcpDone = performance.now();
    });
  }
  return socket;
}

let agent: Agent | undefined;

function dispatcher(): Agent {
  if (!agent) {
    agent = new Agent({
      connect: timedConnector,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      // The request timeout (params.timeout) covers the whole exchange; undici's own are off.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }
  return agent;
}

/** Closes every pooled connection (at worker shutdown, so the process can exit). */
export async function closeHttp(): Promise<void> {
  const a = agent;
  agent = undefined;
  if (a) await a.destroy();
}

// ------------------------------------------------------------------------------------------------- URLs

/** What `http.url` returns: a URL whose `name` tag groups the requests made with it. */
export class TaggedURL {
  constructor(
    readonly url: string,
    readonly name: string,
  ) {}
  toString(): string {
    return this.url;
  }
}

/** k6's `http.url` tagged template: `http.url\`${base}/transits/${id}\`` names the request `${}/transits/${}`. */
export function url(strings: TemplateStringsArray, ...values: unknown[]): TaggedURL {
  let text = strings[0];
  let name = strings[0];
  for (let i = 0; i < values.length; i++) {
    text += String(values[i]) + strings[i + 1];
    name += '${}' + strings[i + 1];
  }
  return new TaggedURL(text, name);
}

interface Target {
  origin: string;
  path: string;
  /** The URL as k6 tags it: without userinfo. */
  clean: string;
  host: string;
}

const targets = new Map<string, Target>();
const TARGET_CACHE_LIMIT = 10_000;

function target(href: string): Target | undefined {
  let t = targets.get(href);
  if (t) return t;
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const path = (u.pathname || '/') + u.search;
  const clean = u.username || u.password ? `${u.protocol}//${u.host}${path}` : href;
  t = { origin: u.origin, path, clean, host: u.host };
  if (targets.size < TARGET_CACHE_LIMIT) targets.set(href, t);
  return t;
}

// --------------------------------------------------------------------------------- expected statuses

/** The opaque value `expectedStatuses()` returns, k6's only kind of response callback. */
export class ExpectedStatuses {
  readonly #singles: Set<number>;
  readonly #ranges: Array<[number, number]>;
  constructor(singles: Set<number>, ranges: Array<[number, number]>) {
    this.#singles = singles;
    this.#ranges = ranges;
  }
  expected(status: number): boolean {
    if (this.#singles.has(status)) return true;
    for (const [min, max] of this.#ranges) if (status >= min && status <= max) return true;
    return false;
  }
}

/** `expectedStatuses(200, 201, {min: 300, max: 399})`: statuses that do not count in http_req_failed. */
export function expectedStatuses(...statuses: Array<number | { min: number; max: number }>): ExpectedStatuses {
  const singles = new Set<number>();
  const ranges: Array<[number, number]> = [];
  statuses.forEach((s, i) => {
    if (typeof s === 'number' && Number.isInteger(s)) singles.add(s);
    else if (s && typeof s === 'object' && Number.isInteger(s.min) && Number.isInteger(s.max))
      ranges.push([s.min, s.max]);
    else
      throw new TypeError(
        `expectedStatuses: argument ${i} must be an integer status or an object {min, max} of integers, got ${JSON.stringify(s)}`,
      );
  });
  return new ExpectedStatuses(singles, ranges);
}

let defaultCallback: ExpectedStatuses | null = expectedStatuses({ min: 200, max: 399 });

function responseCallbackOf(value: unknown, where: string): ExpectedStatuses | null {
  if (value === null) return null;
  if (value instanceof ExpectedStatuses) return value;
  throw new TypeError(`${where} takes the result of http.expectedStatuses(...) or null`);
}

/** Sets the response callback every request uses unless its params give one (null: no http_req_failed). */
export function setResponseCallback(callback: ExpectedStatuses | null): void {
  defaultCallback = responseCallbackOf(callback, 'setResponseCallback');
}

// ---------------------------------------------------------------------------------------------- errors

interface ErrorCode {
  code: number;
  message: string;
}

const TIMEOUT: ErrorCode = { code: 1050, message: 'request timeout' };
const CANCELED: ErrorCode = { code: 1000, message: 'context canceled' };

// k6's codes (lib/netext/httpext/error_codes.go) for the errors Node reports.
function errorCodeOf(err: unknown): ErrorCode {
  const e = err as { code?: string; syscall?: string; message?: string };
  switch (e?.code) {
    case 'ECONNREFUSED':
      return { code: 1212, message: 'dial: connection refused' };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 1211, message: 'dial: i/o timeout' };
    case 'ENOTFOUND':
      return { code: 1101, message: 'lookup: no such host' };
    case 'EAI_AGAIN':
      return { code: 1100, message: `lookup: ${e.message ?? 'temporary failure'}` };
    case 'ECONNRESET':
      return { code: 1220, message: `${e.syscall === 'write' ? 'write' : 'read'}: connection reset by peer` };
    case 'EPIPE':
      return { code: 1201, message: 'write: broken pipe' };
    case 'UND_ERR_SOCKET':
      return { code: 1000, message: 'unexpected EOF' };
    case 'CERT_HAS_EXPIRED':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return { code: 1310, message: 'x509: unknown authority' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: 1311, message: "x509: certificate doesn't match hostname" };
    default:
      return { code: 1000, message: String(e?.message ?? err) };
  }
}

// ------------------------------------------------------------------------------------------- response

export interface Timings {
  duration: number;
  blocked: number;
  looking_up: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
}

export type ResponseType = 'text' | 'binary' | 'none';

export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string | ArrayBuffer | null;
  cookies: Record<string, unknown[]>;
}

export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

const EMPTY = Buffer.alloc(0);
const NO_OCSP = Object.freeze({
  status: '',
  revocation_reason: '',
  produced_at: 0,
  this_update: 0,
  next_update: 0,
  revoked_at: 0,
});

/** k6's http.Response, with its snake_case fields. Headers, body and cookies are decoded on first use. */
export class Response {
  status = 0;
  status_text = '';
  url: string;
  proto = '';
  remote_ip = '';
  remote_port = 0;
  tls_version = '';
  tls_cipher_suite = '';
  ocsp = NO_OCSP;
  error = '';
  error_code = 0;
  timings: Timings;

  #raw: Buffer | null = null;
  #rawHeaders: Buffer[] | null = null;
  #responseType: ResponseType;
  #body: string | ArrayBuffer | null | undefined;
  #headers: Record<string, string> | undefined;
  #json: unknown;
  readonly #method: string;
  readonly #requestHeaders: Record<string, unknown> | undefined;
  readonly #requestBody: unknown;

  constructor(
    url: string,
    timings: Timings,
    responseType: ResponseType,
    method: string,
    headers: Record<string, unknown> | undefined,
    body: unknown,
  ) {
    this.url = url;
    this.timings = timings;
    this.#responseType = responseType;
    this.#method = method;
    this.#requestHeaders = headers;
    this.#requestBody = body;
  }

  /** @internal */
  setPayload(rawHeaders: Buffer[] | null, raw: Buffer | null): void {
    this.#rawHeaders = rawHeaders;
    this.#raw = raw;
  }

  get headers(): Record<string, string> {
    if (this.#headers) return this.#headers;
    const headers: Record<string, string> = {};
    const raw = this.#rawHeaders;
    if (raw) {
      for (let i = 0; i < raw.length; i += 2) {
        const key = canonicalHeaderKey(raw[i].toString('latin1'));
        const value = raw[i + 1].toString('latin1');
        headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
      }
    }
    return (this.#headers = headers);
  }

  get body(): string | ArrayBuffer | null {
    if (this.#body !== undefined) return this.#body;
    if (this.#responseType === 'none' || (this.status === 0 && !this.#raw)) return (this.#body = null);
    const raw = this.#raw ?? EMPTY;
    if (this.#responseType === 'binary') {
      return (this.#body = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
    }
    return (this.#body = raw.toString('utf8'));
  }

  get cookies(): Record<string, ResponseCookie[]> {
    const cookies: Record<string, ResponseCookie[]> = {};
    const raw = this.#rawHeaders;
    if (!raw) return cookies;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i].length !== 10 || raw[i].toString('latin1').toLowerCase() !== 'set-cookie') continue;
      const c = parseSetCookie(raw[i + 1].toString('latin1'));
      if (c) (cookies[c.name] ??= []).push(c);
    }
    return cookies;
  }

  get request(): RequestInfo {
    const headers: Record<string, string[]> = {};
    if (this.#requestHeaders)
      for (const [k, v] of Object.entries(this.#requestHeaders)) headers[canonicalHeaderKey(k)] = [String(v)];
    const body = this.#requestBody;
    return {
      method: this.#method,
      url: this.url,
      headers,
      body: typeof body === 'string' || body instanceof ArrayBuffer ? body : body == null ? '' : String(body),
      cookies: {},
    };
  }

  /**
   * The body parsed as JSON; with a selector, the value at a dotted path (`items.0.id`, `items.#` for a
   * length), as k6's gjson selectors do for simple paths. Undefined when the path does not exist.
   */
  json(selector?: string): unknown {
    const body = this.body;
    if (body === null)
      throw new Error(
        "the body is null so we can't transform it to JSON - this likely was because of a request error getting the response",
      );
    if (this.#json === undefined) {
      const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
      try {
        this.#json = JSON.parse(text);
      } catch (err) {
        throw new SyntaxError(`cannot parse json due to: ${(err as Error).message}`);
      }
    }
    if (selector === undefined || selector === '') return this.#json;
    let value: unknown = this.#json;
    for (const part of selector.split('.')) {
      if (value === null || typeof value !== 'object') return undefined;
      if (part === '#' && Array.isArray(value)) value = value.length;
      else value = (value as Record<string, unknown>)[part];
      if (value === undefined) return undefined;
    }
    return value;
  }

  html(): never {
    throw new Error('Response.html() is not supported by this engine; parse response.body instead');
  }

  toJSON(): Record<string, unknown> {
    return {
      status: this.status,
      status_text: this.status_text,
      url: this.url,
      proto: this.proto,
      headers: this.headers,
      body: this.body,
      timings: this.timings,
      error: this.error,
      error_code: this.error_code,
    };
  }
}

function canonicalHeaderKey(key: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}

function parseSetCookie(header: string): ResponseCookie | undefined {
  const parts = header.split(';');
  const eq = parts[0].indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: ResponseCookie = {
    name: parts[0].slice(0, eq).trim(),
    value: parts[0].slice(eq + 1).trim(),
    domain: '',
    path: '',
    http_only: false,
    secure: false,
    max_age: 0,
    expires: 0,
  };
  for (let i = 1; i < parts.length; i++) {
    const [k, v = ''] = parts[i].split('=', 2).map((s) => s.trim());
    switch (k.toLowerCase()) {
      case 'domain':
        cookie.domain = v;
        break;
      case 'path':
        cookie.path = v;
        break;
      case 'httponly':
        cookie.http_only = true;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'max-age':
        cookie.max_age = Number(v) || 0;
        break;
      case 'expires':
        cookie.expires = Date.parse(v) || 0;
        break;
    }
  }
  return cookie;
}

// -------------------------------------------------------------------------------------------- params

export interface Params {
  headers?: Record<string, string | number>;
  tags?: Record<string, string | number | boolean>;
  timeout?: number | string;
  responseType?: ResponseType;
  redirects?: number;
  responseCallback?: ExpectedStatuses | null;
  [other: string]: unknown;
}

const DEFAULT_TIMEOUT_MS = 60_000;
let defaultHeaders: string[] = ['user-agent', config.userAgent];
let defaultHeaderBytes = headerBytes(defaultHeaders);

function headerBytes(headers: string[]): number {
  let n = 0;
  for (let i = 0; i < headers.length; i += 2) n += headers[i].length + headers[i + 1].length + 4;
  return n;
}

type RequestBody = string | Buffer | null;

function encodeBody(body: unknown): { body: RequestBody; form: boolean } {
  if (body === null || body === undefined) return { body: null, form: false };
  if (typeof body === 'string') return { body, form: false };
  if (body instanceof ArrayBuffer) return { body: Buffer.from(body), form: false };
  if (ArrayBuffer.isView(body))
    return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), form: false };
  if (typeof body === 'object') {
    // k6 sends a plain object as an urlencoded form.
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) form.append(k, String(v));
    return { body: form.toString(), form: true };
  }
  return { body: String(body), form: false };
}

// ---------------------------------------------------------------------------------------------- tags

const tagCache = new WeakMap<Tags, Map<string, Tags>>();
const TAG_CACHE_LIMIT = 5_000;

// The tag set of one request, frozen and shared by every request with the same values, so the sink can
// key series by object identity.
function requestTags(
  vu: VuState,
  userTags: Params['tags'],
  method: string,
  url: string,
  name: string,
  status: number,
  expected: boolean | undefined,
  proto: string,
  errorCode: number,
  errorMessage: string,
): Tags {
  let key = method + '\u0000' + name + '\u0000' + url + '\u0000' + status + '\u0000' + expected + '\u0000' + proto;
  if (errorCode !== 0) key += '\u0000' + errorCode + '\u0000' + errorMessage;
  if (userTags) for (const k in userTags) key += '\u0001' + k + '\u0000' + userTags[k];
  let byVu = tagCache.get(vu.tags);
  if (!byVu) tagCache.set(vu.tags, (byVu = new Map()));
  const cached = byVu.get(key);
  if (cached) return cached;
  const tags: Tags = { ...vu.tags };
  if (userTags) for (const k in userTags) tags[k] = String(userTags[k]);
  tags.name = name;
  tags.url = name === url ? url : name;
  tags.method = method;
  tags.status = String(status);
  if (proto) tags.proto = proto;
  if (expected !== undefined) tags.expected_response = expected ? 'true' : 'false';
  if (errorMessage) tags.error = errorMessage;
  if (errorCode !== 0) tags.error_code = String(errorCode);
  Object.freeze(tags);
  if (byVu.size < TAG_CACHE_LIMIT) byVu.set(key, tags);
  return tags;
}

// ------------------------------------------------------------------------------------------ exchange

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

  constructor(
    vu: VuState,
    method: string,
    t: Target,
    name: string,
    userTags: Params['tags'],
    callback: ExpectedStatuses | null,
    responseType: ResponseType,
    requestHeaders: Record<string, unknown> | undefined,
    headers: string[],
    body: RequestBody,
    redirects: number,
    timeoutMs: number,
  ) {
    this.vu = vu;
    this.method = method;
    this.target = t;
    this.name = name;
    this.userTags = userTags;
    this.callback = callback;
    this.responseType = responseType;
    this.requestHeaders = requestHeaders;
    this.headers = headers;
    this.body = body;
    this.redirectsLeft = redirects;
    this.deadline = performance.now() + timeoutMs;
  }

  start(): void {
    const t = this.target;
    // As undici writes it: request line, host, connection, headers, blank line, then content-length and body.
    const headers = this.headers === defaultHeaders ? defaultHeaderBytes : headerBytes(this.headers);
    let sent = this.method.length + t.path.length + 12 + t.host.length + 8 + 24 + 2 + headers;
    const body = this.body;
    if (body !== null) {
      const len = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      sent += len + 18 + String(len).length;
    }
    this.sentBytes = sent;
    this.tStart = performance.now();
    dispatcher().dispatch(
      { origin: t.origin, path: t.path, method: this.method as Dispatcher.HttpMethod, headers: this.headers, body },
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
    let n = 17 + statusText.length;
    for (let i = 0; i < rawHeaders.length; i++) n += rawHeaders[i].length + 2;
    this.receivedBytes = n;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.receivedBytes += chunk.length;
    if (this.responseType !== 'none') {
      if (this.chunk === null) this.chunk = chunk;
      else (this.chunks ??= [this.chunk]).push(chunk);
    }
    return true;
  }

  onComplete(): void {
    if (this.done) return;
    const end = performance.now();
    const status = this.status;
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
    if (errorCode !== 0) {
      r.error = errorMessage;
      r.error_code = errorCode;
    } else {
      r.status = status;
      r.status_text = `${status} ${this.statusText}`;
      r.proto = 'HTTP/1.1';
      if (status >= 400) r.error_code = 1000 + status;
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

// --------------------------------------------------------------------------------------------- API

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** `http.asyncRequest(method, url, body?, params?)` → Promise<Response>, as in k6 v0.43+. */
export function asyncRequest(
  method: string,
  url: string | TaggedURL,
  body?: unknown,
  params?: Params | null,
): Promise<Response> {
  const vu = currentVu();
  if (!vu) throw new InitContextError('http.asyncRequest()');
  const m = typeof method === 'string' ? method.toUpperCase() : '';
  if (!METHODS.has(m)) throw new TypeError(`http.asyncRequest: unsupported method ${JSON.stringify(method)}`);

  let href: string;
  let name = '';
  if (url instanceof TaggedURL) {
    href = url.url;
    name = url.name;
  } else href = String(url);
  const t = target(href);

  let headers = defaultHeaders;
  let requestHeaders: Record<string, unknown> | undefined;
  let userTags: Params['tags'];
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let responseType: ResponseType = config.discardResponseBodies ? 'none' : 'text';
  let redirects = config.maxRedirects;
  let callback = defaultCallback;
  if (params) {
    if (params.headers) {
      requestHeaders = params.headers;
      headers = [];
      let userAgent = false;
      for (const k in params.headers) {
        const v = params.headers[k];
        if (v === undefined || v === null) continue;
        headers.push(k, String(v));
        if (k.length === 10 && k.toLowerCase() === 'user-agent') userAgent = true;
      }
      if (!userAgent && config.userAgent) headers.push('user-agent', config.userAgent);
    }
    if (params.tags) {
      userTags = params.tags;
      if (userTags.name !== undefined && userTags.name !== null) name = String(userTags.name);
    }
    if (params.timeout !== undefined) timeoutMs = parseDuration(params.timeout, 'params.timeout');
    if (params.responseType !== undefined) {
      if (params.responseType !== 'text' && params.responseType !== 'binary' && params.responseType !== 'none')
        throw new TypeError(
          `params.responseType must be 'text', 'binary' or 'none', got ${JSON.stringify(params.responseType)}`,
        );
      responseType = params.responseType;
    }
    if (params.redirects !== undefined) redirects = Number(params.redirects);
    if (params.responseCallback !== undefined)
      callback = responseCallbackOf(params.responseCallback, 'params.responseCallback');
  }

  const encoded = encodeBody(body);
  if (encoded.form && !hasHeader(headers, 'content-type')) {
    headers = headers === defaultHeaders ? [...headers] : headers;
    headers.push('content-type', 'application/x-www-form-urlencoded');
  }

  if (!t) {
    // k6 returns an error response for an unusable URL and emits no samples.
    const r = new Response(href, zeroTimings(), responseType, m, requestHeaders, encoded.body);
    r.error = `invalid URL ${JSON.stringify(href)}: only absolute http:// and https:// URLs can be requested`;
    r.error_code = 1020;
    if (config.throw) return Promise.reject(new Error(r.error));
    return Promise.resolve(r);
  }
  if (vu.signal.aborted) return Promise.reject(new Error(`${CANCELED.message}: the VU is stopping`));

  const x = new Exchange(
    vu,
    m,
    t,
    name,
    userTags,
    callback,
    responseType,
    requestHeaders,
    headers,
    encoded.body,
    redirects,
    timeoutMs,
  );
  const promise = new Promise<Response>((resolve, reject) => {
    x.resolve = resolve;
    x.reject = reject;
  });
  watchSignal(vu);
  inflight.add(x);
  if (!sweeper) sweeper = setInterval(sweep, SWEEP_MS).unref();
  x.start();
  return promise;
}

function hasHeader(headers: string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i].toLowerCase() === name) return true;
  return false;
}

function zeroTimings(): Timings {
  return {
    duration: 0,
    blocked: 0,
    looking_up: 0,
    connecting: 0,
    tls_handshaking: 0,
    sending: 0,
    waiting: 0,
    receiving: 0,
  };
}

// k6's synchronous forms block the VU until the response arrives; a Node VU cannot block, so these fail
// at once and name the call that works in both k6 and this engine.
function blocking(call: string, instead: string): (...args: unknown[]) => never {
  return () => {
    throw new Error(`${call} blocks in k6 and cannot on Node: use ${instead}`);
  };
}

export const request = blocking('http.request()', 'await http.asyncRequest(method, url, body, params)');
export const get = blocking('http.get()', "await http.asyncRequest('GET', url, null, params)");
export const head = blocking('http.head()', "await http.asyncRequest('HEAD', url, null, params)");
export const post = blocking('http.post()', "await http.asyncRequest('POST', url, body, params)");
export const put = blocking('http.put()', "await http.asyncRequest('PUT', url, body, params)");
export const patch = blocking('http.patch()', "await http.asyncRequest('PATCH', url, body, params)");
export const del = blocking('http.del()', "await http.asyncRequest('DELETE', url, body, params)");
export const options = blocking('http.options()', "await http.asyncRequest('OPTIONS', url, body, params)");
export const batch = blocking(
  'http.batch()',
  'await Promise.all(requests.map(([method, url, body, params]) => http.asyncRequest(method, url, body, params)))',
);

// Not supported: fail with what to do instead rather than behave differently from k6.
function unsupported(call: string, instead: string): (...args: unknown[]) => never {
  return () => {
    throw new Error(`${call} is not supported by this engine: ${instead}`);
  };
}

export const cookieJar = unsupported(
  'http.cookieJar()',
  'send cookies in params.headers.Cookie and read response.cookies',
);
export const file = unsupported('http.file()', 'send the bytes as the body with a Content-Type header');

export const TLS_1_0 = 'tls1.0';
export const TLS_1_1 = 'tls1.1';
export const TLS_1_2 = 'tls1.2';
export const TLS_1_3 = 'tls1.3';

export default {
  asyncRequest,
  request,
  get,
  head,
  post,
  put,
  patch,
  del,
  options,
  batch,
  url,
  expectedStatuses,
  setResponseCallback,
  cookieJar,
  file,
  TLS_1_0,
  TLS_1_1,
  TLS_1_2,
  TLS_1_3,
};
