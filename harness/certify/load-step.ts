// The load and fault step: CTDs of the country's own routes lodged and
// released at a fixed arrival rate (open model: a slow node does not slow the
// schedule), the ICE connection cut and kept unreachable for a while in the
// middle, then a drain in which every anticipated record of every movement
// released must reach ICE under one id.
import { TrafficModel } from '../../generators/traffic.ts';
import { succeeded } from './node-client.ts';
import { countryOf, ctdFor, declaredOffices, departingRoutes } from './region.ts';
import type { Session } from './session.ts';

export interface LoadOptions {
  ratePerSecond: number;
  durationSeconds: number;
  /** When the ICE connection is cut, from the start (s); none: no fault. */
  faultAtSeconds?: number;
  /** How long ICE stays unreachable (s). */
  faultForSeconds: number;
  /** Longest wait after the load for the outboxes to drain (s). */
  drainSeconds: number;
  /** The p99 bound of the SLO (ms). */
  sloP99Ms: number;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  options: LoadOptions;
  /** Projected peak hour of the country's routes (CTDs per second), what the default rate multiplies. */
  projectedPeakPerSecond: number;
  movementsStarted: number;
  movementsReleased: number;
  requests: number;
  failedRequests: { operation: string; status: number; code?: string }[];
  latencyMs: Record<string, Percentiles>;
  achievedRatePerSecond: number;
  outage?: { from: string; to: string; movementsStarted: number; movementsReleased: number; failedRequests: number };
  expectedMessages: number;
  /** (MRN, type, office) that ICE never stored. */
  lost: string[];
  /** (MRN, type, office) that reached ICE under more than one id. */
  splitIds: string[];
  reconnected: boolean;
}

const year = new Date().getUTCFullYear();

/** CTDs per second in the busiest projected hour of the routes departing from `country`. */
export function projectedPeak(country: string): number {
  const routes = departingRoutes(country);
  return routes.length === 0 ? 0 : new TrafficModel(routes, year).yearPeak().ctdsPerSecond;
}

