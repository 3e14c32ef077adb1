// The C2C traffic ICE carried during a run, from its Prometheus /metrics
// (reference/ice/metrics.ts): counters summed over their labels, read before and
// after the run, so a kept deployment's earlier traffic is not counted.
import { parseExposition } from './metrics-exposition.ts';

export interface IceTraffic {
  stored: number;
  delivered: number;
  redelivered: number;
  refused: number;
  /** Messages stored and not yet acknowledged by their recipient when read. */
  queued: number;
  /** Refused frames by error code (e.g. UNKNOWN_RECIPIENT: a country outside the exchange). */
  refusedByCode: Record<string, number>;
  /** From storage at ICE to the recipient's acknowledgement, over all deliveries (its histogram's sum and count). */
  deliveryLatency?: { count: number; sumSeconds: number };
}

const SERIES: Record<Exclude<keyof IceTraffic, 'refusedByCode' | 'deliveryLatency'>, string> = {
  stored: 'ice_messages_stored_total',
  delivered: 'ice_deliveries_total',
  redelivered: 'ice_redeliveries_total',
  refused: 'ice_frames_refused_total',
  queued: 'ice_queue_depth',
};
const LATENCY = { count: 'ice_delivery_latency_seconds_count', sum: 'ice_delivery_latency_seconds_sum' };

/** Sums each series of ICE's text exposition over its labels. */
export function parseIceTraffic(text: string): IceTraffic {
  const samples = parseExposition(text, [...Object.values(SERIES), LATENCY.count, LATENCY.sum]);
  const sum = (name: string) => samples.get(name)?.reduce((a, x) => a + x.value, 0) ?? 0;
  const out: IceTraffic = {
    stored: sum(SERIES.stored),
    delivered: sum(SERIES.delivered),
    redelivered: sum(SERIES.redelivered),
    refused: sum(SERIES.refused),
    queued: sum(SERIES.queued),
    refusedByCode: {},
  };
  if (samples.has(LATENCY.count)) out.deliveryLatency = { count: sum(LATENCY.count), sumSeconds: sum(LATENCY.sum) };
  for (const { labels, value } of samples.get(SERIES.refused) ?? []) {
    const code = /code="([^"]*)"/.exec(labels)?.[1];
    if (code && value > 0) out.refusedByCode[code] = (out.refusedByCode[code] ?? 0) + value;
  }
  return out;
}

/**
 * What ICE carried between two readings. A counter that went down was reset by a
 * restart (its count since then is all that is known, as Prometheus' increase()
 * reads it); the stored and delivered totals survive restarts.
 */
export function trafficSince(before: IceTraffic | undefined, after: IceTraffic): IceTraffic {
  if (!before) return after;
  const since = (a: number, b: number) => (a >= b ? a - b : a);
  const refusedByCode: Record<string, number> = {};
  for (const [code, n] of Object.entries(after.refusedByCode)) {
    const d = since(n, before.refusedByCode[code] ?? 0);
    if (d > 0) refusedByCode[code] = d;
  }
  const out: IceTraffic = {
    stored: since(after.stored, before.stored),
    delivered: since(after.delivered, before.delivered),
    redelivered: since(after.redelivered, before.redelivered),
    refused: since(after.refused, before.refused),
    queued: after.queued,
    refusedByCode,
  };
  const [a, b] = [after.deliveryLatency, before.deliveryLatency];
  if (a)
    out.deliveryLatency =
      b && a.count >= b.count ? { count: a.count - b.count, sumSeconds: a.sumSeconds - b.sumSeconds } : a;
  return out;
}

/** Reads ICE's metrics; undefined when ICE does not answer (the run's verdict then goes without). */
export async function readIceTraffic(httpUrl: string): Promise<IceTraffic | undefined> {
  try {
    const res = await fetch(`${httpUrl.replace(/\/$/, '')}/metrics`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? parseIceTraffic(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}
