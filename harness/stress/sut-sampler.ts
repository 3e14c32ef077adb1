// The system under test's own resource use during a run: every part's Prometheus
// /metrics (prom-client's text exposition) scraped once a second, the few series that
// say what saturates (CPU, memory, event-loop lag, DB pool, ICE queue), one NDJSON line
// per second and part in sut.ndjson (harness/report/sut-file.ts). A failed scrape is
// recorded as a gap; the sampler never fails the run.
import { createWriteStream } from 'node:fs';
import { routes } from '../../reference/spec/routes.ts';
import type { DeploymentFile } from '../deploy/deployment-file.ts';
import type { SutLine } from '../report/sut-file.ts';
import { parseExposition, type Samples } from './metrics-exposition.ts';

export interface SutPart {
  /** `node KZ`, `ICE`. */
  part: string;
  metricsUrl: string;
}

/** Every part of a deployment that publishes /metrics: each node, and ICE when it gives its HTTP address. */
export function sutParts(d: DeploymentFile): SutPart[] {
  const parts = Object.entries(d.nodes).map(([country, n]) => ({
    part: `node ${country}`,
    metricsUrl: `${n.url.replace(/\/+$/, '')}/metrics`,
  }));
  if (d.ice?.httpUrl) parts.push({ part: 'ICE', metricsUrl: `${d.ice.httpUrl.replace(/\/+$/, '')}/metrics` });
  return parts;
}

const REQUEST_COUNT = 'cats_http_request_duration_seconds_count';
const REQUEST_SUM = 'cats_http_request_duration_seconds_sum';
// A node's CTD lodgings that it accepted (2xx), timed by the node itself from request to response.
const LODGING = `method="${routes.submitDeclaration.method}",route="${routes.submitDeclaration.path}",status="2`;

// Its own histogram of the same lodgings, in buckets fine enough for a median (reference/cats/metrics.ts).
const LODGING_BUCKET = 'cats_declaration_lodging_seconds_bucket';

// Matched by suffix: prom-client's default metrics carry each part's prefix (cats_node_, ice_process_).
const WANTED = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
  'cats_db_pool_clients',
  'ice_queue_depth',
  'ice_in_flight',
  'cats_outbox_pending_messages',
  REQUEST_COUNT,
  REQUEST_SUM,
  LODGING_BUCKET,
];

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const first = (s: Samples, name: string) => s.get(name)?.[0]?.value;
const sum = (s: Samples, name: string) => s.get(name)?.reduce((a, x) => a + x.value, 0);
const labelled = (s: Samples, name: string, label: string) => s.get(name)?.find((x) => x.labels.includes(label))?.value;
const lodgings = (s: Samples, name: string) =>
  s.get(name)?.reduce((a, x) => (x.labels.includes(LODGING) ? a + x.value : a), 0);
/** Cumulative count per upper bound (`le`, as the exposition writes it). */
function buckets(s: Samples): Map<string, number> | undefined {
  const list = s.get(LODGING_BUCKET);
  if (!list) return undefined;
  const out = new Map<string, number>();
  for (const x of list) {
    const le = /le="([^"]+)"/.exec(x.labels)?.[1];
    if (le !== undefined) out.set(le, x.value);
  }
  return out;
}

export interface SutSampler {
  /**
   * The backlog at the last tick in which every part answered with its figures (nodes' outboxes,
   * ICE's queue and in-flight messages), or undefined when no tick has yet.
   */
  lastBacklog(): number | undefined;
  /** Stops sampling and closes the file; resolves with the lines written. */
  stop(): Promise<{ lines: number; gaps: number }>;
}

