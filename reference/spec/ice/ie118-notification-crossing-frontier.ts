import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE118 = iceMessage(
  'IE118',
  'Notification Crossing Frontier (CD118C)',
  'Office of transit → departure, when the goods pass the office of transit.',
  Type.Object({ officeOfTransit: OfficeReference, crossedAt: Timestamp }, { additionalProperties: false }),
);
export type IE118 = Static<typeof IE118>;
