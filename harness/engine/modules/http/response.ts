// k6's http.Response and the timings every request reports.
import { parseHTML, type Selection } from '../html/selection.ts';
import { parseSetCookie, type ResponseCookie } from './cookies.ts';
import type { Params } from './params.ts';
import { asyncRequest } from './request.ts';
import { encodeValues } from './url-values.ts';

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
  cookies: Record<string, { name: string; value: string; replace: boolean }[]>;
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
  #rawHeaders: string[] | null = null;
  #responseType: ResponseType;
  #body: string | ArrayBuffer | null | undefined;
  #headers: Record<string, string> | undefined;
  #json: unknown;
  readonly #method: string;
  readonly #requestHeaders: Record<string, unknown> | undefined;
  readonly #requestBody: unknown;
  #sentHeaders: string[] = [];

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
  /** The headers the request went with (its first hop's, whose cookies k6 reports). */
  setSentHeaders(headers: string[]): void {
    this.#sentHeaders = headers;
  }

  setPayload(rawHeaders: string[] | null, raw: Buffer | null): void {
    this.#rawHeaders = rawHeaders;
    this.#raw = raw;
  }

  get headers(): Record<string, string> {
    if (this.#headers) return this.#headers;
    const headers: Record<string, string> = {};
    const raw = this.#rawHeaders;
    if (raw) {
      for (let i = 0; i < raw.length; i += 2) {
        const key = canonicalHeaderKey(raw[i]);
        const value = raw[i + 1];
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
      if (raw[i].length !== 10 || raw[i].toLowerCase() !== 'set-cookie') continue;
      const c = parseSetCookie(raw[i + 1]);
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
      cookies: requestCookies(cookieHeader(this.#sentHeaders)),
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

  /** The body parsed as HTML (k6/html's Selection), or the elements `selector` finds in it. */
  html(selector?: string): Selection {
    const body = this.body;
    if (body === null || body === undefined)
      throw new Error(
        "the body is null so we can't transform it to HTML - this likely was because of a request error getting the response",
      );
    const doc = parseHTML(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'), this.url);
    return selector === undefined ? doc : doc.find(selector);
  }

  /**
   * Submits the page's form as a browser would (k6's `submitForm`): its successful controls, the
   * submit button's name and value, then `fields` over them, to the form's action and method.
   */
  async submitForm(
    args: {
      formSelector?: string;
      submitSelector?: string;
      fields?: Record<string, unknown>;
      params?: Params | null;
    } = {},
  ): Promise<Response> {
    const selector = args.formSelector ?? 'form';
    const form = this.html(selector);
    if (form.size() === 0) throw new Error(`no form found for selector '${selector}' in response '${this.url}'`);
    const method = ((form.attr('method') as string | undefined) ?? 'GET').toUpperCase();
    const action = form.attr('action') as string | undefined;
    const url = new URL(action ?? '', this.url);
    const values = form.serializeObject();
    const submit = form.find(args.submitSelector ?? '[type="submit"]');
    const name = submit.attr('name') as string | undefined;
    const value = submit.val();
    if (name !== undefined && value !== undefined) values[name] = value;
    Object.assign(values, args.fields);
    if (method !== 'GET') return asyncRequest(method, url.href, values, args.params ?? null);
    url.search = encodeValues(Object.entries(values).map(([k, v]) => [k, [String(v)]]));
    return asyncRequest('GET', url.href, null, args.params ?? null);
  }

  /** Follows the first link `selector` finds (k6's `clickLink`; `a[href]` by default) with a GET. */
  async clickLink(args: { selector?: string; params?: Params | null } = {}): Promise<Response> {
    const selector = args.selector ?? 'a[href]';
    const link = this.html(selector);
    if (link.size() === 0) throw new Error(`no element found for selector '${selector}' in response '${this.url}'`);
    const href = link.attr('href') as string | undefined;
    if (href === undefined)
      throw new Error(`no valid href attribute value found on element '${selector}' in response '${this.url}'`);
    return asyncRequest('GET', new URL(href, this.url).href, null, args.params ?? null);
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

function cookieHeader(headers: string[]): string {
  for (let i = 0; i < headers.length; i += 2) if (headers[i].toLowerCase() === 'cookie') return headers[i + 1];
  return '';
}

/** A Cookie header as k6's response.request.cookies: name → [{ name, value, replace }] (Go's readCookies). */
function requestCookies(header: string): Record<string, { name: string; value: string; replace: boolean }[]> {
  const out: Record<string, { name: string; value: string; replace: boolean }[]> = {};
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let value = eq < 0 ? '' : pair.slice(eq + 1);
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    (out[name] ??= []).push({ name, value, replace: false });
  }
  return out;
}

/** The timings of a request that was never sent. */
export function zeroTimings(): Timings {
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
