// The audit routes of a node: what the deployment's auditor reads after a run
// (movements with their reservations, guarantee balances in minor units, the
// ledger of applied C2C messages), and nobody else but the node's admin.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { recordInbound } from '../store/outbox.ts';
import { startNode, type RunningNode } from './start.ts';
import { client, domesticCtd, lrnsFor, RESERVED_PER_DOMESTIC_CTD, seed, testGrn } from './testing/node-harness.ts';

// One domestic CTD's reservation in minor units (the constant is in GEL).
const HELD_MINOR = Math.round(RESERVED_PER_DOMESTIC_CTD * 100);

const AUDITOR = 'auditor-token-for-tests-0001';
const trader = { tin: 'GE300000077', token: 'trader-token-audit-000001' };
const grn = testGrn();
let node: RunningNode;
const mrns: string[] = [];

beforeAll(async () => {
  node = await startNode({
    country: 'GE',
    databaseUrl: await createTestDatabase('audit'),
    adminToken: 'admin-token-for-tests-0001',
    auditorToken: AUDITOR,
  });
  await seed(node, { operators: [trader], guarantees: [{ grn, holderTin: trader.tin, referenceAmount: 10_000 }] });
  for (const lrn of lrnsFor(trader.tin, 'release', 3, 'AUD')) {
    const res = await client(node, trader.token).post(
      '/v1/declarations',
      domesticCtd({ lrn, holderTin: trader.tin, grn }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    mrns.push(res.body.mrn);
  }
  await recordInbound(node.context.pool, randomUUID(), 'IE118', mrns[0]!);
});
afterAll(async () => {
  await node?.close();
});

describe('audit routes of a national node', () => {
  it('lists every movement with the reservations it holds, page by page in MRN order', async () => {
    const auditor = client(node, AUDITOR);
    const first = await auditor.get('/v1/audit/movements?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const rest = await auditor.get(`/v1/audit/movements?limit=2&after=${first.body.next}`);
    expect(rest.body.next).toBeNull();
    const all = [...first.body.items, ...rest.body.items];
    expect(all.map((m: { mrn: string }) => m.mrn)).toEqual([...mrns].sort());
    expect(all[0]).toMatchObject({
      role: 'departure',
      state: 'RELEASED',
      reservations: [{ grn, amountMinor: HELD_MINOR, currency: 'GEL' }],
    });
  });

  it('gives each guarantee its balance in minor units, matching the reservations', async () => {
    const res = await client(node, AUDITOR).get('/v1/audit/guarantees');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        grn,
        currency: 'GEL',
        referenceAmountMinor: 1_000_000,
        reservedMinor: 3 * HELD_MINOR,
        availableMinor: 1_000_000 - 3 * HELD_MINOR,
        // Held for movements departing from another country: none here.
        uses: [],
      },
    ]);
  });

  it('lists the ledger of applied C2C messages', async () => {
    // Before the long ledger of the next test is written.
    const res = await client(node, AUDITOR).get('/v1/audit/applied-messages');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ type: 'IE118', mrn: mrns[0] })]);
  });

  it('pages through a ledger longer than a page without losing or repeating an entry', async () => {
    const ids: string[] = Array.from({ length: 2100 }, () => randomUUID());
    await node.context.pool.query(
      `INSERT INTO inbound_messages (message_id, message_type, mrn) SELECT unnest($1::text[]), 'IE118', $2`,
      [ids, mrns[1]],
    );
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const res = await client(node, AUDITOR).get(`/v1/audit/applied-messages?limit=1000${after}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((m: { messageId: string }) => m.messageId));
      if (!res.body.next) break;
      after = `&after=${res.body.next}`;
    }
    expect(seen).toHaveLength(2101);
    expect(new Set(seen)).toEqual(new Set([...ids, ...seen.filter((id) => !ids.includes(id))]));
    expect(seen.filter((id) => ids.includes(id))).toHaveLength(2100);
  });

  it('is for the auditor and the admin only; the auditor may do nothing else', async () => {
    expect((await client(node).get('/v1/audit/movements')).status).toBe(401);
    expect((await client(node, trader.token).get('/v1/audit/guarantees')).status).toBe(403);
    expect((await client(node, node.adminToken).get('/v1/audit/applied-messages')).status).toBe(200);
    const auditor = client(node, AUDITOR);
    expect((await auditor.get(`/v1/declarations/${mrns[0]}`)).status).toBe(403);
    expect((await auditor.post('/v1/admin/fixtures', { operators: [] })).status).toBe(403);
  });

  it('refuses a bad page request with the structured error', async () => {
    const res = await client(node, AUDITOR).get('/v1/audit/movements?limit=0');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      errors: [expect.objectContaining({ pointer: expect.any(String) })],
    });
  });
});
