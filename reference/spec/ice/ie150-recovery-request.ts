import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE150 = iceMessage(
  'IE150',
  'Request On Recovery (CD150C)',
  'Departure → the country where the debt is deemed incurred, for a movement that did not arrive.',
  Type.Object(
    {
      requestedAt: Timestamp,
      reason: Type.String({ minLength: 1, maxLength: 512 }),
      amountClaimed: Type.Object(
        { amount: Type.Integer({ minimum: 0, description: 'minor units' }), currency: CurrencyCode },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
);
export type IE150 = Static<typeof IE150>;
