// The C2C trust rule end to end: ICE with two national nodes (GE, AZ) and
// raw connections holding other credentials (CN: a country without a node, as
// the load identities of a deployment; KZ: a third node country; a second AZ and
// GE connection: the right country speaking for the wrong office). Every forged
// message is refused, by ICE at submission or by the node that would apply it,
// and changes nothing at either node; the designated offices still move the
// movement to write-off.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../reference/cats/start.ts';
import { client, domesticCtd, lrnsFor, seed, testGrn } from '../../reference/cats/testing/node-harness.ts';
import type { Ctd } from '../../reference/spec/ctd.ts';
import { freePort } from '../../reference/net/free-port.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnIce, type IceProcess } from './ice-process.ts';
import { movementMrn } from './messages.ts';
import { rawNode, type RawNode } from './raw-node.ts';
import { recordedCtd } from '../../reference/cats/recorded-ctd.ts';
import { guaranteeOffice } from '../../reference/cats/c2c-messages.ts';

const tokens = {
  GE: 'ge-node-credential',
  AZ: 'az-node-credential',
  KZ: 'kz-node-credential',
  CN: 'cn-load-credential',
};
const adminToken = 'admin-token-for-tests-0001';
const trader = { tin: 'GE300000088', token: 'trader-token-trust-000001' };
const officer = { id: 'az-all', token: 'officer-token-az-trust-01', offices: ['AZ000210', 'AZ000100'] };
const grn = testGrn();
const now = () => new Date().toISOString();

let ice: IceProcess;
let iceDb: pg.Pool;
let ge: RunningNode;
let az: RunningNode;
const raw: Record<string, RawNode> = {};

beforeAll(async () => {
  const iceUrl = await createTestDatabase('trust_ice');
  iceDb = new pg.Pool({ connectionString: iceUrl, max: 2 });
  ice = await spawnIce({ databaseUrl: iceUrl, port: await freePort(), tokens, extra: ['--ack-timeout', '1000'] });
  const link = async (country: 'GE' | 'AZ') => {
    const node = await startNode({
      country,
      databaseUrl: await createTestDatabase(`trust_${country.toLowerCase()}`),
      adminToken,
      ice: { url: ice.url, token: tokens[country] },
    });
    // The node's own link must be its country's first connection, the one that receives.
    const linked = new RegExp(`ice_connections\\{country="${country}"\\} 1`);
    for (let i = 0; i < 150 && !linked.test(await (await fetch(`${ice.httpUrl}/metrics`)).text()); i++)
      await new Promise((r) => setTimeout(r, 100));
    return node;
  };
  ge = await link('GE');
  az = await link('AZ');
  await seed(ge, { operators: [trader], guarantees: [{ grn, holderTin: trader.tin, referenceAmount: 10_000 }] });
  await seed(az, { officers: [officer] });
  for (const c of ['CN', 'KZ', 'AZ', 'GE'] as const) raw[c] = await rawNode(ice.url, tokens[c]);
}, 60_000);

afterAll(async () => {
  for (const r of Object.values(raw)) await r.close().catch(() => undefined);
  await ge?.close();
  await az?.close();
  await ice?.stop();
  await iceDb?.end();
});

let lrnSeq = 0;
/** A released GE → AZ movement: transit GE069002 and AZ000210, destination AZ000100. */
async function released(): Promise<{ mrn: string; ctd: Ctd }> {
  const [lrn] = lrnsFor(trader.tin, 'release', 1, `TRUST${lrnSeq++}`);
  const ctd = domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn });
  ctd.offices = { departure: 'GE000010', transit: ['GE069002', 'AZ000210'], destination: 'AZ000100' };
  ctd.consignment.countriesOfRouting = ['GE', 'AZ'];
  ctd.consignment.countryOfDestination = 'AZ';
  ctd.guarantees[0]!.references[0]!.amountToBeCovered = 1000;
  const lodged = await client(ge, trader.token).post('/v1/declarations', ctd);
  expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
  const mrn = lodged.body.mrn as string;
  await expect.poll(() => stateAt(az, mrn), { timeout: 15_000 }).toBe('RELEASED');
  return { mrn, ctd };
}

