// guarantee-contention: many operators' worth of CTDs hitting ONE comprehensive
// guarantee at the same instant, with room for only ROOM of them. The
// reservation must be atomic: never overdrawn, exactly ROOM movements
// released, the rest refused GUARANTEE_INSUFFICIENT, the balance exact to the
// cent. With ICE and a second country B whose node's admin token the deployment
// file gives, the contention crosses a border: half the contenders lodge at the
// guarantee's own country A, the other half at B with the same GRN and access
// code; B asks A through ICE (IE203), A reserves in the same locked statement
// as for its own lodgings and answers (IE205), and B's movement leaves
// AWAITING_GUARANTEE released, held for control, or refused. setup() registers
// the guarantee (customs approves it), sizes it from a probe and gives the
// holder an operator account at B; every VU then lodges at once (abroad: and
// waits for A's answer); teardown() lets customs release the CTDs risk held for
// control at both nodes (they contend too) and audits the guarantee over both.
import { check, fail } from 'k6';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { Counter, Rate } from 'k6/metrics';
import { parseDeployment, countriesOf, nodeUrl } from './lib/deployment.js';
import { datasetDir, readCtdRecords, readParties } from './lib/dataset.js';
import { credentialIndex } from './lib/credentials.js';
import { submitCtd, listDeclarations } from './lib/ctd.js';
import { releaseForTransit, refuseRelease } from './lib/movement.js';
import {
  registerGuarantee,
  approveGuarantee,
  asHolder,
  issueAccessCode,
  scenarioGuarantor,
  applyFixtures,
} from './lib/parties.js';
import { auditedGuarantee, getGuarantee } from './lib/guarantee.js';
import { jsonBody } from './lib/api.js';
import { envNumber } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);
const COUNTRIES = countriesOf(deployment, __ENV.COUNTRIES);
const creds = credentialIndex(deployment, readParties(DATA));
const ROOM = Math.round(envNumber(__ENV, 'ROOM', 50));
const CONTENDERS = Math.max(ROOM + 1, Math.round(envNumber(__ENV, 'CONTENDERS', ROOM * 2)));
/** How long a CTD lodged abroad may wait for the guarantee's country to answer. */
const ANSWER_TIMEOUT_MS = envNumber(__ENV, 'ANSWER_TIMEOUT_MS', 60000);

/** @param {import('./lib/dataset.js').CtdRecord} e  a valid CTD whose office of departure has an officer we hold credentials for */
const placeable = (e) => !e.defect && creds.hasOfficer(e.ctd.offices.departure);
/** @param {import('./lib/dataset.js').Ctd} ctd */
const routing = (ctd) => /** @type {any} */ (ctd.consignment).countriesOfRouting;

/**
 * The last valid CTD of the data set (clear of the load scenarios) whose holder and
 * departure office we hold credentials for, and where the other half lodges (abroad);
 * with a second country to lodge in, the last such CTD that can be lodged there too.
 */
/**
 * @typedef {{ ctd: import('./lib/dataset.js').Ctd, token: string, country: string,
 *   abroad: { country: string, ctd: import('./lib/dataset.js').Ctd } | { unavailable: string } }} Template
 */
const template = new SharedArray(
  'contention-template',
  /** @returns {Template[]} */ () => {
    const records = readCtdRecords(DATA).filter(placeable);
    const homes = records.filter((e) => COUNTRIES.includes(e.country));
    if (homes.length === 0)
      throw new Error(
        `the data set has no valid CTD departing from ${COUNTRIES.join(', ')} with an officer at its office`,
      );
    // The last CTD of each itinerary from each country: where a CTD may be moved to.
    const itineraries = [...new Map(records.map((e) => [`${e.country} ${routing(e.ctd).join('-')}`, e])).values()];
    for (let i = homes.length - 1; i >= 0; i--) {
      const home = homes[i];
      const abroad = abroadCountries(home.country).length > 0 && movedAbroad(itineraries, home);
      if (abroad) return [{ ctd: home.ctd, token: home.token, country: home.country, abroad }];
    }
    const last = homes[homes.length - 1];
    const unavailable =
      whyNotAbroad(last.country) ||
      `the data set has no valid CTD departing from ${abroadCountries(last.country).join(', ')} with an officer at its office and an itinerary within that of a CTD from ${last.country}`;
    return [{ ctd: last.ctd, token: last.token, country: last.country, abroad: { unavailable } }];
  },
);

