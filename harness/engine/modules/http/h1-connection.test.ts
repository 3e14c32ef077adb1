// The HTTP/1.1 connection against a server that writes its responses byte by byte, as servers in the wild
// frame them: chunked with extensions and trailers, to the end of the connection, after 1xx responses,
// without bodies; and that closes kept-alive connections under the client.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVu } from '../../../../test/support/vu.ts';
import { asyncRequest, closeHttp } from '../http.ts';

interface Received {
  connection: number;
  head: string;
  body: string;
}

let server: Server;
let base: string;
let connections = 0;
const received: Received[] = [];

/** Writes `text` a few bytes at a time, so every parser state meets a chunk boundary. */
async function dribble(socket: Socket, text: string, step = 3): Promise<void> {
  for (let i = 0; i < text.length; i += step) {
    socket.write(text.slice(i, i + step), 'latin1');
    await new Promise((r) => setImmediate(r));
  }
}

async function respond(socket: Socket, connection: number, nth: number, head: string): Promise<void> {
  const path = head.split(' ')[1];
  switch (path) {
    case '/chunked':
      return dribble(
        socket,
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Transit: MRN\r\n\r\n' +
          '7;lang=ka\r\nGeorgia\r\n1\r\n,\r\n0a\r\n Azerbaija\r\n1\r\nn\r\n0\r\nX-Trailer: yes\r\n\r\n',
      );
    case '/until-close':
      await dribble(socket, 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nPoti to Baku by rail');
      socket.end();
      return;
    case '/continue':
      return dribble(socket, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\nlodged!');
    case '/head':
    case '/no-content':
      return dribble(
        socket,
        path === '/head' ? 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' : 'HTTP/1.1 204 No Content\r\n\r\n',
      );
    case '/malformed':
      socket.write('HTTQ/1.1 two hundred\r\n\r\n');
      return;
    case '/close-second':
      // The second request on a kept-alive connection finds it closed, before any byte of a response.
      if (nth === 2) {
        socket.destroy();
        return;
      }
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(connection).length}\r\n\r\n${connection}`);
      return;
    default:
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(connection).length}\r\n\r\n${connection}`);
  }
}

beforeAll(async () => {
  server = createServer((socket) => {
    const connection = ++connections;
    let nth = 0;
    let buffered = '';
    socket.on('data', (data: Buffer) => {
      buffered += data.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        received.push({ connection, head, body: buffered.slice(end + 4, end + 4 + length) });
        buffered = buffered.slice(end + 4 + length);
        void respond(socket, connection, ++nth, head);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeHttp();
  await new Promise((resolve) => server.close(resolve));
});

const lastReceived = () => received[received.length - 1];

describe('HTTP/1.1 connections', () => {
  it('reads chunked bodies with extensions and trailers, the end of the connection, and past 1xx responses', async () => {
    const vu = testVu();
    const start = received.length;
    const chunked = await vu.run(() => asyncRequest('GET', `${base}/chunked`));
    expect(chunked.status).toBe(200);
    expect(chunked.body).toBe('Georgia, Azerbaijan');
    expect(chunked.headers['X-Transit']).toBe('MRN');

    const untilClose = await vu.run(() => asyncRequest('GET', `${base}/until-close`));
    expect([untilClose.status, untilClose.body]).toEqual([200, 'Poti to Baku by rail']);

    const lodged = await vu.run(() => asyncRequest('POST', `${base}/continue`, 'CTD'));
    expect([lodged.status, lodged.status_text, lodged.body]).toEqual([201, '201 Created', 'lodged!']);
    expect(lastReceived().body).toBe('CTD');

    const after = await vu.run(() => asyncRequest('GET', `${base}/`));
    const [onChunked, onUntilClose, onContinue] = received.slice(start).map((r) => r.connection);
    // Reused after the chunked response, not after the one read to the end of its connection.
    expect(onUntilClose).toBe(onChunked);
    expect(onContinue).not.toBe(onUntilClose);
    expect(Number(after.body)).toBe(onContinue);
    expect(vu.of('http_reqs')).toHaveLength(4);
  });

  it('reads no body after HEAD or 204, and sends the next request on the same connection', async () => {
    const vu = testVu();
    const head = await vu.run(() => asyncRequest('HEAD', `${base}/head`));
    expect([head.status, head.body, head.headers['Content-Length']]).toEqual([200, '', '10']);
    const connection = lastReceived().connection;
    const empty = await vu.run(() => asyncRequest('GET', `${base}/no-content`));
    expect([empty.status, empty.body]).toEqual([204, '']);
    expect(lastReceived().connection).toBe(connection);
    const next = await vu.run(() => asyncRequest('GET', `${base}/`));
    expect(next.body).toBe(String(connection));
  });

  it('fails a malformed response with its reason and opens a new connection for the next request', async () => {
    const vu = testVu();
    const bad = await vu.run(() => asyncRequest('GET', `${base}/malformed`));
    expect(bad.status).toBe(0);
    expect(bad.error_code).toBe(1000);
    expect(bad.error).toMatch(/^malformed HTTP status line "HTTQ\/1.1 two hundred"/);
    const badConnection = lastReceived().connection;
    const next = await vu.run(() => asyncRequest('GET', `${base}/`));
    expect(next.status).toBe(200);
    expect(Number(next.body)).not.toBe(badConnection);
  });

  it('sends a GET again on a new connection when a kept-alive one closes under it, as Go does; not a POST', async () => {
    await closeHttp(); // no connection from earlier tests: the server counts requests per connection
    const vu = testVu();
    const first = await vu.run(() => asyncRequest('GET', `${base}/close-second`));
    const retried = await vu.run(() => asyncRequest('GET', `${base}/close-second`));
    expect(retried.status).toBe(200);
    expect(retried.error).toBe('');
    expect(Number(retried.body)).toBeGreaterThan(Number(first.body));
    expect(vu.of('http_reqs')).toHaveLength(2);

    const before = received.length;
    const posted = await vu.run(() => asyncRequest('POST', `${base}/close-second`, 'declaration'));
    expect(posted.status).toBe(0);
    expect([1000, 1220]).toContain(posted.error_code);
    expect(received.slice(before).filter((r) => r.body === 'declaration')).toHaveLength(1);
  });

  it('refuses a header that would split the request, writing nothing, and sends the Host a header names', async () => {
    const vu = testVu();
    const before = received.length;
    const split = await vu.run(() =>
      asyncRequest('GET', `${base}/`, null, { headers: { 'X-Office': 'GE000100\r\nX-Injected: 1' } }),
    );
    expect(split.status).toBe(0);
    expect(split.error).toBe('net/http: invalid header field value for "X-Office"');
    const badName = await vu.run(() => asyncRequest('GET', `${base}/`, null, { headers: { 'X Office': 'GE' } }));
    expect(badName.error).toBe('net/http: invalid header field name "X Office"');
    expect(received.length).toBe(before);

    const hosted = await vu.run(() =>
      asyncRequest('POST', `${base}/`, 'body', { headers: { Host: 'cats.example', 'Content-Length': '99' } }),
    );
    expect(hosted.status).toBe(200);
    const head = lastReceived().head;
    expect(head).toMatch(/^POST \/ HTTP\/1\.1\r\nHost: cats\.example\r\n/);
    expect(head.match(/content-length/gi)).toHaveLength(1);
    expect(head).toMatch(/Content-Length: 4$/);
    expect(lastReceived().body).toBe('body');
  });
});
