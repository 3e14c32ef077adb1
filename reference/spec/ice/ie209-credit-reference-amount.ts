// The movement is over after release: the guarantee's country gives the
// reservation back (discharged, invalidated) or charges it (recovered), NCTS IE209.
import { Type, type Static } from '@sinclair/typebox';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE209 = iceMessage(
  'IE209',
  'Credit Reference Amount (CD209, CATS cross-border guarantee)',
  'Departure → the office of guarantee, at write-off, invalidation or the end of recovery.',
  Type.Object(
    {
      creditedAt: Timestamp,
      outcome: Type.Union([Type.Literal('discharged'), Type.Literal('invalidated'), Type.Literal('recovered')], {
        description: 'discharged or invalidated: the amount is given back; recovered: it paid the debt',
      }),
    },
    { additionalProperties: false },
  ),
);
export type IE209 = Static<typeof IE209>;
