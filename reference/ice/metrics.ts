// ICE's Prometheus metrics. Queue depth is read from the store at scrape time,
// so it counts what is on disk, not what is in memory; the stored and delivered
// totals start from the store's, so a restart does not reset them.
import client from 'prom-client';
import type { IceStore } from './store.ts';

export function iceMetrics(store: IceStore, countries: string[]) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'ice_process_' });
  const known = new Set<string>(countries);
  const queueDepth = new client.Gauge({
    name: 'ice_queue_depth',
    help: 'Messages stored and not yet acknowledged by their recipient, per recipient country',
    labelNames: ['recipient_country'],
    registers: [registry],
    async collect() {
      const depths = await store.queueDepths().catch(() => undefined);
      if (!depths) return;
      for (const c of depths.keys()) known.add(c);
      for (const c of known) this.set({ recipient_country: c }, depths.get(c) ?? 0);
    },
  });
  const metrics = {
    registry,
    queueDepth,
    stored: new client.Counter({
      name: 'ice_messages_stored_total',
      help: "Messages durably stored and acknowledged to their sender (the store's total, kept across restarts)",
      labelNames: ['sender_country', 'recipient_country', 'type'],
      registers: [registry],
    }),
    duplicates: new client.Counter({
      name: 'ice_messages_duplicate_total',
      help: 'Sends of a message id already stored (replays), acknowledged without storing again',
      labelNames: ['sender_country'],
      registers: [registry],
    }),
    refused: new client.Counter({
      name: 'ice_frames_refused_total',
      help: 'Frames refused with an error frame, by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    rejected: new client.Counter({
      name: 'ice_messages_rejected_total',
      help: 'Delivered messages their recipient acknowledged as rejected (e.g. not from the designated office)',
      labelNames: ['type', 'code', 'sender_country', 'recipient_country'],
      registers: [registry],
    }),
    deliveries: new client.Counter({
      name: 'ice_deliveries_total',
      help: "Messages acknowledged by their recipient (the store's total, kept across restarts)",
      labelNames: ['recipient_country'],
      registers: [registry],
    }),
    redeliveries: new client.Counter({
      name: 'ice_redeliveries_total',
      help: 'Deliveries of a message sent before (after a reconnect or an acknowledgement timeout)',
      labelNames: ['recipient_country'],
      registers: [registry],
    }),
    latency: new client.Histogram({
      name: 'ice_delivery_latency_seconds',
      help: 'From storage at ICE to acknowledgement by the recipient',
      labelNames: ['recipient_country'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    inFlight: new client.Gauge({
      name: 'ice_in_flight',
      help: 'Deliveries sent and not yet acknowledged, per recipient country',
      labelNames: ['recipient_country'],
      registers: [registry],
    }),
    connectionsRefused: new client.Counter({
      name: 'ice_connections_refused_total',
      help: 'Connection attempts refused because the country already had its most connections',
      labelNames: ['country'],
      registers: [registry],
    }),
    connections: new client.Gauge({
      name: 'ice_connections',
      help: 'Open node connections, per country',
      labelNames: ['country'],
      registers: [registry],
    }),
  };
  // Every country's series exists from the start, so a dashboard shows 0 rather than nothing.
  for (const c of countries) {
    metrics.inFlight.set({ recipient_country: c }, 0);
    metrics.deliveries.inc({ recipient_country: c }, 0);
    metrics.redeliveries.inc({ recipient_country: c }, 0);
    metrics.connections.set({ country: c }, 0);
  }
  return {
    ...metrics,
    /** Starts the stored and delivered totals from the store's. */
    async restoreTotals(): Promise<void> {
      for (const t of await store.totals()) {
        metrics.stored.inc({ sender_country: t.sender, recipient_country: t.recipient, type: t.type }, t.stored);
        metrics.deliveries.inc({ recipient_country: t.recipient }, t.delivered);
      }
    },
  };
}

export type IceMetrics = ReturnType<typeof iceMetrics>;
