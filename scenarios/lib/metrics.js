// Custom metrics in the domain's terms. Created once per VU in the init context
// (k6 only allows that), shared by every helper that records them.
import { Counter, Rate, Trend } from 'k6/metrics';

/** CTDs the node accepted (an MRN was allocated); tag `decision`: release | control. */
export const ctdAccepted = new Counter('ctd_accepted');
/** CTDs the node rejected; tag `code`: the rejection code of spec v0. */
export const ctdRejected = new Counter('ctd_rejected');
/**
 * CTDs a load scenario saw refused by the business rules, not by a failing system (the
 * guarantee's balance ran out: the data set is smaller than the run); tag `code`. Not
 * failed requests, so they break no error SLO.
 */
export const ctdRefused = new Counter('ctd_refused');
/** Movements that reached write-off at their office of departure. */
export const movementsWrittenOff = new Counter('movements_written_off');
/** Submission to write-off of one movement. */
export const movementE2eDuration = new Trend('movement_e2e_duration', true);
/** Duration of one step of a movement's life; tag `step`. */
export const movementStepDuration = new Trend('movement_step_duration', true);
/** Time from the action that causes a notification to its arrival on the operator's stream; tag `type`. */
export const notificationLatency = new Trend('notification_latency', true);
/** C2C messages: time from send to delivery at the receiving node. */
export const iceDeliveryLatency = new Trend('ice_delivery_latency', true);
/** C2C messages sent and never delivered within the wait. */
export const iceLost = new Counter('ice_lost');
/** C2C messages delivered more than once. */
export const iceDuplicates = new Counter('ice_duplicates');
/** Share of conformance rules the implementation satisfies; tag `rule`. */
export const specAdherence = new Rate('spec_adherence');
/** Conformance rules not exercised (not counted as passed); tag `rule`, `reason` says why (e.g. no time travel). */
export const specSkipped = new Counter('spec_skipped');
/**
 * The run's journal: 1 each time a node acknowledges a step of a movement; tags `mrn`,
 * `step` (the operation) and `state` (the movement's state in the answer). See ./journal.js.
 */
export const movementAcks = new Counter('movement_acks');
/** Movements that got an MRN, by the path the data set labels them with; tag `path`. */
export const movementPathPlanned = new Counter('movement_path_planned');
/** Movements that reached the documented end state of their path; tags `path`, `end`. */
export const movementPathCompleted = new Counter('movement_path_completed');
/** Movements that got an MRN and did not reach the end state of their path; tag `path`. */
export const movementPathStuck = new Counter('movement_path_stuck');
/** Real time from the enquiry seen open at departure to its close (arrival, or recovery started); tag `outcome`. */
export const enquiryDuration = new Trend('enquiry_duration', true);
/** Real time from recovery started to its outcome recorded at departure. */
export const recoveryDuration = new Trend('recovery_duration', true);
/** Diversions the deployment handled (record asked for and sent, then the step done); tag `at`: transit | destination. */
export const diversionsHandled = new Counter('diversions_handled');
/** Incidents en route recorded and known at departure; tag `type`. */
export const incidentsRecorded = new Counter('incidents_recorded');
