// The engine's TLS options as k6's: tlsVersion, tlsCipherSuites and tlsAuth against loopback
// HTTPS servers that report what was negotiated and which client certificate they saw.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { runSource } from '../testing/run-fixture.ts';
import { selfSignedCertificate } from '../testing/tls.ts';

const serverCert = selfSignedCertificate();
const clientA = selfSignedCertificate();
const clientB = selfSignedCertificate();
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) s.close();
});

/** An HTTPS server answering with the protocol, cipher and client certificate of the connection. */
async function serve(options: ServerOptions): Promise<number> {
  const server = createServer({ ...serverCert, ...options }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        client: peer && 'fingerprint256' in peer ? peer.fingerprint256 : null,
      }),
    );
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

/** What one request to `port` saw: the server's report, or the request's error code. */
async function negotiated(port: number, options: string): Promise<Record<string, unknown>> {
  const run = await runSource(
    `import http from 'k6/http';
export const options = { iterations: 1, insecureSkipTLSVerify: true, ${options} };
export function handleSummary() { return {}; }
export default async function () {
  const r = await http.asyncRequest('GET', 'https://localhost:${port}/');
  const seen = { tls_version: r.tls_version, tls_cipher_suite: r.tls_cipher_suite, remote_ip: r.remote_ip, remote_port: r.remote_port };
  console.log('RESULT ' + (r.status === 200 ? JSON.stringify({ ...r.json(), ...seen }) : JSON.stringify({ error_code: r.error_code, error: r.error })));
}`,
    { workers: 1 },
  );
  expect(run.exitCode).toBe(0);
  const line = run.stderr.split('\n').find((l) => l.includes('RESULT '));
  return JSON.parse(line!.slice(line!.indexOf('RESULT ') + 7));
}

describe('TLS options', () => {
  it('keeps to tlsVersion: one version, or a min and max', async () => {
    const tls12 = await serve({ maxVersion: 'TLSv1.2' });
    expect(await negotiated(tls12, '')).toMatchObject({
      protocol: 'TLSv1.2',
      tls_version: 'tls1.2',
      remote_ip: '127.0.0.1',
      remote_port: tls12,
    });
    expect((await negotiated(tls12, `tlsVersion: 'tls1.3'`)).error_code).toBeGreaterThan(0);
    expect((await negotiated(tls12, `tlsVersion: { min: 'tls1.2', max: 'tls1.3' }`)).protocol).toBe('TLSv1.2');
    const any = await serve({});
    expect(await negotiated(any, '')).toMatchObject({ protocol: 'TLSv1.3', tls_version: 'tls1.3' });
    expect((await negotiated(any, `tlsVersion: { max: 'tls1.2' }`)).protocol).toBe('TLSv1.2');
  });

  it('offers only the tlsCipherSuites given, by the names k6 takes', async () => {
    const port = await serve({
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384',
    });
    const chosen = await negotiated(port, `tlsCipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384']`);
    expect(chosen).toMatchObject({
      cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384',
      tls_cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    });
    const none = await negotiated(port, `tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']`);
    expect(none.error_code).toBeGreaterThan(0);
  });

  it('presents the tlsAuth certificate whose domains name the host, and none without tlsAuth', async () => {
    const port = await serve({ requestCert: true, rejectUnauthorized: true, ca: [clientA.cert, clientB.cert] });
    expect((await negotiated(port, '')).error_code).toBeGreaterThan(0);
    const auth = (domains: string[], c: { cert: string; key: string }) =>
      `{ domains: ${JSON.stringify(domains)}, cert: ${JSON.stringify(c.cert)}, key: ${JSON.stringify(c.key)} }`;
    const seen = await negotiated(port, `tlsAuth: [${auth(['other.test'], clientA)}, ${auth(['localhost'], clientB)}]`);
    expect(seen.client).toBe(fingerprint(clientB.cert));
    // No domain matches: the first certificate, as k6 presents the first one the server accepts.
    const first = await negotiated(port, `tlsAuth: [${auth(['*.other.test'], clientA)}]`);
    expect(first.client).toBe(fingerprint(clientA.cert));
  });

  it('refuses a TLS option it cannot use before the test starts, naming it', async () => {
    const run = await runSource(`export const options = { tlsVersion: 'tls9' };\nexport default function () {}`);
    expect(run.exitCode).toBe(104);
    expect(run.stderr).toContain(`unknown TLS version "tls9"`);
  });
});
