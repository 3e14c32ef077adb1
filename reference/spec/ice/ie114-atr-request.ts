import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE114 = iceMessage(
  'IE114',
  'ATR Request (CD114C)',
  'An office of transit the declaration does not name, where the goods are presented (diversion) → departure: ' +
    'asks for the anticipated transit record.',
  Type.Object({ officeOfTransit: OfficeReference, requestedAt: Timestamp }, { additionalProperties: false }),
);
export type IE114 = Static<typeof IE114>;
