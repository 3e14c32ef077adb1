// C2B schemas for transit declarations (CTDs) once lodged: acceptance, views,
// lists. The CTD body itself is ./ctd.ts.
import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, Grn, Lrn, OfficeReference, RecordedCtd, Tin } from './ctd.ts';
import { Incident, Mrn } from './movements.ts';
import { MovementStateSchema } from './movement-state.ts';

export const RiskClass = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);

export const Reservation = Type.Object({
  grn: Grn,
  amount: Type.Number({ description: 'Reserved at release, given back at write-off' }),
  currency: CurrencyCode,
});

/** One per guarantee the CTD references: its share of the amount due at the guarantee's level. */
export const PlannedReservation = Type.Object({
  grn: Grn,
  amount: Type.Number({ description: 'The share of the amount due at the guarantee level; 0 for a waiver' }),
  currency: CurrencyCode,
  held: Type.Boolean({ description: 'Reserved on the guarantee: from release to write-off, invalidation or recovery' }),
  charged: Type.Optional(Type.Boolean({ description: 'Paid out of the guarantee after recovery of the debt' })),
});

export const Declaration = Type.Object({
  mrn: Mrn,
  lrn: Type.Union([Lrn, Type.Null()]),
  role: Type.Union([Type.Literal('departure'), Type.Literal('transit'), Type.Literal('destination')], {
    description: "This node's role for the movement",
  }),
  state: MovementStateSchema,
  holderTin: Tin,
  offices: Type.Object({
    departure: OfficeReference,
    transit: Type.Array(OfficeReference),
    destination: OfficeReference,
  }),
  crossedOffices: Type.Array(OfficeReference),
  riskClass: Type.Union([RiskClass, Type.Null()]),
  riskReasons: Type.Array(Type.String()),
  amountToReserve: Type.Union([Type.Number(), Type.Null()], {
    description: "The first guarantee's share of the duties and taxes due at its level, reserved at release",
  }),
  reservation: Type.Union([Reservation, Type.Null()], { description: 'The first reservation held' }),
  reservations: Type.Array(PlannedReservation, { description: 'Every guarantee reference of the CTD' }),
  amendments: Type.Integer(),
  controlConform: Type.Union([Type.Boolean(), Type.Null()]),
  limitDate: Type.Optional(
    Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Business time by which the goods must be at destination; set at release (departure only)',
    }),
  ),
  enquiry: Type.Optional(
    Type.Union([
      Type.Object({
        openedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        replyBy: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        answer: Type.Union([Type.Literal('arrived'), Type.Literal('not-arrived'), Type.Null()]),
        holderInformation: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
  ),
  recovery: Type.Optional(
    Type.Union([
      Type.Object({
        startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        office: Type.Union([OfficeReference, Type.Null()], { description: 'null: recovered at departure' }),
      }),
      Type.Null(),
    ]),
  ),
  incidents: Type.Optional(
    Type.Array(Type.Composite([Type.Object({ office: OfficeReference }), Incident]), {
      description: 'Incidents en route recorded, in order',
    }),
  ),
  guaranteeAbroad: Type.Optional(
    Type.Union([
      Type.Object({
        country: Type.String({ description: 'The country that registered the guarantees, asked through ICE (IE203)' }),
        replyBy: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
          description: 'Business time by which it must answer; past it the movement is refused',
        }),
        refusal: Type.Union([
          Type.Object({ code: Type.String(), grn: Type.Union([Grn, Type.Null()]), message: Type.String() }),
          Type.Null(),
        ]),
      }),
      Type.Null(),
    ]),
  ),
  openIncidents: Type.Optional(
    Type.Integer({ description: "Incidents awaiting customs' decision at departure; they hold back write-off" }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const DeclarationWithCtd = Type.Composite([Declaration, Type.Object({ ctd: RecordedCtd })]);

export const DeclarationAccepted = Type.Object({
  mrn: Mrn,
  lrn: Lrn,
  state: MovementStateSchema,
  riskClass: RiskClass,
  decision: Type.Union([Type.Literal('release'), Type.Literal('control')]),
  reservation: Type.Union([Reservation, Type.Null()], { description: 'The first reservation held' }),
  reservations: Type.Array(PlannedReservation, { description: 'Every guarantee reference of the CTD' }),
  replayed: Type.Boolean({ description: 'true when this LRN was already lodged with the same content' }),
});

export const DeclarationListQuery = Type.Object(
  {
    state: Type.Optional(MovementStateSchema),
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1..100, default 50' })),
    after: Type.Optional(Mrn),
  },
  { additionalProperties: false },
);

export const DeclarationList = Type.Object({
  items: Type.Array(Declaration),
  next: Type.Union([Mrn, Type.Null()], { description: 'Pass as `after` for the next page' }),
});

export const Cancellation = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 512 })) },
  { additionalProperties: false },
);

export const Refusal = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);

export type Declaration = Static<typeof Declaration>;
export type DeclarationAccepted = Static<typeof DeclarationAccepted>;
