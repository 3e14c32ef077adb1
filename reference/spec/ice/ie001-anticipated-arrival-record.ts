import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference, RecordedCtd } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

/**
 * Data both anticipated records carry: the released declaration and its release.
 * As in NCTS, no guarantee access code: a code travels between countries only in
 * a guarantee-use message, never to offices of transit or destination.
 */
export const ReleasedMovement = {
  declaration: RecordedCtd,
  acceptedAt: Timestamp,
  releasedAt: Timestamp,
  officeOfDeparture: OfficeReference,
};

export const IE001 = iceMessage(
  'IE001',
  'Anticipated Arrival Record (CD001C)',
  'Departure → declared office of destination, on release for transit.',
  Type.Object({ ...ReleasedMovement, officeOfDestination: OfficeReference }, { additionalProperties: false }),
);
export type IE001 = Static<typeof IE001>;
