// HTTP itself: bodies in another charset than UTF-8, methods a path does not
// have, and clients too slow to send their request, all answered in the one
// error shape where the socket still allows an answer.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { startNode, type RunningNode } from './start.ts';
import { seed, TEST_GUARANTOR } from './testing/node-harness.ts';

let node: RunningNode;
const trader = { tin: 'GE630000001', token: 'trader-token-http-0001' };

beforeAll(async () => {
  node = await startNode({
    country: 'GE',
    databaseUrl: await createTestDatabase('http'),
    adminToken: 'admin-token-for-tests-0001',
    requestTimeoutMs: 500,
  });
  await seed(node, { operators: [trader] });
});
afterAll(async () => node?.close());

const guaranteeCount = async () =>
  (await node.context.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM guarantees')).rows[0]!.n;

/** Writes `request` on a raw socket and collects everything the node sends until it closes. */
function rawExchange(request: string, keepSending?: (socket: net.Socket) => void): Promise<string> {
  const { port } = new URL(node.url);
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(request);
      keepSending?.(socket);
    });
    socket.on('data', (d) => (data += d));
    socket.on('close', () => resolve(data));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve(data) : reject(err)));
  });
}

const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

it('refuses a JSON body declared in a charset other than UTF-8 with 415', async () => {
  const before = await guaranteeCount();
  const body = Buffer.from(
    JSON.stringify({ type: '1', referenceAmount: 10, currency: 'GEL', guarantor: TEST_GUARANTOR }),
    'utf16le',
  );
  const res = await fetch(`${node.url}/v1/guarantees`, {
    method: 'POST',
    headers: { authorization: `Bearer ${trader.token}`, 'content-type': 'application/json; charset=utf-16' },
    body,
  });
  expect(res.status).toBe(415);
  expect(await res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: [] });
  expect(await guaranteeCount()).toBe(before);
});

it('accepts JSON declared as UTF-8, in any spelling', async () => {
  for (const contentType of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"']) {
    const res = await fetch(`${node.url}/v1/guarantees`, {
      method: 'POST',
      headers: { authorization: `Bearer ${trader.token}`, 'content-type': contentType },
      body: JSON.stringify({ type: '1', referenceAmount: 10, currency: 'GEL', guarantor: TEST_GUARANTOR }),
    });
    expect(res.status, contentType).toBe(201);
  }
});

it('answers 405 with Allow for a method the path does not have, 404 for a path that does not exist', async () => {
  const del = await fetch(`${node.url}/v1/guarantees/26GE0000000000000`, { method: 'DELETE' });
  expect(del.status).toBe(405);
  expect(del.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD']);
  expect(await del.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', errors: [] });

  const get = await fetch(`${node.url}/v1/guarantees`, { method: 'GET' });
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST');

  const none = await fetch(`${node.url}/v1/nowhere`, { method: 'DELETE' });
  expect(none.status).toBe(404);
  expect(await none.json()).toMatchObject({ code: 'NOT_FOUND' });
});

it('answers 408 and closes the connection when a body trickles in too slowly', async () => {
  const before = await guaranteeCount();
  let timer: NodeJS.Timeout | undefined;
  const reply = await rawExchange(
    `POST /v1/guarantees HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${trader.token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
    (socket) => {
      timer = setInterval(() => socket.writable && socket.write(' '), 100);
    },
  );
  clearInterval(timer);
  expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  expect(bodyOf(reply)).toMatchObject({ code: 'REQUEST_TIMEOUT', errors: [] });
  expect(await guaranteeCount()).toBe(before);
});

it('answers 408 and closes the connection when a chunked body never ends', async () => {
  const reply = await rawExchange(
    `POST /v1/guarantees HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${trader.token}\r\n` +
      `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n`,
  );
  expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  expect(bodyOf(reply)).toMatchObject({ code: 'REQUEST_TIMEOUT' });
});

it('closes the connection of a client that never finishes its headers', async () => {
  const reply = await rawExchange(`GET /healthz HTTP/1.1\r\nHost: x\r\n`);
  expect(reply).toMatch(/^HTTP\/1\.1 408 /);
});
