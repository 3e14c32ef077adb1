// The requirements a national CATS implementation must meet to join the
// exchange: each one rule with its place in the spec, the side it is observed
// on (C2B: the node's own API; C2C: its messages over ICE) and whether the
// certificate needs it. Conformance and certification checks cite these ids.

export type RequirementSide = 'C2B' | 'C2C';
export type RequirementLevel = 'mandatory' | 'optional';

export interface Requirement {
  id: string;
  /** The rule, in one sentence. */
  rule: string;
  /** Where the spec states it. */
  section: string;
  side: RequirementSide;
  level: RequirementLevel;
  /** Why certification does not judge it (the conformance scenario does); absent when it does. */
  notCertified?: string;
}

/** The version of the spec this catalogue belongs to. */
export const SPEC_VERSION = 'spec-v0';

const OPENAPI = 'reference/spec/openapi.json';
const ROUTES = 'reference/spec/routes.ts';
const ERRORS = 'reference/spec/errors.ts';
const STATES = 'reference/spec/movement-state.ts';
const ICE = 'reference/ice/README.md';
const SENDERS = 'reference/spec/ice/designated-senders.ts';
const DOMAIN = 'reference/domain/README.md';
/** Why certification leaves the unhappy paths to the conformance scenario. */
const UNHAPPY_PATHS =
  'certification plays the other countries with scripted ICE exchanges of the happy path and runs the target at its own clock; ' +
  'the unhappy paths need the other offices to act (enquiry answers, diverted and foreign records, recovery abroad) ' +
  'and business time to pass, which the conformance scenario does against a whole deployment';

/** Why certification leaves guarantees to the conformance scenario. */
const GUARANTEES =
  'certification lodges with the guarantees the target seeds; registering and approving guarantees, their levels and ' +
  'reserving them in another country need customs users of the target and a whole deployment, which the conformance scenario has';

