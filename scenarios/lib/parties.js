// Operator and guarantee approval flows of spec v0 (user account approval,
// guarantee approval by customs).
import { jsonBody, request } from './api.js';

/**
 * A trader registers as a CATS operator (public route); the account waits for customs.
 * @param {string} nodeUrl
 * @param {unknown} operator
 */
export async function registerOperator(nodeUrl, operator) {
  const res = await request('POST', `${nodeUrl}/v1/operators`, operator, {
    operation: 'operator_register',
    name: 'POST /v1/operators',
  });
  return { res, body: jsonBody(res) };
}

/**
 * Customs approves the operator's account, confirming its AEO status.
 * @param {string} nodeUrl
 * @param {string} officerToken
 * @param {string} tin
 * @param {boolean} aeo
 */
export async function approveOperator(nodeUrl, officerToken, tin, aeo) {
  const res = await request(
    'POST',
    `${nodeUrl}/v1/operators/${tin}/approval`,
    { aeo },
    {
      token: officerToken,
      operation: 'operator_approve',
      name: 'POST /v1/operators/{tin}/approval',
    },
  );
  return { res, body: jsonBody(res) };
}

/**
 * The guarantor a scenario's guarantees name: an insurer of the holder's country.
 * @param {string} tin the holder's TIN
 */
export function scenarioGuarantor(tin) {
  return { kind: 'insurer', identificationNumber: `${tin.slice(0, 2)}900000099`, name: 'Scenario Transit Insurance' };
}

/**
 * The operator registers a guarantee; the node allocates its GRN (the access code comes with approval).
 * @param {string} nodeUrl
 * @param {string} operatorToken
 * @param {unknown} guarantee
 */
export async function registerGuarantee(nodeUrl, operatorToken, guarantee) {
  const res = await request('POST', `${nodeUrl}/v1/guarantees`, guarantee, {
    token: operatorToken,
    operation: 'guarantee_register',
    name: 'POST /v1/guarantees',
  });
  return { res, body: jsonBody(res) };
}

/**
 * Customs approves the guarantee at a level (default: the AEO rule's proposal): it becomes
 * usable in declarations, and its access code goes to the holder alone (on its notification
 * stream; see issueAccessCode).
 * @param {string} nodeUrl
 * @param {string} officerToken
 * @param {string} grn
 * @param {100 | 50 | 25} [level]
 */
export async function approveGuarantee(nodeUrl, officerToken, grn, level) {
  const res = await request('POST', `${nodeUrl}/v1/guarantees/${grn}/approval`, level === undefined ? {} : { level }, {
    token: officerToken,
    operation: 'guarantee_approve',
    name: 'POST /v1/guarantees/{grn}/approval',
  });
  return { res, body: jsonBody(res) };
}

/**
 * The holder issues a new access code for its guarantee (the answer is the only place it is shown).
 * @param {string} nodeUrl
 * @param {string} operatorToken
 * @param {string} grn
 */
export async function issueAccessCode(nodeUrl, operatorToken, grn) {
  const res = await request(
    'POST',
    `${nodeUrl}/v1/guarantees/${grn}/access-code`,
    {},
    {
      token: operatorToken,
      operation: 'guarantee_access_code',
      name: 'POST /v1/guarantees/{grn}/access-code',
    },
  );
  return { res, body: jsonBody(res) };
}

/**
 * The CTD as lodged by another holder under another guarantee: same goods, route and amounts.
 * @param {import('./dataset.js').Ctd} ctd
 * @param {{ tin: string, name?: string }} holder
 * @param {{ type: string, grn: string, accessCode: string }} guarantee
 * @param {string} lrn
 * @returns {import('./dataset.js').Ctd}
 */
export function asHolder(ctd, holder, guarantee, lrn) {
  const reference = ctd.guarantees[0].references[0];
  return Object.assign({}, ctd, {
    lrn,
    holder: Object.assign({}, ctd.holder, { identificationNumber: holder.tin, name: holder.name }),
    guarantees: [
      {
        type: guarantee.type,
        references: [
          {
            grn: guarantee.grn,
            accessCode: guarantee.accessCode,
            amountToBeCovered: reference.amountToBeCovered,
            currency: reference.currency,
          },
        ],
      },
    ],
  });
}

/**
 * An administrator seeds parties with known tokens (idempotent upsert), e.g. an operator
 * account for a holder who also lodges in this node's country.
 * @param {string} nodeUrl
 * @param {string} adminToken
 * @param {{ operators?: { tin: string, name: string, country: string, aeo: boolean, token: string }[] }} fixtures
 */
export async function applyFixtures(nodeUrl, adminToken, fixtures) {
  const res = await request('POST', `${nodeUrl}/v1/admin/fixtures`, fixtures, {
    token: adminToken,
    operation: 'admin_fixtures',
    name: 'POST /v1/admin/fixtures',
  });
  return { res, body: jsonBody(res) };
}
