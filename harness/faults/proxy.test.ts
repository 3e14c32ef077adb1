// The fault proxy with real sockets on loopback: an echo server behind it,
// toxics added and removed while connections run, and a WebSocket through it.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { FaultError } from './fault-error.ts';
import { startProxy, type FaultProxy } from './proxy.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An echo server, and a proxy in front of it. */
async function echoBehindProxy(): Promise<{ proxy: FaultProxy; upstreamPort: number }> {
  const sockets = new Set<net.Socket>();
  const echo = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (echo.address() as net.AddressInfo).port;
  const proxy = await startProxy({ name: 'test', upstream: { host: '127.0.0.1', port: upstreamPort } });
  cleanups.push(() => new Promise((r) => echo.close(r)));
  cleanups.push(() => sockets.forEach((s) => s.destroy()));
  cleanups.push(() => proxy.close());
  return { proxy, upstreamPort };
}

interface Client {
  socket: net.Socket;
  received: () => Buffer;
  /** Resolves with the socket's error code (undefined for a clean close) once it is closed. */
  closed: Promise<string | undefined>;
}

function connect(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The peer's end ends ours too (half-open only while our own data is under way).
    socket.on('end', () => socket.end());
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code;
      reject(e);
    });
    const closed = new Promise<string | undefined>((r) => socket.once('close', () => r(error)));
    socket.once('connect', () =>
      resolve({ socket, received: () => Buffer.concat(chunks), closed: closed.then((e) => e) }),
    );
    cleanups.push(() => socket.destroy());
  });
}

/** Sends `data` and ends; resolves with everything echoed back until the echo's end. */
async function roundTrip(port: number, data: Buffer): Promise<Buffer> {
  const c = await connect(port);
  c.socket.end(data);
  await c.closed;
  return c.received();
}