function percentiles(values: number[]): Percentiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length === 0 ? 0 : v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!);
  return { count: v.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: v.at(-1) ?? 0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(s: Session, o: LoadOptions): Promise<LoadResult> {
  const routes = departingRoutes(s.country);
  const latency: Record<string, number[]> = { lodge: [], present: [], release: [] };
  const failed: LoadResult['failedRequests'] = [];
  const released: { mrn: string; route: (typeof routes)[number]; startedAt: number }[] = [];
  let requests = 0;
  let started = 0;
  let outage: { from: number; to: number } | undefined;
  const inOutage: { started: number; released: number; failed: number } = { started: 0, released: 0, failed: 0 };
  const mark = s.ice.received.length - 1;

  const timed = async <T extends { status: number; body: { code?: string } | undefined }>(
    op: string,
    call: () => Promise<T>,
  ) => {
    const t0 = performance.now();
    const a = await call();
    latency[op]!.push(performance.now() - t0);
    requests++;
    if (!succeeded(a as never)) {
      failed.push({ operation: op, status: a.status, code: a.body?.code });
      if (outage && Date.now() >= outage.from && Date.now() <= outage.to) inOutage.failed++;
    }
    return a;
  };

  const movement = async (n: number) => {
    const route = routes[n % routes.length]!;
    const startedAt = Date.now();
    const during = outage !== undefined && startedAt >= outage.from && startedAt <= outage.to;
    if (during) inOutage.started++;
    try {
      // The CTD is drawn before the clock starts: only the node's answer is timed.
      const ctd = ctdFor(route, s.holder, s.lrn('P'), s.random);
      const lodged = await timed('lodge', () => s.node.post('/v1/declarations', ctd, s.holder.token));
      if (!succeeded(lodged)) return;
      const mrn = String(lodged.body?.mrn);
      let state = lodged.body?.state;
      if (state === 'ACCEPTED')
        state = (await timed('present', () => s.node.post(`/v1/declarations/${mrn}/presentation`, {}, s.holder.token)))
          .body?.state;
      if (state === 'UNDER_CONTROL')
        state = (await timed('release', () => s.node.post(`/v1/declarations/${mrn}/release`, {}, s.officer.token))).body
          ?.state;
      if (state === 'RELEASED') {
        released.push({ mrn, route, startedAt });
        if (during) inOutage.released++;
      }
    } catch (err) {
      failed.push({ operation: 'movement', status: 0, code: (err as Error).message.slice(0, 200) });
    }
  };

  const t0 = Date.now();
  const total = Math.max(1, Math.round(o.ratePerSecond * o.durationSeconds));
  const inFlight = new Set<Promise<void>>();
  let fault: Promise<void> | undefined;
  if (routes.length > 0) {
    if (o.faultAtSeconds !== undefined) {
      fault = (async () => {
        await sleep(o.faultAtSeconds! * 1000);
        // Messages taken in the second before the cut are never confirmed: the node must send them again.
        s.ice.holdBack(() => true);
        await sleep(1000);
        outage = { from: Date.now(), to: Date.now() + o.faultForSeconds * 1000 };
        s.ice.down = true;
        s.ice.cut();
        await sleep(o.faultForSeconds * 1000);
        s.ice.down = false;
        s.ice.holdBack(undefined);
      })();
    }
    for (let n = 0; n < total; n++) {
      const due = t0 + (n * 1000) / o.ratePerSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      started++;
      const p = movement(n).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    await fault;
  }
  const loadEnded = Date.now();

  const expected = released.flatMap(({ mrn, route }) => {
    const d = declaredOffices(route);
    return [
      ...(countryOf(d.destination) !== s.country ? [{ mrn, type: 'IE001', office: d.destination }] : []),
      ...d.transit.filter((t) => countryOf(t) !== s.country).map((office) => ({ mrn, type: 'IE050', office })),
    ];
  });
  const key = (m: { mrn: string; type: string; office: string }) => `${m.mrn} ${m.type} → ${m.office}`;
  const idsOf = () => {
    const ids = new Map<string, Set<string>>();
    for (const r of s.ice.received) {
      // Only what ICE confirmed counts: a message it never confirmed was not taken.
      if (r.seq <= mark || !r.stored) continue;
      const k = key({ mrn: r.message?.mrn, type: r.message?.type, office: r.message?.recipient?.office });
      ids.set(k, (ids.get(k) ?? new Set()).add(String(r.message?.id)));
    }
    return ids;
  };
  let reconnected = s.ice.connected;
  const drainUntil = Date.now() + o.drainSeconds * 1000;
  for (;;) {
    reconnected ||= s.ice.connected;
    const ids = idsOf();
    if (expected.every((e) => ids.has(key(e))) || Date.now() > drainUntil) break;
    await sleep(250);
  }
  const ids = idsOf();
  const seconds = Math.max(0.001, (loadEnded - t0) / 1000);
  return {
    options: o,
    projectedPeakPerSecond: projectedPeak(s.country),
    movementsStarted: started,
    movementsReleased: released.length,
    requests,
    failedRequests: failed.slice(0, 50),
    latencyMs: Object.fromEntries(Object.entries(latency).map(([op, v]) => [op, percentiles(v)])),
    achievedRatePerSecond: started / seconds,
    outage: outage && {
      from: new Date(outage.from).toISOString(),
      to: new Date(outage.to).toISOString(),
      movementsStarted: inOutage.started,
      movementsReleased: inOutage.released,
      failedRequests: inOutage.failed,
    },
    expectedMessages: expected.length,
    lost: expected.filter((e) => !ids.has(key(e))).map(key),
    splitIds: expected.filter((e) => (ids.get(key(e))?.size ?? 0) > 1).map(key),
    reconnected: reconnected || s.ice.connected,
  };
}

/** Every request's p99 across operations. */
export function overallP99(r: LoadResult): number {
  return Math.max(0, ...Object.values(r.latencyMs).map((p) => p.p99));
}
