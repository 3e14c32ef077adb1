// The node's Prometheus metrics. Labels are bounded: route templates (not
// URLs), status codes, outcome codes from a fixed list.
import client from 'prom-client';
import type pg from 'pg';
import type { Notifier } from './notifier.ts';

export class NodeMetrics {
  readonly registry = new client.Registry();
  readonly requests: client.Histogram<'method' | 'route' | 'status'>;
  readonly declarations: client.Counter<'outcome'>;
  readonly transitions: client.Counter<'event'>;

  constructor(country: string, pool: pg.Pool, notifier: Notifier) {
    this.registry.setDefaultLabels({ country });
    client.collectDefaultMetrics({ register: this.registry, prefix: 'cats_node_' });
    this.requests = new client.Histogram({
      name: 'cats_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
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
      help: 'C2C messages written but not yet sent',
      registers: [this.registry],
      async collect() {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
        this.set(rows[0]!.n);
      },
    });
  }
}
