// k6's blocking request forms (http.get, http.post, …, http.batch) as the loaded script calls them: the script
// transform (runtime/sync-transform.ts) awaits each call, so the VU waits for the response as it does in k6.
import { engine } from '../../runtime/engine-state.ts';
import type { Params } from './params.ts';
import { asyncRequest } from './request.ts';
import type { Response } from './response.ts';
import { target, TaggedURL } from './url.ts';

type Url = string | TaggedURL;

export const request = (method: string, url: Url, body?: unknown, params?: Params | null): Promise<Response> =>
  asyncRequest(method, url, body, params);
export const get = (url: Url, params?: Params | null): Promise<Response> => asyncRequest('GET', url, null, params);
export const head = (url: Url, params?: Params | null): Promise<Response> => asyncRequest('HEAD', url, null, params);
export const post = (url: Url, body?: unknown, params?: Params | null): Promise<Response> =>
  asyncRequest('POST', url, body, params);
export const put = (url: Url, body?: unknown, params?: Params | null): Promise<Response> =>
  asyncRequest('PUT', url, body, params);
export const patch = (url: Url, body?: unknown, params?: Params | null): Promise<Response> =>
  asyncRequest('PATCH', url, body, params);
export const del = (url: Url, body?: unknown, params?: Params | null): Promise<Response> =>
  asyncRequest('DELETE', url, body, params);
export const options = (url: Url, body?: unknown, params?: Params | null): Promise<Response> =>
  asyncRequest('OPTIONS', url, body, params);

type BatchRequest =
  | Url
  | [method: string, url: Url, body?: unknown, params?: Params | null]
  | { method?: string; url: Url; body?: unknown; params?: Params | null };

/** k6's defaults for the `batch` and `batchPerHost` options. */
const BATCH = 20;
const BATCH_PER_HOST = 6;

function limit(name: 'batch' | 'batchPerHost', fallback: number): number {
  const v = Number(engine.options[name]);
  // k6 reads 0 as "no limit".
  if (engine.options[name] === undefined || !Number.isFinite(v) || v < 0) return fallback;
  return v === 0 ? Infinity : v;
}

function describe(r: BatchRequest, key: string): () => Promise<Response> {
  if (typeof r === 'string' || r instanceof TaggedURL) return () => asyncRequest('GET', r, null);
  if (Array.isArray(r)) {
    const [method, url, body, params] = r;
    return () => asyncRequest(method, url, body, params);
  }
  if (r && typeof r === 'object' && 'url' in r) return () => asyncRequest(r.method ?? 'GET', r.url, r.body, r.params);
  throw new TypeError(
    `http.batch: request ${key} must be a URL, [method, url, body, params] or {method, url, body, params}`,
  );
}

function hostOf(r: BatchRequest): string {
  const u = typeof r === 'string' || r instanceof TaggedURL ? r : Array.isArray(r) ? r[1] : r.url;
  return target(u instanceof TaggedURL ? u.url : String(u))?.origin ?? '';
}

/**
 * `http.batch(requests)`: the requests run in parallel, at most `batch` at once and `batchPerHost` per origin
 * (k6's options, 20 and 6 by default); the responses come back in the shape the requests were given
 * (array or object).
 */
export async function batch(requests: BatchRequest[] | Record<string, BatchRequest>): Promise<unknown> {
  if (!requests || typeof requests !== 'object')
    throw new TypeError('http.batch(requests): requests must be an array or an object');
  const keys = Object.keys(requests);
  const list = keys.map((k) => (requests as Record<string, BatchRequest>)[k]);
  const sends = list.map((r, i) => describe(r, keys[i]));
  const hosts = list.map(hostOf);
  const results: Response[] = new Array(list.length);
  const max = limit('batch', BATCH);
  const perHost = limit('batchPerHost', BATCH_PER_HOST);
  const busy = new Map<string, number>();
  let running = 0;
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const waiting: number[] = [];
    const pump = (): void => {
      for (let i = 0; i < waiting.length && running < max;) {
        const idx = waiting[i];
        const host = hosts[idx];
        if ((busy.get(host) ?? 0) >= perHost) {
          i++;
          continue;
        }
        waiting.splice(i, 1);
        running++;
        busy.set(host, (busy.get(host) ?? 0) + 1);
        let sent: Promise<Response>;
        try {
          sent = sends[idx]();
        } catch (err) {
          sent = Promise.reject(err);
        }
        sent.then(
          (res) => {
            results[idx] = res;
            running--;
            busy.set(host, busy.get(host)! - 1);
            if (++next === list.length) resolve();
            else if (!failed) pump();
          },
          (err: unknown) => {
            failed = true;
            reject(err);
          },
        );
      }
    };
    for (let i = 0; i < list.length; i++) waiting.push(i);
    if (list.length === 0) resolve();
    else pump();
  });
  if (Array.isArray(requests)) return results;
  return Object.fromEntries(keys.map((k, i) => [k, results[i]]));
}
