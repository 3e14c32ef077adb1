// What ICE can judge of a message's sender without the movement, for every
// message type: its own office in the body, the MRN's country.
import { describe, expect, it } from 'vitest';
import { iceMessageTypes, senderProblems, senderRules } from './catalogue.ts';

const at = '2026-11-23T10:00:00.000Z';
const geMrn = '26GE0000000000001J0';
const azMrn = '26AZ0000000000001J0';
const released = (departure: string) => ({
  declaration: { offices: { departure, transit: ['AZ000210'], destination: 'AZ000100' } },
  acceptedAt: at,
  releasedAt: at,
  officeOfDeparture: departure,
});
const addressed = (type: string, from: string, to: string, mrn: string, body: Record<string, unknown>) => ({
  type: type as (typeof iceMessageTypes)[number],
  mrn,
  sender: { country: from.slice(0, 2), office: from },
  recipient: { country: to.slice(0, 2), office: to },
  body,
});
const codes = (m: ReturnType<typeof addressed>) => senderProblems(m).map((p) => `${p.code} ${p.pointer}`);

describe('designated senders', () => {
  it("lets only the guarantee's country answer for its GRNs, and asks only it to reserve them", () => {
    const use = { requestedAt: at, officeOfDeparture: 'GE000010', holder: 'GE1', references: [] as object[] };
    const ref = (grn: string) => ({ grn, accessCode: 'AB12', type: '1', share: { amount: 1, currency: 'KZT' } });
    const kzGrn = '26KZ0000000000017';
    expect(codes(addressed('IE203', 'GE000010', 'KZ000010', geMrn, { ...use, references: [ref(kzGrn)] }))).toEqual([]);
    expect(
      codes(
        addressed('IE203', 'GE000010', 'KZ000010', geMrn, {
          ...use,
          references: [ref(kzGrn), ref(azMrn.slice(0, 17))],
        }),
      ),
    ).toEqual(['GRN_COUNTRY_MISMATCH /message/body/references/1/grn']);
    const answer = (grn: string) => ({
      answeredAt: at,
      accepted: true,
      reservations: [{ grn, amount: 1, currency: 'KZT' }],
    });
    expect(codes(addressed('IE205', 'KZ000010', 'GE000010', geMrn, answer(kzGrn)))).toEqual([]);
    // AZ answering for a KZ guarantee, and about a movement that is not the recipient's.
    expect(codes(addressed('IE205', 'AZ000100', 'GE000010', geMrn, answer(kzGrn)))).toEqual([
      'GRN_COUNTRY_MISMATCH /message/body/reservations/0/grn',
    ]);
    expect(codes(addressed('IE205', 'KZ000010', 'GE000010', azMrn, answer(kzGrn)))).toEqual([
      'MRN_COUNTRY_MISMATCH /message/mrn',
    ]);
    expect(codes(addressed('IE209', 'AZ000100', 'KZ000010', geMrn, { creditedAt: at, outcome: 'discharged' }))).toEqual(
      ['MRN_COUNTRY_MISMATCH /message/mrn'],
    );
  });

  it('has a rule for every message of the catalogue', () => {
    expect(Object.keys(senderRules).sort()).toEqual([...iceMessageTypes].sort());
  });

  it('accepts each message from its designated office, with the MRN of the country that allocated it', () => {
    const ok = [
      addressed('IE001', 'GE000010', 'AZ000100', geMrn, { ...released('GE000010'), officeOfDestination: 'AZ000100' }),
      addressed('IE050', 'GE000010', 'AZ000210', geMrn, { ...released('GE000010'), officeOfTransit: 'AZ000210' }),
      addressed('IE045', 'GE000010', 'AZ000100', geMrn, { writtenOffAt: at, outcome: 'discharged' }),
      addressed('IE118', 'AZ000210', 'GE000010', geMrn, { officeOfTransit: 'AZ000210', crossedAt: at }),
      addressed('IE006', 'AZ000100', 'GE000010', geMrn, { officeOfDestination: 'AZ000100', arrivedAt: at }),
      addressed('IE018', 'AZ000100', 'GE000010', geMrn, { officeOfDestination: 'AZ000100', conform: true }),
    ];
    for (const m of ok) expect(codes(m), m.type).toEqual([]);
  });

  it('refuses a body naming another office than the sender or recipient, and an MRN of the wrong country', () => {
    expect(
      codes(addressed('IE006', 'CN000100', 'GE000010', geMrn, { officeOfDestination: 'AZ000100', arrivedAt: at })),
    ).toEqual(['SENDER_NOT_DESIGNATED /message/body/officeOfDestination']);
    expect(
      codes(addressed('IE118', 'AZ000100', 'GE000010', azMrn, { officeOfTransit: 'AZ000210', crossedAt: at })),
    ).toEqual(['MRN_COUNTRY_MISMATCH /message/mrn', 'SENDER_NOT_DESIGNATED /message/body/officeOfTransit']);
    expect(codes(addressed('IE045', 'KZ000010', 'AZ000100', geMrn, { writtenOffAt: at }))).toEqual([
      'MRN_COUNTRY_MISMATCH /message/mrn',
    ]);
    expect(
      codes(
        addressed('IE001', 'GE000010', 'AZ000210', geMrn, { ...released('GE069002'), officeOfDestination: 'AZ000100' }),
      ),
    ).toEqual([
      'SENDER_NOT_DESIGNATED /message/body/officeOfDeparture',
      'SENDER_NOT_DESIGNATED /message/body/officeOfDestination',
      'SENDER_NOT_DESIGNATED /message/body/declaration/offices/departure',
      'SENDER_NOT_DESIGNATED /message/body/officeOfDestination',
    ]);
  });
});
