// A comprehensive guarantee is never overdrawn, whatever the concurrency.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import type { RunningNode } from './start.ts';
import {
  client,
  domesticCtd,
  lrnsFor,
  RESERVED_PER_DOMESTIC_CTD,
  seed,
  startTestNode,
  testGrn,
} from './testing/node-harness.ts';

let node: RunningNode;
const trader = { tin: 'GE500000001', token: 'trader-token-contention-1' };
const grn = testGrn();
const idemGrn = testGrn();
const scarce = testGrn();
const ample = testGrn();

beforeAll(async () => {
  node = await startTestNode(await createTestDatabase('contention'));
  await seed(node, {
    operators: [trader],
    guarantees: [
      // Room for exactly 100 reservations of 139.98 GEL.
      { grn, holderTin: trader.tin, referenceAmount: 100 * RESERVED_PER_DOMESTIC_CTD },
      { grn: idemGrn, holderTin: trader.tin, referenceAmount: 10_000 },
      // Half of each CTD's 559.90 GEL on each, at 100 %: room for exactly 10 on the scarce one.
      { grn: scarce, holderTin: trader.tin, referenceAmount: 10 * 279.95 + 100, level: 100 },
      { grn: ample, holderTin: trader.tin, referenceAmount: 1_000_000, level: 100 },
    ],
  });
});
afterAll(async () => node?.close());

it('releases exactly 100 of 200 concurrent CTDs against a guarantee with room for 100', async () => {
  const op = client(node, trader.token);
  const lrns = lrnsFor(trader.tin, 'release', 200, 'RUSH');
  const replies = await Promise.all(
    lrns.map((lrn) => op.post('/v1/declarations', domesticCtd({ lrn, holderTin: trader.tin, grn }))),
  );
  const statuses = replies.map((r) => `${r.status} ${r.body.code ?? r.body.state}`);
  expect(statuses.filter((s) => s === '201 RELEASED')).toHaveLength(100);
  expect(statuses.filter((s) => s === '409 GUARANTEE_INSUFFICIENT')).toHaveLength(100);

  const g = await op.get(`/v1/guarantees/${grn}`);
  expect(g.body).toMatchObject({
    reserved: Math.round(100 * RESERVED_PER_DOMESTIC_CTD * 100) / 100,
    available: 0,
    openMovements: 100,
  });
  const { rows } = await node.context.pool.query(
    `SELECT count(*)::int AS n, sum(amount)::float8 AS reserved FROM reservations WHERE grn = $1 AND held`,
    [grn],
  );
  expect(rows[0]).toEqual({ n: 100, reserved: Math.round(100 * RESERVED_PER_DOMESTIC_CTD * 100) });
  expect((await op.get(`/v1/operators/${trader.tin}`)).body.releasedMovements).toBe(100);
});

it('allocates one MRN and reserves once when the same CTD is lodged 20 times at once', async () => {
  const op = client(node, trader.token);
  const [lrn] = lrnsFor(trader.tin, 'release', 1, 'TWIN');
  const ctd = domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn: idemGrn });
  const replies = await Promise.all(Array.from({ length: 20 }, () => op.post('/v1/declarations', ctd)));
  expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
  expect(replies.filter((r) => r.status === 200 && r.body.replayed)).toHaveLength(19);
  expect(new Set(replies.map((r) => r.body.mrn)).size).toBe(1);
  expect((await op.get(`/v1/guarantees/${idemGrn}`)).body.reserved).toBe(RESERVED_PER_DOMESTIC_CTD);
});

it('reserves a CTD on two guarantees on both or neither when 40 contend, whatever the order of their references', async () => {
  const op = client(node, trader.token);
  const lrns = lrnsFor(trader.tin, 'release', 40, 'PAIR');
  const replies = await Promise.all(
    lrns.map((lrn, i) => {
      const ctd = domesticCtd({ lrn, holderTin: trader.tin, grn: scarce });
      const refs = [
        { grn: scarce, accessCode: 'AB12', amountToBeCovered: 280, currency: 'GEL' },
        { grn: ample, accessCode: 'AB12', amountToBeCovered: 280, currency: 'GEL' },
      ];
      // Half of them name the guarantees the other way round: locks are still taken in one order.
      ctd.guarantees[0]!.references = i % 2 === 0 ? refs : refs.reverse();
      return op.post('/v1/declarations', ctd);
    }),
  );
  const statuses = replies.map((r) => `${r.status} ${r.body.code ?? r.body.state}`);
  expect(statuses.filter((s) => s === '201 RELEASED')).toHaveLength(10);
  expect(statuses.filter((s) => s === '409 GUARANTEE_INSUFFICIENT')).toHaveLength(30);
  for (const r of replies.filter((x) => x.status === 201))
    expect(r.body.reservations.map((x: { amount: number }) => x.amount)).toEqual([279.95, 279.95]);

  // Each guarantee carries exactly the reservations of the ten released movements: none on the ample one alone.
  expect((await op.get(`/v1/guarantees/${scarce}`)).body).toMatchObject({ reserved: 2799.5, openMovements: 10 });
  expect((await op.get(`/v1/guarantees/${ample}`)).body).toMatchObject({ reserved: 2799.5, openMovements: 10 });
});
