// Audit routes of a national node: what a reconciliation after a run reads
// (every movement the node holds with its reservations, every guarantee's
// balance, the ledger of C2C messages it applied), for the deployment's
// auditor identity. Read only; amounts in minor units so sums are exact.
import { Type, type Static } from '@sinclair/typebox';
import { CountryCode, CurrencyCode, Grn, OfficeReference } from './ctd.ts';
import { Mrn } from './movements.ts';
import { MovementStateSchema } from './movement-state.ts';
import { MessageId } from './ice/envelope.ts';

export const Limit = Type.Optional(
  Type.String({ pattern: '^(1000|[1-9][0-9]{0,2})$', description: '1..1000, default 500' }),
);

export const AuditMovementsQuery = Type.Object(
  { limit: Limit, after: Type.Optional(Mrn) },
  { additionalProperties: false },
);

export const AuditMovement = Type.Object({
  mrn: Mrn,
  role: Type.Union([Type.Literal('departure'), Type.Literal('transit'), Type.Literal('destination')], {
    description: "This node's role for the movement",
  }),
  state: MovementStateSchema,
  offices: Type.Object({
    departure: OfficeReference,
    transit: Type.Array(OfficeReference),
    destination: OfficeReference,
  }),
  reservations: Type.Array(
    Type.Object({
      grn: Grn,
      amountMinor: Type.Integer({ minimum: 1, description: 'Held on the guarantee now, in minor units' }),
      currency: CurrencyCode,
    }),
    {
      description: 'The reservations this movement holds now, one per guarantee (none once given back, or never made)',
    },
  ),
  charged: Type.Optional(
    Type.Array(Type.Object({ grn: Grn, amountMinor: Type.Integer({ minimum: 1 }), currency: CurrencyCode }), {
      description: 'Reservations paid out of their guarantee after recovery of the debt (RECOVERED)',
    }),
  ),
  reservedAbroad: Type.Optional(
    Type.Array(Type.Object({ grn: Grn, amountMinor: Type.Integer({ minimum: 1 }), currency: CurrencyCode }), {
      description:
        "What the country that registered the movement's guarantees reports it holds for it (IE205), until given back (IE204/IE209); the guarantees' own node lists the same as their uses",
    }),
  ),
});

export const AuditMovementList = Type.Object({
  items: Type.Array(AuditMovement),
  next: Type.Union([Mrn, Type.Null()], { description: 'Pass as `after` for the next page' }),
});

export const AuditGuaranteesQuery = Type.Object(
  { limit: Limit, after: Type.Optional(Grn) },
  { additionalProperties: false },
);

export const AuditGuarantee = Type.Object({
  grn: Grn,
  currency: CurrencyCode,
  referenceAmountMinor: Type.Integer(),
  reservedMinor: Type.Integer({ description: 'Sum the guarantee records as reserved' }),
  availableMinor: Type.Integer({ description: 'referenceAmountMinor − reservedMinor' }),
  uses: Type.Optional(
    Type.Array(
      Type.Object({
        mrn: Mrn,
        departureCountry: CountryCode,
        amountMinor: Type.Integer({ minimum: 1 }),
      }),
      { description: 'Held now for movements declared in other countries (IE203), part of reservedMinor' },
    ),
  ),
});

export const AuditGuaranteeList = Type.Object({
  items: Type.Array(AuditGuarantee),
  next: Type.Union([Grn, Type.Null()], { description: 'Pass as `after` for the next page' }),
});

export const AuditInboundQuery = Type.Object(
  { limit: Limit, after: Type.Optional(MessageId) },
  { additionalProperties: false },
);

export const AppliedMessage = Type.Object({
  messageId: MessageId,
  type: Type.String({ description: 'ICE message type, e.g. IE001' }),
  mrn: Mrn,
  appliedAt: Type.String({ format: 'date-time' }),
});

export const AppliedMessageList = Type.Object({
  items: Type.Array(AppliedMessage, {
    description: 'One entry per application: a message applied twice appears twice',
  }),
  next: Type.Union([MessageId, Type.Null()], { description: 'Pass as `after` for the next page' }),
});

export type AuditMovement = Static<typeof AuditMovement>;
export type AuditMovementList = Static<typeof AuditMovementList>;
export type AuditGuarantee = Static<typeof AuditGuarantee>;
export type AuditGuaranteeList = Static<typeof AuditGuaranteeList>;
export type AppliedMessage = Static<typeof AppliedMessage>;
export type AppliedMessageList = Static<typeof AppliedMessageList>;
