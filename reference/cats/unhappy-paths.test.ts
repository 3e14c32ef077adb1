// The unhappy paths of a movement GE → AZ across two real nodes on a business
// clock the test moves forward: time limit, enquiry (IE142/IE143, the holder's
// information), recovery (IE150/IE152) with the guarantee held then charged
// or given back, discrepancies resolved or recovered. Outboxes are relayed by
// hand the way ICE relays them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessClock } from '../domain/business-clock.ts';
import { intoAzerbaijan } from '../domain/testing/sample-ctd.ts';
import { limitDays } from '../domain/time-limit.ts';
import { officeByReference } from '../spec/reference-data/offices.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { applyInboundMessage, C2cRefusal } from './c2c-inbound.ts';
import { startNode, type RunningNode } from './start.ts';
import { client, domesticCtd, lrnsFor, seed, testGrn } from './testing/node-harness.ts';
import { relay } from './testing/relay.ts';

const DAY = 86_400_000;
let shift = 0;
/** Business time = real time + shift; the test moves it forward. */
const clock = businessClock({ epochMs: 0, factor: 1 }, () => Date.now() + shift);

let ge: RunningNode;
let az: RunningNode;
const trader = { tin: 'GE300000077', token: 'trader-token-unhappy-0001' };
const grn = testGrn();
const REFERENCE = 10_000;

beforeAll(async () => {
  const start = async (name: string, country: string) =>
    startNode({
      country,
      databaseUrl: await createTestDatabase(name),
      adminToken: 'admin-token-for-tests-0001',
      clock,
      timeLimitCheckMs: 0,
    });
  [ge, az] = await Promise.all([start('unhappy_ge', 'GE'), start('unhappy_az', 'AZ')]);
  await seed(ge, {
    operators: [trader],
    officers: [{ id: 'ge-dep', token: 'officer-token-ge-dep-00001', offices: ['GE000010'] }],
    guarantees: [{ grn, holderTin: trader.tin, referenceAmount: REFERENCE }],
  });
  await seed(az, { officers: [{ id: 'az-port', token: 'officer-token-az-port-0001', offices: ['AZ000100'] }] });
});
afterAll(async () => {
  await ge?.close();
  await az?.close();
});

const trading = () => client(ge, trader.token);
const departure = () => client(ge, 'officer-token-ge-dep-00001');
const port = () => client(az, 'officer-token-az-port-0001');
const state = async (node: RunningNode, mrn: string) =>
  (await client(node, node === ge ? trader.token : 'officer-token-az-port-0001').get(`/v1/declarations/${mrn}`)).body;
const guarantee = async () => (await trading().get(`/v1/guarantees/${grn}`)).body;

let seq = 0;
/** A movement GE → AZ lodged and released, its anticipated records at AZ. */
async function released(): Promise<string> {
  const [lrn] = lrnsFor(trader.tin, 'release', 1, `UH${seq++}`);
  const lodged = await trading().post(
    '/v1/declarations',
    intoAzerbaijan(domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn })),
  );
  expect(lodged.status).toBe(201);
  expect(lodged.body.state).toBe('RELEASED');
  expect(await relay(ge, az)).toEqual(['IE001', 'IE050']);
  return lodged.body.mrn;
}

/** Arrival and conform results at AZ: written off at GE, every message relayed. */
async function finish(mrn: string, offices = 2): Promise<void> {
  await port().post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000100' });
  await port().post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000100', conform: true });
  expect(await relay(az, ge)).toEqual(['IE006', 'IE018']);
  expect((await state(ge, mrn)).state).toBe('WRITTEN_OFF');
  expect(await relay(ge, az)).toEqual(Array(offices).fill('IE045'));
}

/** Moves business time past the movement's limit date and lets the scheduler act. */
async function pastLimitOf(mrn: string): Promise<number> {
  const limit = Date.parse((await state(ge, mrn)).limitDate);
  shift += limit - clock.now().getTime() + 1000;
  return ge.timeLimits.tick();
}

