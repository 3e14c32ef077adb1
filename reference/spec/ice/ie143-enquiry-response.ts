import { Type, type Static } from '@sinclair/typebox';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE143 = iceMessage(
  'IE143',
  'Enquiry Response (CD143C)',
  'Office enquired → departure, answering an IE142 (correlationId = its id).',
  Type.Object(
    {
      respondedAt: Timestamp,
      goodsArrived: Type.Boolean(),
      arrivedAt: Type.Optional(Timestamp),
      information: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
);
export type IE143 = Static<typeof IE143>;
