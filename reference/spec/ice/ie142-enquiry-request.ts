import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE142 = iceMessage(
  'IE142',
  'Enquiry Request (CD142C)',
  'Departure → declared destination (or last office of transit) when no arrival advice came in time.',
  Type.Object(
    {
      requestedAt: Timestamp,
      officeConcerned: OfficeReference,
      replyBy: Timestamp,
      information: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
);
export type IE142 = Static<typeof IE142>;
