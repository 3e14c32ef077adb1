// A valid guarantee registration always gets its own GRN, whatever GRNs were
// seeded before (the default fixture of a deployment takes the first ones of
// the year; a data set takes a far range; another process may insert any).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { grnFromSequence } from '../domain/grn.ts';
import type { RunningNode } from './start.ts';
import { client, seed, startTestNode, TEST_GUARANTOR } from './testing/node-harness.ts';

let node: RunningNode;
const trader = { tin: 'GE610000001', token: 'trader-token-grn-0001' };
const year = new Date().getUTCFullYear();
const grnOf = (sequence: bigint) => grnFromSequence({ year, country: 'GE', sequence });

beforeAll(async () => {
  node = await startTestNode(await createTestDatabase('grn'));
});
afterAll(async () => node?.close());

async function register(n: number): Promise<string[]> {
  const op = client(node, trader.token);
  const grns: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await op.post('/v1/guarantees', {
      type: '1',
      referenceAmount: 1000,
      currency: 'GEL',
      guarantor: TEST_GUARANTOR,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    grns.push(res.body.grn);
  }
  return grns;
}

it('registers guarantees after the first GRNs of the year were seeded', async () => {
  const seeded = [1n, 2n, 3n].map(grnOf);
  await seed(node, {
    operators: [trader],
    guarantees: seeded.map((grn) => ({ grn, holderTin: trader.tin, referenceAmount: 1000 })),
  });
  const grns = await register(5);
  expect(new Set([...grns, ...seeded]).size).toBe(8);
});

it('registers guarantees after GRNs far ahead of its own were seeded', async () => {
  const far = grnOf(1n << 50n);
  await seed(node, { operators: [trader], guarantees: [{ grn: far, holderTin: trader.tin, referenceAmount: 1 }] });
  const grns = await register(3);
  expect(grns).not.toContain(far);
  expect(new Set(grns).size).toBe(3);
});

it('skips GRNs taken behind its back instead of failing the registration', async () => {
  // The next values of the node's sequence, inserted directly as another process could.
  const { rows } = await node.context.pool.query<{ v: string }>(
    `SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END::text AS v FROM grn_sequence`,
  );
  const next = BigInt(rows[0]!.v);
  const taken = [0n, 1n, 2n].map((i) => grnOf(next + i));
  for (const grn of taken)
    await node.context.pool.query(
      `INSERT INTO guarantees (grn, holder_tin, type, reference_amount, currency, status)
       VALUES ($1, $2, '1', 100, 'GEL', 'ACTIVE')`,
      [grn, trader.tin],
    );
  const grns = await register(2);
  for (const grn of grns) expect(taken).not.toContain(grn);
});
