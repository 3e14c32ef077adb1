import { Type, type Static } from '@sinclair/typebox';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE010 = iceMessage(
  'IE010',
  'Invalidation Notification (CD010C)',
  'Departure → every office already sent IE001/IE050, when customs invalidates the declaration after release.',
  Type.Object(
    { invalidatedAt: Timestamp, reason: Type.String({ minLength: 1, maxLength: 512 }) },
    { additionalProperties: false },
  ),
);
export type IE010 = Static<typeof IE010>;