async function stateAt(node: RunningNode, mrn: string): Promise<string | undefined> {
  const { rows } = await node.context.pool.query('SELECT state FROM movements WHERE mrn = $1', [mrn]);
  return rows[0]?.state;
}

/** Everything the forged messages could change: states at both nodes and the guarantee. */
async function snapshot(mrn: string) {
  const reserved = (await client(ge, trader.token).get(`/v1/guarantees/${grn}`)).body.reserved;
  return { ge: await stateAt(ge, mrn), az: await stateAt(az, mrn), reserved };
}

function envelope(
  type: string,
  from: [string, string],
  to: [string, string],
  mrn: string,
  body: Record<string, unknown>,
): Record<string, any> {
  return {
    id: randomUUID(),
    type,
    sender: { country: from[0], office: from[1] },
    recipient: { country: to[0], office: to[1] },
    mrn,
    sentAt: now(),
    body,
  };
}

/** Sends through `via` and waits for ICE's verdict: stored, or an error frame. */
async function submit(via: RawNode, m: Record<string, any>): Promise<Record<string, any>> {
  via.sendText(JSON.stringify({ type: 'send', message: m }));
  return via.next((f) => (f.type === 'stored' || f.type === 'error') && f.ref === m.id);
}

/** Stored by ICE, delivered, and rejected by the recipient node with `code`; the sender is told. */
async function rejectedByNode(via: RawNode, m: Record<string, any>, code: string): Promise<void> {
  expect(await submit(via, m)).toMatchObject({ type: 'stored', ref: m.id });
  const returned = await via.next((f) => f.type === 'returned' && f.ref === m.id, 15_000);
  expect(returned).toMatchObject({ messageType: m.type, mrn: m.mrn, recipientCountry: m.recipient.country });
  expect((returned.rejected as { code: string }).code).toBe(code);
  // Recorded durably with the message, so it is not delivered again.
  await expect
    .poll(async () => (await iceDb.query('SELECT outcome, rejection FROM ice_message WHERE id = $1', [m.id])).rows[0])
    .toMatchObject({ outcome: 'rejected', rejection: { code } });
}

/** Refused by ICE at submission with `code`; nothing stored. */
async function refusedByIce(via: RawNode, m: Record<string, any>, code: string): Promise<void> {
  expect(await submit(via, m)).toMatchObject({ type: 'error', code, ref: m.id });
  expect((await iceDb.query('SELECT 1 FROM ice_message WHERE id = $1', [m.id])).rowCount).toBe(0);
}

const arrival = (office: string) => ({ officeOfDestination: office, arrivedAt: now() });
const results = (office: string) => ({ officeOfDestination: office, controlledAt: now(), conform: true });
const crossingAt = (office: string) => ({ officeOfTransit: office, crossedAt: now() });
const writeOff = () => ({ writtenOffAt: now(), outcome: 'discharged' });

