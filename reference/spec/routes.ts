// The C2B API of a national CATS node, spec v0: every route with the schemas
// that validate its requests and describe its answers. The node registers its
// routes from this catalogue and openapi.ts publishes the same catalogue, so
// the document and the validation cannot drift apart.
import { Type, type TSchema } from '@sinclair/typebox';
import { Ctd } from './ctd.ts';
import {
  Cancellation,
  Declaration,
  DeclarationAccepted,
  DeclarationList,
  DeclarationListQuery,
  DeclarationWithCtd,
  Refusal,
} from './declarations.ts';
import {
  AppliedMessageList,
  AuditGuaranteeList,
  AuditGuaranteesQuery,
  AuditInboundQuery,
  AuditMovementList,
  AuditMovementsQuery,
} from './audit.ts';
import { Fixtures, FixturesApplied } from './fixtures.ts';
import {
  AccessCodeIssued,
  Guarantee,
  GuaranteeApproval,
  GuaranteeRegistration,
  GuarantorExposure,
  GuarantorParams,
  GrnParams,
} from './guarantees.ts';
import { Clock } from './clock.ts';
import {
  ArrivalNotification,
  ControlResults,
  CrossingNotification,
  DiscrepanciesResolution,
  EnquiryInformation,
  EnquiryResponse,
  IncidentDecision,
  IncidentReport,
  Invalidation,
  MrnParams,
  RecordRequested,
  RecoveryOutcome,
  RecoveryStart,
} from './movements.ts';
import { Operator, OperatorApproval, OperatorRegistered, OperatorRegistration, TinParams } from './operators.ts';

/** Who may call a route: `public` needs no token; the rest need a bearer token of that role. */
export type Role = 'public' | 'operator' | 'officer' | 'admin' | 'auditor';

export interface RouteSchema {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response?: Record<number, TSchema>;
}

export interface RouteSpec<S extends RouteSchema = RouteSchema> {
  operationId: string;
  method: 'GET' | 'POST';
  /** OpenAPI path template, e.g. /v1/declarations/{mrn}. */
  path: string;
  /** The same path in Fastify's syntax, e.g. /v1/declarations/:mrn. */
  url: string;
  tag: string;
  summary: string;
  roles: readonly Role[];
  /** Rejections this route can answer with, beyond 400/401/413 that any route with a body or token can. */
  rejections: readonly number[];
  schema: S;
  bodyLimit?: number;
}

function route<const S extends RouteSchema>(spec: Omit<RouteSpec<S>, 'url'>): RouteSpec<S> {
  return { ...spec, url: spec.path.replace(/\{(\w+)\}/g, ':$1') };
}

const Empty = Type.Object({}, { additionalProperties: false });
const Health = Type.Object({
  status: Type.String(),
  version: Type.Optional(Type.String({ description: "the implementation's name and version, quoted on certificates" })),
});

/** Default request body limit; larger bodies are refused with BODY_TOO_LARGE (413). */
export const BODY_LIMIT = 1024 * 1024;

