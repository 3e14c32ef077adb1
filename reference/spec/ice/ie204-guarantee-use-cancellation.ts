// The movement will not be released (cancelled, refused, or no answer in time):
// the guarantee's country gives back whatever IE203 reserved (NCTS IE204).
import { Type, type Static } from '@sinclair/typebox';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE204 = iceMessage(
  'IE204',
  'Guarantee Use Cancellation (CD204, CATS cross-border guarantee)',
  'Departure → the office of guarantee an IE203 went to, once the movement ends before release.',
  Type.Object(
    { cancelledAt: Timestamp, reason: Type.String({ minLength: 1, maxLength: 512 }) },
    { additionalProperties: false },
  ),
);
export type IE204 = Static<typeof IE204>;