describe('a node applies a C2C message only from the office the movement designates', () => {
  it('refuses IE006 and IE018 (conform) from anyone but the office of destination, and nothing changes', async () => {
    const { mrn } = await released();
    const before = await snapshot(mrn);
    expect(before).toMatchObject({ ge: 'RELEASED', az: 'RELEASED' });
    const toGe: [string, string] = ['GE', 'GE000010'];
    // A country without a node (a load identity), speaking for its own office.
    for (const [type, body] of [
      ['IE006', arrival('CN000100')],
      ['IE018', results('CN000100')],
    ] as const)
      await rejectedByNode(raw.CN, envelope(type, ['CN', 'CN000100'], toGe, mrn, body), 'SENDER_NOT_IN_EXCHANGE');
    // A third node country.
    for (const [type, body] of [
      ['IE006', arrival('KZ000010')],
      ['IE018', results('KZ000010')],
    ] as const)
      await rejectedByNode(raw.KZ, envelope(type, ['KZ', 'KZ000010'], toGe, mrn, body), 'SENDER_NOT_DESIGNATED');
    // The right country, the wrong office (AZ000210 is an office of transit of this movement).
    for (const [type, body] of [
      ['IE006', arrival('AZ000210')],
      ['IE018', results('AZ000210')],
    ] as const)
      await rejectedByNode(raw.AZ, envelope(type, ['AZ', 'AZ000210'], toGe, mrn, body), 'SENDER_NOT_DESIGNATED');
    // Naming the real office of destination while speaking for another: ICE refuses it outright.
    await refusedByIce(
      raw.CN,
      envelope('IE006', ['CN', 'CN000100'], toGe, mrn, arrival('AZ000100')),
      'SENDER_NOT_DESIGNATED',
    );
    expect(await snapshot(mrn)).toEqual(before);
  });

  it('refuses IE118 from an office that is not a declared office of transit', async () => {
    const { mrn } = await released();
    const before = await snapshot(mrn);
    const toGe: [string, string] = ['GE', 'GE000010'];
    await rejectedByNode(
      raw.CN,
      envelope('IE118', ['CN', 'CN000100'], toGe, mrn, crossingAt('CN000100')),
      'SENDER_NOT_IN_EXCHANGE',
    );
    await rejectedByNode(
      raw.KZ,
      envelope('IE118', ['KZ', 'KZ310100'], toGe, mrn, crossingAt('KZ310100')),
      'SENDER_NOT_DESIGNATED',
    );
    // AZ000100 is the destination, not an office of transit.
    await rejectedByNode(
      raw.AZ,
      envelope('IE118', ['AZ', 'AZ000100'], toGe, mrn, crossingAt('AZ000100')),
      'SENDER_NOT_DESIGNATED',
    );
    await refusedByIce(
      raw.AZ,
      envelope('IE118', ['AZ', 'AZ000100'], toGe, mrn, crossingAt('AZ000210')),
      'SENDER_NOT_DESIGNATED',
    );
    // A movement of another country, about which only that country may be told.
    await refusedByIce(
      raw.AZ,
      envelope('IE118', ['AZ', 'AZ000210'], toGe, movementMrn('KZ', 7), crossingAt('AZ000210')),
      'MRN_COUNTRY_MISMATCH',
    );
    // A GE MRN GE never allocated.
    await rejectedByNode(
      raw.AZ,
      envelope('IE118', ['AZ', 'AZ000210'], toGe, movementMrn('GE', 424242), crossingAt('AZ000210')),
      'UNKNOWN_MOVEMENT',
    );
    expect(await snapshot(mrn)).toEqual(before);
  });

  it('refuses IE045 from anyone but the office of departure, and for a movement it does not hold', async () => {
    const { mrn } = await released();
    const before = await snapshot(mrn);
    const toAz: [string, string] = ['AZ', 'AZ000100'];
    await refusedByIce(raw.CN, envelope('IE045', ['CN', 'CN000100'], toAz, mrn, writeOff()), 'MRN_COUNTRY_MISMATCH');
    await refusedByIce(raw.KZ, envelope('IE045', ['KZ', 'KZ000010'], toAz, mrn, writeOff()), 'MRN_COUNTRY_MISMATCH');
    // The departure country, but not the office of departure.
    await rejectedByNode(raw.GE, envelope('IE045', ['GE', 'GE069002'], toAz, mrn, writeOff()), 'SENDER_NOT_DESIGNATED');
    await rejectedByNode(
      raw.KZ,
      envelope('IE045', ['KZ', 'KZ000010'], toAz, movementMrn('KZ', 99), writeOff()),
      'UNKNOWN_MOVEMENT',
    );
    expect(await snapshot(mrn)).toEqual(before);
  });

  it('refuses IE001 and IE050 that do not come from the country that allocated the MRN, creating nothing', async () => {
    const { ctd } = await released();
    const made = (country: string, seq: number, departure: string) => {
      const mrn = movementMrn(country, seq);
      const declaration = { ...recordedCtd(ctd), offices: { ...ctd.offices, departure } };
      const released = { declaration, acceptedAt: now(), releasedAt: now(), officeOfDeparture: departure };
      return { mrn, released };
    };
    const cn = made('CN', 11, 'CN000100');
    await rejectedByNode(
      raw.CN,
      envelope('IE001', ['CN', 'CN000100'], ['AZ', 'AZ000100'], cn.mrn, {
        ...cn.released,
        officeOfDestination: 'AZ000100',
      }),
      'SENDER_NOT_IN_EXCHANGE',
    );
    // An MRN naming another country than the sender's.
    const kzAsGe = made('GE', 12, 'KZ000010');
    for (const [type, field, office] of [
      ['IE001', 'officeOfDestination', 'AZ000100'],
      ['IE050', 'officeOfTransit', 'AZ000210'],
    ] as const)
      await refusedByIce(
        raw.KZ,
        envelope(type, ['KZ', 'KZ000010'], ['AZ', office], kzAsGe.mrn, { ...kzAsGe.released, [field]: office }),
        'MRN_COUNTRY_MISMATCH',
      );
    // The sender not being the declaration's office of departure.
    const wrongOffice = made('KZ', 13, 'KZ510100');
    await refusedByIce(
      raw.KZ,
      envelope('IE001', ['KZ', 'KZ000010'], ['AZ', 'AZ000100'], wrongOffice.mrn, {
        ...wrongOffice.released,
        officeOfDestination: 'AZ000100',
      }),
      'SENDER_NOT_DESIGNATED',
    );
    for (const mrn of [cn.mrn, kzAsGe.mrn, wrongOffice.mrn]) expect(await stateAt(az, mrn)).toBeUndefined();
  });

  it('refuses the unhappy-path messages from offices the movement does not designate, changing nothing', async () => {
    const { mrn } = await released();
    const before = await snapshot(mrn);
    const toGe: [string, string] = ['GE', 'GE000010'];
    const toAz: [string, string] = ['AZ', 'AZ000100'];
    // Back to departure: the enquiry answer from an office that is not the destination, a recovery
    // outcome nobody was asked for, an incident from a country outside the exchange.
    await rejectedByNode(
      raw.AZ,
      envelope('IE143', ['AZ', 'AZ000210'], toGe, mrn, { respondedAt: now(), goodsArrived: true }),
      'SENDER_NOT_DESIGNATED',
    );
    await rejectedByNode(
      raw.KZ,
      envelope('IE143', ['KZ', 'KZ000010'], toGe, mrn, { respondedAt: now(), goodsArrived: false }),
      'SENDER_NOT_DESIGNATED',
    );
    await rejectedByNode(
      raw.AZ,
      envelope('IE152', ['AZ', 'AZ000100'], toGe, mrn, { notifiedAt: now(), recoveryAccepted: true }),
      'SENDER_NOT_DESIGNATED',
    );
    await rejectedByNode(
      raw.CN,
      envelope('IE180', ['CN', 'CN000100'], toGe, mrn, {
        officeOfIncident: 'CN000100',
        kind: 'accident',
        occurredAt: now(),
        description: 'forged',
      }),
      'SENDER_NOT_IN_EXCHANGE',
    );
    // Out to the foreign copies: only the office of departure closes, invalidates, enquires or asks recovery.
    const enquiry = { requestedAt: now(), officeConcerned: 'AZ000100', replyBy: now() };
    await refusedByIce(raw.KZ, envelope('IE142', ['KZ', 'KZ000010'], toAz, mrn, enquiry), 'MRN_COUNTRY_MISMATCH');
    await rejectedByNode(raw.GE, envelope('IE142', ['GE', 'GE069002'], toAz, mrn, enquiry), 'SENDER_NOT_DESIGNATED');
    await rejectedByNode(
      raw.GE,
      envelope('IE010', ['GE', 'GE069002'], toAz, mrn, { invalidatedAt: now(), reason: 'forged' }),
      'SENDER_NOT_DESIGNATED',
    );
    await rejectedByNode(
      raw.GE,
      envelope('IE150', ['GE', 'GE069002'], toAz, mrn, {
        requestedAt: now(),
        reason: 'forged',
        amountClaimed: { amount: 1, currency: 'USD' },
      }),
      'SENDER_NOT_DESIGNATED',
    );
    await refusedByIce(
      raw.KZ,
      envelope('IE010', ['KZ', 'KZ000010'], toAz, mrn, { invalidatedAt: now(), reason: 'forged' }),
      'MRN_COUNTRY_MISMATCH',
    );
    expect(await snapshot(mrn)).toEqual(before);
    const enquiryAtAz = await az.context.pool.query('SELECT enquiry_message_id FROM movements WHERE mrn = $1', [mrn]);
    expect(enquiryAtAz.rows[0]).toEqual({ enquiry_message_id: null });
  });

  it('refuses guarantee messages (IE203/IE205/IE209) about guarantees or movements of another country, changing nothing', async () => {
    const { mrn } = await released();
    const before = await snapshot(mrn);
    const toGe: [string, string] = ['GE', guaranteeOffice('GE')!];
    const toKz: [string, string] = ['KZ', guaranteeOffice('KZ')!];
    const kzGrn = testGrn('KZ');
    const reference = { accessCode: 'AB12', type: '1', share: { amount: 100, currency: 'USD' } };
    const use = (grns: string[]) => ({
      requestedAt: now(),
      officeOfDeparture: 'GE000010',
      holder: trader.tin,
      references: grns.map((g) => ({ grn: g, ...reference })),
    });
    // A request to reserve GE's guarantee sent to KZ, which does not hold it.
    await refusedByIce(raw.GE, envelope('IE203', ['GE', 'GE000010'], toKz, mrn, use([grn])), 'GRN_COUNTRY_MISMATCH');
    // KZ asking GE to reserve for a movement GE allocated: only the country of departure asks.
    await refusedByIce(raw.KZ, envelope('IE203', ['KZ', 'KZ000010'], toGe, mrn, use([grn])), 'MRN_COUNTRY_MISMATCH');
    // An answer naming GE's guarantee from KZ: only the guarantee's country answers for it.
    const answer = (g: string) => ({
      answeredAt: now(),
      accepted: true,
      reservations: [{ grn: g, amount: 100, currency: 'USD' }],
    });
    await refusedByIce(raw.KZ, envelope('IE205', toKz, toGe, mrn, answer(grn)), 'GRN_COUNTRY_MISMATCH');
    // KZ answering for its own guarantee about a movement that asked KZ nothing.
    await rejectedByNode(raw.KZ, envelope('IE205', toKz, toGe, mrn, answer(kzGrn)), 'SENDER_NOT_DESIGNATED');
    // Giving back or charging the uses of GE's movement: only GE, its country of departure.
    await refusedByIce(
      raw.KZ,
      envelope('IE209', ['KZ', 'KZ000010'], toGe, mrn, { creditedAt: now(), outcome: 'recovered' }),
      'MRN_COUNTRY_MISMATCH',
    );
    expect(await snapshot(mrn)).toEqual(before);
  });

  it('applies the same messages from the designated offices: the movement reaches write-off', async () => {
    const { mrn } = await released();
    const officerAt = client(az, officer.token);
    expect((await officerAt.post(`/v1/movements/${mrn}/crossing`, { office: 'AZ000210' })).body.state).toBe(
      'IN_TRANSIT',
    );
    await expect.poll(() => stateAt(ge, mrn), { timeout: 15_000 }).toBe('IN_TRANSIT');
    expect((await officerAt.post(`/v1/movements/${mrn}/arrival`, { office: 'AZ000100' })).body.state).toBe('ARRIVED');
    expect(
      (await officerAt.post(`/v1/movements/${mrn}/control-results`, { office: 'AZ000100', conform: true })).body.state,
    ).toBe('CONTROLLED');
    await expect.poll(() => stateAt(ge, mrn), { timeout: 15_000 }).toBe('WRITTEN_OFF');
    await expect.poll(() => stateAt(az, mrn), { timeout: 15_000 }).toBe('WRITTEN_OFF');
  });

  it('counts the rejections at the node and at ICE, by type and code', async () => {
    const geMetrics = await (await fetch(`${ge.url}/metrics`)).text();
    expect(geMetrics).toMatch(
      /cats_c2c_rejected_total\{[^}]*type="IE006"[^}]*code="SENDER_NOT_DESIGNATED"[^}]*\} [1-9]/,
    );
    const iceMetrics = await (await fetch(`${ice.httpUrl}/metrics`)).text();
    expect(iceMetrics).toMatch(
      /ice_messages_rejected_total\{type="IE018",code="SENDER_NOT_IN_EXCHANGE",sender_country="CN",recipient_country="GE"\} 1/,
    );
    expect(iceMetrics).toMatch(/ice_frames_refused_total\{code="MRN_COUNTRY_MISMATCH"\} [1-9]/);
  });
});
