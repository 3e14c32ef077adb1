// A domestic movement's whole life on one node over real HTTP and a real
// WebSocket, with guarantee reservation at release and release at write-off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase } from '../../test/support/database.ts';
import { isValidMrn } from '../domain/mrn.ts';
import { intoAzerbaijan } from '../domain/testing/sample-ctd.ts';
import type { RunningNode } from './start.ts';
import {
  client,
  domesticCtd,
  lrnsFor,
  RESERVED_PER_DOMESTIC_CTD,
  seed,
  startTestNode,
  testGrn,
  TEST_GUARANTOR,
} from './testing/node-harness.ts';

let node: RunningNode;
const trader = { tin: 'GE100000001', token: 'trader-token-0000000001' };
const departure = { id: 'dep-1', token: 'officer-token-departure-01', offices: ['GE000010'] };
const transit = { id: 'tra-1', token: 'officer-token-transit-0001', offices: ['GE069002'] };
const destination = { id: 'des-1', token: 'officer-token-destination-1', offices: ['GE000200'] };
const grn = testGrn();

beforeAll(async () => {
  node = await startTestNode(await createTestDatabase('lifecycle'));
  await seed(node, {
    operators: [trader],
    officers: [departure, transit, destination],
    guarantees: [{ grn, holderTin: trader.tin, referenceAmount: 10_000 }],
  });
});
afterAll(async () => node?.close());

