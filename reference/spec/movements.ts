// C2B schemas for movement events at offices of transit and destination.
import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from './ctd.ts';

export const Mrn = Type.String({
  pattern: '^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[J-M][0-9]$',
  description: 'Movement reference number (NCTS phase 5)',
});
export const MrnParams = Type.Object({ mrn: Mrn });

const OfficeOfDeparture = Type.Optional({
  ...OfficeReference,
  description:
    'The office of departure on the transit document: needed at an office the declaration does not name, ' +
    'where the node holds no record of the movement to ask departure for',
});

export const CrossingNotification = Type.Object(
  { office: OfficeReference, officeOfDeparture: OfficeOfDeparture },
  {
    additionalProperties: false,
    description: 'Notification of crossing a frontier (IE118) at a declared office of transit',
  },
);

export const ArrivalNotification = Type.Object(
  { office: OfficeReference, officeOfDeparture: OfficeOfDeparture },
  { additionalProperties: false, description: 'Arrival notification (IE007) at the declared office of destination' },
);

export const ControlResults = Type.Object(
  {
    office: OfficeReference,
    conform: Type.Boolean({
      description: 'Goods and seals conform to the declaration; a conform result writes the movement off',
    }),
    remarks: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false, description: 'Unloading / destination control results (IE044 / IE018)' },
);

export type CrossingNotification = Static<typeof CrossingNotification>;
export type ArrivalNotification = Static<typeof ArrivalNotification>;
export type ControlResults = Static<typeof ControlResults>;

export const EnquiryResponse = Type.Object(
  {
    office: OfficeReference,
    goodsArrived: Type.Boolean({ description: 'The goods were presented at this office of destination' }),
    information: Type.Optional(Type.String({ maxLength: 512 })),
  },
  {
    additionalProperties: false,
    description: 'The office of destination answers the enquiry about a movement past its time limit (IE143)',
  },
);

export const EnquiryInformation = Type.Object(
  { information: Type.String({ minLength: 1, maxLength: 2048 }) },
  {
    additionalProperties: false,
    description: "The holder's information about a movement past its time limit (IE141), e.g. where the goods are",
  },
);

export const RecoveryStart = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false, description: 'Customs starts recovery of the debt (IE150 when recovered abroad)' },
);

export const RecoveryOutcome = Type.Object(
  {
    office: OfficeReference,
    recovered: Type.Boolean({
      description: 'true: the debt was recovered and the guarantee is charged; false: nothing was due, written off',
    }),
    information: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false, description: 'The office recovering the debt records the outcome (IE152)' },
);

export const DiscrepanciesResolution = Type.Object(
  { information: Type.Optional(Type.String({ maxLength: 512 })) },
  {
    additionalProperties: false,
    description: 'Customs at departure settles the discrepancies: the movement is written off',
  },
);

export const Invalidation = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false, description: 'Customs invalidates a released declaration (IE009, IE010)' },
);

/** What an incident en route records (transit.md §1.2: IE180/IE182). */
export const Incident = Type.Object({
  kind: Type.Union(
    [
      Type.Literal('transhipment'),
      Type.Literal('transport-change'),
      Type.Literal('seal-broken'),
      Type.Literal('accident'),
    ],
    { description: 'transhipment, change of transport means (gauge change, ferry leg), seal broken, accident' },
  ),
  occurredAt: Type.String({
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$',
    description: 'ISO 8601 date and time with offset',
  }),
  description: Type.String({ minLength: 1, maxLength: 512 }),
  newTransportMeans: Type.Optional(
    Type.String({ minLength: 1, maxLength: 35, description: 'after transhipment or change' }),
  ),
});

export const IncidentReport = Type.Object(
  { office: OfficeReference, ...Incident.properties },
  {
    additionalProperties: false,
    description: 'An incident en route, recorded by an office of the country where it happened (IE180 to departure)',
  },
);

export const IncidentDecision = Type.Object(
  { information: Type.Optional(Type.String({ maxLength: 512 })) },
  { additionalProperties: false, description: "Customs at departure decides on the movement's incidents" },
);

export type IncidentReport = Static<typeof IncidentReport>;

export const RecordRequested = Type.Object({
  mrn: Mrn,
  office: OfficeReference,
  status: Type.Literal('RECORD_REQUESTED'),
  requested: Type.Union([Type.Literal('IE114'), Type.Literal('IE002')], {
    description: 'IE114 (transit record) or IE002 (arrival record) sent to departure; notify again once it is here',
  }),
});

export type RecordRequested = Static<typeof RecordRequested>;
export type EnquiryResponse = Static<typeof EnquiryResponse>;
export type RecoveryOutcome = Static<typeof RecoveryOutcome>;
