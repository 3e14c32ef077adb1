// The guarantee's country answers IE203: every guarantee reserved at its level,
// or none, with the first reason of refusal (the IE055 codes of a local lodging).
import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, Grn } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE205 = iceMessage(
  'IE205',
  'Guarantee Use Result (CD205, CATS cross-border guarantee)',
  'Office of guarantee → departure, answering an IE203 (correlationId = its id): reserved, or refused with a reason.',
  Type.Object(
    {
      answeredAt: Timestamp,
      accepted: Type.Boolean(),
      reservations: Type.Array(
        Type.Object(
          {
            grn: Grn,
            amount: Type.Integer({ minimum: 0, description: 'minor units reserved, at the guarantee level' }),
            currency: CurrencyCode,
          },
          { additionalProperties: false },
        ),
        { maxItems: 9, description: 'What each guarantee reserved (empty when refused)' },
      ),
      refusal: Type.Optional(
        Type.Object(
          {
            grn: Grn,
            code: Type.Union(
              [
                'GUARANTEE_NOT_FOUND',
                'GUARANTEE_NOT_ACTIVE',
                'GUARANTEE_ACCESS_CODE',
                'GUARANTEE_CURRENCY_MISMATCH',
                'GUARANTEE_TYPE_MISMATCH',
                'GUARANTEE_ALREADY_USED',
                'GUARANTEE_INSUFFICIENT',
              ].map((c) => Type.Literal(c)),
            ),
            message: Type.String({ maxLength: 512 }),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
);
export type IE205 = Static<typeof IE205>;
