// k6's cookie jars (js/modules/k6/http/cookiejar.go) on tough-cookie: every VU has one, emptied at the
// start of each iteration unless `noCookiesReset`; `new http.CookieJar()` makes others for params.jar.
// Requests send the jar's cookies for their URL and store what each response (redirects included) sets.
import { Cookie, CookieJar as ToughJar, MemoryCookieStore } from 'tough-cookie';
import { currentVu, InitContextError, type VuState } from '../../runtime/vu-context.ts';
import { config } from './options.ts';

export interface CookieOptions {
  domain?: string;
  path?: string;
  /** A date (RFC 1123 as k6 documents it, or anything Date parses). */
  expires?: string;
  max_age?: number;
  secure?: boolean;
  http_only?: boolean;
}

/** params.cookies: `{name: value}` or `{name: {value, replace}}` (replace: instead of the jar's cookie of that name). */
export type RequestCookies = Record<string, string | number | { value: string | number; replace?: boolean }>;

export class CookieJar {
  // Made on the first cookie: a VU gets a fresh jar every iteration, and most never store anything.
  #store: MemoryCookieStore | undefined;
  #tough: ToughJar | undefined;
  /** Nothing was ever stored: requests skip the lookup. */
  #empty = true;

  get #jar(): ToughJar {
    return (this.#tough ??= new ToughJar((this.#store = new MemoryCookieStore()), {
      looseMode: true,
      rejectPublicSuffixes: false,
      allowSpecialUseDomain: true,
    }));
  }

  /** `{name: [values]}` of the cookies a request to `url` sends. */
  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const c of this.#cookies(String(url))) (out[c.key] ??= []).push(c.value);
    return out;
  }

  set(url: string, name: string, value: string, options: CookieOptions = {}): void {
    const cookie = new Cookie({
      key: String(name),
      value: String(value),
      domain: options.domain ?? null,
      path: options.path ?? null,
      expires: options.expires ? new Date(options.expires) : 'Infinity',
      maxAge: options.max_age ?? null,
      secure: options.secure ?? false,
      httpOnly: options.http_only ?? false,
    });
    this.#jar.setCookieSync(cookie, String(url));
    this.#empty = false;
  }

  /** Removes every cookie a request to `url` would send. */
  clear(url: string): void {
    for (const c of this.#cookies(String(url))) this.#remove(c);
  }

  delete(url: string, name: string): void {
    for (const c of this.#cookies(String(url))) if (c.key === String(name)) this.#remove(c);
  }

  #cookies(url: string): Cookie[] {
    return this.#empty ? [] : this.#jar.getCookiesSync(url);
  }

  #remove(c: Cookie): void {
    // The memory store removes at once; the promise only reports it.
    void this.#store?.removeCookie(c.domain ?? '', c.path ?? '', c.key);
  }

  /**
   * The Cookie header value for `url`, or '': `cookies` first, then the jar's except those `cookies` replace
   * (k6's SetRequestCookies order).
   */
  headerFor(url: string, cookies: RequestCookies | undefined): string {
    if (this.#empty && !cookies) return '';
    const parts: string[] = [];
    for (const c of this.#cookies(url)) {
      const own = cookies?.[c.key];
      if (!(own !== null && typeof own === 'object' && own.replace)) parts.push(`${c.key}=${c.value}`);
    }
    return [...requestCookiePairs(cookies), ...parts].join('; ');
  }

  /** Stores the Set-Cookie headers of a response from `url`; malformed or foreign ones are ignored, as in k6. */
  store(url: string, setCookies: string[]): void {
    for (const header of setCookies) {
      if (this.#jar.setCookieSync(header, url, { ignoreError: true })) this.#empty = false;
    }
  }
}

/** `name=value` pairs of params.cookies. */
export function requestCookiePairs(cookies: RequestCookies | undefined): string[] {
  if (!cookies) return [];
  return Object.entries(cookies).map(([k, v]) => `${k}=${v !== null && typeof v === 'object' ? v.value : v}`);
}

const vuJars = new WeakMap<VuState, { iteration: number; jar: CookieJar }>();

/** The VU's jar for its current iteration (a fresh one each iteration unless noCookiesReset). */
export function vuJar(vu: VuState): CookieJar {
  const mine = vuJars.get(vu);
  if (!mine) {
    const jar = new CookieJar();
    vuJars.set(vu, { iteration: vu.iteration, jar });
    return jar;
  }
  if (!config.noCookiesReset && mine.iteration !== vu.iteration) {
    mine.iteration = vu.iteration;
    mine.jar = new CookieJar();
  }
  return mine.jar;
}

/** `http.cookieJar()`: the running VU's jar. */
export function cookieJar(): CookieJar {
  const vu = currentVu();
  if (!vu) throw new InitContextError('http.cookieJar()');
  return vuJar(vu);
}
