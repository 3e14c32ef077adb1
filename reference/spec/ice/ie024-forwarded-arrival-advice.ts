import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE024 = iceMessage(
  'IE024',
  'Forwarded Arrival Advice (CD024C)',
  'Departure → the declared office of destination, when the goods arrived at another one (diversion).',
  Type.Object({ actualOfficeOfDestination: OfficeReference, arrivedAt: Timestamp }, { additionalProperties: false }),
);
export type IE024 = Static<typeof IE024>;