describe('fault proxy', () => {
  it('passes every byte unchanged both ways with no toxics', async () => {
    const { proxy } = await echoBehindProxy();
    const data = randomBytes(2 * 1024 * 1024);
    expect((await roundTrip(proxy.port, data)).equals(data)).toBe(true);
  });

  it('down refuses new connections and cuts open ones; enabled again it serves on the same port', async () => {
    const { proxy } = await echoBehindProxy();
    const port = proxy.port;
    const open = await connect(port);
    open.socket.write('before');
    await expect.poll(() => open.received().toString()).toBe('before');
    await proxy.disable();
    expect(await open.closed).toBeDefined();
    await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.enable();
    expect(proxy.port).toBe(port);
    expect((await roundTrip(port, Buffer.from('after'))).toString()).toBe('after');
  });

  it('reset_peer resets the connection', async () => {
    const { proxy } = await echoBehindProxy();
    const c = await connect(proxy.port);
    c.socket.write('hello');
    await expect.poll(() => c.received().toString()).toBe('hello');
    proxy.addToxic({ type: 'reset_peer', attributes: { timeout: 0 } });
    expect(await c.closed).toBe('ECONNRESET');
  });

  it('timeout stops the data and closes the connection after its timeout', async () => {
    const { proxy } = await echoBehindProxy();
    const c = await connect(proxy.port);
    proxy.addToxic({ type: 'timeout', stream: 'downstream', attributes: { timeout: 300 } });
    c.socket.write('never echoed');
    await c.closed;
    expect(c.received().length).toBe(0);
  });

  it('timeout 0 holds the data until the toxic is removed, then passes it on', async () => {
    const { proxy } = await echoBehindProxy();
    const c = await connect(proxy.port);
    const name = proxy.addToxic({ type: 'timeout', attributes: { timeout: 0 } });
    c.socket.write('held');
    await new Promise((r) => setTimeout(r, 200));
    expect(c.received().length).toBe(0);
    proxy.removeToxic(name);
    await expect.poll(() => c.received().toString()).toBe('held');
  });

  it('latency with jitter delivers every message intact and in order, both ways', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'latency', stream: 'upstream', attributes: { latency: 30, jitter: 25 } });
    proxy.addToxic({ type: 'latency', stream: 'downstream', attributes: { latency: 30, jitter: 25 } });
    const c = await connect(proxy.port);
    const messages = Array.from({ length: 40 }, (_, i) => `message ${i};`);
    for (const m of messages) {
      c.socket.write(m);
      await new Promise((r) => setTimeout(r, 5));
    }
    c.socket.end();
    await c.closed;
    expect(c.received().toString()).toBe(messages.join(''));
  });

  it('bandwidth still delivers every byte in order', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'bandwidth', stream: 'downstream', attributes: { rate: 2000 } });
    const data = randomBytes(300 * 1024);
    expect((await roundTrip(proxy.port, data)).equals(data)).toBe(true);
  });

  it('limit_data closes the connection once its bytes have passed', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'limit_data', attributes: { bytes: 1000 } });
    const data = randomBytes(64 * 1024);
    const back = await roundTrip(proxy.port, data);
    expect(back.equals(data.subarray(0, 1000))).toBe(true);
  });

  it('slow_close still passes the data and then the close', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'slow_close', attributes: { delay: 200 } });
    const data = randomBytes(10_000);
    expect((await roundTrip(proxy.port, data)).equals(data)).toBe(true);
  });

  it('a toxic with toxicity 0 affects no connection; added toxics can be removed', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'reset_peer', toxicity: 0, attributes: {} });
    expect((await roundTrip(proxy.port, Buffer.from('spared'))).toString()).toBe('spared');
    proxy.removeToxic('reset_peer_downstream');
    expect(proxy.toxicList()).toEqual([]);
  });

  it('refuses a bad toxic with a structured error naming the field, and changes nothing', async () => {
    const { proxy } = await echoBehindProxy();
    let err: unknown;
    try {
      proxy.addToxic({ type: 'latency', attributes: { latency: -5 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FaultError);
    expect(err).toMatchObject({ code: 'invalid_toxic' });
    expect((err as FaultError).errors.map((e) => e.pointer)).toContain('/attributes/latency');
    expect(proxy.toxicList()).toEqual([]);
    expect(() => proxy.addToxic({ type: 'jam', attributes: {} })).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ pointer: '/type' })] }),
    );
    proxy.addToxic({ type: 'latency', attributes: { latency: 1 } });
    expect(() => proxy.addToxic({ type: 'latency', attributes: { latency: 2 } })).toThrow(
      expect.objectContaining({ code: 'duplicate_toxic' }),
    );
    expect(() => proxy.removeToxic('nope')).toThrow(expect.objectContaining({ code: 'unknown_toxic' }));
  });

  it('carries a WebSocket that survives latency and is cut when the proxy goes down', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => ws.on('message', (m, binary) => ws.send(m, { binary })));
    cleanups.push(() => new Promise((r) => wss.close(r)));
    const proxy = await startProxy({
      name: 'ws',
      upstream: { host: '127.0.0.1', port: (wss.address() as net.AddressInfo).port },
    });
    cleanups.push(() => proxy.close());
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/`);
    cleanups.push(() => ws.terminate());
    const received: string[] = [];
    ws.on('message', (m) => received.push(m.toString()));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('error', () => undefined);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    proxy.addToxic({ type: 'latency', stream: 'downstream', attributes: { latency: 50, jitter: 30 } });
    proxy.addToxic({ type: 'latency', stream: 'upstream', attributes: { latency: 50, jitter: 30 } });
    const sent = Array.from({ length: 20 }, (_, i) => JSON.stringify({ n: i, pad: 'x'.repeat(i * 100) }));
    for (const m of sent) ws.send(m);
    await expect.poll(() => received, { timeout: 20_000 }).toEqual(sent);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await proxy.disable();
    expect(await closed).toBe(1006);
  });
});