/**
 * Why no contender can lodge outside `country` (empty: some can, or the deployment has one country).
 * @param {string} country
 */
function whyNotAbroad(country) {
  const others = COUNTRIES.filter((c) => c !== country);
  if (others.length === 0) return '';
  if (!deployment.ice) return 'the deployment has no ICE to carry the guarantee use request';
  if (abroadCountries(country).length === 0)
    return `the deployment file gives no admin token for ${others.join(', ')}: the holder cannot get an operator account there`;
  return '';
}

/**
 * Countries where a holder of `country` can lodge with its guarantee: through ICE, at a node
 * whose admin token gives it an operator account there.
 * @param {string} country
 */
function abroadCountries(country) {
  return deployment.ice ? COUNTRIES.filter((c) => c !== country && deployment.nodes[c].adminToken) : [];
}

/**
 * The home CTD moved to a second country B: the offices and itinerary of a CTD of the data
 * set departing from B, the home CTD's goods. Duties are the highest along the itinerary, so
 * the same goods owe the same where B's itinerary crosses the same countries, no more where it
 * crosses some of them (preferred in that order); through any other country the amount to be
 * covered might fall short.
 * @param {import('./lib/dataset.js').CtdRecord[]} itineraries  placeable CTDs, one per itinerary
 * @param {import('./lib/dataset.js').CtdRecord} home
 * @returns {{ country: string, ctd: import('./lib/dataset.js').Ctd } | undefined}
 */
function movedAbroad(itineraries, home) {
  const countries = abroadCountries(home.country);
  const through = new Set(routing(home.ctd));
  const departing = itineraries.filter((e) => countries.includes(e.country));
  /** @param {import('./lib/dataset.js').CtdRecord} e */
  const within = (e) => routing(e.ctd).every((/** @type {string} */ c) => through.has(c));
  /** @param {import('./lib/dataset.js').CtdRecord} e */
  const same = (e) => within(e) && new Set(routing(e.ctd)).size === through.size;
  const placed = departing.filter(same).pop() || departing.filter(within).pop();
  if (!placed) return undefined;
  const consignment = /** @type {any} */ (placed.ctd.consignment);
  return {
    country: placed.country,
    ctd: Object.assign({}, home.ctd, {
      offices: placed.ctd.offices,
      consignment: Object.assign({}, home.ctd.consignment, {
        countryOfDispatch: consignment.countryOfDispatch,
        countryOfDestination: consignment.countryOfDestination,
        countriesOfRouting: consignment.countriesOfRouting,
        activeBorderTransportMeans: consignment.activeBorderTransportMeans,
      }),
    }),
  };
}

/** 1 when a check of the guarantee's books holds after the contention; tag `invariant`. */
const guaranteeInvariant = new Rate('guarantee_invariant');
/** 1 when the contended guarantee ended overdrawn (must stay 0). */
const guaranteeOverdrawn = new Counter('guarantee_overdrawn');
/** Movements released on the contended guarantee in the end; tag `lodged`: here (its country) or abroad. */
const contendedReleased = new Counter('contended_released');

export const options = {
  setupTimeout: '60s',
  scenarios: {
    contention: {
      executor: 'per-vu-iterations',
      vus: CONTENDERS,
      iterations: 1,
      maxDuration: `${Math.ceil(120 + ANSWER_TIMEOUT_MS / 1000)}s`,
    },
  },
  thresholds: {
    checks: ['rate==1'],
    guarantee_invariant: ['rate==1'],
    guarantee_overdrawn: ['count==0'],
    'http_req_failed{operation:ctd_submit}': ['rate==0'],
    'ctd_rejected{code:GUARANTEE_INSUFFICIENT}': [],
    'ctd_accepted{decision:release}': [],
    'ctd_accepted{decision:control}': [],
    'ctd_accepted{lodged:abroad}': [],
    'ctd_rejected{lodged:abroad}': [],
    'contended_released{lodged:here}': [],
    'contended_released{lodged:abroad}': [],
  },
};

