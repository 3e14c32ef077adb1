// Admin bulk seeding of parties, officers and guarantees with known tokens and
// GRNs (idempotent upsert), so a generated data set and a deployment agree.
import { Type, type Static } from '@sinclair/typebox';
import { CountryCode, CurrencyCode, Grn, GuaranteeType, OfficeReference, Tin } from './ctd.ts';
import { GuaranteeLevel, Guarantor, Money } from './guarantees.ts';

const Token = Type.String({ minLength: 16, maxLength: 256, pattern: '^[A-Za-z0-9._~+/=-]+$' });

export const Fixtures = Type.Object(
  {
    operators: Type.Optional(
      Type.Array(
        Type.Object(
          {
            tin: Tin,
            name: Type.String({ minLength: 1, maxLength: 70 }),
            country: CountryCode,
            aeo: Type.Boolean(),
            token: Token,
          },
          { additionalProperties: false },
        ),
        { maxItems: 10000 },
      ),
    ),
    officers: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
            name: Type.String({ minLength: 1, maxLength: 70 }),
            offices: Type.Array(OfficeReference, { minItems: 1, maxItems: 50 }),
            token: Token,
          },
          { additionalProperties: false },
        ),
        { maxItems: 1000 },
      ),
    ),
    guarantees: Type.Optional(
      Type.Array(
        Type.Object(
          {
            grn: Grn,
            accessCode: Type.String({ pattern: '^[A-Za-z0-9]{4}$' }),
            holderTin: Tin,
            type: GuaranteeType,
            referenceAmount: Money,
            currency: CurrencyCode,
            level: GuaranteeLevel,
            guarantor: Guarantor,
          },
          { additionalProperties: false },
        ),
        { maxItems: 10000 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const FixturesApplied = Type.Object({
  operators: Type.Integer(),
  officers: Type.Integer(),
  guarantees: Type.Integer(),
});

export type Fixtures = Static<typeof Fixtures>;
