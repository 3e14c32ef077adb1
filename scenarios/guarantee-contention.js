// guarantee-contention: many operators' worth of CTDs hitting ONE comprehensive
// guarantee at the same instant, with room for only ROOM of them. The
// reservation must be atomic: never overdrawn, exactly ROOM movements
// released, the rest refused GUARANTEE_INSUFFICIENT, the balance exact to the
// cent. setup() registers the guarantee (customs approves it) and sizes it from
// a probe; every VU then lodges at once; teardown() lets customs release the
// CTDs risk held for control (they contend too) and audits the guarantee.
import { check, fail } from 'k6';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { Counter, Rate } from 'k6/metrics';
import { parseDeployment, countriesOf, nodeUrl } from './lib/deployment.js';
import { datasetDir, readCtdRecords, readParties } from './lib/dataset.js';
import { credentialIndex } from './lib/credentials.js';
import { submitCtd, listDeclarations } from './lib/ctd.js';
import { releaseForTransit, refuseRelease } from './lib/movement.js';
import { registerGuarantee, approveGuarantee, asHolder, issueAccessCode, scenarioGuarantor } from './lib/parties.js';
import { getGuarantee } from './lib/guarantee.js';
import { envNumber } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);
const COUNTRIES = countriesOf(deployment, __ENV.COUNTRIES);
const creds = credentialIndex(deployment, readParties(DATA));
const ROOM = Math.round(envNumber(__ENV, 'ROOM', 50));
const CONTENDERS = Math.max(ROOM + 1, Math.round(envNumber(__ENV, 'CONTENDERS', ROOM * 2)));

// The last valid CTD of the data set (clear of the load scenarios) whose holder and departure office we hold credentials for.
const template = new SharedArray('contention-template', () => {
  const records = readCtdRecords(DATA);
  for (let i = records.length - 1; i >= 0; i--) {
    const e = records[i];
    if (!e.defect && COUNTRIES.includes(e.country) && creds.hasOfficer(e.ctd.offices.departure))
      return [{ ctd: e.ctd, token: e.token, country: e.country }];
  }
  throw new Error(`the data set has no valid CTD departing from ${COUNTRIES.join(', ')} with an officer at its office`);
});

/** 1 when a check of the guarantee's books holds after the contention; tag `invariant`. */
const guaranteeInvariant = new Rate('guarantee_invariant');
/** 1 when the contended guarantee ended overdrawn (must stay 0). */
const guaranteeOverdrawn = new Counter('guarantee_overdrawn');

export const options = {
  setupTimeout: '60s',
  scenarios: {
    contention: { executor: 'per-vu-iterations', vus: CONTENDERS, iterations: 1, maxDuration: '2m' },
  },
  thresholds: {
    guarantee_invariant: ['rate==1'],
    guarantee_overdrawn: ['count==0'],
    'http_req_failed{operation:ctd_submit}': ['rate==0'],
    'ctd_rejected{code:GUARANTEE_INSUFFICIENT}': [],
    'ctd_accepted{decision:release}': [],
    'ctd_accepted{decision:control}': [],
  },
};

// Each VU has its own init, so the run's identity comes from setup() to all.
const lrn = (/** @type {string} */ run, /** @type {string | number} */ n) => `GC${run}-${n}`;

function world() {
  const { ctd, token, country } = template[0];
  const holder = { tin: ctd.holder.identificationNumber, name: ctd.holder.name };
  return { ctd, token, holder, node: nodeUrl(deployment, country), officer: creds.officerToken(ctd.offices.departure) };
}

export async function setup() {
  const { ctd, token, holder, node, officer } = world();
  const reference = ctd.guarantees[0].references[0];
  // A probe on a roomy guarantee learns what one such movement reserves.
  const run = Date.now().toString(36).toUpperCase();
  const roomy = await newGuarantee(
    node,
    token,
    officer,
    reference.currency,
    Math.ceil(reference.amountToBeCovered * 10) + 1000,
  );
  let amount;
  for (let n = 0; n < 20 && amount === undefined; n++) {
    const probe = await submitCtd(node, token, asHolder(ctd, holder, roomy, lrn(run, `P${n}`)));
    if (!probe.accepted) fail(`probe CTD refused: ${probe.res.status} ${probe.res.body}`);
    if (probe.body.reservation) amount = probe.body.reservation.amount;
    else await refuseRelease(node, officer, probe.mrn, { reason: 'probe held for control: not needed' });
  }
  if (amount === undefined) fail('no probe CTD was released: risk holds all of them for control');
  // Room for exactly ROOM reservations, and half of one more.
  const contended = await newGuarantee(
    node,
    token,
    officer,
    reference.currency,
    Math.round(amount * (ROOM + 0.5) * 100) / 100,
  );
  return { run, guarantee: contended, amount };
}

