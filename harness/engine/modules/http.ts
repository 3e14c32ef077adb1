// k6/http, one file per concept under http/ (as k6 splits its http module): options, connections, the HTTP/1.1
// connection and its response parser, URLs, expected statuses, error codes, response and cookies, cookie jars,
// params, multipart files, request tags, the exchange that sends a request, and asyncRequest. One set of
// keep-alive pools per worker, shared by its VUs; k6 gives every VU its own connection pool, so here a
// connection freed by one VU may carry another VU's next request. With one connection per concurrently busy
// VU the load on the target is the same.
import { expectedStatuses, setResponseCallback } from './http/expected-statuses.ts';
import { CookieJar, cookieJar } from './http/cookie-jar.ts';
import { asyncRequest, batch, del, get, head, options, patch, post, put, request } from './http/request.ts';
import { file } from './http/multipart.ts';
import { url } from './http/url.ts';

export { closeHttp } from './http/connections.ts';
export type { ResponseCookie } from './http/cookies.ts';
export { ExpectedStatuses, expectedStatuses, setResponseCallback } from './http/expected-statuses.ts';
export { configureHttp, type HttpOptions } from './http/options.ts';
export type { Params } from './http/params.ts';
export { CookieJar, cookieJar, type CookieOptions, type RequestCookies } from './http/cookie-jar.ts';
export { asyncRequest, batch, del, get, head, options, patch, post, put, request } from './http/request.ts';
export { file } from './http/multipart.ts';
export { Response, type RequestInfo, type ResponseType, type Timings } from './http/response.ts';
export { TaggedURL, url } from './http/url.ts';

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
  CookieJar,
  file,
  TLS_1_0,
  TLS_1_1,
  TLS_1_2,
  TLS_1_3,
};
