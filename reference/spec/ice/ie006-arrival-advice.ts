import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE006 = iceMessage(
  'IE006',
  'Arrival Advice (CD006C)',
  'Destination → departure, when the goods are presented at the office of destination.',
  Type.Object({ officeOfDestination: OfficeReference, arrivedAt: Timestamp }, { additionalProperties: false }),
);
export type IE006 = Static<typeof IE006>;