export const requirements: readonly Requirement[] = [
  // C2B: the node's API
  {
    id: 'C2B-HEALTH',
    rule: 'GET /healthz and GET /readyz answer 200 without a token while the node is up and its store answers.',
    section: `${ROUTES} healthz, readyz`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-OPENAPI',
    rule: 'GET /openapi.json publishes an OpenAPI 3.1 document with the routes of the spec.',
    section: OPENAPI,
    side: 'C2B',
    level: 'optional',
  },
  {
    id: 'C2B-AUTHENTICATION',
    rule: 'A request without a bearer token, or with one the node does not know, gets 401 UNAUTHENTICATED.',
    section: `${ERRORS} UNAUTHENTICATED`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-MALFORMED-JSON',
    rule: 'A body that is not JSON gets 400 MALFORMED_JSON in the structured error shape and changes nothing.',
    section: `${ERRORS} MALFORMED_JSON`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-SCHEMA-POINTER',
    rule: 'A body that breaks the schema gets 400 SCHEMA_VIOLATION with a JSON pointer to each offending field.',
    section: `${ERRORS} SCHEMA_VIOLATION`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-MEDIA-TYPE',
    rule: 'A body sent as another media type than application/json gets 415 UNSUPPORTED_MEDIA_TYPE.',
    section: `${ERRORS} UNSUPPORTED_MEDIA_TYPE`,
    side: 'C2B',
    level: 'optional',
  },
  {
    id: 'C2B-BODY-LIMIT',
    rule: 'A body over 1 MiB gets 413 BODY_TOO_LARGE.',
    section: `${ROUTES} BODY_LIMIT`,
    side: 'C2B',
    level: 'optional',
  },
  {
    id: 'C2B-NOT-FOUND',
    rule: 'A query for an MRN the node does not hold gets 404 NOT_FOUND.',
    section: `${ERRORS} NOT_FOUND`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-LODGING',
    rule: 'A valid CTD is accepted with an MRN of the node country whose check digit is right, and can be read back by its holder.',
    section: `${ROUTES} lodgeDeclaration`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-IDEMPOTENT-LODGING',
    rule: 'Lodging the same CTD again under the same LRN returns the same MRN, marked replayed, and creates nothing.',
    section: `${ROUTES} lodgeDeclaration`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-DUPLICATE-LRN',
    rule: 'Another CTD under an LRN the holder already used gets 409 DUPLICATE_LRN.',
    section: `${ERRORS} DUPLICATE_LRN`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-CTD-VALIDATION',
    rule: 'A CTD that breaks a business rule (unknown office, invalid HS code, …) is refused with the rule code and a pointer.',
    section: `${ERRORS}, reference/domain/ctd-rules.ts`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-OPERATOR-ISOLATION',
    rule: "An operator never sees another operator's declaration (403 or 404).",
    section: `${ROUTES} getDeclaration`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-ROLES',
    rule: 'A customs decision (release) asked with an operator token gets 403 FORBIDDEN.',
    section: `${ROUTES} roles`,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-OFFICER-SCOPE',
    rule: 'An officer acts only for the offices they are posted to; elsewhere 403 FORBIDDEN.',
    section: `${ROUTES} releaseDeclaration`,
    side: 'C2B',
    level: 'optional',
  },
  {
    id: 'C2B-ILLEGAL-TRANSITION',
    rule: 'A step the movement state does not allow (cancellation after release) gets 409 ILLEGAL_TRANSITION.',
    section: STATES,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-AMENDMENT',
    rule: 'A pre-lodged CTD can be amended until its goods are presented and not after.',
    section: `${ROUTES} amendDeclaration`,
    side: 'C2B',
    level: 'optional',
  },
  {
    id: 'C2B-CANCELLATION',
    rule: 'A CTD not yet released can be cancelled by its holder.',
    section: `${ROUTES} cancelDeclaration`,
    side: 'C2B',
    level: 'optional',
  },
  {
    id: 'C2B-RELEASE',
    rule: 'A lodged CTD reaches RELEASED through presentation and, when under control, release by an officer of its office of departure.',
    section: STATES,
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-PERFORMANCE',
    rule: 'At the load step rate (by default 100 times the projected peak hour of the country routes) lodging and release meet the SLOs: no failed request and p99 under the stated bound.',
    section: 'DESIGN.md §8',
    side: 'C2B',
    level: 'mandatory',
  },
  {
    id: 'C2B-AVAILABLE-WITHOUT-ICE',
    rule: 'While the ICE connection is down the node goes on lodging and releasing; its messages wait in its outbox.',
    section: `${ICE} Nodes over ICE`,
    side: 'C2B',
    level: 'mandatory',
  },
  // C2B: the movement's unhappy paths (issue #16), judged by the conformance scenario against a deployment
  {
    id: 'C2B-CLOCK',
    rule: 'GET /v1/clock publishes the business time of the node, its time factor and whether the deployment runs it faster than real time.',
    section: `${ROUTES} clock`,
    side: 'C2B',
    level: 'optional',
  },
  {
    id: 'C2B-TIME-LIMIT',
    rule: 'Release sets a limit date on the movement, whole days of business time after release and at least one.',
    section: `${DOMAIN} Time limit and enquiry`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-ENQUIRY',
    rule: 'A movement not arrived by its limit date goes to ENQUIRY at departure and the office of destination gets the enquiry.',
    section: `${DOMAIN} Time limit and enquiry`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-ENQUIRY-ANSWER',
    rule: 'An enquiry the office of destination answers with goods arrived is closed by their arrival and results, and the movement written off.',
    section: `${ROUTES} answerEnquiry`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-RECOVERY',
    rule: 'Customs at departure sends a movement in ENQUIRY or DISCREPANCIES to recovery, its guarantee held until the outcome charges it (RECOVERED) or gives it back.',
    section: `${ROUTES} startRecovery, recordRecoveryOutcome`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-DISCREPANCIES',
    rule: 'Non-conform control results put the movement in DISCREPANCIES with its guarantee held until customs at departure resolves them, which writes it off.',
    section: `${ROUTES} recordControlResults, resolveDiscrepancies`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-DIVERSION-TRANSIT',
    rule: 'A crossing at an office of transit the declaration does not name is taken (after asking departure for the record with 202 where the record is abroad) and the journey completes.',
    section: `${ROUTES} notifyCrossing`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-DIVERSION-DESTINATION',
    rule: 'An arrival at an office of destination the declaration does not name is taken (after asking departure for the record with 202 where the record is abroad) and the movement is written off there.',
    section: `${ROUTES} notifyArrival`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-INCIDENT',
    rule: 'An incident en route is recorded at departure and the movement is not written off until customs at departure decides on it.',
    section: `${ROUTES} recordIncident, decideIncidents`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-INVALIDATION',
    rule: 'Customs at departure invalidates a released movement before its arrival: INVALIDATED, its guarantee given back.',
    section: `${ROUTES} invalidateMovement`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  {
    id: 'C2B-OUT-OF-SEQUENCE',
    rule: 'A step out of sequence (amendment after release, arrival before release, recovery or enquiry answer without an enquiry, invalidation after arrival) gets 409 ILLEGAL_TRANSITION and changes nothing.',
    section: `${DOMAIN} Movement state machine`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: UNHAPPY_PATHS,
  },
  // C2B: guarantees (issue #15), judged by the conformance scenario
  {
    id: 'C2B-GUARANTEE-LEVEL',
    rule: 'Customs approves a guarantee at a level of 100, 50 or 25 % of the amount due (by default the proposal of the AEO rule), and every reservation on it is that share.',
    section: `${ROUTES} approveGuarantee`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: GUARANTEES,
  },
  {
    id: 'C2B-GUARANTEE-INDIVIDUAL',
    rule: 'An individual guarantee (type 2 or 4) serves one movement: another CTD naming it gets 409 GUARANTEE_ALREADY_USED.',
    section: `${DOMAIN} Guarantee calculus`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: GUARANTEES,
  },
  {
    id: 'C2B-GUARANTOR-EXPOSURE',
    rule: 'The exposure of an insurer or bank lists every guarantee it backs with what movements reserve on it and what is available, and totals per currency.',
    section: `${ROUTES} getGuarantorExposure`,
    side: 'C2B',
    level: 'optional',
    notCertified: GUARANTEES,
  },
  {
    id: 'C2B-GUARANTEE-ONE-COUNTRY',
    rule: 'The guarantees of a CTD are registered in one country, which reserves them all: references of two countries get 422 GUARANTEE_COUNTRIES_MIXED pointing at the first one of another country, and nothing is lodged.',
    section: `${DOMAIN} Guarantee calculus`,
    side: 'C2B',
    level: 'mandatory',
    notCertified: GUARANTEES,
  },
  // C2C: the node's messages over ICE
  {
    id: 'C2C-GUARANTEE-ABROAD',
    rule: 'A CTD secured by a guarantee of another country of the exchange is answered at once AWAITING_GUARANTEE; that country reserves it over ICE (IE203/IE205) and departure releases the movement, or refuses it with the reason; invalidation gives the amount back there (IE209), and the access code is never shown at departure.',
    section: `${DOMAIN} Guarantee calculus`,
    side: 'C2C',
    level: 'mandatory',
    notCertified: GUARANTEES,
  },
  {
    id: 'C2C-CREDENTIAL',
    rule: "The node connects to ICE with its node credential as a bearer token and takes ICE's welcome.",
    section: `${ICE} Frames`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-RELEASE-RECORDS',
    rule: 'On release the node sends IE001 to the foreign office of destination and IE050 to each foreign office of transit.',
    section: `${ICE} Envelope`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-OUTGOING-VALID',
    rule: 'Every message the node sends is valid against its catalogue schema and the designated-sender rule.',
    section: 'reference/spec/ice/catalogue.ts',
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-DURABLE-BEFORE-SEND',
    rule: 'A message is sent only after the state change it reports is durable: when it reaches ICE, that state is already visible through C2B.',
    section: `${ICE} Nodes over ICE (transactional outbox)`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-ANTICIPATED-RECORDS',
    rule: 'An IE001 or IE050 from the office of departure creates the movement here as office of destination or transit, in state RELEASED.',
    section: `${ICE} Envelope`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-MOVEMENT-EVENTS-IN',
    rule: 'IE118, IE006 and conform IE018 from the designated offices advance a movement declared here to IN_TRANSIT, ARRIVED and WRITTEN_OFF.',
    section: STATES,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-WRITE-OFF-OUT',
    rule: 'After conform destination control results the node sends IE045 to every foreign office it sent IE001 or IE050.',
    section: `${ICE} Envelope`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-MOVEMENT-EVENTS-OUT',
    rule: 'As office of transit or destination the node sends IE118, IE006 and IE018 to the office of departure when crossing, arrival and control results are recorded.',
    section: `${ICE} Envelope`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-WRITE-OFF-IN',
    rule: 'An IE045 from the office of departure closes the copy of the movement held here (WRITTEN_OFF).',
    section: `${ICE} Envelope`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-EXACTLY-ONCE',
    rule: 'A redelivered message (same id) is acknowledged as before and not applied again.',
    section: `${ICE} At-least-once delivery, exactly-once application`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-ORDER',
    rule: "The node sends the messages of one movement in the order of the state changes that cause them, and applies a movement's messages in the order delivered.",
    section: `${ICE} Order per movement`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-OUT-OF-SEQUENCE',
    rule: 'A message the movement state does not allow yet (control results before arrival) is acknowledged as rejected with ILLEGAL_TRANSITION and changes nothing.',
    section: STATES,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-FORGED-SENDER',
    rule: 'A message from an office the movement does not designate for it is acknowledged as rejected with SENDER_NOT_DESIGNATED and changes nothing.',
    section: SENDERS,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-WRONG-RECIPIENT',
    rule: 'A message addressed to another country is acknowledged as rejected with WRONG_RECIPIENT and changes nothing.',
    section: SENDERS,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-UNKNOWN-MOVEMENT',
    rule: 'A movement event for an MRN the node does not hold is acknowledged as rejected with UNKNOWN_MOVEMENT.',
    section: SENDERS,
    side: 'C2C',
    level: 'optional',
  },
  {
    id: 'C2C-RESEND',
    rule: 'A message ICE has not confirmed as stored when the connection drops is sent again, with the same id, once the node is reconnected.',
    section: `${ICE} The node side`,
    side: 'C2C',
    level: 'mandatory',
  },
  {
    id: 'C2C-NOTHING-LOST',
    rule: 'Across an ICE connection cut and restored under load, every movement released gets each of its anticipated records to ICE, each under one id.',
    section: 'DESIGN.md §9',
    side: 'C2C',
    level: 'mandatory',
  },
];

export const requirementById: ReadonlyMap<string, Requirement> = new Map(requirements.map((r) => [r.id, r]));
