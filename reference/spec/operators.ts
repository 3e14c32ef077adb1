// C2B schemas for CATS operators (traders) and their accounts.
import { Type, type Static } from '@sinclair/typebox';
import { CountryCode, Tin } from './ctd.ts';

export const OperatorStatus = Type.Union([Type.Literal('PENDING'), Type.Literal('ACTIVE'), Type.Literal('SUSPENDED')]);

export const OperatorRegistration = Type.Object(
  {
    tin: Tin,
    name: Type.String({ minLength: 1, maxLength: 70 }),
    country: CountryCode,
    aeo: Type.Optional(
      Type.Boolean({ description: 'Authorised Economic Operator status claimed; customs confirms at approval' }),
    ),
  },
  { additionalProperties: false },
);

export const Operator = Type.Object({
  tin: Tin,
  name: Type.String(),
  country: CountryCode,
  aeo: Type.Boolean(),
  status: OperatorStatus,
  releasedMovements: Type.Integer(),
});

export const OperatorRegistered = Type.Object({
  operator: Operator,
  token: Type.String({ description: 'Bearer token of the new account; shown once, stored only as a SHA-256 digest' }),
});

export const OperatorApproval = Type.Object(
  { aeo: Type.Optional(Type.Boolean({ description: 'AEO status as confirmed by customs' })) },
  { additionalProperties: false },
);

export const TinParams = Type.Object({ tin: Tin });

export type OperatorRegistration = Static<typeof OperatorRegistration>;
export type Operator = Static<typeof Operator>;
