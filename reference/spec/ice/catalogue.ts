// The C2C message catalogue of spec v0: every message ICE carries, by type.
import { Type, type Static } from '@sinclair/typebox';
import { IE001 } from './ie001-anticipated-arrival-record.ts';
import { IE002 } from './ie002-aar-request.ts';
import { IE003 } from './ie003-aar-response.ts';
import { IE006 } from './ie006-arrival-advice.ts';
import { IE010 } from './ie010-invalidation-notification.ts';
import { IE018 } from './ie018-destination-control-results.ts';
import { IE024 } from './ie024-forwarded-arrival-advice.ts';
import { IE045 } from './ie045-write-off-notification.ts';
import { IE050 } from './ie050-anticipated-transit-record.ts';
import { IE114 } from './ie114-atr-request.ts';
import { IE115 } from './ie115-atr-response.ts';
import { IE118 } from './ie118-notification-crossing-frontier.ts';
import { IE180 } from './ie180-incident-notification.ts';
import { IE142 } from './ie142-enquiry-request.ts';
import { IE143 } from './ie143-enquiry-response.ts';
import { IE150 } from './ie150-recovery-request.ts';
import { IE152 } from './ie152-recovery-notification.ts';
import { IE203 } from './ie203-guarantee-use.ts';
import { IE204 } from './ie204-guarantee-use-cancellation.ts';
import { IE205 } from './ie205-guarantee-use-result.ts';
import { IE209 } from './ie209-credit-reference-amount.ts';

export const iceMessageSchemas = {
  IE001,
  IE050,
  IE118,
  IE006,
  IE018,
  IE045,
  IE010,
  IE114,
  IE115,
  IE002,
  IE003,
  IE024,
  IE142,
  IE143,
  IE150,
  IE152,
  IE180,
  IE203,
  IE205,
  IE204,
  IE209,
} as const;

export type IceMessageType = keyof typeof iceMessageSchemas;
export const iceMessageTypes = Object.keys(iceMessageSchemas) as IceMessageType[];

export const IceMessage = Type.Union(Object.values(iceMessageSchemas));
export type IceMessage = Static<typeof IceMessage>;
/** The message of one type. */
export type IceMessageOf<T extends IceMessageType> = Extract<IceMessage, { type: T }>;

/**
 * Who may send each message (designated-senders.ts): IE001/IE050/IE045/IE010/IE142/IE150
 * only the office of departure, in the country the MRN names; IE118 only a declared
 * office of transit; IE006/IE018/IE143 only the office of destination; IE152 only the
 * office IE150 asked to recover the debt; the answers carry an MRN of the
 * recipient's country. IE203/IE204/IE209 go from departure to the office of guarantee of
 * the country that registered the GRNs (every GRN in an IE203 names the recipient's
 * country), and only that country answers IE205 (every GRN in it names the sender's). IE114/IE002 come from an office the declaration does not
 * name (diversion): any office of the sender's country with the role, answered by
 * departure with IE115/IE003, which makes it an office of the movement. IE180 comes
 * from the competent office of the country where an incident happened: any office
 * of a country of the exchange. ICE refuses at submission what it can judge
 * without the movement (body offices that are not the envelope's, the MRN's
 * country); the receiving node checks the rest against its record of the movement
 * and acknowledges a message from any other office as rejected.
 */
export { senderRules, senderProblems } from './designated-senders.ts';
