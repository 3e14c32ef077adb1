// Who may send each C2C message: the office the movement designates for it.
// One table for ICE (which checks what it can without movement state) and the
// nodes (which check the rest against their own record of the movement);
// a new message type gets its row here.
import type { IceMessageType } from './catalogue.ts';

/**
 * Offices a movement designates; 'recovery' is the country asked to recover the debt; 'actual' an
 * office the declaration does not name where the goods are presented (diversion), asking for the record;
 * 'guarantee' the office of guarantee of the country that registered the movement's guarantees.
 */
export type MovementOffice = 'departure' | 'transit' | 'destination' | 'recovery' | 'actual' | 'guarantee';
type OfficeField = 'officeOfDeparture' | 'officeOfTransit' | 'officeOfDestination' | 'officeOfIncident';

export interface SenderRule {
  /** The office of the movement that sends the message. */
  sender: MovementOffice;
  /** The offices it goes to. */
  recipients: readonly MovementOffice[];
  /**
   * Whose country the MRN must name: 'sender' for the messages only the country of
   * departure (which allocated the MRN) sends, 'recipient' for those sent back to it.
   */
  mrnCountry: 'sender' | 'recipient';
  /** Body field naming the sending office: it must be the envelope's sender office. */
  senderField?: OfficeField;
  /** Body field naming the receiving office: it must be the envelope's recipient office. */
  recipientField?: OfficeField;
  /** Whose country every GRN of the body must name: the guarantee's country is the only one that reserves on it. */
  grnCountry?: 'sender' | 'recipient';
}

export const senderRules: Readonly<Record<IceMessageType, SenderRule>> = {
  IE001: {
    sender: 'departure',
    recipients: ['destination'],
    mrnCountry: 'sender',
    senderField: 'officeOfDeparture',
    recipientField: 'officeOfDestination',
  },
  IE050: {
    sender: 'departure',
    recipients: ['transit'],
    mrnCountry: 'sender',
    senderField: 'officeOfDeparture',
    recipientField: 'officeOfTransit',
  },
  IE118: { sender: 'transit', recipients: ['departure'], mrnCountry: 'recipient', senderField: 'officeOfTransit' },
  IE006: {
    sender: 'destination',
    recipients: ['departure'],
    mrnCountry: 'recipient',
    senderField: 'officeOfDestination',
  },
  IE018: {
    sender: 'destination',
    recipients: ['departure'],
    mrnCountry: 'recipient',
    senderField: 'officeOfDestination',
  },
  IE045: { sender: 'departure', recipients: ['transit', 'destination'], mrnCountry: 'sender' },
  IE010: { sender: 'departure', recipients: ['transit', 'destination'], mrnCountry: 'sender' },
  IE114: { sender: 'actual', recipients: ['departure'], mrnCountry: 'recipient', senderField: 'officeOfTransit' },
  IE115: {
    sender: 'departure',
    recipients: ['actual'],
    mrnCountry: 'sender',
    senderField: 'officeOfDeparture',
    recipientField: 'officeOfTransit',
  },
  IE002: { sender: 'actual', recipients: ['departure'], mrnCountry: 'recipient', senderField: 'officeOfDestination' },
  IE003: {
    sender: 'departure',
    recipients: ['actual'],
    mrnCountry: 'sender',
    senderField: 'officeOfDeparture',
    recipientField: 'officeOfDestination',
  },
  IE024: { sender: 'departure', recipients: ['destination'], mrnCountry: 'sender' },
  IE180: { sender: 'actual', recipients: ['departure'], mrnCountry: 'recipient', senderField: 'officeOfIncident' },
  IE142: { sender: 'departure', recipients: ['destination', 'transit'], mrnCountry: 'sender' },
  IE143: { sender: 'destination', recipients: ['departure'], mrnCountry: 'recipient' },
  IE150: { sender: 'departure', recipients: ['recovery'], mrnCountry: 'sender' },
  IE152: { sender: 'recovery', recipients: ['departure'], mrnCountry: 'recipient' },
  IE203: {
    sender: 'departure',
    recipients: ['guarantee'],
    mrnCountry: 'sender',
    senderField: 'officeOfDeparture',
    grnCountry: 'recipient',
  },
  IE205: { sender: 'guarantee', recipients: ['departure'], mrnCountry: 'recipient', grnCountry: 'sender' },
  IE204: { sender: 'departure', recipients: ['guarantee'], mrnCountry: 'sender' },
  IE209: { sender: 'departure', recipients: ['guarantee'], mrnCountry: 'sender' },
};

