// NCTS sends IE045 to the holder only (CC045C). CATS also tells the offices
// that received an anticipated record that the movement is discharged, so
// they can close it; IE010 (invalidation) would wrongly say the movement
// never validly existed, hence a common-domain IE045.
import { Type, type Static } from '@sinclair/typebox';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE045 = iceMessage(
  'IE045',
  'Write-Off Notification (CD045, CATS common-domain use)',
  'Departure → every office already sent IE001/IE050, once the movement is discharged and its guarantee released.',
  Type.Object(
    {
      writtenOffAt: Timestamp,
      outcome: Type.Union([Type.Literal('discharged'), Type.Literal('recovered')], {
        description: 'discharged after conform results, or closed after recovery',
      }),
    },
    { additionalProperties: false },
  ),
);
export type IE045 = Static<typeof IE045>;