export function startSutSampler(opts: {
  parts: SutPart[];
  file: string;
  intervalMs?: number;
  timeoutMs?: number;
}): SutSampler {
  const intervalMs = opts.intervalMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? Math.min(900, intervalMs);
  const out = createWriteStream(opts.file);
  out.on('error', () => undefined);
  const lastCpu = new Map<string, { at: number; seconds: number }>();
  const lastLodging = new Map<string, { count: number; seconds: number }>();
  const lastBuckets = new Map<string, Map<string, number>>();
  let lines = 0;
  let gaps = 0;
  let stopped = false;
  let backlog: number | undefined;

  const scrape = async (p: SutPart, t: number): Promise<SutLine> => {
    try {
      const res = await fetch(p.metricsUrl, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) return { t, part: p.part, gap: `HTTP ${res.status}` };
      const at = performance.now();
      const s = parseExposition(await res.text(), WANTED);
      const cpu = first(s, 'process_cpu_seconds_total');
      const prev = lastCpu.get(p.part);
      if (cpu !== undefined) lastCpu.set(p.part, { at, seconds: cpu });
      const line: SutLine = { t, part: p.part };
      // A rate needs two scrapes; the first line of a part has no CPU figure.
      if (cpu !== undefined && prev && at > prev.at)
        line.cpuCores = round(Math.max(0, (cpu - prev.seconds) / ((at - prev.at) / 1000)), 3);
      const rss = first(s, 'process_resident_memory_bytes');
      if (rss !== undefined) line.rssBytes = rss;
      const lag = first(s, 'nodejs_eventloop_lag_p99_seconds');
      if (lag !== undefined) line.eventLoopLagP99Ms = round(lag * 1000, 2);
      if (s.has('cats_db_pool_clients')) {
        line.dbPoolTotal = labelled(s, 'cats_db_pool_clients', 'state="total"');
        line.dbPoolIdle = labelled(s, 'cats_db_pool_clients', 'state="idle"');
        line.dbPoolWaiting = labelled(s, 'cats_db_pool_clients', 'state="waiting"');
      }
      if (s.has('ice_queue_depth')) line.queueDepth = sum(s, 'ice_queue_depth');
      if (s.has('ice_in_flight')) line.inFlight = sum(s, 'ice_in_flight');
      // NaN when the node's database did not answer within the scrape: no figure then.
      const outbox = first(s, 'cats_outbox_pending_messages');
      if (outbox !== undefined && Number.isFinite(outbox)) line.outboxPending = outbox;
      // Lodgings since the part's previous answered scrape; a counter that went down was reset by a restart.
      const count = lodgings(s, REQUEST_COUNT);
      const seconds = lodgings(s, REQUEST_SUM);
      if (count !== undefined && seconds !== undefined) {
        const before = lastLodging.get(p.part);
        lastLodging.set(p.part, { count, seconds });
        if (before) {
          const restarted = count < before.count;
          line.lodged = restarted ? count : count - before.count;
          line.lodgingSeconds = round(restarted ? seconds : seconds - before.seconds, 6);
        }
      }
      const cumulative = buckets(s);
      if (cumulative) {
        const before = lastBuckets.get(p.part);
        lastBuckets.set(p.part, cumulative);
        if (before) {
          const restarted = [...cumulative].some(([le, n]) => n < (before.get(le) ?? 0));
          const delta = Object.fromEntries(
            [...cumulative].map(([le, n]) => [le, restarted ? n : n - (before.get(le) ?? 0)]),
          );
          // Only seconds with lodgings: the file stays small.
          if (delta['+Inf']! > 0) line.lodgingBuckets = delta;
        }
      }
      return line;
    } catch (err) {
      return {
        t,
        part: p.part,
        gap: (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message,
      };
    }
  };

  const tick = async () => {
    const t = Math.floor(Date.now() / 1000);
    const results = await Promise.all(opts.parts.map((p) => scrape(p, t)));
    const figures = results.map((l) =>
      l.gap ? NaN : l.part === 'ICE' ? (l.queueDepth ?? NaN) + (l.inFlight ?? 0) : (l.outboxPending ?? NaN),
    );
    if (figures.every(Number.isFinite)) backlog = figures.reduce((a, b) => a + b, 0);
    for (const l of results) {
      if (l.gap) gaps++;
      lines++;
      out.write(`${JSON.stringify(l)}\n`);
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  // Ticks never overlap: the next starts a full interval after the previous one began, or when it ends.
  const loop = (async () => {
    while (!stopped) {
      const began = performance.now();
      await tick().catch(() => undefined);
      const wait = intervalMs - (performance.now() - began);
      if (!stopped && wait > 0)
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, wait);
        });
    }
  })();

  return {
    lastBacklog: () => backlog,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
      await new Promise<void>((resolve) => out.end(resolve));
      return { lines, gaps };
    },
  };
}