// Each VU has its own init, so the run's identity comes from setup() to all.
const lrn = (/** @type {string} */ run, /** @type {string | number} */ n) => `GC${run}-${n}`;

function world() {
  const { ctd, token, country, abroad } = template[0];
  const holder = { tin: ctd.holder.identificationNumber, name: ctd.holder.name };
  return {
    ctd,
    token,
    holder,
    country,
    node: nodeUrl(deployment, country),
    officer: creds.officerToken(ctd.offices.departure),
    adminToken: deployment.nodes[country].adminToken,
    abroad:
      'country' in abroad
        ? {
            country: abroad.country,
            ctd: abroad.ctd,
            node: nodeUrl(deployment, abroad.country),
            officer: creds.officerToken(abroad.ctd.offices.departure),
            adminToken: /** @type {string} */ (deployment.nodes[abroad.country].adminToken),
          }
        : undefined,
    unavailable: 'unavailable' in abroad ? abroad.unavailable : '',
  };
}

export async function setup() {
  const { ctd, token, holder, node, officer, country, abroad, unavailable } = world();
  if (unavailable) console.warn(`guarantee-contention: every contender lodges in ${country}: ${unavailable}`);
  if (abroad) {
    console.info(
      `guarantee-contention: a guarantee of ${country}, contenders lodging in ${country} and ${abroad.country}`,
    );
    // The holder also trades through B: an operator account there, under the same TIN and token.
    const record = creds.operators().find((o) => o.tin === holder.tin);
    const seeded = await applyFixtures(abroad.node, abroad.adminToken, {
      operators: [
        {
          tin: holder.tin,
          name: (record && record.name) || holder.name || holder.tin,
          country,
          aeo: Boolean(record && record.aeo === true),
          token,
        },
      ],
    });
    if (seeded.res.status !== 200)
      fail(`operator account for ${holder.tin} in ${abroad.country} refused: ${seeded.res.status} ${seeded.res.body}`);
  }
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
  return { run, guarantee: contended, amount, abroad: abroad ? abroad.country : null };
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
  const { ctd, token, holder, node, abroad } = world();
  // Every other contender lodges abroad, when there is an abroad.
  const there = data.abroad && abroad && exec.vu.idInTest % 2 === 0 ? abroad : undefined;
  const lodged = there ? 'abroad' : 'here';
  const declared = asHolder(there ? there.ctd : ctd, holder, data.guarantee, lrn(data.run, exec.vu.idInTest));
  const r = await submitCtd(there ? there.node : node, token, declared, {
    expect: [200, 201, 409],
    tags: { lodged },
    awaitGuaranteeS: ANSWER_TIMEOUT_MS / 1000,
  });
  if (there)
    check(r.res, { 'lodged abroad: waits for the guarantee country to answer': (res) => isAwaiting(res) }, { lodged });
  check(
    r,
    { 'accepted, or refused for want of guarantee': (x) => x.accepted || x.code === 'GUARANTEE_INSUFFICIENT' },
    { lodged },
  );
}

/** @param {import('./lib/api.js').Response} res */
function isAwaiting(res) {
  const body = jsonBody(res);
  return res.status === 201 && body && body.state === 'AWAITING_GUARANTEE';
}

