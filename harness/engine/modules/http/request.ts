// http.asyncRequest: resolves its arguments and params into one request and sends it; the blocking forms
// reached outside the script transform, and what the engine does not support, fail with the call to use instead.
import { currentVu, InitContextError } from '../../runtime/vu-context.ts';
import { parseDuration } from '../../options/duration.ts';
import { CookieJar, vuJar, type RequestCookies } from './cookie-jar.ts';
import { CANCELED } from './error-codes.ts';
import { exchange } from './exchange.ts';
import { rpsTurn } from './rps-limit.ts';
import { defaultCallback, responseCallbackOf } from './expected-statuses.ts';
import { config, defaultHeaders } from './options.ts';
import { DEFAULT_TIMEOUT_MS, encodeBody, hasHeader, type Params } from './params.ts';
import { Response, zeroTimings, type ResponseType } from './response.ts';
import { target, TaggedURL } from './url.ts';

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
  let jar: CookieJar | undefined;
  let cookies: RequestCookies | undefined;
  if (params) {
    if (params.jar !== undefined && params.jar !== null) {
      if (!(params.jar instanceof CookieJar))
        throw new TypeError('params.jar must be a cookie jar from http.cookieJar() or new http.CookieJar()');
      jar = params.jar;
    }
    if (params.cookies !== undefined && params.cookies !== null) {
      if (typeof params.cookies !== 'object' || Array.isArray(params.cookies))
        throw new TypeError('params.cookies must be an object of name: value or name: {value, replace}');
      cookies = params.cookies as RequestCookies;
    }
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
  if (encoded.contentType && !hasHeader(headers, 'content-type')) {
    headers = headers === defaultHeaders ? [...headers] : headers;
    headers.push('content-type', encoded.contentType);
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

  const request = {
    vu,
    method: m,
    target: t,
    name,
    userTags,
    callback,
    responseType,
    requestHeaders,
    headers,
    body: encoded.body,
    redirects,
    timeoutMs,
    jar: jar ?? vuJar(vu),
    cookies,
  };
  const turn = rpsTurn();
  return turn ? turn.then(() => exchange(request)) : exchange(request);
}

// The script transform (runtime/sync-transform.ts) sends k6's blocking forms to http/blocking.ts and awaits
// them. A call it could not see (through a reference it cannot follow) reaches these and fails with what to do.
function blocking(call: string, instead: string): (...args: unknown[]) => never {
  return () => {
    if (!currentVu()) throw new InitContextError(call);
    throw new Error(
      `${call} was called through a reference the engine cannot follow, so it cannot wait for the response: call it as http.${call.slice(5, -2)}(…) directly, or use ${instead}`,
    );
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
