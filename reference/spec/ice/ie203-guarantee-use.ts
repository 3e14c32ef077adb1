// The office of departure asks the country that registered a guarantee to check
// it and reserve the movement's share on it (NCTS IE203 Guarantee Use, sent to
// the office of guarantee). The only message that carries access codes: the
// guarantee's country compares them with its digests and keeps nothing of them.
import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, Grn, GuaranteeType, OfficeReference, Tin } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE203 = iceMessage(
  'IE203',
  'Guarantee Use (CD203, CATS cross-border guarantee)',
  "Departure → the office of guarantee of the GRNs' country: check each guarantee and reserve its share, all or none; answered by IE205.",
  Type.Object(
    {
      requestedAt: Timestamp,
      officeOfDeparture: OfficeReference,
      holder: Tin,
      references: Type.Array(
        Type.Object(
          {
            grn: Grn,
            accessCode: Type.String({ pattern: '^[A-Za-z0-9]{4}$' }),
            type: GuaranteeType,
            share: Type.Object(
              {
                amount: Type.Integer({ minimum: 0, description: 'minor units, before the guarantee level' }),
                currency: CurrencyCode,
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 9, description: "One per GRN of the recipient's country, in CTD order" },
      ),
    },
    { additionalProperties: false },
  ),
);
export type IE203 = Static<typeof IE203>;
