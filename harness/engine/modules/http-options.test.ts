// k6's options that shape http requests, run end to end against loopback servers: connection reuse,
// userAgent, hosts, insecureSkipTLSVerify, throw and discardResponseBodies.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metricValue, runSource } from '../testing/run-fixture.ts';
import { selfSignedCertificate } from '../testing/tls.ts';

let server: Server;
let tlsServer: TlsServer;
let port: number;
let tlsPort: number;
let closedPort: number;
let connections = 0;

function handle(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({ ua: req.headers['user-agent'] ?? null, host: req.headers.host, from: req.socket.remoteAddress }),
  );
}

beforeAll(async () => {
  server = createServer(handle);
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  tlsServer = createTlsServer(selfSignedCertificate(), handle);
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  tlsPort = (tlsServer.address() as AddressInfo).port;
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  closedPort = (probe.address() as AddressInfo).port;
  probe.close();
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  tlsServer.closeAllConnections();
  tlsServer.close();
});

beforeEach(() => {
  connections = 0;
});

const imports = `
import http from 'k6/http';
import { check } from 'k6';
`;

describe('connection reuse', () => {
  const source = (options: string): string => `${imports}
export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } }, ${options} };
export default async function () {
  for (let i = 0; i < 5; i++) await http.asyncRequest('GET', 'http://127.0.0.1:${port}/');
}`;

  it('reuses connections across requests and iterations by default', async () => {
    const run = await runSource(source(''), { workers: 1 });
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'http_reqs', 'count')).toBe(15);
    expect(connections).toBe(1);
  });

  it('opens a connection per request with noConnectionReuse', async () => {
    const run = await runSource(source('noConnectionReuse: true'), { workers: 1 });
    expect(run.exitCode).toBe(0);
    expect(connections).toBe(15);
  });

  it('reuses connections within an iteration only with noVUConnectionReuse', async () => {
    const run = await runSource(source(''), { workers: 1, systemEnv: { K6_NO_VU_CONNECTION_REUSE: 'true' } });
    expect(run.exitCode).toBe(0);
    // Each of the 3 iterations opens its own, and reuses it for its 5 requests.
    expect(connections).toBe(3);
  });
});

