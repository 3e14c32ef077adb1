// A movement from Georgia to Azerbaijan across two real nodes, their outboxes
// relayed by hand the way ICE relays them: IE001/IE050 out on release,
// IE118/IE006/IE018 back, write-off with IE045; redeliveries change nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { intoAzerbaijan } from '../domain/testing/sample-ctd.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { applyInboundMessage } from './c2c-inbound.ts';
import { writeOffMessages } from './c2c-messages.ts';
import type { RunningNode } from './start.ts';
import { client, domesticCtd, lrnsFor, seed, startTestNode, testGrn } from './testing/node-harness.ts';
import { relay } from './testing/relay.ts';

let ge: RunningNode;
let az: RunningNode;
const trader = { tin: 'GE300000001', token: 'trader-token-c2c-000001' };
const grn = testGrn();

beforeAll(async () => {
  [ge, az] = await Promise.all([
    startTestNode(await createTestDatabase('c2c_ge'), 'GE'),
    startTestNode(await createTestDatabase('c2c_az'), 'AZ'),
  ]);
  await seed(ge, { operators: [trader], guarantees: [{ grn, holderTin: trader.tin, referenceAmount: 10_000 }] });
  await seed(az, {
    officers: [
      { id: 'az-border', token: 'officer-token-az-border-1', offices: ['AZ000210'] },
      { id: 'az-port', token: 'officer-token-az-port-0001', offices: ['AZ000100'] },
    ],
  });
});
afterAll(async () => {
  await ge?.close();
  await az?.close();
});

