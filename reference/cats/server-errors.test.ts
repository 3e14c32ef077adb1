// A failure inside the node answers 500 in the error shape with nothing
// internal in it, and leaves the error, its stack and the request id in the log.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { startNode, type RunningNode } from './start.ts';
import { client, seed, TEST_GUARANTOR } from './testing/node-harness.ts';

let node: RunningNode;
const lines: Record<string, unknown>[] = [];
const trader = { tin: 'GE620000001', token: 'trader-token-5xx-0001' };

beforeAll(async () => {
  const log = new PassThrough();
  let buffered = '';
  log.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line));
  });
  node = await startNode({
    country: 'GE',
    databaseUrl: await createTestDatabase('errors5xx'),
    adminToken: 'admin-token-for-tests-0001',
    logStream: log,
  });
  await seed(node, { operators: [trader] });
});
afterAll(async () => node?.close());

it('logs a 500 with its stack and request id and tells the client only the request id', async () => {
  // A table gone from under the node: a fault of the node, not of the request.
  await node.context.pool.query('ALTER TABLE guarantees RENAME TO guarantees_elsewhere');
  try {
    const res = await fetch(`${node.url}/v1/guarantees`, {
      method: 'POST',
      headers: { authorization: `Bearer ${trader.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: '1', referenceAmount: 1000, currency: 'GEL', guarantor: TEST_GUARANTOR }),
    });
    const body = await res.json();
    expect(res.status).toBe(500);
    expect(body).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'internal error',
      errors: [],
      requestId: expect.any(String),
    });
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
    await expect.poll(() => lines.find((l) => l.reqId === body.requestId && l.level === 50)).toBeTruthy();
    const logged = lines.find((l) => l.reqId === body.requestId && l.level === 50) as {
      err: { message: string; stack: string };
    };
    expect(logged.err.message).toMatch(/guarantees/);
    expect(logged.err.stack).toMatch(/\n\s+at /);
  } finally {
    await node.context.pool.query('ALTER TABLE guarantees_elsewhere RENAME TO guarantees');
  }
  expect(
    (
      await client(node, trader.token).post('/v1/guarantees', {
        type: '1',
        referenceAmount: 1,
        currency: 'GEL',
        guarantor: TEST_GUARANTOR,
      })
    ).status,
  ).toBe(201);
});

it('logs nothing at error level for a refused request', async () => {
  const before = lines.filter((l) => l.level === 50).length;
  const res = await client(node, trader.token).post('/v1/guarantees', { type: '9' });
  expect(res.status).toBe(400);
  expect(res.body.requestId).toBeUndefined();
  expect(lines.filter((l) => l.level === 50)).toHaveLength(before);
});
