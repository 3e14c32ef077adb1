// The C2C traffic ICE carried during a run, from its Prometheus /metrics
// (reference/ice/metrics.ts): counters summed over their labels.

export interface IceTraffic {
  stored: number;
  delivered: number;
  redelivered: number;
  refused: number;
  /** Messages stored and not yet acknowledged by their recipient when read. */
  queued: number;
  /** Refused frames by error code (e.g. UNKNOWN_RECIPIENT: a country outside the exchange). */
  refusedByCode: Record<string, number>;
}

const SERIES: Record<Exclude<keyof IceTraffic, 'refusedByCode'>, string> = {
  stored: 'ice_messages_stored_total',
  delivered: 'ice_deliveries_total',
  redelivered: 'ice_redeliveries_total',
  refused: 'ice_frames_refused_total',
  queued: 'ice_queue_depth',
};

/** Sums each series of a Prometheus text exposition. */
export function parseIceTraffic(text: string): IceTraffic {
  const out: IceTraffic = { stored: 0, delivered: 0, redelivered: 0, refused: 0, queued: 0, refusedByCode: {} };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line.trim());
    if (!m) continue;
    const value = Number(m[3]);
    for (const [key, name] of Object.entries(SERIES) as [Exclude<keyof IceTraffic, 'refusedByCode'>, string][])
      if (m[1] === name) out[key] += value;
    const code = m[1] === SERIES.refused ? /code="([^"]*)"/.exec(m[2] ?? '')?.[1] : undefined;
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