it('carries a GE → AZ movement through both nodes to write-off', async () => {
  const [lrn] = lrnsFor(trader.tin, 'release', 1, 'C2C');
  const ctd = intoAzerbaijan(domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
  const trading = client(ge, trader.token);
  const lodged = await trading.post('/v1/declarations', ctd);
  expect(lodged.status).toBe(201);
  const mrn = lodged.body.mrn;
  expect(await relay(ge, az)).toEqual(['IE001', 'IE050']);

  const border = client(az, 'officer-token-az-border-1');
  const port = client(az, 'officer-token-az-port-0001');
  const copy = (await border.get(`/v1/declarations/${mrn}`)).body;
  expect(copy).toMatchObject({ role: 'destination', state: 'RELEASED' });
  // A foreign copy holds what the anticipated records carry: no access code.
  expect(copy.ctd.guarantees[0].references[0]).toEqual({ grn, amountToBeCovered: 1000, currency: 'GEL' });
  expect((await border.post(`/v1/movements/${mrn}/crossing`, { office: 'AZ000210' })).body.state).toBe('IN_TRANSIT');
  expect((await port.post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000100' })).body.state).toBe('ARRIVED');
  expect(
    (await port.post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000100', conform: true })).body.state,
  ).toBe('CONTROLLED');
  expect(await relay(az, ge)).toEqual(['IE118', 'IE006', 'IE018']);

  const atHome = await trading.get(`/v1/declarations/${mrn}`);
  expect(atHome.body).toMatchObject({ state: 'WRITTEN_OFF', crossedOffices: ['AZ000210'], reservation: null });
  expect((await trading.get(`/v1/guarantees/${grn}`)).body.reserved).toBe(0);
  expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
  expect((await port.get(`/v1/declarations/${mrn}`)).body.state).toBe('WRITTEN_OFF');
});

it('sends nothing through ICE to an office in a country outside the exchange', async () => {
  const [lrn] = lrnsFor(trader.tin, 'release', 1, 'C2T');
  const ctd = domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn });
  // Türkiye runs no CATS node: its office of transit is reached by other means.
  ctd.offices = { departure: 'GE000010', transit: ['TR080100', 'AZ000210'], destination: 'AZ000100' };
  ctd.consignment.countriesOfRouting = ['GE', 'TR', 'AZ'];
  ctd.consignment.countryOfDestination = 'AZ';
  ctd.guarantees[0]!.references[0]!.amountToBeCovered = 1000;
  const lodged = await client(ge, trader.token).post('/v1/declarations', ctd);
  expect(lodged.status).toBe(201);
  const { rows } = await ge.context.pool.query(
    `SELECT message_type, recipient_country, recipient_office FROM outbox WHERE mrn = $1 ORDER BY seq`,
    [lodged.body.mrn],
  );
  expect(rows).toEqual([
    { message_type: 'IE001', recipient_country: 'AZ', recipient_office: 'AZ000100' },
    { message_type: 'IE050', recipient_country: 'AZ', recipient_office: 'AZ000210' },
  ]);
  const writeOff = writeOffMessages(
    ge.context,
    { transit: ctd.offices.transit, destination: ctd.offices.destination },
    new Date(),
  );
  expect(writeOff.map((m) => m.office)).toEqual(['AZ000210', 'AZ000100']);
});

it('refuses, even without ICE to vouch for it, a message from any office but the designated one', async () => {
  const [lrn] = lrnsFor(trader.tin, 'release', 1, 'C2F');
  const ctd = domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn });
  ctd.offices = { departure: 'GE000010', transit: ['AZ000210'], destination: 'AZ000100' };
  ctd.consignment.countriesOfRouting = ['GE', 'AZ'];
  ctd.consignment.countryOfDestination = 'AZ';
  ctd.guarantees[0]!.references[0]!.amountToBeCovered = 1000;
  const trading = client(ge, trader.token);
  const lodged = await trading.post('/v1/declarations', ctd);
  expect(lodged.status).toBe(201);
  const mrn = lodged.body.mrn as string;
  const reserved = (await trading.get(`/v1/guarantees/${grn}`)).body.reserved;
  const at = new Date().toISOString();
  const from = (office: string) => ({ country: office.slice(0, 2), office });
  const message = (type: string, sender: string, recipient: string, m: string, body: Record<string, unknown>) => ({
    id: randomUUID(),
    type,
    mrn: m,
    sender: from(sender),
    recipient: from(recipient),
    body,
  });
  const released = { declaration: ctd, acceptedAt: at, releasedAt: at, officeOfDeparture: 'GE000010' };
  const refusals: [ReturnType<typeof message>, RunningNode, string][] = [
    [
      message('IE006', 'AZ000210', 'GE000010', mrn, { officeOfDestination: 'AZ000210', arrivedAt: at }),
      ge,
      'SENDER_NOT_DESIGNATED',
    ],
    [
      message('IE018', 'AZ000210', 'GE000010', mrn, {
        officeOfDestination: 'AZ000210',
        controlledAt: at,
        conform: true,
      }),
      ge,
      'SENDER_NOT_DESIGNATED',
    ],
    [
      message('IE018', 'AZ000100', 'GE000010', mrn, {
        officeOfDestination: 'AZ000210',
        controlledAt: at,
        conform: true,
      }),
      ge,
      'SENDER_NOT_DESIGNATED',
    ],
    [
      message('IE118', 'AZ000100', 'GE000010', mrn, { officeOfTransit: 'AZ000100', crossedAt: at }),
      ge,
      'SENDER_NOT_DESIGNATED',
    ],
    [
      message('IE118', 'CN000100', 'GE000010', mrn, { officeOfTransit: 'CN000100', crossedAt: at }),
      ge,
      'SENDER_NOT_IN_EXCHANGE',
    ],
    [
      message('IE006', 'AZ000100', 'GE000010', mrn.replace(/^(..)GE/, '$1AZ'), {
        officeOfDestination: 'AZ000100',
        arrivedAt: at,
      }),
      ge,
      'MRN_COUNTRY_MISMATCH',
    ],
    [
      message('IE045', 'KZ000010', 'AZ000100', mrn, { writtenOffAt: at, outcome: 'discharged' }),
      az,
      'MRN_COUNTRY_MISMATCH',
    ],
    [
      message('IE001', 'KZ000010', 'AZ000100', mrn.replace(/^(..)GE/, '$1KZ'), {
        ...released,
        officeOfDestination: 'AZ000100',
      }),
      az,
      'SENDER_NOT_DESIGNATED',
    ],
    [
      message('IE050', 'KZ000010', 'AZ000210', mrn, {
        ...released,
        officeOfDeparture: 'KZ000010',
        officeOfTransit: 'AZ000210',
      }),
      az,
      'MRN_COUNTRY_MISMATCH',
    ],
  ];
  for (const [m, node, code] of refusals)
    await expect(applyInboundMessage(node.context, m), `${m.type} from ${m.sender.office}`).rejects.toMatchObject({
      name: 'C2cRefusal',
      code,
    });
  expect((await trading.get(`/v1/declarations/${mrn}`)).body.state).toBe('RELEASED');
  expect((await trading.get(`/v1/guarantees/${grn}`)).body.reserved).toBe(reserved);
  const { rows } = await az.context.pool.query('SELECT mrn FROM movements WHERE mrn LIKE $1', [`__KZ%`]);
  expect(rows).toEqual([]);
});
