// Customs and operator actions on a movement after lodging, spec v0 routes.
import { jsonBody, request } from './api.js';
import { acknowledged } from './journal.js';

/**
 * @param {string} operation
 * @param {string} path
 * @param {string} name
 */
function action(operation, path, name) {
  /**
   * @param {string} nodeUrl
   * @param {string} token
   * @param {string | undefined} mrn  undefined after a failed lodging: the request is then refused
   * @param {unknown} [body]
   * @param {import('./ctd.js').Expecting} [opts]
   */
  return async (nodeUrl, token, mrn, body = {}, opts = {}) => {
    const res = await request('POST', `${nodeUrl}${path.replace('{mrn}', String(mrn))}`, body, {
      token,
      operation,
      name,
      expect: opts.expect,
    });
    const answer = jsonBody(res);
    if (res.status === 200 && answer) acknowledged(answer.mrn, operation, answer.state);
    return { res, body: answer };
  };
}

/** Operator: present the goods of a pre-lodged CTD (IE170); customs then releases or decides to control. */
export const presentGoods = action(
  'ctd_present',
  '/v1/declarations/{mrn}/presentation',
  'POST /v1/declarations/{mrn}/presentation',
);
/** Officer at departure: release for transit after control. */
export const releaseForTransit = action(
  'ctd_release',
  '/v1/declarations/{mrn}/release',
  'POST /v1/declarations/{mrn}/release',
);
/** Officer at departure: refuse release (no release for transit). */
export const refuseRelease = action(
  'ctd_refuse',
  '/v1/declarations/{mrn}/refusal',
  'POST /v1/declarations/{mrn}/refusal',
);
/** Operator: amend before release. */
export const amendDeclaration = action(
  'ctd_amend',
  '/v1/declarations/{mrn}/amendment',
  'POST /v1/declarations/{mrn}/amendment',
);
/** Operator: cancel before release. */
export const cancelDeclaration = action(
  'ctd_cancel',
  '/v1/declarations/{mrn}/cancellation',
  'POST /v1/declarations/{mrn}/cancellation',
);
/** Officer at an office of transit: notification of crossing the frontier (IE118). */
export const notifyCrossing = action(
  'movement_crossing',
  '/v1/movements/{mrn}/crossing',
  'POST /v1/movements/{mrn}/crossing',
);
/** Operator at destination: arrival notification (IE007). */
export const notifyArrival = action(
  'movement_arrival',
  '/v1/movements/{mrn}/arrival',
  'POST /v1/movements/{mrn}/arrival',
);
/** Officer at destination: unloading / control results (IE044/IE018); conform results lead to write-off. */
export const recordControlResults = action(
  'movement_control_results',
  '/v1/movements/{mrn}/control-results',
  'POST /v1/movements/{mrn}/control-results',
);
/** Officer of the office enquired: answer the enquiry about a movement past its time limit (IE143). */
export const respondToEnquiry = action(
  'movement_enquiry_response',
  '/v1/movements/{mrn}/enquiry-response',
  'POST /v1/movements/{mrn}/enquiry-response',
);
/** Officer at departure: settle the discrepancies of a movement; it is written off. */
export const resolveDiscrepancies = action(
  'movement_discrepancies_resolution',
  '/v1/movements/{mrn}/discrepancies-resolution',
  'POST /v1/movements/{mrn}/discrepancies-resolution',
);
/** Officer at departure: start recovery of the debt (ENQUIRY or DISCREPANCIES; IE150 when recovered abroad). */
export const startRecovery = action(
  'movement_recovery',
  '/v1/movements/{mrn}/recovery',
  'POST /v1/movements/{mrn}/recovery',
);
/** Officer of the office recovering the debt: the outcome (IE152); recovered charges the guarantee. */
export const recordRecoveryOutcome = action(
  'movement_recovery_outcome',
  '/v1/movements/{mrn}/recovery-outcome',
  'POST /v1/movements/{mrn}/recovery-outcome',
);
/** Officer at departure: invalidate a released movement before it arrives (IE010 to the other offices). */
export const invalidateMovement = action(
  'movement_invalidation',
  '/v1/movements/{mrn}/invalidation',
  'POST /v1/movements/{mrn}/invalidation',
);
/** Officer of the country where it happens: an incident en route (IE180 to departure). */
export const recordIncident = action(
  'movement_incident',
  '/v1/movements/{mrn}/incidents',
  'POST /v1/movements/{mrn}/incidents',
);
/** Officer at departure: decide on the movement's incidents; a CONTROLLED movement is then written off. */
export const decideIncidents = action(
  'movement_incident_decision',
  '/v1/movements/{mrn}/incident-decision',
  'POST /v1/movements/{mrn}/incident-decision',
);