export const routes = {
  registerOperator: route({
    operationId: 'registerOperator',
    method: 'POST',
    path: '/v1/operators',
    tag: 'operators',
    roles: ['public'],
    summary: 'Register a CATS operator (pending until customs approves); returns its bearer token once',
    rejections: [409, 422],
    schema: { body: OperatorRegistration, response: { 201: OperatorRegistered } },
  }),
  getOperator: route({
    operationId: 'getOperator',
    method: 'GET',
    path: '/v1/operators/{tin}',
    tag: 'operators',
    roles: ['operator', 'officer', 'admin'],
    summary: 'An operator account (an operator sees only its own)',
    rejections: [404],
    schema: { params: TinParams, response: { 200: Operator } },
  }),
  approveOperator: route({
    operationId: 'approveOperator',
    method: 'POST',
    path: '/v1/operators/{tin}/approval',
    tag: 'operators',
    roles: ['officer', 'admin'],
    summary: 'Approve an operator account, confirming its AEO status',
    rejections: [404],
    schema: { params: TinParams, body: OperatorApproval, response: { 200: Operator } },
  }),
  suspendOperator: route({
    operationId: 'suspendOperator',
    method: 'POST',
    path: '/v1/operators/{tin}/suspension',
    tag: 'operators',
    roles: ['officer', 'admin'],
    summary: 'Suspend an operator account: it can no longer lodge declarations',
    rejections: [404],
    schema: { params: TinParams, body: Empty, response: { 200: Operator } },
  }),
  registerGuarantee: route({
    operationId: 'registerGuarantee',
    method: 'POST',
    path: '/v1/guarantees',
    tag: 'guarantees',
    roles: ['operator'],
    summary: 'Register a guarantee (pending until customs approves); allocates its GRN',
    rejections: [403, 422],
    schema: { body: GuaranteeRegistration, response: { 201: Guarantee } },
  }),
  getGuarantee: route({
    operationId: 'getGuarantee',
    method: 'GET',
    path: '/v1/guarantees/{grn}',
    tag: 'guarantees',
    roles: ['operator', 'officer', 'admin'],
    summary: 'Balance and exposure of a guarantee (the holder, customs)',
    rejections: [404],
    schema: { params: GrnParams, response: { 200: Guarantee } },
  }),
  approveGuarantee: route({
    operationId: 'approveGuarantee',
    method: 'POST',
    path: '/v1/guarantees/{grn}/approval',
    tag: 'guarantees',
    roles: ['officer', 'admin'],
    summary:
      'Approve a guarantee at a level (100, 50 or 25 % of the amount due, by default the proposal of the AEO rule), ' +
      'used for every reservation on it: it becomes usable for declarations. Its first access code is issued and ' +
      'sent to the holder alone, once, on its notification stream (a `guarantee` notification)',
    rejections: [404],
    schema: { params: GrnParams, body: GuaranteeApproval, response: { 200: Guarantee } },
  }),
  getGuarantorExposure: route({
    operationId: 'getGuarantorExposure',
    method: 'GET',
    path: '/v1/guarantors/{tin}/exposure',
    tag: 'guarantees',
    roles: ['officer', 'admin'],
    summary: 'Exposure of an insurer or bank: reserved and available per guarantee it backs here, and per currency',
    rejections: [],
    schema: { params: GuarantorParams, response: { 200: GuarantorExposure } },
  }),
  issueAccessCode: route({
    operationId: 'issueAccessCode',
    method: 'POST',
    path: '/v1/guarantees/{grn}/access-code',
    tag: 'guarantees',
    roles: ['operator'],
    summary:
      'The holder issues a new access code for its approved guarantee, shown in this answer only; the previous code ' +
      'stops working at once (declarations lodged with it keep their reservations)',
    rejections: [403, 404, 409],
    schema: { params: GrnParams, body: Empty, response: { 200: AccessCodeIssued } },
  }),
  submitDeclaration: route({
    operationId: 'submitDeclaration',
    method: 'POST',
    path: '/v1/declarations',
    tag: 'declarations',
    roles: ['operator'],
    summary: 'Lodge a CTD. 201 with a new MRN; 200 with the same MRN when the LRN was lodged with the same content',
    rejections: [403, 409, 422],
    schema: { body: Ctd, response: { 200: DeclarationAccepted, 201: DeclarationAccepted } },
  }),
  listDeclarations: route({
    operationId: 'listDeclarations',
    method: 'GET',
    path: '/v1/declarations',
    tag: 'declarations',
    roles: ['operator', 'officer'],
    summary: "Own declarations (operator) or movements at one's offices (officer), by state, in MRN order",
    rejections: [],
    schema: { querystring: DeclarationListQuery, response: { 200: DeclarationList } },
  }),
  getDeclaration: route({
    operationId: 'getDeclaration',
    method: 'GET',
    path: '/v1/declarations/{mrn}',
    tag: 'declarations',
    roles: ['operator', 'officer', 'admin'],
    summary: 'Status and content of a movement',
    rejections: [404],
    schema: { params: MrnParams, response: { 200: DeclarationWithCtd } },
  }),
  amendDeclaration: route({
    operationId: 'amendDeclaration',
    method: 'POST',
    path: '/v1/declarations/{mrn}/amendment',
    tag: 'declarations',
    roles: ['operator'],
    summary: 'Replace the CTD of a movement before release (same LRN and holder)',
    rejections: [404, 409, 422],
    schema: { params: MrnParams, body: Ctd, response: { 200: Declaration } },
  }),
  cancelDeclaration: route({
    operationId: 'cancelDeclaration',
    method: 'POST',
    path: '/v1/declarations/{mrn}/cancellation',
    tag: 'declarations',
    roles: ['operator'],
    summary: 'Cancel (invalidate) a movement before release',
    rejections: [404, 409],
    schema: { params: MrnParams, body: Cancellation, response: { 200: Declaration } },
  }),
  presentDeclaration: route({
    operationId: 'presentDeclaration',
    method: 'POST',
    path: '/v1/declarations/{mrn}/presentation',
    tag: 'declarations',
    roles: ['operator'],
    summary: 'Present the goods of a pre-lodged CTD (IE170): customs then releases at once or decides to control',
    rejections: [404, 409],
    schema: { params: MrnParams, body: Empty, response: { 200: Declaration } },
  }),
  releaseDeclaration: route({
    operationId: 'releaseDeclaration',
    method: 'POST',
    path: '/v1/declarations/{mrn}/release',
    tag: 'customs decisions',
    roles: ['officer'],
    summary: 'Release for transit after control (officer of the office of departure); reserves the guarantee',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: Empty, response: { 200: Declaration } },
  }),
  refuseDeclaration: route({
    operationId: 'refuseDeclaration',
    method: 'POST',
    path: '/v1/declarations/{mrn}/refusal',
    tag: 'customs decisions',
    roles: ['officer'],
    summary: 'Refuse release after control (officer of the office of departure)',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: Refusal, response: { 200: Declaration } },
  }),
  notifyCrossing: route({
    operationId: 'notifyCrossing',
    method: 'POST',
    path: '/v1/movements/{mrn}/crossing',
    tag: 'movement events',
    roles: ['officer'],
    summary:
      'Notification of crossing a frontier at an office of transit (officer of that office). At an office the ' +
      'declaration does not name (diversion) the node first asks departure for the record (IE114) and answers 202; ' +
      'notified again once the record is here, the crossing is applied',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: CrossingNotification, response: { 200: Declaration, 202: RecordRequested } },
  }),
  notifyArrival: route({
    operationId: 'notifyArrival',
    method: 'POST',
    path: '/v1/movements/{mrn}/arrival',
    tag: 'movement events',
    roles: ['operator', 'officer'],
    summary:
      'Arrival at the office of destination (the holder, or an officer of that office). At an office the ' +
      'declaration does not name (diversion) the node first asks departure for the record (IE002) and answers 202; ' +
      'notified again once the record is here, the arrival is applied and the declared destination told (IE024)',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: ArrivalNotification, response: { 200: Declaration, 202: RecordRequested } },
  }),
  recordControlResults: route({
    operationId: 'recordControlResults',
    method: 'POST',
    path: '/v1/movements/{mrn}/control-results',
    tag: 'movement events',
    roles: ['officer'],
    summary:
      'Unloading / control results at destination (officer of that office); conform results write the movement off, ' +
      'non-conform ones put it in DISCREPANCIES (the holder is notified) until customs at departure decides',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: ControlResults, response: { 200: Declaration } },
  }),
  answerEnquiry: route({
    operationId: 'answerEnquiry',
    method: 'POST',
    path: '/v1/movements/{mrn}/enquiry-response',
    tag: 'unhappy paths',
    roles: ['officer'],
    summary:
      'The office of destination answers the enquiry about a movement past its time limit (IE143; officer of that ' +
      'office): goods arrived (their arrival and results follow) or not (recovery once the enquiry period ends)',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: EnquiryResponse, response: { 200: Declaration } },
  }),
  provideEnquiryInformation: route({
    operationId: 'provideEnquiryInformation',
    method: 'POST',
    path: '/v1/declarations/{mrn}/enquiry-information',
    tag: 'unhappy paths',
    roles: ['operator'],
    summary: "The holder's answer to the request on a movement in ENQUIRY (IE141)",
    rejections: [404, 409],
    schema: { params: MrnParams, body: EnquiryInformation, response: { 200: Declaration } },
  }),
  resolveDiscrepancies: route({
    operationId: 'resolveDiscrepancies',
    method: 'POST',
    path: '/v1/movements/{mrn}/discrepancies-resolution',
    tag: 'unhappy paths',
    roles: ['officer'],
    summary:
      'Customs at departure settles the discrepancies of a movement (officer of the office of departure): ' +
      'it is written off and its guarantee given back',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: DiscrepanciesResolution, response: { 200: Declaration } },
  }),
  startRecovery: route({
    operationId: 'startRecovery',
    method: 'POST',
    path: '/v1/movements/{mrn}/recovery',
    tag: 'unhappy paths',
    roles: ['officer'],
    summary:
      'Start recovery of the debt of a movement in ENQUIRY or DISCREPANCIES (officer of the office of departure); ' +
      'the guarantee stays reserved until recovery is settled. Discrepancies at a foreign destination are recovered ' +
      'there (IE150)',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: RecoveryStart, response: { 200: Declaration } },
  }),
  recordRecoveryOutcome: route({
    operationId: 'recordRecoveryOutcome',
    method: 'POST',
    path: '/v1/movements/{mrn}/recovery-outcome',
    tag: 'unhappy paths',
    roles: ['officer'],
    summary:
      'The office recovering the debt records the outcome (officer of that office; IE152 when abroad): ' +
      'recovered (RECOVERED, guarantee charged) or nothing due (WRITTEN_OFF, guarantee given back)',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: RecoveryOutcome, response: { 200: Declaration } },
  }),
  applyFixtures: route({
    operationId: 'applyFixtures',
    method: 'POST',
    path: '/v1/admin/fixtures',
    tag: 'admin',
    roles: ['admin'],
    summary: 'Seed operators (active), officers and guarantees (active) with known tokens and GRNs; idempotent upsert',
    rejections: [403, 422],
    schema: { body: Fixtures, response: { 200: FixturesApplied } },
    bodyLimit: 64 * 1024 * 1024,
  }),
  auditMovements: route({
    operationId: 'auditMovements',
    method: 'GET',
    path: '/v1/audit/movements',
    tag: 'audit',
    roles: ['auditor', 'admin'],
    summary:
      'Every movement this node holds (declared here, or a foreign copy as office of transit or destination), in MRN ' +
      'order, with the reservation it holds now',
    rejections: [],
    schema: { querystring: AuditMovementsQuery, response: { 200: AuditMovementList } },
  }),
  auditGuarantees: route({
    operationId: 'auditGuarantees',
    method: 'GET',
    path: '/v1/audit/guarantees',
    tag: 'audit',
    roles: ['auditor', 'admin'],
    summary: 'Every guarantee of this node with its reference amount, reserved and available balance, in GRN order',
    rejections: [],
    schema: { querystring: AuditGuaranteesQuery, response: { 200: AuditGuaranteeList } },
  }),
  auditAppliedMessages: route({
    operationId: 'auditAppliedMessages',
    method: 'GET',
    path: '/v1/audit/applied-messages',
    tag: 'audit',
    roles: ['auditor', 'admin'],
    summary: 'The ledger of C2C messages this node applied, one entry per application, in message id order',
    rejections: [],
    schema: { querystring: AuditInboundQuery, response: { 200: AppliedMessageList } },
  }),
  invalidateMovement: route({
    operationId: 'invalidateMovement',
    method: 'POST',
    path: '/v1/movements/{mrn}/invalidation',
    tag: 'unhappy paths',
    roles: ['officer'],
    summary:
      'Customs invalidates a released movement before its arrival (officer of the office of departure): ' +
      'INVALIDATED, guarantee given back, IE010 to the offices sent anticipated records. The holder cancels ' +
      'only before release (POST …/cancellation)',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: Invalidation, response: { 200: Declaration } },
  }),
  recordIncident: route({
    operationId: 'recordIncident',
    method: 'POST',
    path: '/v1/movements/{mrn}/incidents',
    tag: 'unhappy paths',
    roles: ['officer'],
    summary:
      'An incident en route (transhipment, change of transport means, seal broken, accident), recorded by an ' +
      'officer of an office of the country where it happened; forwarded to departure (IE180), the holder notified ' +
      '(IE182). The movement is not written off until customs at departure decides on it',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: IncidentReport, response: { 200: Declaration } },
  }),
  decideIncidents: route({
    operationId: 'decideIncidents',
    method: 'POST',
    path: '/v1/movements/{mrn}/incident-decision',
    tag: 'unhappy paths',
    roles: ['officer'],
    summary:
      "Customs at departure decides on the movement's incidents (officer of the office of departure); " +
      'a movement already CONTROLLED is then written off',
    rejections: [403, 404, 409],
    schema: { params: MrnParams, body: IncidentDecision, response: { 200: Declaration } },
  }),
  clock: route({
    operationId: 'clock',
    method: 'GET',
    path: '/v1/clock',
    tag: 'operations',
    roles: ['public'],
    summary: 'The business clock of this node: business time now and the time factor it runs at',
    rejections: [],
    schema: { response: { 200: Clock } },
  }),
  healthz: route({
    operationId: 'healthz',
    method: 'GET',
    path: '/healthz',
    tag: 'operations',
    roles: ['public'],
    summary: 'Liveness: the process serves requests',
    rejections: [],
    schema: { response: { 200: Health } },
  }),
  readyz: route({
    operationId: 'readyz',
    method: 'GET',
    path: '/readyz',
    tag: 'operations',
    roles: ['public'],
    summary: 'Readiness: the database answers (503 when not)',
    rejections: [],
    schema: { response: { 200: Health, 503: Health } },
  }),
} as const;

export const routeList: readonly RouteSpec[] = Object.values(routes);