describe('time limit and enquiry', () => {
  it('sets the limit date at release from the itinerary', async () => {
    const before = clock.now().getTime();
    const mrn = await released();
    const view = await state(ge, mrn);
    const days = limitDays(['GE000010', 'GE069002', 'AZ000210', 'AZ000100'].map((o) => officeByReference.get(o)!));
    const limit = Date.parse(view.limitDate);
    expect(limit - before).toBeGreaterThanOrEqual(days * DAY);
    expect(limit - clock.now().getTime()).toBeLessThanOrEqual(days * DAY);
    expect(view.enquiry).toBeNull();
    expect(await ge.timeLimits.tick()).toBe(0);
    expect((await state(ge, mrn)).state).toBe('RELEASED');
    await finish(mrn);
  });

  it('opens an enquiry past the limit; the holder answers, destination says not arrived, recovery follows the period and charges the guarantee', async () => {
    const mrn = await released();
    const reservedBefore = (await guarantee()).reserved;
    expect(await pastLimitOf(mrn)).toBeGreaterThanOrEqual(1);
    const enquiry = await state(ge, mrn);
    expect(enquiry).toMatchObject({ state: 'ENQUIRY', enquiry: { answer: null, holderInformation: null } });
    // Idempotent: a second check finds nothing more to do for it.
    await ge.timeLimits.tick();
    expect((await state(ge, mrn)).state).toBe('ENQUIRY');
    expect(await relay(ge, az)).toEqual(['IE142']);
    expect((await state(az, mrn)).enquiry).not.toBeNull();

    const bad = await trading().post(`/v1/declarations/${mrn}/enquiry-information`, { information: '' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'SCHEMA_VIOLATION', errors: [{ pointer: '/information' }] });
    const info = await trading().post(`/v1/declarations/${mrn}/enquiry-information`, {
      information: 'truck held at the Alat ferry terminal',
    });
    expect(info.status).toBe(200);
    expect(info.body.enquiry.holderInformation).toBe('truck held at the Alat ferry terminal');

    // Only the declared office of destination answers, once.
    const answered = await port().post(`/v1/movements/${mrn}/enquiry-response`, {
      office: 'AZ000100',
      goodsArrived: false,
    });
    expect(answered.status).toBe(200);
    const again = await port().post(`/v1/movements/${mrn}/enquiry-response`, {
      office: 'AZ000100',
      goodsArrived: true,
    });
    expect(again.status).toBe(409);
    expect(await relay(az, ge)).toEqual(['IE143']);
    expect((await state(ge, mrn)).enquiry.answer).toBe('not-arrived');

    // Recovery starts by itself once the enquiry period is over; the guarantee stays reserved.
    shift += 29 * DAY;
    await ge.timeLimits.tick();
    const recovering = await state(ge, mrn);
    expect(recovering).toMatchObject({ state: 'RECOVERY', recovery: { office: null } });
    expect((await guarantee()).reserved).toBe(reservedBefore);

    const wrongOffice = await port().post(`/v1/movements/${mrn}/recovery-outcome`, {
      office: 'AZ000100',
      recovered: true,
    });
    expect(wrongOffice.status).toBe(409);
    const held = recovering.reservations[0].amount * 100;
    const settled = await departure().post(`/v1/movements/${mrn}/recovery-outcome`, {
      office: 'GE000010',
      recovered: true,
    });
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ state: 'RECOVERED', reservations: [{ held: false, charged: true }] });
    const g = await guarantee();
    expect(g.reserved).toBe(reservedBefore - held / 100);
    expect(g.referenceAmount).toBe(REFERENCE - held / 100);
    expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
    expect((await state(az, mrn)).state).toBe('RECOVERED');
  });

  it('closes the enquiry by a late arrival, written off as usual', async () => {
    const mrn = await released();
    await pastLimitOf(mrn);
    expect(await relay(ge, az)).toEqual(['IE142']);
    expect((await port().post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000100' })).status).toBe(200);
    expect(
      (await port().post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000100', conform: true })).status,
    ).toBe(200);
    expect(await relay(az, ge)).toEqual(['IE006', 'IE018']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
  });

  it('records a crossing notified past the limit without closing the enquiry; the arrival closes it', async () => {
    const mrn = await released();
    await pastLimitOf(mrn);
    expect(await relay(ge, az)).toEqual(['IE142']);
    await seed(az, {
      officers: [{ id: 'az-border-late', token: 'officer-token-az-bor-00004', offices: ['AZ000210'] }],
    });
    const crossed = await client(az, 'officer-token-az-bor-00004').post(`/v1/movements/${mrn}/crossing`, {
      office: 'AZ000210',
    });
    expect(crossed.body.state).toBe('IN_TRANSIT');
    expect(await relay(az, ge)).toEqual(['IE118']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'ENQUIRY', crossedOffices: ['AZ000210'] });
    await finish(mrn);
  });

  it('awaits arrival, not recovery, when the office enquired reports the goods arrived', async () => {
    const mrn = await released();
    await pastLimitOf(mrn);
    await relay(ge, az);
    await port().post(`/v1/movements/${mrn}/enquiry-response`, { office: 'AZ000100', goodsArrived: true });
    expect(await relay(az, ge)).toEqual(['IE143']);
    expect((await state(ge, mrn)).enquiry.answer).toBe('arrived');
    const refused = await departure().post(`/v1/movements/${mrn}/recovery`, { reason: 'no arrival advice' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    shift += 29 * DAY;
    await ge.timeLimits.tick();
    expect((await state(ge, mrn)).state).toBe('ENQUIRY');
    await port().post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000100' });
    await port().post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000100', conform: true });
    expect(await relay(az, ge)).toEqual(['IE006', 'IE018']);
    expect((await state(ge, mrn)).state).toBe('WRITTEN_OFF');
    expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
  });
});

describe('discrepancies', () => {
  async function withDiscrepancies(): Promise<string> {
    const mrn = await released();
    await port().post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000100' });
    const results = await port().post(`/v1/movements/${mrn}/control-results`, {
      office: 'AZ000100',
      conform: false,
      remarks: 'two packages missing',
    });
    expect(results.body.state).toBe('DISCREPANCIES');
    expect(await relay(az, ge)).toEqual(['IE006', 'IE018']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'DISCREPANCIES', controlConform: false });
    return mrn;
  }

  it('holds the guarantee until customs resolves them, then writes off', async () => {
    const mrn = await withDiscrepancies();
    expect((await state(ge, mrn)).reservations[0].held).toBe(true);
    const notHers = await port().post(`/v1/movements/${mrn}/discrepancies-resolution`, {});
    expect(notHers.status).toBe(404);
    const resolved = await departure().post(`/v1/movements/${mrn}/discrepancies-resolution`, {
      information: 'packages found in the consignee warehouse',
    });
    expect(resolved.body).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
  });

  it('recovers them at the foreign destination (IE150/IE152) and charges the guarantee', async () => {
    const mrn = await withDiscrepancies();
    const before = await guarantee();
    const bad = await departure().post(`/v1/movements/${mrn}/recovery`, { reason: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect((await state(ge, mrn)).state).toBe('DISCREPANCIES');
    const started = await departure().post(`/v1/movements/${mrn}/recovery`, { reason: 'two packages missing' });
    expect(started.body).toMatchObject({ state: 'RECOVERY', recovery: { office: 'AZ000100' } });
    expect(await relay(ge, az)).toEqual(['IE150']);
    // Only the office asked settles it.
    const here = await departure().post(`/v1/movements/${mrn}/recovery-outcome`, {
      office: 'GE000010',
      recovered: true,
    });
    expect(here.status).toBe(409);
    const abroad = await port().post(`/v1/movements/${mrn}/recovery-outcome`, { office: 'AZ000100', recovered: true });
    expect(abroad.status).toBe(200);
    expect(await relay(az, ge)).toEqual(['IE152']);
    const after = await state(ge, mrn);
    expect(after).toMatchObject({ state: 'RECOVERED', reservation: null });
    const g = await guarantee();
    expect(g.reserved).toBeLessThan(before.reserved);
    expect(g.referenceAmount).toBeLessThan(before.referenceAmount);
    expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
  });

  it('gives the guarantee back when recovery finds nothing due', async () => {
    const mrn = await withDiscrepancies();
    const before = await guarantee();
    await departure().post(`/v1/movements/${mrn}/recovery`, { reason: 'seal number differs' });
    await relay(ge, az);
    await port().post(`/v1/movements/${mrn}/recovery-outcome`, { office: 'AZ000100', recovered: false });
    await relay(az, ge);
    expect(await state(ge, mrn)).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    const g = await guarantee();
    expect(g.referenceAmount).toBe(before.referenceAmount);
    expect(g.reserved).toBeLessThan(before.reserved);
    expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
  });
});

describe('invalidation after release', () => {
  it('refuses the holder amendment and cancellation once released; customs invalidates and the guarantee comes back', async () => {
    const [lrn] = lrnsFor(trader.tin, 'release', 1, `UHI${seq++}`);
    const ctd = intoAzerbaijan(domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
    const mrn = (await trading().post('/v1/declarations', ctd)).body.mrn as string;
    expect(await relay(ge, az)).toEqual(['IE001', 'IE050']);
    const reserved = (await guarantee()).reserved;
    const amended = await trading().post(`/v1/declarations/${mrn}/amendment`, ctd);
    expect(amended.status).toBe(409);
    expect(amended.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringMatching(/RELEASED/) });
    const cancelled = await trading().post(`/v1/declarations/${mrn}/cancellation`, { reason: 'changed plans' });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.code).toBe('ILLEGAL_TRANSITION');
    expect((await state(ge, mrn)).state).toBe('RELEASED');
    const notAnOfficer = await client(ge, trader.token).post(`/v1/movements/${mrn}/invalidation`, { reason: 'x' });
    expect(notAnOfficer.status).toBe(403);
    const noReason = await departure().post(`/v1/movements/${mrn}/invalidation`, {});
    expect(noReason.status).toBe(400);
    const invalidated = await departure().post(`/v1/movements/${mrn}/invalidation`, { reason: 'seals not applied' });
    expect(invalidated.body).toMatchObject({ state: 'INVALIDATED', reservation: null });
    expect((await guarantee()).reserved).toBeLessThan(reserved);
    expect(await relay(ge, az)).toEqual(['IE010', 'IE010']);
    expect((await state(az, mrn)).state).toBe('INVALIDATED');
    const twice = await departure().post(`/v1/movements/${mrn}/invalidation`, { reason: 'again' });
    expect(twice.status).toBe(409);
  });

  it('invalidates a movement not arrived by its limit date: the enquiry ends there, nothing is recovered', async () => {
    const mrn = await released();
    const reserved = (await guarantee()).reserved;
    await pastLimitOf(mrn);
    expect(await relay(ge, az)).toEqual(['IE142']);
    const invalidated = await departure().post(`/v1/movements/${mrn}/invalidation`, { reason: 'never loaded' });
    expect(invalidated.body).toMatchObject({ state: 'INVALIDATED', reservation: null });
    expect((await guarantee()).reserved).toBeLessThan(reserved);
    expect(await relay(ge, az)).toEqual(['IE010', 'IE010']);
    expect((await state(az, mrn)).state).toBe('INVALIDATED');
    shift += 29 * DAY;
    await ge.timeLimits.tick();
    expect((await state(ge, mrn)).state).toBe('INVALIDATED');
  });
});

describe('diversion', () => {
  it('at an office of transit not declared: the office asks departure for the record (IE114/IE115), then crosses', async () => {
    const mrn = await released();
    await seed(az, { officers: [{ id: 'az-airport', token: 'officer-token-az-air-00001', offices: ['AZ000220'] }] });
    const airport = client(az, 'officer-token-az-air-00001');
    const asked = await airport.post(`/v1/movements/${mrn}/crossing`, { office: 'AZ000220' });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ mrn, office: 'AZ000220', status: 'RECORD_REQUESTED', requested: 'IE114' });
    // Notified again before the record came: asked again, and departure sends the record again, nothing more.
    expect((await airport.post(`/v1/movements/${mrn}/crossing`, { office: 'AZ000220' })).status).toBe(202);
    expect(await relay(az, ge)).toEqual(['IE114', 'IE114']);
    expect((await state(ge, mrn)).offices.transit).toEqual(['GE069002', 'AZ000210', 'AZ000220']);
    expect(await relay(ge, az)).toEqual(['IE115', 'IE115']);
    const crossed = await airport.post(`/v1/movements/${mrn}/crossing`, { office: 'AZ000220' });
    expect(crossed.status).toBe(200);
    expect(crossed.body.state).toBe('IN_TRANSIT');
    expect(await relay(az, ge)).toEqual(['IE118']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'IN_TRANSIT', crossedOffices: ['AZ000220'] });
    await finish(mrn, 3);
  });

  it('at an office of destination not declared: IE002/IE003, the arrival advice forwarded to the declared one (IE024)', async () => {
    const mrn = await released();
    await seed(az, { officers: [{ id: 'az-border2', token: 'officer-token-az-bor-00002', offices: ['AZ000210'] }] });
    const border = client(az, 'officer-token-az-bor-00002');
    const asked = await border.post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000210' });
    expect(asked.status).toBe(202);
    expect(asked.body.requested).toBe('IE002');
    expect((await border.post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000210' })).status).toBe(202);
    expect(await relay(az, ge)).toEqual(['IE002', 'IE002']);
    expect((await state(ge, mrn)).offices.destination).toBe('AZ000210');
    expect(await relay(ge, az)).toEqual(['IE003', 'IE003']);
    expect((await border.post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000210' })).body.state).toBe('ARRIVED');
    const results = await border.post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000210', conform: true });
    expect(results.body.state).toBe('CONTROLLED');
    expect(await relay(az, ge)).toEqual(['IE006', 'IE018']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    // The declared destination is told where the goods went, then every office holding a copy that it is closed.
    expect(await relay(ge, az)).toEqual(['IE024', 'IE045', 'IE045', 'IE045']);
    expect((await border.get(`/v1/declarations/${mrn}`)).body.state).toBe('WRITTEN_OFF');
  });

  it('at an office of destination not declared once past the limit: the arrival there closes the enquiry', async () => {
    const mrn = await released();
    await pastLimitOf(mrn);
    expect(await relay(ge, az)).toEqual(['IE142']);
    await seed(az, { officers: [{ id: 'az-border3', token: 'officer-token-az-bor-00003', offices: ['AZ000210'] }] });
    const border = client(az, 'officer-token-az-bor-00003');
    expect((await border.post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000210' })).status).toBe(202);
    expect(await relay(az, ge)).toEqual(['IE002']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'ENQUIRY', offices: { destination: 'AZ000210' } });
    expect(await relay(ge, az)).toEqual(['IE003']);
    expect((await border.post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000210' })).body.state).toBe('ARRIVED');
    await border.post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000210', conform: true });
    expect(await relay(az, ge)).toEqual(['IE006', 'IE018']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    expect(await relay(ge, az)).toEqual(['IE024', 'IE045', 'IE045', 'IE045']);
  });

  it('within the country of departure once past the limit: an office not declared takes the arrival, closing the enquiry', async () => {
    const mrn = await released();
    await pastLimitOf(mrn);
    await seed(ge, { officers: [{ id: 'ge-poti-late', token: 'officer-token-ge-poti-00002', offices: ['GE000200'] }] });
    const poti = client(ge, 'officer-token-ge-poti-00002');
    const arrived = await poti.post(`/v1/movements/${mrn}/arrival`, { office: 'GE000200' });
    expect(arrived.body).toMatchObject({ state: 'ARRIVED', offices: { destination: 'GE000200' } });
    const results = await poti.post(`/v1/movements/${mrn}/control-results`, { office: 'GE000200', conform: true });
    expect(results.body).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    expect(await relay(ge, az)).toEqual(['IE142', 'IE024', 'IE045', 'IE045']);
  });

  it('within the country of departure: an office not declared takes the movement there and then, as abroad', async () => {
    const mrn = await released();
    await seed(ge, {
      officers: [
        { id: 'ge-rail', token: 'officer-token-ge-rail-00001', offices: ['GE069009'] },
        { id: 'ge-poti', token: 'officer-token-ge-poti-00001', offices: ['GE000200'] },
      ],
    });
    const rail = client(ge, 'officer-token-ge-rail-00001');
    const poti = client(ge, 'officer-token-ge-poti-00001');
    const crossed = await rail.post(`/v1/movements/${mrn}/crossing`, { office: 'GE069009' });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toMatchObject({
      state: 'IN_TRANSIT',
      offices: { transit: ['GE069002', 'AZ000210', 'GE069009'] },
      crossedOffices: ['GE069009'],
    });
    // The holder arrives where declared only; an office that cannot be one is refused, changing nothing.
    const byHolder = await trading().post(`/v1/movements/${mrn}/arrival`, { office: 'GE000200' });
    expect([byHolder.status, byHolder.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    const inland = await departure().post(`/v1/movements/${mrn}/crossing`, { office: 'GE000010' });
    expect([inland.status, inland.body.errors[0].pointer]).toEqual([409, '/office']);
    expect((await state(ge, mrn)).state).toBe('IN_TRANSIT');
    const arrived = await poti.post(`/v1/movements/${mrn}/arrival`, { office: 'GE000200' });
    expect(arrived.status).toBe(200);
    expect(arrived.body).toMatchObject({ state: 'ARRIVED', offices: { destination: 'GE000200' } });
    const results = await poti.post(`/v1/movements/${mrn}/control-results`, { office: 'GE000200', conform: true });
    expect(results.body).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    // The declared destination abroad is told where the goods went (IE024), then every foreign copy is closed.
    expect(await relay(ge, az)).toEqual(['IE024', 'IE045', 'IE045']);
    expect((await state(az, mrn)).state).toBe('WRITTEN_OFF');
  });

  it('refuses a diverted crossing it cannot route, changing nothing', async () => {
    const mrn = await released();
    const noRole = await port().post(`/v1/movements/${mrn}/crossing`, { office: 'GE069002' });
    expect(noRole.status).toBe(403);
    const unknown = '26GE' + mrn.slice(4, 17) + '0';
    await seed(az, { officers: [{ id: 'az-air-2', token: 'officer-token-az-air-00002', offices: ['AZ000220'] }] });
    const airport = client(az, 'officer-token-az-air-00002');
    const noRecord = await airport.post(`/v1/movements/${unknown}/crossing`, { office: 'AZ000220' });
    expect(noRecord.status).toBe(409);
    expect(noRecord.body.errors[0].pointer).toBe('/officeOfDeparture');
    const wrongCountry = await airport.post(`/v1/movements/${mrn}/crossing`, {
      office: 'AZ000220',
      officeOfDeparture: 'KZ000010',
    });
    expect(wrongCountry.status).toBe(202); // the record is here: the office of departure is taken from it
    expect(await relay(az, ge)).toEqual(['IE114']);
    await relay(ge, az);
    await finish(mrn, 3);
  });
});

describe('incidents en route', () => {
  it('records each kind where it happens, forwards it to departure (IE180) and holds write-off until customs decides', async () => {
    const mrn = await released();
    const at = clock.now().toISOString();
    const bad = await port().post(`/v1/movements/${mrn}/incidents`, {
      office: 'AZ000100',
      kind: 'flood',
      occurredAt: at,
      description: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/kind');
    const atDeparture = await departure().post(`/v1/movements/${mrn}/incidents`, {
      office: 'GE000010',
      kind: 'transhipment',
      occurredAt: at,
      description: 'reloaded onto a second truck',
      newTransportMeans: 'GE-123-AB',
    });
    expect(atDeparture.body).toMatchObject({ state: 'RELEASED', openIncidents: 1 });
    for (const kind of ['transport-change', 'seal-broken', 'accident'])
      expect(
        (
          await port().post(`/v1/movements/${mrn}/incidents`, {
            office: 'AZ000100',
            kind,
            occurredAt: at,
            description: `${kind} near Alat`,
          })
        ).status,
      ).toBe(200);
    expect(await relay(az, ge)).toEqual(['IE180', 'IE180', 'IE180']);
    const recorded = await state(ge, mrn);
    expect(recorded.openIncidents).toBe(4);
    expect(recorded.incidents.map((i: { kind: string }) => i.kind)).toEqual([
      'transhipment',
      'transport-change',
      'seal-broken',
      'accident',
    ]);
    await port().post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000100' });
    await port().post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000100', conform: true });
    expect(await relay(az, ge)).toEqual(['IE006', 'IE018']);
    expect(await state(ge, mrn)).toMatchObject({ state: 'CONTROLLED', reservations: [{ held: true }] });
    const decided = await departure().post(`/v1/movements/${mrn}/incident-decision`, {});
    expect(decided.body).toMatchObject({ state: 'WRITTEN_OFF', openIncidents: 0, reservation: null });
    expect(await relay(ge, az)).toEqual(['IE045', 'IE045']);
    expect((await departure().post(`/v1/movements/${mrn}/incident-decision`, {})).status).toBe(409);
  });
});

describe('C2C trust rules for the new messages', () => {
  const envelope = (type: string, mrn: string, from: string, to: string, body: Record<string, unknown>) => ({
    id: randomUUID(),
    type,
    mrn,
    sentAt: clock.now().toISOString(),
    sender: { country: from.slice(0, 2), office: from },
    recipient: { country: to.slice(0, 2), office: to },
    body,
  });

  it('refuses answers and reports from offices the movement does not designate, changing nothing', async () => {
    const mrn = await released();
    const before = await state(ge, mrn);
    const at = clock.now().toISOString();
    const refusals: [string, string, Record<string, unknown>, string][] = [
      // IE143 from an office of transit, not the destination.
      ['IE143', 'AZ000210', { respondedAt: at, goodsArrived: true }, 'SENDER_NOT_DESIGNATED'],
      // IE152 when no recovery was asked of that office.
      ['IE152', 'AZ000100', { notifiedAt: at, recoveryAccepted: true }, 'SENDER_NOT_DESIGNATED'],
    ];
    for (const [type, from, body, code] of refusals) {
      const err = await applyInboundMessage(ge.context, envelope(type, mrn, from, 'GE000010', body)).catch((e) => e);
      expect(err, type).toBeInstanceOf(C2cRefusal);
      expect(err.code, type).toBe(code);
    }
    // From the node's own country: not another node of the exchange.
    const own = await applyInboundMessage(
      ge.context,
      envelope('IE180', mrn, 'GE069002', 'GE000010', {
        officeOfIncident: 'GE069002',
        kind: 'accident',
        occurredAt: at,
        description: 'x',
      }),
    ).catch((e) => e);
    expect(own.code).toBe('SENDER_NOT_IN_EXCHANGE');
    expect(await state(ge, mrn)).toEqual(before);
    await finish(mrn);
  });
});

describe('refusals change nothing', () => {
  it('refuses unhappy-path steps out of sequence with ILLEGAL_TRANSITION', async () => {
    const mrn = await released();
    const before = await state(ge, mrn);
    for (const [path, body] of [
      ['recovery', { reason: 'too early' }],
      ['discrepancies-resolution', {}],
      ['recovery-outcome', { office: 'GE000010', recovered: true }],
    ] as const) {
      const res = await departure().post(`/v1/movements/${mrn}/${path}`, body);
      expect(res.status, path).toBe(409);
      expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', errors: [{ code: 'ILLEGAL_TRANSITION' }] });
    }
    const info = await trading().post(`/v1/declarations/${mrn}/enquiry-information`, { information: 'on the way' });
    expect(info.status).toBe(409);
    const noEnquiry = await port().post(`/v1/movements/${mrn}/enquiry-response`, {
      office: 'AZ000100',
      goodsArrived: true,
    });
    expect(noEnquiry.status).toBe(409);
    const after = await state(ge, mrn);
    expect(after).toEqual(before);
    await finish(mrn);
  });

  it('publishes its business clock', async () => {
    const res = await client(ge).get('/v1/clock');
    expect(res.status).toBe(200);
    expect(Math.abs(Date.parse(res.body.now) - clock.now().getTime())).toBeLessThan(60_000);
    expect(res.body).toMatchObject({ factor: 1, controllable: false });
  });
});