/** The ISO country code a GRN names (positions 3-4). */
export const grnCountry = (grn: string): string => grn.slice(2, 4);

/** The GRNs a message body names, with their pointers (IE203 references, IE205 reservations and refusal). */
function bodyGrns(body: Record<string, unknown>): { grn: string; pointer: string }[] {
  const listed = (key: string) =>
    Array.isArray(body[key])
      ? (body[key] as { grn?: unknown }[]).flatMap((r, i) =>
          typeof r?.grn === 'string' ? [{ grn: r.grn, pointer: `/message/body/${key}/${i}/grn` }] : [],
        )
      : [];
  const refusal = (body.refusal as { grn?: unknown } | undefined)?.grn;
  return [
    ...listed('references'),
    ...listed('reservations'),
    ...(typeof refusal === 'string' ? [{ grn: refusal, pointer: '/message/body/refusal/grn' }] : []),
  ];
}

/** The ISO country code an MRN names (positions 3-4). */
export const mrnCountry = (mrn: string): string => mrn.slice(2, 4);

export interface SenderProblem {
  code: 'SENDER_NOT_DESIGNATED' | 'MRN_COUNTRY_MISMATCH' | 'GRN_COUNTRY_MISMATCH';
  pointer: string;
  message: string;
}

interface Addressed {
  type: IceMessageType;
  mrn: string;
  sender: { country: string; office: string };
  recipient: { country: string; office: string };
  body: unknown;
}

/**
 * What can be judged of a message without the movement: the MRN names the
 * country that must, and the body's offices are the envelope's.
 */
export function senderProblems(m: Addressed): SenderProblem[] {
  const rule = senderRules[m.type];
  const problems: SenderProblem[] = [];
  const expected = rule.mrnCountry === 'sender' ? m.sender.country : m.recipient.country;
  if (mrnCountry(m.mrn) !== expected) {
    problems.push({
      code: 'MRN_COUNTRY_MISMATCH',
      pointer: '/message/mrn',
      message: `a ${m.type} is about a movement of the ${rule.mrnCountry} (${expected}); MRN ${m.mrn} names ${mrnCountry(m.mrn)}`,
    });
  }
  const body = m.body as Record<string, unknown>;
  if (rule.senderField && body[rule.senderField] !== m.sender.office) {
    problems.push({
      code: 'SENDER_NOT_DESIGNATED',
      pointer: `/message/body/${rule.senderField}`,
      message: `${rule.senderField} ${String(body[rule.senderField])} is not the sending office ${m.sender.office}`,
    });
  }
  if (rule.recipientField && body[rule.recipientField] !== m.recipient.office) {
    problems.push({
      code: 'SENDER_NOT_DESIGNATED',
      pointer: `/message/body/${rule.recipientField}`,
      message: `${rule.recipientField} ${String(body[rule.recipientField])} is not the receiving office ${m.recipient.office}`,
    });
  }
  if (rule.grnCountry) {
    const country = rule.grnCountry === 'sender' ? m.sender.country : m.recipient.country;
    for (const { grn, pointer } of bodyGrns(body))
      if (grnCountry(grn) !== country)
        problems.push({
          code: 'GRN_COUNTRY_MISMATCH',
          pointer,
          message: `a ${m.type} is about guarantees of the ${rule.grnCountry} (${country}); GRN ${grn} names ${grnCountry(grn)}`,
        });
  }
  const declared = (body.declaration as { offices?: { departure?: string; transit?: string[]; destination?: string } })
    ?.offices;
  if (!declared) return problems;
  if (declared.departure !== m.sender.office) {
    problems.push({
      code: 'SENDER_NOT_DESIGNATED',
      pointer: '/message/body/declaration/offices/departure',
      message: `the declaration's office of departure ${String(declared.departure)} is not the sending office ${m.sender.office}`,
    });
  }
  const addressed =
    rule.recipientField === 'officeOfDestination'
      ? declared.destination === m.recipient.office
      : rule.recipientField === 'officeOfTransit'
        ? (declared.transit ?? []).includes(m.recipient.office)
        : true;
  if (!addressed) {
    problems.push({
      code: 'SENDER_NOT_DESIGNATED',
      pointer: `/message/body/${rule.recipientField}`,
      message: `the declaration does not name ${m.recipient.office} as its ${rule.recipientField}`,
    });
  }
  return problems;
}