/** @param {SetupData} data */
export async function teardown(data) {
  const w = world();
  const contender = /^[0-9]+$/;
  const mine = (/** @type {any} */ d) =>
    typeof d.lrn === 'string' &&
    d.lrn.startsWith(lrn(data.run, '')) &&
    contender.test(d.lrn.slice(lrn(data.run, '').length));
  const sites = [{ lodged: 'here', node: w.node, officer: w.officer }];
  if (data.abroad && w.abroad) sites.push({ lodged: 'abroad', node: w.abroad.node, officer: w.abroad.officer });
  /** Movements released on the guarantee, at its country and abroad. */
  const released = [];
  for (const { lodged, node, officer } of sites) {
    // Customs releases what risk held back; here these reservations contend for the same room
    // (abroad the guarantee's country reserved before the decision to control).
    for (const d of (await allDeclarations(node, w.token, 'UNDER_CONTROL')).filter(mine)) {
      const r = await releaseForTransit(node, officer, d.mrn, {}, { expect: [200, 409] });
      check(
        r.res,
        {
          'controlled CTD released, or refused for want of guarantee': (res) =>
            res.status === 200 || (res.status === 409 && r.body.code === 'GUARANTEE_INSUFFICIENT'),
        },
        { lodged },
      );
    }
    const at = (await allDeclarations(node, w.token, 'RELEASED')).filter(
      (d) => mine(d) && d.reservation && d.reservation.grn === data.guarantee.grn,
    );
    contendedReleased.add(at.length, { lodged });
    released.push(...at.map((d) => ({ mrn: String(d.mrn), amount: Number(d.reservation.amount), lodged })));
  }
  const cents = (/** @type {number} */ amount) => Math.round(amount * 100);
  const reservedByMovements = released.reduce((sum, d) => sum + cents(d.amount), 0) / 100;
  const { body: g } = await getGuarantee(w.node, w.token, data.guarantee.grn);
  invariant('never overdrawn', g.reserved <= g.referenceAmount);
  invariant(
    `reserved equals the sum of released movements${data.abroad ? ` in ${w.country} and ${data.abroad}` : ''}`,
    Math.abs(g.reserved - reservedByMovements) < 0.005,
  );
  // More contenders than room: the room is used up, not a cent left for one more movement.
  const smallest = released.reduce((min, d) => Math.min(min, d.amount), data.amount);
  invariant('filled to its room', g.referenceAmount - g.reserved < smallest);
  if (released.every((d) => Math.abs(d.amount - data.amount) < 0.005))
    invariant(`releases exactly its room (${ROOM})`, released.length === ROOM);
  guaranteeOverdrawn.add(g.reserved > g.referenceAmount ? 1 : 0);
  if (data.abroad) await auditUsesAbroad(w, data, released);
}

/**
 * The guarantee's own node lists what it holds for movements declared abroad (its audit route):
 * exactly the movements released abroad, each for the amount the departure country shows.
 * @param {ReturnType<typeof world>} w
 * @param {SetupData} data
 * @param {{ mrn: string, amount: number, lodged: string }[]} released
 */
async function auditUsesAbroad(w, data, released) {
  if (!w.adminToken) {
    console.warn(`guarantee-contention: no admin token for ${w.country}: its audit of the uses abroad is not read`);
    return;
  }
  const audited = await auditedGuarantee(w.node, w.adminToken, data.guarantee.grn);
  const uses = audited ? (audited.uses || []).map((u) => `${u.departureCountry} ${u.mrn} ${u.amountMinor}`) : [];
  const expected = released
    .filter((d) => d.lodged === 'abroad')
    .map((d) => `${data.abroad} ${d.mrn} ${Math.round(d.amount * 100)}`);
  const ok = audited !== undefined && JSON.stringify(uses.sort()) === JSON.stringify(expected.sort());
  if (!ok)
    console.error(
      `uses of ${data.guarantee.grn} held abroad: ${uses.join(', ')}; released abroad: ${expected.join(', ')}`,
    );
  invariant('uses held abroad are the movements released abroad', ok);
}

/**
 * @param {string} name
 * @param {boolean} ok
 */
function invariant(name, ok) {
  guaranteeInvariant.add(ok, { invariant: name });
  check(ok, { [`guarantee ${name}`]: (v) => v });
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