function stream(token: string): Promise<{ messages: any[]; ws: WebSocket; next(n: number): Promise<any[]> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${node.url.replace('http', 'ws')}/v1/notifications`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const messages: any[] = [];
    const waiters: (() => void)[] = [];
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)));
      waiters.splice(0).forEach((w) => w());
    });
    ws.on('open', () =>
      resolve({
        messages,
        ws,
        next: (n) =>
          new Promise((res) => {
            const check = () => (messages.length >= n ? res(messages.slice(0, n)) : waiters.push(check));
            check();
          }),
      }),
    );
    ws.on('error', reject);
  });
}

describe('domestic movement lifecycle', () => {
  it('goes from lodging to write-off, reserving and giving back the guarantee, notifying every step', async () => {
    const op = client(node, trader.token);
    const s = await stream(trader.token);
    const [lrn] = lrnsFor(trader.tin, 'release', 1, 'LIFE');
    const lodged = await op.post('/v1/declarations', domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
    expect(lodged.status).toBe(201);
    expect(lodged.body).toMatchObject({
      state: 'RELEASED',
      decision: 'release',
      riskClass: 'low',
      replayed: false,
      reservation: { grn, amount: RESERVED_PER_DOMESTIC_CTD, currency: 'GEL' },
    });
    const mrn: string = lodged.body.mrn;
    expect(isValidMrn(mrn)).toBe(true);
    expect(mrn.slice(2, 4)).toBe('GE');

    expect((await op.get(`/v1/guarantees/${grn}`)).body).toMatchObject({
      reserved: RESERVED_PER_DOMESTIC_CTD,
      available: 10_000 - RESERVED_PER_DOMESTIC_CTD,
      openMovements: 1,
    });

    const crossed = await client(node, transit.token).post(`/v1/movements/${mrn}/crossing`, { office: 'GE069002' });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toMatchObject({ state: 'IN_TRANSIT', crossedOffices: ['GE069002'] });

    const arrived = await op.post(`/v1/movements/${mrn}/arrival`, { office: 'GE000200' });
    expect(arrived.status).toBe(200);
    expect(arrived.body.state).toBe('ARRIVED');

    const controlled = await client(node, destination.token).post(`/v1/movements/${mrn}/control-results`, {
      office: 'GE000200',
      conform: true,
    });
    expect(controlled.status).toBe(200);
    expect(controlled.body).toMatchObject({ state: 'WRITTEN_OFF', controlConform: true, reservation: null });

    expect((await op.get(`/v1/guarantees/${grn}`)).body).toMatchObject({
      reserved: 0,
      available: 10_000,
      openMovements: 0,
    });
    const events = (await s.next(6)).map((n) => `${n.event}:${n.state}`);
    expect(events).toEqual([
      'accept:ACCEPTED',
      'release:RELEASED',
      'cross:IN_TRANSIT',
      'arrive:ARRIVED',
      'controlResults:CONTROLLED',
      'writeOff:WRITTEN_OFF',
    ]);
    expect(s.messages.every((n) => n.mrn === mrn && n.lrn === lrn)).toBe(true);
    s.ws.close();

    const got = await op.get(`/v1/declarations/${mrn}`);
    expect(got.body).toMatchObject({ mrn, lrn, state: 'WRITTEN_OFF', ctd: { lrn } });
  });

  it('sends a sampled declaration to control; the departure officer releases or refuses it', async () => {
    const op = client(node, trader.token);
    const officer = client(node, departure.token);
    const [a, b] = lrnsFor(trader.tin, 'control', 2, 'CTRL');
    const first = await op.post('/v1/declarations', domesticCtd({ lrn: a!, holderTin: trader.tin, grn }));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: 'UNDER_CONTROL', decision: 'control', reservation: null });
    const before = (await op.get(`/v1/guarantees/${grn}`)).body.reserved;
    const released = await officer.post(`/v1/declarations/${first.body.mrn}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ state: 'RELEASED', reservation: { grn, currency: 'GEL' } });
    expect((await op.get(`/v1/guarantees/${grn}`)).body.reserved).toBe(before + released.body.reservation.amount);

    const second = await op.post('/v1/declarations', domesticCtd({ lrn: b!, holderTin: trader.tin, grn }));
    const refused = await officer.post(`/v1/declarations/${second.body.mrn}/refusal`, { reason: 'seals broken' });
    expect(refused.status).toBe(200);
    expect(refused.body.state).toBe('NOT_RELEASED');
    const again = await officer.post(`/v1/declarations/${second.body.mrn}/release`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ILLEGAL_TRANSITION');
  });

  it('keeps a pre-lodged CTD open for amendment and cancellation until the goods are presented', async () => {
    const op = client(node, trader.token);
    const [a, b] = lrnsFor(trader.tin, 'release', 2, 'PRE');
    const lodged = await op.post(
      '/v1/declarations',
      domesticCtd({ lrn: a!, holderTin: trader.tin, grn, prelodged: true }),
    );
    expect(lodged.status).toBe(201);
    expect(lodged.body).toMatchObject({ state: 'ACCEPTED', reservation: null });
    const mrn = lodged.body.mrn;
    const amended = domesticCtd({ lrn: a!, holderTin: trader.tin, grn, prelodged: true });
    amended.offices.transit = [];
    const amendment = await op.post(`/v1/declarations/${mrn}/amendment`, amended);
    expect(amendment.status).toBe(200);
    expect(amendment.body).toMatchObject({ state: 'ACCEPTED', amendments: 1, offices: { transit: [] } });
    const presented = await op.post(`/v1/declarations/${mrn}/presentation`);
    expect(presented.status).toBe(200);
    expect(presented.body.state).toBe('RELEASED');
    const late = await op.post(`/v1/declarations/${mrn}/cancellation`, {});
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ILLEGAL_TRANSITION');

    const other = await op.post(
      '/v1/declarations',
      domesticCtd({ lrn: b!, holderTin: trader.tin, grn, prelodged: true }),
    );
    const cancelled = await op.post(`/v1/declarations/${other.body.mrn}/cancellation`, { reason: 'trip cancelled' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('CANCELLED');
  });

  it('holds the guarantee after non-conform control results until conform results settle them', async () => {
    const op = client(node, trader.token);
    const officer = client(node, destination.token);
    const [lrn] = lrnsFor(trader.tin, 'release', 1, 'DISC');
    const { body } = await op.post('/v1/declarations', domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
    await officer.post(`/v1/movements/${body.mrn}/arrival`, { office: 'GE000200' });
    const discrepancy = await officer.post(`/v1/movements/${body.mrn}/control-results`, {
      office: 'GE000200',
      conform: false,
      remarks: 'one package missing',
    });
    expect(discrepancy.body).toMatchObject({
      state: 'DISCREPANCIES',
      controlConform: false,
      reservation: { amount: RESERVED_PER_DOMESTIC_CTD },
    });
    const settled = await officer.post(`/v1/movements/${body.mrn}/control-results`, {
      office: 'GE000200',
      conform: true,
    });
    expect(settled.body).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
  });

  it('replays the same LRN with the same content (in any key order) and refuses it with other content', async () => {
    const op = client(node, trader.token);
    const [lrn] = lrnsFor(trader.tin, 'release', 1, 'IDEM');
    const ctd = domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn });
    const first = await op.post('/v1/declarations', ctd);
    const reserved = (await op.get(`/v1/guarantees/${grn}`)).body.reserved;
    const reordered = Object.fromEntries(Object.entries(ctd).reverse());
    const replay = await op.post('/v1/declarations', reordered);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ mrn: first.body.mrn, state: 'RELEASED', replayed: true });
    const changed = { ...ctd, declarationType: 'T2' };
    const dup = await op.post('/v1/declarations', changed);
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'DUPLICATE_LRN', errors: [{ code: 'DUPLICATE_LRN', pointer: '/lrn' }] });
    expect((await op.get(`/v1/guarantees/${grn}`)).body.reserved).toBe(reserved);
  });

  it('writes IE001 for a foreign destination and IE050 for each foreign office of transit with the release', async () => {
    const op = client(node, trader.token);
    const [lrn] = lrnsFor(trader.tin, 'release', 1, 'XB');
    const ctd = intoAzerbaijan(domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
    const lodged = await op.post('/v1/declarations', ctd);
    expect(lodged.status).toBe(201);
    const { rows } = await node.context.pool.query(
      'SELECT message_type, recipient_country, recipient_office, body FROM outbox WHERE mrn = $1 ORDER BY message_type',
      [lodged.body.mrn],
    );
    expect(rows.map((r) => [r.message_type, r.recipient_country, r.recipient_office])).toEqual([
      ['IE001', 'AZ', 'AZ000100'],
      ['IE050', 'AZ', 'AZ000210'],
    ]);
    expect(rows[0].body).toMatchObject({
      officeOfDeparture: 'GE000010',
      officeOfDestination: 'AZ000100',
      declaration: { lrn },
    });
    expect(rows[1].body).toMatchObject({ officeOfTransit: 'AZ000210', declaration: { lrn } });
  });

  it('lists own declarations by state, page by page', async () => {
    const op = client(node, trader.token);
    const all = await op.get('/v1/declarations?state=WRITTEN_OFF&limit=1');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(1);
    expect(all.body.items[0].state).toBe('WRITTEN_OFF');
    const next = await op.get(`/v1/declarations?state=WRITTEN_OFF&limit=1&after=${all.body.next}`);
    expect(next.body.items[0].mrn > all.body.items[0].mrn).toBe(true);
  });

  it('registers an operator and a guarantee through the API, approved by customs, ready to lodge', async () => {
    const anyone = client(node);
    const officer = client(node, departure.token);
    const reg = await anyone.post('/v1/operators', { tin: 'GE100000099', name: 'New Trader LLC', country: 'GE' });
    expect(reg.status).toBe(201);
    expect(reg.body.operator).toMatchObject({ status: 'PENDING', aeo: false });
    const op = client(node, reg.body.token);
    const early = await op.post('/v1/guarantees', {
      type: '1',
      referenceAmount: 5000,
      currency: 'GEL',
      guarantor: TEST_GUARANTOR,
    });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('OPERATOR_NOT_ACTIVE');
    expect((await officer.post('/v1/operators/GE100000099/approval', { aeo: true })).body).toMatchObject({
      status: 'ACTIVE',
      aeo: true,
    });
    const g = await op.post('/v1/guarantees', {
      type: '1',
      referenceAmount: 5000,
      currency: 'GEL',
      guarantor: TEST_GUARANTOR,
    });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ status: 'PENDING', referenceAmount: 5000, reserved: 0, holderTin: 'GE100000099' });
    const [lrn] = lrnsFor('GE100000099', 'release', 1, 'NEW');
    expect(g.body).not.toHaveProperty('accessCode');
    const early2 = domesticCtd({ lrn: lrn!, holderTin: 'GE100000099', grn: g.body.grn, accessCode: 'AB12' });
    expect((await op.post('/v1/declarations', early2)).body.code).toBe('GUARANTEE_NOT_ACTIVE');
    expect((await officer.post(`/v1/guarantees/${g.body.grn}/approval`)).body.status).toBe('ACTIVE');
    const issued = await op.post(`/v1/guarantees/${g.body.grn}/access-code`, {});
    expect(issued.status).toBe(200);
    const ctd = domesticCtd({
      lrn: lrn!,
      holderTin: 'GE100000099',
      grn: g.body.grn,
      accessCode: issued.body.accessCode.toLowerCase(),
    });
    const lodged = await op.post('/v1/declarations', ctd);
    expect(lodged.status).toBe(201);
    expect(lodged.body.state).toBe('RELEASED');
    expect((await officer.post('/v1/operators/GE100000099/suspension')).body.status).toBe('SUSPENDED');
    const suspended = await op.post('/v1/declarations', { ...ctd, lrn: `${lrn}S` });
    expect(suspended.body.code).toBe('OPERATOR_NOT_ACTIVE');
  });

  it('exposes Prometheus metrics with bounded labels', async () => {
    const text: string = (await client(node).get('/metrics')).body;
    expect(text).toMatch(/cats_declarations_total\{outcome="released",country="GE"\} [1-9]/);
    expect(text).toContain('route="/v1/declarations/:mrn"');
    expect(text).not.toMatch(/route="\/v1\/declarations\/[0-9]/);
    expect(text).toMatch(/cats_outbox_pending_messages\{country="GE"\} [1-9]/);
  });
});
