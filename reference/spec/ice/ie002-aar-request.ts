import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE002 = iceMessage(
  'IE002',
  'AAR Request (CD002C)',
  'An office of destination the declaration does not name, where the goods are presented (diversion) → ' +
    'departure: asks for the anticipated arrival record.',
  Type.Object({ officeOfDestination: OfficeReference, requestedAt: Timestamp }, { additionalProperties: false }),
);
export type IE002 = Static<typeof IE002>;
