// blockHostnames and blacklistIPs as k6 v0.49 applies them (checked side by side with it): a blocked name
// before `hosts`, a blacklisted address after the lookup, each request failing with k6's code and counted.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, runSource } from '../../testing/run-fixture.ts';

const server = createServer((_req, res) => res.end('ok'));
let port = 0;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const script = (options: string, urls: string[]) => `import http from 'k6/http';
export const options = { iterations: 1, ${options} };
export default function () {
  for (const u of ${JSON.stringify(urls)}) {
    const r = http.get(u, { timeout: '2s' });
    console.log(JSON.stringify([u, r.status, r.error_code, r.error]));
  }
}`;

const answers = (stdout: string, stderr: string) =>
  (stdout + stderr)
    .split('\n')
    .filter((l) => l.includes('["'))
    .map((l) => JSON.parse(l.slice(l.indexOf('["'))) as [string, number, number, string]);

describe('blockHostnames and blacklistIPs', () => {
  it('refuses blocked names, whatever their case, before hosts maps them, and counts the requests', async () => {
    const urls = [
      `http://a.test:${port}/`,
      `http://b.a.test:${port}/`,
      `http://EXACT.example:${port}/`,
      `http://open.example:${port}/`,
    ];
    const run = await runSource(
      script(
        `blockHostnames: ['*.test', 'exact.example'], hosts: { 'a.test': '127.0.0.1', 'open.example': '127.0.0.1' }`,
        urls,
      ),
      { noSummary: false },
    );
    expect(run.exitCode).toBe(0);
    expect(answers(run.stdout, run.stderr).map(([u, status, code, error]) => [u, status, code, error])).toEqual([
      [urls[0], 0, 1111, 'hostname is blocked'],
      [urls[1], 0, 1111, 'hostname is blocked'],
      [urls[2], 0, 1111, 'hostname is blocked'],
      [urls[3], 200, 0, ''],
    ]);
    expect(metricValue(run, 'http_reqs', 'count')).toBe(4);
    expect(metricValue(run, 'http_req_failed', 'passes')).toBe(3);
  });

  it('refuses addresses in a blacklisted range: literal, looked up, or given by hosts', async () => {
    const urls = [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://mapped.example:${port}/`];
    const blacklisted = await runSource(
      script(`blacklistIPs: ['127.0.0.0/8'], hosts: { 'mapped.example': '127.0.0.1' }`, urls),
    );
    expect(
      answers(blacklisted.stdout, blacklisted.stderr).map(([, status, code, error]) => [status, code, error]),
    ).toEqual(urls.map(() => [0, 1110, 'ip is blacklisted']));
    const elsewhere = await runSource(script(`blacklistIPs: ['10.0.0.0/8', 'fd00::/8']`, [urls[0]!]));
    expect(answers(elsewhere.stdout, elsewhere.stderr)[0]?.[1]).toBe(200);
  });

  it('refuses malformed entries at start, naming the option and the entry', async () => {
    const range = await runSource(
      `export const options = { blacklistIPs: ['10.0.0.0'] };\nexport default function () {}`,
    );
    expect(range.exitCode).toBe(104);
    expect(range.stderr).toContain('blacklistIPs: "10.0.0.0" must be a range in CIDR notation');
    const name = await runSource(
      `export const options = { blockHostnames: ['a.*.test'] };\nexport default function () {}`,
    );
    expect(name.exitCode).toBe(104);
    expect(name.stderr).toContain('may have a wildcard (*) at its start only');
  });
});
