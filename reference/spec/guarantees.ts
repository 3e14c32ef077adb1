// C2B schemas for guarantees. Amounts are decimal in the guarantee's currency
// (two decimals); the node keeps integer minor units.
import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, Grn, GuaranteeType, Tin } from './ctd.ts';

export const GuaranteeStatus = Type.Union([Type.Literal('PENDING'), Type.Literal('ACTIVE'), Type.Literal('SUSPENDED')]);

export const Money = Type.Number({ minimum: 0, maximum: 1e12, description: 'Decimal amount; kept to the cent' });

export const GuaranteeRegistration = Type.Object(
  {
    type: GuaranteeType,
    referenceAmount: Money,
    currency: CurrencyCode,
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
});

export const AccessCode = Type.String({ pattern: '^[A-Z0-9]{4}$' });

/** A new access code, shown to the holder this once: the node keeps only its digest. */
export const AccessCodeIssued = Type.Object({
  grn: Grn,
  accessCode: AccessCode,
  issuedAt: Type.String({ format: 'date-time' }),
});

export const GrnParams = Type.Object({ grn: Grn });

export type GuaranteeRegistration = Static<typeof GuaranteeRegistration>;
export type Guarantee = Static<typeof Guarantee>;
export type AccessCodeIssued = Static<typeof AccessCodeIssued>;