describe('request options', () => {
  it('sends userAgent, which the environment overrides and a request header overrides in turn', async () => {
    const source = `${imports}
export const options = { iterations: 1, userAgent: 'script/1' };
export default async function () {
  const plain = await http.asyncRequest('GET', 'http://127.0.0.1:${port}/');
  const own = await http.asyncRequest('GET', 'http://127.0.0.1:${port}/', null, { headers: { 'User-Agent': 'own/1' } });
  check(null, { [plain.json().ua]: () => true, [own.json().ua]: () => true });
}`;
    const userAgents = async (systemEnv: Record<string, string>): Promise<string[]> => {
      const run = await runSource(source, { systemEnv, workers: 1 });
      return run.summaryData!.root_group.checks.map((c) => c.name);
    };
    expect(await userAgents({})).toEqual(['script/1', 'own/1']);
    expect(await userAgents({ K6_USER_AGENT: 'env/1' })).toEqual(['env/1', 'own/1']);
  });

  it('resolves names through hosts, keeping the Host header, and maps ports', async () => {
    const run = await runSource(
      `${imports}
export const options = { iterations: 1, hosts: { 'cats.test': '127.0.0.1', 'ice.test:80': '127.0.0.1:${port}' } };
export default async function () {
  const a = await http.asyncRequest('GET', 'http://cats.test:${port}/');
  const b = await http.asyncRequest('GET', 'http://ice.test/');
  check(a, { 'by name': (r) => r.status === 200 && r.json().host === 'cats.test:${port}' });
  check(b, { 'by name and port': (r) => r.status === 200 && r.json().host === 'ice.test' });
}`,
      { workers: 1 },
    );
    expect(run.exitCode).toBe(0);
    expect(run.summaryData!.root_group.checks.map((c) => [c.name, c.passes])).toEqual([
      ['by name', 1],
      ['by name and port', 1],
    ]);
    expect((await runSource(`export const options = { hosts: ['x'] };\nexport default function () {}`)).exitCode).toBe(
      104,
    );
  });

  it('refuses a self-signed certificate unless insecureSkipTLSVerify', async () => {
    const source = (options: string): string => `${imports}
export const options = { iterations: 1, ${options} };
export default async function () {
  const r = await http.asyncRequest('GET', 'https://localhost:${tlsPort}/');
  check(r, { ok: (x) => x.status === 200 });
}`;
    const strict = await runSource(source(''), { workers: 1 });
    expect(metricValue(strict, 'checks', 'fails')).toBe(1);
    expect(metricValue(strict, 'http_req_failed', 'passes')).toBe(1);
    const insecure = await runSource(source('insecureSkipTLSVerify: true'), { workers: 1 });
    expect(metricValue(insecure, 'checks', 'passes')).toBe(1);
  });

  it('throws on a failed request with throw, and returns an error response without', async () => {
    const source = (options: string): string => `${imports}
export const options = { iterations: 1, ${options} };
export default async function () {
  try {
    const r = await http.asyncRequest('GET', 'http://127.0.0.1:${closedPort}/');
    check(r, { 'error response': (x) => x.status === 0 && x.error_code === 1212 });
  } catch (e) {
    check(e, { thrown: () => true });
  }
}`;
    const quiet = await runSource(source(''), { workers: 1 });
    expect(quiet.summaryData!.root_group.checks.map((c) => [c.name, c.passes])).toEqual([['error response', 1]]);
    const loud = await runSource(source(''), { workers: 1, systemEnv: { K6_THROW: 'true' } });
    expect(loud.summaryData!.root_group.checks.map((c) => [c.name, c.passes])).toEqual([['thrown', 1]]);
  });

  it('drops bodies with discardResponseBodies unless a request asks for one with responseType', async () => {
    const run = await runSource(
      `${imports}
export const options = { iterations: 1, discardResponseBodies: true };
export default async function () {
  const dropped = await http.asyncRequest('GET', 'http://127.0.0.1:${port}/');
  const kept = await http.asyncRequest('GET', 'http://127.0.0.1:${port}/', null, { responseType: 'text' });
  check(dropped, { 'no body': (r) => r.body === null && r.status === 200 });
  check(kept, { 'body kept': (r) => typeof r.body === 'string' && r.json().host !== undefined });
}`,
      { workers: 1 },
    );
    expect(run.summaryData!.root_group.checks.map((c) => [c.name, c.passes])).toEqual([
      ['no body', 1],
      ['body kept', 1],
    ]);
  });

  it("connects each VU from its address of K6_LOCAL_IPS, in turn, and warns that a script's localIPs is not used", async () => {
    const run = await runSource(
      `${imports}
export const options = { localIPs: '127.0.0.9', scenarios: { each: { executor: 'per-vu-iterations', vus: 4, iterations: 2 } } };
export default async function () {
  const r = await http.asyncRequest('GET', 'http://127.0.0.1:${port}/');
  check(r, { ['VU ' + __VU + ' from ' + r.json().from]: (x) => x.status === 200 });
}`,
      { workers: 2, systemEnv: { K6_LOCAL_IPS: '127.0.0.2-127.0.0.3' } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.summaryData!.root_group.checks.map((c) => [c.name, c.passes]).sort()).toEqual([
      ['VU 1 from 127.0.0.2', 2],
      ['VU 2 from 127.0.0.3', 2],
      ['VU 3 from 127.0.0.2', 2],
      ['VU 4 from 127.0.0.3', 2],
    ]);
    expect(run.stderr).toContain("the script's localIPs option is not used");
  });

  it('logs each request and response with httpDebug, their bodies with full', async () => {
    const source = (mode: string) => `${imports}
export const options = { iterations: 1, httpDebug: '${mode}' };
export default async function () {
  await http.asyncRequest('POST', 'http://127.0.0.1:${port}/lodge', 'LRN-42', { headers: { 'X-Trace': 't1' } });
}`;
    const full = (await runSource(source('full'), { workers: 1 })).stderr;
    expect(full).toMatch(/INFO Request:\nPOST \/lodge HTTP\/1\.1\nHost: 127\.0\.0\.1:\d+\n/);
    expect(full).toContain('X-Trace: t1');
    expect(full).toContain('Content-Length: 6\n\nLRN-42');
    expect(full).toMatch(/INFO Response:\nHTTP\/1\.1 200 OK\n[^]*\n\n\{"ua":/);
    expect(full.match(/request_id=(\d+)/g)).toHaveLength(2);
    const headers = (await runSource(source('headers'), { workers: 1 })).stderr;
    expect(headers).toContain('INFO Request:\nPOST /lodge HTTP/1.1');
    expect(headers).toContain('INFO Response:\nHTTP/1.1 200 OK');
    expect(headers).not.toContain('LRN-42');
    expect(headers).not.toContain('{"ua":');
  });
});
