// C2B schemas for guarantees. Amounts are decimal in the guarantee's currency
// (two decimals); the node keeps integer minor units.
import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, Grn, GuaranteeType, Tin } from './ctd.ts';

export const GuaranteeStatus = Type.Union([Type.Literal('PENDING'), Type.Literal('ACTIVE'), Type.Literal('SUSPENDED')]);

export const Money = Type.Number({ minimum: 0, maximum: 1e12, description: 'Decimal amount; kept to the cent' });

/** The insurer or bank that stands behind a guarantee. */
export const Guarantor = Type.Object(
  {
    kind: Type.Union([Type.Literal('bank'), Type.Literal('insurer')]),
    identificationNumber: Tin,
    name: Type.String({ minLength: 1, maxLength: 70 }),
  },
  { additionalProperties: false },
);

export const GuaranteeRegistration = Type.Object(
  {
    type: GuaranteeType,
    referenceAmount: Money,
    currency: CurrencyCode,
    guarantor: Guarantor,
  },
  { additionalProperties: false },
);

export const GuaranteeLevel = Type.Union([Type.Literal(100), Type.Literal(50), Type.Literal(25)], {
  description: 'Percent of the amount due reserved on the guarantee for each movement',
});

/** Customs approves a guarantee at a level; without one, at the proposal of the AEO rule. */
export const GuaranteeApproval = Type.Object(
  {
    level: Type.Optional(GuaranteeLevel),
  },
  { additionalProperties: false },
);

/** A guarantee as anyone allowed to read it sees it: never its access code. */
export const Guarantee = Type.Object({
  grn: Grn,
  holderTin: Tin,
  type: GuaranteeType,
  status: GuaranteeStatus,
  currency: CurrencyCode,
  referenceAmount: Type.Number(),
  reserved: Type.Number({ description: 'Exposure: amounts reserved by released, not yet written-off movements' }),
  available: Type.Number(),
  openMovements: Type.Integer({ description: 'Movements currently holding a reservation' }),
  level: Type.Union([GuaranteeLevel, Type.Null()], { description: 'Set by customs at approval; null while pending' }),
  proposedLevel: GuaranteeLevel,
  guarantor: Type.Union([Guarantor, Type.Null()]),
  usedBy: Type.Union([Type.String(), Type.Null()], {
    description: 'Individual guarantees (types 2, 4): the one movement it serves, once used',
  }),
});

/** What a guarantor stands behind: per guarantee it backs, and per currency. */
export const GuarantorExposure = Type.Object({
  guarantor: Tin,
  guarantees: Type.Array(
    Type.Object({
      grn: Grn,
      holderTin: Tin,
      type: GuaranteeType,
      status: GuaranteeStatus,
      currency: CurrencyCode,
      referenceAmount: Type.Number(),
      reserved: Type.Number(),
      available: Type.Number(),
      openMovements: Type.Integer(),
    }),
  ),
  totals: Type.Array(
    Type.Object({
      currency: CurrencyCode,
      referenceAmount: Type.Number(),
      reserved: Type.Number(),
      available: Type.Number(),
    }),
  ),
});

export const AccessCode = Type.String({ pattern: '^[A-Z0-9]{4}$' });

/** A new access code, shown to the holder this once: the node keeps only its digest. */
export const AccessCodeIssued = Type.Object({
  grn: Grn,
  accessCode: AccessCode,
  issuedAt: Type.String({ format: 'date-time' }),
});

export const GrnParams = Type.Object({ grn: Grn });
export const GuarantorParams = Type.Object({ tin: Tin });

export type GuaranteeRegistration = Static<typeof GuaranteeRegistration>;
export type Guarantee = Static<typeof Guarantee>;
export type GuarantorExposure = Static<typeof GuarantorExposure>;
export type AccessCodeIssued = Static<typeof AccessCodeIssued>;
