// The API that drives the proxies on links between parts, over real loopback sockets:
// an echo server behind a link, cut and healed, a toxic refused with the structured
// error, and no access without the deployment's token.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultError } from './fault-error.ts';
import { remoteLink, serveLinkControl, type LinkControl } from './link-control.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const echo = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((r) => echo.close(r)));
  cleanups.push(() => sockets.forEach((s) => s.destroy()));
  return (echo.address() as net.AddressInfo).port;
}

/** Sends a line through the port; what came back, or the error code when the connection failed. */
function roundTrip(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    s.on('data', (d) => {
      resolve(String(d));
      s.destroy();
    });
    s.write('ping');
  });
}

async function control(): Promise<LinkControl> {
  const c = await serveLinkControl([{ name: 'GE-ice', upstream: { host: '127.0.0.1', port: await echoServer() } }]);
  cleanups.push(() => c.close());
  return c;
}

describe('link control', () => {
  it('cuts a link and heals it on the same port through its API', async () => {
    const c = await control();
    const port = c.port('GE-ice');
    expect(c.record.links['GE-ice']!.port).toBe(port);
    expect(await roundTrip(port)).toBe('ping');
    const link = remoteLink(c.record, 'GE-ice');
    await link.disable();
    expect(await roundTrip(port)).toBe('ECONNREFUSED');
    await link.enable();
    expect(await roundTrip(port)).toBe('ping');
  });

  it('refuses a toxic that does not fit with the structured error, and a call without the token', async () => {
    const c = await control();
    const link = remoteLink(c.record, 'GE-ice');
    const err = await link.addToxic({ type: 'latency', attributes: { latency: -1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaultError);
    expect((err as FaultError).errors.length).toBeGreaterThan(0);
    const name = await link.addToxic({ type: 'latency', attributes: { latency: 10, jitter: 0 } });
    expect(await roundTrip(c.port('GE-ice'))).toBe('ping');
    await link.removeToxic(name);
    const anonymous = await fetch(`${c.record.url}/links`);
    expect(anonymous.status).toBe(401);
    const wrong = remoteLink({ url: c.record.url, token: 'not-the-token' }, 'GE-ice');
    await expect(wrong.disable()).rejects.toThrow(/bearer token/);
    expect(await roundTrip(c.port('GE-ice'))).toBe('ping');
    await expect(remoteLink(c.record, 'KZ-db').disable()).rejects.toThrow(/no link/);
  });
});
