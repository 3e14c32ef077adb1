// Every catalogue message validates in its documented shape and is refused,
// with pointers, when it strays from it.
import { describe, expect, it } from 'vitest';
import { iceMessageSchemas, iceMessageTypes } from './catalogue.ts';
import { validateIceMessage } from './validate.ts';
import { domesticCtd } from '../../cats/testing/node-harness.ts';

const at = '2026-11-23T10:00:00.000Z';
const envelope = (type: string, body: unknown, extra: Record<string, unknown> = {}) => ({
  id: '0b7e4a52-9f5e-4c1a-8d2e-3f4a5b6c7d8e',
  type,
  sender: { country: 'GE', office: 'GE000010' },
  recipient: { country: 'AZ', office: 'AZ000100' },
  mrn: '23GB000246IF9W5YJ0',
  sentAt: at,
  body,
  ...extra,
});

const lodged = domesticCtd({ lrn: 'L1', holderTin: 'GE123456789', grn: '26GE0000000000001' });
const released = {
  // Anticipated records carry the declaration without access codes.
  declaration: {
    ...lodged,
    guarantees: lodged.guarantees.map((g) => ({
      ...g,
      references: g.references.map(({ grn, amountToBeCovered, currency }) => ({ grn, amountToBeCovered, currency })),
    })),
  },
  acceptedAt: at,
  releasedAt: at,
  officeOfDeparture: 'GE000010',
};
const bodies: Record<string, unknown> = {
  IE001: { ...released, officeOfDestination: 'AZ000100' },
  IE050: { ...released, officeOfTransit: 'AZ000100' },
  IE118: { officeOfTransit: 'AZ000100', crossedAt: at },
  IE006: { officeOfDestination: 'AZ000100', arrivedAt: at },
  IE018: { officeOfDestination: 'AZ000100', controlledAt: at, conform: true },
  IE045: { writtenOffAt: at, outcome: 'discharged' },
  IE010: { invalidatedAt: at, reason: 'goods not presented under the declared seals' },
  IE114: { officeOfTransit: 'AZ000210', requestedAt: at },
  IE115: { ...released, officeOfTransit: 'AZ000100' },
  IE002: { officeOfDestination: 'AZ000100', requestedAt: at },
  IE003: { ...released, officeOfDestination: 'AZ000100' },
  IE024: { actualOfficeOfDestination: 'AZ000210', arrivedAt: at },
  IE180: { officeOfIncident: 'AZ000100', kind: 'seal-broken', occurredAt: at, description: 'seal 1234 broken' },
  IE142: { requestedAt: at, officeConcerned: 'AZ000100', replyBy: at },
  IE143: { respondedAt: at, goodsArrived: false },
  IE150: {
    requestedAt: at,
    reason: 'not arrived within the time limit',
    amountClaimed: { amount: 55000, currency: 'GEL' },
  },
  IE152: { notifiedAt: at, recoveryAccepted: true },
  IE203: {
    requestedAt: at,
    officeOfDeparture: 'GE000010',
    holder: 'GE123456789',
    references: [
      { grn: '26AZ0000000000001', accessCode: 'AB12', type: '1', share: { amount: 120000, currency: 'AZN' } },
    ],
  },
  IE205: {
    answeredAt: at,
    accepted: true,
    reservations: [{ grn: '26AZ0000000000001', amount: 60000, currency: 'AZN' }],
  },
  IE204: { cancelledAt: at, reason: 'cancelled by the holder' },
  IE209: { creditedAt: at, outcome: 'discharged' },
};

describe('ICE message catalogue', () => {
  it('has one schema per message, each a JSON Schema named after its type', () => {
    expect(iceMessageTypes.sort()).toEqual(Object.keys(bodies).sort());
    for (const t of iceMessageTypes) {
      const schema = JSON.parse(JSON.stringify(iceMessageSchemas[t]));
      expect(schema).toMatchObject({ $id: t, type: 'object', additionalProperties: false });
      expect(schema.required).toEqual(
        expect.arrayContaining(['id', 'type', 'sender', 'recipient', 'mrn', 'sentAt', 'body']),
      );
    }
  });

  it.each(Object.entries(bodies))('accepts a well-formed %s', (type, body) => {
    expect(validateIceMessage(envelope(type, body))).toHaveProperty('message');
  });

  it('refuses unknown types, stray fields and bad envelope values, each with a pointer', () => {
    expect(validateIceMessage(envelope('IE999', {}))).toEqual({
      errors: [expect.objectContaining({ code: 'SCHEMA_VIOLATION', pointer: '/type' })],
    });
    const stray = validateIceMessage(envelope('IE118', { ...(bodies.IE118 as object), note: 'x' }), '/message');
    expect(stray).toHaveProperty('errors');
    expect((stray as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toContain('/message/body/note');
    const bad = validateIceMessage(
      envelope('IE118', bodies.IE118, { id: 'not-a-uuid', mrn: 'X', sentAt: 'yesterday' }),
    );
    expect((bad as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/id', '/mrn', '/sentAt']),
    );
    expect(validateIceMessage([])).toEqual({ errors: [expect.objectContaining({ pointer: '' })] });
  });
});
