// ice-burst: load clients speak for countries without a node (the deployment's
// ICE load identities) and send bursts of C2C messages around the ring of those
// countries. Measures sender→receiver delivery latency and counts messages
// lost (stored by ICE, never delivered) and duplicated (delivered twice);
// both must be 0.
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { setTimeout } from './lib/timers.js';
import { parseDeployment } from './lib/deployment.js';
import { openIceLink, syntheticMrn, uuid } from './lib/ice-link.js';
import { iceDeliveryLatency, iceDuplicates, iceLost } from './lib/metrics.js';
import { envNumber } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const identities = deployment.ice ? deployment.ice.loadIdentities : [];
// Load identities come with ICE.
const ice = /** @type {NonNullable<typeof deployment.ice>} */ (deployment.ice);
if (identities.length < 2)
  throw new Error(
    'ice-burst needs ICE and at least two ICE load identities (ice.loadIdentities: countries without a node) in the deployment file',
  );

const BURST = Math.round(envNumber(__ENV, 'BURST', 500));
const BURSTS = Math.round(envNumber(__ENV, 'BURSTS', 5));
const DRAIN_MS = envNumber(__ENV, 'DRAIN_MS', 30000);

/** Messages ICE stored (acknowledged to the sender). */
const iceStored = new Counter('ice_stored');
/** Messages ICE refused with an error frame. */
const iceRefused = new Counter('ice_refused');

export const options = {
  scenarios: {
    // One VU: only one connection per country receives, and it holds them all.
    bursts: { executor: 'per-vu-iterations', vus: 1, iterations: BURSTS, maxDuration: '10m' },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'],
  thresholds: {
    ice_lost: ['count==0'],
    ice_duplicates: ['count==0'],
    ice_refused: ['count==0'],
    ice_delivery_latency: [
      `p(95)<${envNumber(__ENV, 'SLO_P95_MS', 1000)}`,
      `p(99)<${envNumber(__ENV, 'SLO_P99_MS', 2000)}`,
    ],
    checks: ['rate==1'],
  },
};

export default async function () {
  const sent = new Map(); // id → send time
  const delivered = new Set();
  let stored = 0;
  /** @type {(value: void) => void} */
  let settle;
  /** @type {Promise<void>} */
  const settled = new Promise((resolve) => (settle = resolve));
  const handlers = {
    stored: () => {
      stored++;
      iceStored.add(1);
    },
    refused: (/** @type {any} */ frame) => {
      iceRefused.add(1, { code: frame.code });
      console.error(`ICE refused ${frame.ref}: ${frame.code} ${frame.message}`);
    },
    deliver: (/** @type {any} */ frame) => {
      const at = Date.now();
      const id = frame.message.id;
      if (!sent.has(id)) return; // another run's message, redelivered to this identity
      if (delivered.has(id)) {
        iceDuplicates.add(1);
        return;
      }
      delivered.add(id);
      iceDeliveryLatency.add(at - sent.get(id), { message: frame.message.type });
      if (delivered.size === sent.size) settle();
    },
  };
  /** @type {import('./lib/ice-link.js').IceLink[]} */
  const links = [];
  try {
    for (const identity of identities) links.push(await openIceLink(ice.url, identity, handlers));
    check(links, {
      "every load identity receives its country's messages": (ls) => ls.every((l) => l.welcome.receiving),
    });

    // The burst: every identity sends BURST crossing notifications to the next one in the ring.
    links.forEach((link, i) => {
      const to = links[(i + 1) % links.length].identity;
      for (let n = 0; n < BURST; n++) {
        const id = uuid();
        const now = new Date();
        sent.set(id, now.getTime());
        link.send({
          id,
          type: 'IE118',
          sender: { country: link.identity.country, office: link.identity.office },
          recipient: { country: to.country, office: to.office },
          mrn: syntheticMrn(to.country),
          sentAt: now.toISOString(),
          body: { officeOfTransit: link.identity.office, crossedAt: now.toISOString() },
        });
      }
    });
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, DRAIN_MS))]);
    // Late duplicates show up within a moment of the last delivery.
    await new Promise((resolve) => setTimeout(resolve, 200));
    check(stored, { 'ICE stored every message': (s) => s === sent.size });
    iceLost.add(sent.size - delivered.size);
  } finally {
    for (const link of links) link.close();
  }
}
