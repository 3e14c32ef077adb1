// Cookie jars as in k6, end to end against a loopback server: the VU jar (reset every iteration unless
// noCookiesReset), Set-Cookie with domain, path and expiry, redirects, params.jar and params.cookies,
// and jar.set/cookiesForURL/delete/clear.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../testing/run-fixture.ts';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const set = u.searchParams.getAll('set');
    if (set.length) res.setHeader('set-cookie', set);
    if (u.pathname.endsWith('/redirect')) {
      res.statusCode = 302;
      res.setHeader('location', '/echo');
      res.end();
      return;
    }
    res.end(req.headers.cookie ?? '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Runs `body` (an async iteration with `get(url, params)` returning the Cookie header the server saw) and returns its checks. */
async function checks(body: string, options = ''): Promise<[string, number, number][]> {
  const run = await runSource(
    `
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
const base = 'http://127.0.0.1:${port}';
const get = async (url, params) => (await http.asyncRequest('GET', url, null, params)).body;
const q = (...cookies) => cookies.map((c) => 'set=' + encodeURIComponent(c)).join('&');
export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } }, hosts: { 'cats.test': '127.0.0.1', 'api.cats.test': '127.0.0.1' }, ${options} };
export default async function () {
${body}
}`,
    { workers: 1 },
  );
  expect(run.exitCode).toBe(0);
  return run.summaryData!.root_group.checks.map((c) => [c.name, c.passes, c.fails]);
}

describe('cookie jars', () => {
  it('keeps what responses set in the VU jar and sends it back, by path, domain and expiry', async () => {
    const result = await checks(`
  if (exec.vu.iterationInScenario === 0) {
    check(await get(base + '/echo'), { 'none at first': (c) => c === '' });
    await get(base + '/?' + q('session=abc; Path=/', 'scoped=1; Path=/only', 'gone=1; Max-Age=0', 'old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT'));
    check(await get(base + '/echo'), { 'sent back': (c) => c === 'session=abc' });
    check(await get(base + '/only/echo'), { 'by path': (c) => c.split('; ').sort().join('; ') === 'scoped=1; session=abc' });
    await get('http://cats.test:${port}/?' + q('d=1; Domain=cats.test'));
    check(await get('http://api.cats.test:${port}/echo'), { 'to subdomains': (c) => c === 'd=1' });
    check(await get(base + '/echo'), { 'not to other hosts': (c) => c === 'session=abc' });
    check(http.cookieJar().cookiesForURL(base + '/only/x'), { 'cookiesForURL': (m) => JSON.stringify(m) === '{"scoped":["1"],"session":["abc"]}' });
  } else {
    check(await get(base + '/echo'), { 'reset each iteration': (c) => c === '' });
  }`);
    expect(result).toEqual([
      ['none at first', 1, 0],
      ['sent back', 1, 0],
      ['by path', 1, 0],
      ['to subdomains', 1, 0],
      ['not to other hosts', 1, 0],
      ['cookiesForURL', 1, 0],
      ['reset each iteration', 1, 0],
    ]);
  });

  it('keeps the jar across iterations with noCookiesReset', async () => {
    const result = await checks(
      `
  if (exec.vu.iterationInScenario === 0) await get(base + '/?' + q('session=abc'));
  else check(await get(base + '/echo'), { kept: (c) => c === 'session=abc' });`,
      'noCookiesReset: true',
    );
    expect(result).toEqual([['kept', 1, 0]]);
  });

  it('stores cookies a redirect sets and sends them on the next hop', async () => {
    const result = await checks(`
  if (exec.vu.iterationInScenario === 0)
    check(await get(base + '/redirect?' + q('hop=1')), { 'on the next hop': (c) => c === 'hop=1' });`);
    expect(result).toEqual([['on the next hop', 1, 0]]);
  });

  it('sets, deletes and clears cookies by hand; params.cookies add or replace', async () => {
    const result = await checks(`
  if (exec.vu.iterationInScenario !== 0) return;
  const jar = http.cookieJar();
  jar.set(base, 'a', '1');
  jar.set(base, 'b', '2', { path: '/b' });
  check(await get(base + '/b/echo'), { 'set by hand': (c) => c.split('; ').sort().join('; ') === 'a=1; b=2' });
  check(await get(base + '/echo', { cookies: { a: { value: 'x', replace: true }, c: '3' } }), { 'params.cookies replace and add': (c) => c === 'a=x; c=3' });
  check(await get(base + '/echo', { cookies: { a: 'y' } }), { 'params.cookies without replace add': (c) => c === 'a=y; a=1' });
  check(await get(base + '/echo', { headers: { Cookie: 'h=0' } }), { 'after a Cookie header': (c) => c === 'h=0; a=1' });
  jar.delete(base + '/b/x', 'a');
  check(await get(base + '/b/echo'), { 'deleted': (c) => c === 'b=2' });
  jar.clear(base + '/b/x');
  check(await get(base + '/b/echo'), { 'cleared': (c) => c === '' });`);
    expect(result.every(([, passes, fails]) => passes === 1 && fails === 0)).toBe(true);
    expect(result).toHaveLength(6);
  });

  it('reports the cookies a request went with in response.request.cookies, as k6', async () => {
    const result = await checks(`
  http.cookieJar().set(base, 'session', 'abc');
  const r = await http.asyncRequest('GET', base + '/echo', null, { cookies: { lang: 'ka' } });
  check(r.request.cookies, {
    'jar and params cookies': (c) => JSON.stringify(c) === JSON.stringify({
      lang: [{ name: 'lang', value: 'ka', replace: false }],
      session: [{ name: 'session', value: 'abc', replace: false }],
    }),
  });
  const none = await http.asyncRequest('GET', 'http://cats.test:${port}/echo');
  check(none.request.cookies, { 'none': (c) => Object.keys(c).length === 0 });`);
    expect(result).toEqual([
      ['jar and params cookies', 2, 0],
      ['none', 2, 0],
    ]);
  });

  it('uses the jar params.jar names instead of the VU jar', async () => {
    const result = await checks(`
  if (exec.vu.iterationInScenario !== 0) return;
  const own = new http.CookieJar();
  own.set(base, 'own', '1');
  http.cookieJar().set(base, 'vu', '1');
  check(await get(base + '/echo', { jar: own }), { 'own jar only': (c) => c === 'own=1' });
  await get(base + '/?' + q('late=1'), { jar: own });
  check(own.cookiesForURL(base), { 'stored in own jar': (m) => m.late[0] === '1' });
  check(http.cookieJar().cookiesForURL(base), { 'not in the VU jar': (m) => m.late === undefined });
  let refused = false;
  try { await get(base + '/echo', { jar: {} }); } catch (e) { refused = /params.jar/.test(e.message); }
  check(refused, { 'refuses a non-jar': (r) => r });`);
    expect(result).toEqual([
      ['own jar only', 1, 0],
      ['stored in own jar', 1, 0],
      ['not in the VU jar', 1, 0],
      ['refuses a non-jar', 1, 0],
    ]);
  });
});