/**
 * @param {string} node
 * @param {string} token
 * @param {string} officer
 * @param {string} currency
 * @param {number} referenceAmount
 */
async function newGuarantee(node, token, officer, currency, referenceAmount) {
  const tin = world().holder.tin;
  const registered = await registerGuarantee(node, token, {
    type: '1',
    referenceAmount,
    currency,
    guarantor: scenarioGuarantor(tin),
  });
  if (registered.res.status !== 201)
    fail(`guarantee registration refused: ${registered.res.status} ${registered.res.body}`);
  const approved = await approveGuarantee(node, officer, registered.body.grn);
  if (approved.res.status !== 200) fail(`guarantee approval refused: ${approved.res.status} ${approved.res.body}`);
  // The code issued at approval went to the holder's notification stream; a new one is simpler to read.
  const code = await issueAccessCode(node, token, registered.body.grn);
  if (code.res.status !== 200) fail(`access code refused: ${code.res.status} ${code.res.body}`);
  return { type: '1', grn: registered.body.grn, accessCode: code.body.accessCode };
}

/** @typedef {Awaited<ReturnType<typeof setup>>} SetupData */

/** @param {SetupData} data */
export default async function (data) {
  const { ctd, token, holder, node } = world();
  const r = await submitCtd(node, token, asHolder(ctd, holder, data.guarantee, lrn(data.run, exec.vu.idInTest)), {
    expect: [200, 201, 409],
  });
  check(r, { 'accepted, or refused for want of guarantee': (x) => x.accepted || x.code === 'GUARANTEE_INSUFFICIENT' });
}

/** @param {SetupData} data */
export async function teardown(data) {
  const { token, node, officer } = world();
  const contender = /^[0-9]+$/;
  const mine = (/** @type {any} */ d) =>
    typeof d.lrn === 'string' &&
    d.lrn.startsWith(lrn(data.run, '')) &&
    contender.test(d.lrn.slice(lrn(data.run, '').length));
  // Customs releases what risk held back; these reservations contend for the same room.
  for (const d of (await allDeclarations(node, token, 'UNDER_CONTROL')).filter(mine)) {
    const r = await releaseForTransit(node, officer, d.mrn, {}, { expect: [200, 409] });
    check(r.res, {
      'controlled CTD released, or refused for want of guarantee': (res) =>
        res.status === 200 || (res.status === 409 && r.body.code === 'GUARANTEE_INSUFFICIENT'),
    });
  }
  const released = (await allDeclarations(node, token, 'RELEASED')).filter(
    (d) => mine(d) && d.reservation && d.reservation.grn === data.guarantee.grn,
  );
  const reservedByMovements = released.reduce((sum, d) => sum + Math.round(d.reservation.amount * 100), 0) / 100;
  const { body: g } = await getGuarantee(node, token, data.guarantee.grn);
  const invariant = (/** @type {string} */ name, /** @type {boolean} */ ok) => {
    guaranteeInvariant.add(ok, { invariant: name });
    check(ok, { [`guarantee ${name}`]: (v) => v });
  };
  invariant('never overdrawn', g.reserved <= g.referenceAmount);
  invariant('reserved equals the sum of released movements', Math.abs(g.reserved - reservedByMovements) < 0.005);
  // More contenders than room: the room is used up, not a cent left for one more movement.
  const smallest = released.reduce((min, d) => Math.min(min, d.reservation.amount), data.amount);
  invariant('filled to its room', g.referenceAmount - g.reserved < smallest);
  if (released.every((d) => Math.abs(d.reservation.amount - data.amount) < 0.005))
    invariant(`releases exactly its room (${ROOM})`, released.length === ROOM);
  guaranteeOverdrawn.add(g.reserved > g.referenceAmount ? 1 : 0);
}

/**
 * @param {string} node
 * @param {string} token
 * @param {string} state
 */
async function allDeclarations(node, token, state) {
  /** @type {any[]} */
  const out = [];
  /** @type {string | undefined} */
  let after;
  for (;;) {
    const { items, next } = await listDeclarations(node, token, state, { limit: 100, after });
    out.push(...items);
    if (!next) return out;
    after = next;
  }
}
