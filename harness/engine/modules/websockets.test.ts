import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { freePort } from '../../../reference/net/free-port.ts';
import { testVu } from '../../../test/support/vu.ts';
import { Blob, socketsClosed, WebSocket, type WebSocketEvent } from './websockets.ts';

let server: WebSocketServer;
let base: string;

beforeAll(async () => {
  server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('ice.v1') ? 'ice.v1' : false),
  });
  server.on('connection', (socket, req) => {
    if (req.url === '/server-ping') socket.ping('hello');
    if (req.url === '/bye') socket.close(4001, 'bye now');
    socket.on('message', (data, isBinary) => {
      if (!isBinary && data.toString() === 'close-me') socket.close(1000, 'done');
      else socket.send(data, { binary: isBinary });
    });
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('k6/websockets WebSocket', () => {
  it('echoes text and binary messages and emits ws_* metrics with k6 tags', async () => {
    const vu = testVu({ scenario: 'ice', group: '' });
    const events: string[] = [];
    const received: Array<string | ArrayBuffer> = [];
    vu.run(() => {
      const ws = new WebSocket(`${base}/echo`, 'ice.v1', { tags: { channel: 'kz' } });
      expect(ws.readyState).toBe(WebSocket.CONNECTING);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        events.push('open');
        expect(ws.protocol).toBe('ice.v1');
        ws.send('hello');
        ws.send(new Uint8Array([1, 2, 3]));
        ws.ping();
      };
      ws.addEventListener('message', (e: WebSocketEvent) => {
        received.push(e.data as string | ArrayBuffer);
        expect(e.origin).toBe(`${base}/echo`);
        if (received.length === 2) ws.close();
      });
      ws.onpong = () => events.push('pong');
      ws.onclose = (e) => events.push(`close ${e.code}`);
    });
    await socketsClosed(vu.state);
    expect(events[0]).toBe('open');
    expect(events).toContain('pong');
    expect(events.at(-1)).toBe('close 1000');
    expect(received[0]).toBe('hello');
    expect([...new Uint8Array(received[1] as ArrayBuffer)]).toEqual([1, 2, 3]);

    expect(vu.of('ws_sessions')).toHaveLength(1);
    expect(vu.of('ws_sessions')[0].tags).toEqual({
      scenario: 'ice',
      group: '',
      channel: 'kz',
      url: `${base}/echo`,
      name: `${base}/echo`,
      status: '101',
      subproto: 'ice.v1',
    });
    expect(vu.of('ws_connecting')[0].value).toBeGreaterThan(0);
    expect(vu.of('ws_msgs_sent')).toHaveLength(2);
    expect(vu.of('ws_msgs_received')).toHaveLength(2);
    expect(vu.of('ws_ping')).toHaveLength(1);
    expect(vu.of('ws_session_duration')).toHaveLength(1);
    expect(vu.of('data_sent')[0].value).toBeGreaterThan(100); // handshake + frames
    expect(vu.of('data_received')[0].value).toBeGreaterThan(100);
  });

  it('delivers binary messages as Blob by default', async () => {
    const vu = testVu();
    let data: unknown;
    vu.run(() => {
      const ws = new WebSocket(`${base}/echo`);
      expect(ws.binaryType).toBe('blob');
      ws.onopen = () => ws.send(new Blob([new Uint8Array([9, 8])]));
      ws.onmessage = (e) => {
        data = e.data;
        ws.close();
      };
    });
    await socketsClosed(vu.state);
    expect(data).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await (data as Blob).arrayBuffer())]).toEqual([9, 8]);
  });

  it('reports the server close code and reason, and server pings', async () => {
    const vu = testVu();
    let close: WebSocketEvent | undefined;
    let pinged = false;
    let errors = 0;
    vu.run(() => {
      const ws = new WebSocket(`${base}/bye`);
      ws.onclose = (e) => (close = e);
      ws.onerror = () => errors++;
      const ping = new WebSocket(`${base}/server-ping`);
      ping.onping = () => {
        pinged = true;
        ping.close();
      };
    });
    await socketsClosed(vu.state);
    expect(close?.code).toBe(4001);
    expect(close?.reason).toBe('bye now');
    expect(errors).toBe(1); // a close code other than 1000/1001 is an error, as in k6
    expect(pinged).toBe(true);
  });

  it('keeps socketsClosed pending until the socket closes', async () => {
    const vu = testVu();
    let closedAt = 0;
    vu.run(() => {
      const ws = new WebSocket(`${base}/echo`);
      ws.onopen = () => setTimeout(() => ws.close(), 80);
      ws.onclose = () => (closedAt = performance.now());
    });
    const started = performance.now();
    await socketsClosed(vu.state);
    expect(closedAt).toBeGreaterThan(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('fails the iteration with an exception thrown by a listener', async () => {
    const vu = testVu();
    vu.run(() => {
      const ws = new WebSocket(`${base}/echo`);
      ws.onopen = () => {
        throw new Error('boom in onopen');
      };
    });
    await expect(socketsClosed(vu.state)).rejects.toThrow('boom in onopen');
    await expect(socketsClosed(vu.state)).resolves.toBeUndefined();
  });

  it('reports a refused connection as an error event and a close', async () => {
    const port = await freePort();
    const vu = testVu();
    const seen: string[] = [];
    vu.run(() => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
      ws.onerror = (e) => seen.push(`error ${e.error}`);
      ws.onclose = () => seen.push('close');
    });
    await socketsClosed(vu.state);
    expect(seen[0]).toMatch(/^error .*ECONNREFUSED/);
    expect(seen.at(-1)).toBe('close');
    expect(vu.of('ws_sessions')).toHaveLength(1);
    expect(vu.of('ws_sessions')[0].tags.status).toBeUndefined(); // no handshake response, as in k6
    expect(vu.of('ws_session_duration')).toHaveLength(0);
  });

  it('closes the VU sockets when the VU stops, without delivering more events', async () => {
    const vu = testVu();
    let ws: WebSocket | undefined;
    let closeEvents = 0;
    vu.run(() => {
      ws = new WebSocket(`${base}/echo`);
      ws.onopen = () => vu.abort.abort();
      ws.onclose = () => closeEvents++;
    });
    await socketsClosed(vu.state);
    expect(ws?.readyState).toBe(WebSocket.CLOSED);
    expect(closeEvents).toBe(0);
    expect(vu.of('ws_sessions')).toHaveLength(1);
    expect(vu.of('ws_session_duration')).toHaveLength(0);
  });

  it('validates its arguments like k6', () => {
    const vu = testVu();
    vu.run(() => {
      expect(() => new WebSocket('http://127.0.0.1/')).toThrow(/ws or wss/);
      expect(() => new WebSocket(`${base}/echo`, null, { timeout: 5 } as never)).toThrow(/unknown param "timeout"/);
      expect(() => new WebSocket(`${base}/echo`, null, { compression: 'gzip' as 'deflate' })).toThrow(/compression/);
      const ws = new WebSocket(`${base}/echo`);
      expect(() => ws.send('too early')).toThrow('InvalidStateError');
      expect(() => (ws.binaryType = 'text' as 'blob')).toThrow(/binaryType/);
      expect(() => ws.close(1001)).toThrow(/InvalidAccessError/);
      ws.close();
    });
    expect(() => new WebSocket(`${base}/echo`)).toThrow(/init context/);
  });
});
