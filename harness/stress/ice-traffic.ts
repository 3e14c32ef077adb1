// The C2C traffic ICE carried during a run, from its Prometheus /metrics
// (reference/ice/metrics.ts): counters summed over their labels.
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

/** Reads ICE's metrics; undefined when ICE does not answer (the run's verdict then goes without). */
export async function readIceTraffic(httpUrl: string): Promise<IceTraffic | undefined> {
  try {
    const res = await fetch(`${httpUrl.replace(/\/$/, '')}/metrics`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? parseIceTraffic(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}
