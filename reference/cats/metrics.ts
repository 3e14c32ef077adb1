// The node's Prometheus metrics. Labels are bounded: route templates (not
// URLs), status codes, outcome codes from a fixed list, states, guarantee types,
// currencies and guarantors (a few insurers and banks per country). What is read from the database at scrape time is one cheap
// query per gauge, bounded in time.
import client from 'prom-client';
import type pg from 'pg';
import { guaranteeTotals, guarantorTotals } from '../store/guarantees.ts';
import { oldestPendingAge } from '../store/outbox.ts';
import type { BusinessClock } from '../domain/business-clock.ts';
import { MovementMetrics } from './movement-metrics.ts';
import type { Notifier } from './notifier.ts';

/** How long a scrape waits for the database: a gauge not read in time shows NaN (no labels) or no series in that scrape. */
const SCRAPE_QUERY_TIMEOUT_MS = 500;

/** The query's result, or undefined when it failed or took longer than the scrape may wait. */
async function withinScrapeTimeout<T>(query: Promise<T>): Promise<T | undefined> {
  let giveUp = () => {};
  const late = new Promise<undefined>((resolve) => (giveUp = () => resolve(undefined)));
  const timer = setTimeout(giveUp, SCRAPE_QUERY_TIMEOUT_MS);
  try {
    return await Promise.race([query.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** About 10 % apart from 1 to 25 ms, where lodgings take, so a quantile read from them moves with a 10 % change. */
export const LODGING_BUCKETS = [
  0.001, 0.0011, 0.0012, 0.0013, 0.0015, 0.0016, 0.0018, 0.002, 0.0022, 0.0024, 0.0027, 0.003, 0.0033, 0.0036, 0.004,
  0.0044, 0.0048, 0.0053, 0.0058, 0.0064, 0.007, 0.0077, 0.0085, 0.0094, 0.0103, 0.0113, 0.0125, 0.0137, 0.0151, 0.0166,
  0.0183, 0.0201, 0.0221, 0.0243, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

export class NodeMetrics {
  readonly registry = new client.Registry();
  readonly requests: client.Histogram<'method' | 'route' | 'status'>;
  readonly lodgingTime: client.Histogram;
  readonly declarations: client.Counter<'outcome'>;
  readonly transitions: client.Counter<'event'>;
  readonly c2cRejected: client.Counter<'type' | 'code'>;
  readonly movements: MovementMetrics;
  readonly pastLimit: client.Gauge;
  readonly guaranteeUses: client.Counter<'outcome' | 'departure_country'>;

  constructor(country: string, pool: pg.Pool, notifier: Notifier, clock: BusinessClock) {
    this.registry.setDefaultLabels({ country });
    client.collectDefaultMetrics({ register: this.registry, prefix: 'cats_node_' });
    this.requests = new client.Histogram({
      name: 'cats_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.lodgingTime = new client.Histogram({
      name: 'cats_declaration_lodging_seconds',
      help: 'Time this node took to lodge each CTD it accepted (2xx), from request to response; buckets fine enough for its quantiles',
      buckets: LODGING_BUCKETS,
      registers: [this.registry],
    });
    this.declarations = new client.Counter({
      name: 'cats_declarations_total',
      help: 'CTD submissions by outcome (released, controlled, prelodged, replayed, or the rejection code)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.transitions = new client.Counter({
      name: 'cats_movement_events_total',
      help: 'Movement state transitions applied, by event',
      labelNames: ['event'],
      registers: [this.registry],
    });
    this.c2cRejected = new client.Counter({
      name: 'cats_c2c_rejected_total',
      help: 'C2C messages received through ICE and rejected (acknowledged, not applied), by type and code',
      labelNames: ['type', 'code'],
      registers: [this.registry],
    });
    this.movements = new MovementMetrics(this.registry);
    // Movements waiting here for another country's answer are cats_movements_open{state="AWAITING_GUARANTEE"}.
    this.guaranteeUses = new client.Counter({
      name: 'cats_guarantee_uses_total',
      help: 'Requests (IE203) from offices of departure of other countries to reserve on guarantees registered here, by outcome (reserved, refused) and departure country',
      labelNames: ['outcome', 'departure_country'],
      registers: [this.registry],
    });
    // Set by the time-limit scheduler at each check: no query at scrape time.
    this.pastLimit = new client.Gauge({
      name: 'cats_movements_past_limit',
      help: 'Movements declared here past their limit date in business time without arrival (released, in transit or under enquiry), as of the last time-limit check; open enquiries and recoveries are cats_movements_open{state="ENQUIRY"|"RECOVERY"}',
      registers: [this.registry],
    });
    new client.Gauge({
      name: 'cats_business_clock_factor',
      help: 'Business seconds per real second: limit dates, enquiry and recovery periods run on business time; durations in seconds elsewhere are real time',
      registers: [this.registry],
      collect() {
        this.set(clock.anchor.factor);
      },
    });
    new client.Gauge({
      name: 'cats_websocket_subscribers',
      help: 'Open notification streams',
      registers: [this.registry],
      collect() {
        this.set(notifier.subscribers);
      },
    });
    new client.Gauge({
      name: 'cats_db_pool_clients',
      help: 'Database pool clients by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new client.Gauge({
      name: 'cats_outbox_pending_messages',
      help: 'C2C messages written but not yet sent (those ICE refused left out)',
      registers: [this.registry],
      async collect() {
        const n = await withinScrapeTimeout(
          pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND refused_at IS NULL',
          ),
        );
        this.set(n?.rows[0]!.n ?? NaN);
      },
    });
    new client.Gauge({
      name: 'cats_outbox_refused_messages',
      help: 'C2C messages ICE refused for good (kept in the outbox with its answer, not sent again)',
      registers: [this.registry],
      async collect() {
        const n = await withinScrapeTimeout(
          pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE refused_at IS NOT NULL'),
        );
        this.set(n?.rows[0]!.n ?? NaN);
      },
    });
    new client.Gauge({
      name: 'cats_outbox_oldest_pending_age_seconds',
      help: 'Age of the first C2C message not yet sent to ICE, in relay order (0 when none waits)',
      registers: [this.registry],
      async collect() {
        this.set((await withinScrapeTimeout(oldestPendingAge(pool))) ?? NaN);
      },
    });
    new client.Gauge({
      name: 'cats_guarantee_amount',
      help: 'Guarantee amounts in currency units summed per guarantee type and currency: reserved for movements, and reference amount',
      labelNames: ['type', 'currency', 'kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const t of (await withinScrapeTimeout(guaranteeTotals(pool))) ?? []) {
          // Minor units to currency units, as the API shows amounts.
          this.set({ type: t.type, currency: t.currency, kind: 'reserved' }, t.reserved / 100);
          this.set({ type: t.type, currency: t.currency, kind: 'reference' }, t.referenceAmount / 100);
        }
      },
    });
    new client.Gauge({
      name: 'cats_guarantor_exposure',
      help: 'Exposure of each guarantor (insurer or bank) on the guarantees it backs, in currency units per currency: reserved and still available',
      labelNames: ['guarantor', 'currency', 'kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const t of (await withinScrapeTimeout(guarantorTotals(pool))) ?? []) {
          this.set({ guarantor: t.guarantor, currency: t.currency, kind: 'reserved' }, t.reserved / 100);
          this.set(
            { guarantor: t.guarantor, currency: t.currency, kind: 'available' },
            (t.referenceAmount - t.reserved) / 100,
          );
        }
      },
    });
  }
}
