// How the load fared around each fault, from the run's time series: when it was
// served cleanly again, how many requests failed meanwhile, and how often the
// supervisor restarted the part. The time series holds whole seconds and no
// per-node tags, so the figures are the run's at one-second resolution, not
// the target's alone.
import type { RateLine } from '../engine/output/timeseries.ts';
import type { FaultEventLine } from './fault-events.ts';
import type { Timeseries } from './run-folder.ts';
import { escapeHtml } from './svg-chart.ts';
import type { SutLine } from './sut-file.ts';

export interface FaultRecovery {
  fault: FaultEventLine['fault'];
  target: string;
  /** Epoch seconds. */
  start: number;
  /** When the fault ended (a kill: when the part was seen running again); absent when it never did in the run. */
  end?: number;
  applied: boolean;
  detail?: string;
  /**
   * Seconds from the fault's start to the start of the first whole second after it in which
   * requests succeeded and none failed; null when no such second came before the run ended.
   */
  recoverySeconds: number | null;
  /** Requests failed (http_req_failed) from the fault's second until the later of its end and recovery. */
  failedRequests: number;
  /** The part's restarts the supervisor reported when the fault ended (kills), and how many of them came after the fault. */
  restarts?: number;
  restartsDuringFault?: number;
  /**
   * Seconds from the fault's end to the first whole second at or after it in which every part was
   * sampled and the backlog (nodes' outboxes, ICE's queue and in-flight messages) was back to its
   * lowest level of the 10 s before the fault; null when that never came in the run (or the fault never ended),
   * absent when the run has no samples of the parts (sut.ndjson).
   */
  drainedSeconds?: number | null;
  /** The highest backlog sampled from the fault's start until it drained. */
  backlogPeak?: number;
  /** The recovery limit: seconds after the end by which the backlog must be drained. */
  recoverWithin?: number;
  /** Whether the limit was kept; null when it could not be judged (no samples of the parts). */
  withinLimit?: boolean | null;
}

/** Backlog per whole second over every part, where every part answered with its figures. */
function backlogPerSecond(sut: SutLine[]): Map<number, number> {
  const parts = new Set(sut.map((l) => l.part));
  const per = new Map<number, { parts: Set<string>; backlog: number; complete: boolean }>();
  for (const l of sut) {
    const s = per.get(l.t) ?? { parts: new Set<string>(), backlog: 0, complete: true };
    per.set(l.t, s);
    s.parts.add(l.part);
    const figure = l.part === 'ICE' ? (l.queueDepth ?? NaN) + (l.inFlight ?? 0) : (l.outboxPending ?? NaN);
    if (l.gap || !Number.isFinite(figure)) s.complete = false;
    else s.backlog += figure;
  }
  const out = new Map<number, number>();
  for (const [t, s] of per) if (s.complete && s.parts.size === parts.size) out.set(t, s.backlog);
  return out;
}

function drained(
  backlog: Map<number, number>,
  start: number,
  end: number | undefined,
): { drainedSeconds: number | null; backlogPeak: number } {
  const before = [...backlog].filter(([t]) => t >= Math.floor(start) - 10 && t < Math.floor(start));
  // The lowest level steady traffic kept before the fault (a fault just before may still be draining).
  const level = before.length ? Math.min(...before.map(([, b]) => b)) : 0;
  let peak = 0;
  for (const [t, b] of [...backlog].sort((a, c) => a[0] - c[0])) {
    if (t < Math.floor(start)) continue;
    peak = Math.max(peak, b);
    if (end !== undefined && t >= Math.floor(end) && b <= level) {
      return { drainedSeconds: Math.max(0, t - end), backlogPeak: peak };
    }
  }
  return { drainedSeconds: null, backlogPeak: peak };
}

/** Start edges paired with their end edges (same fault and target, in order). */
/** Per second of the run: [failed, all] requests (http_req_failed), and the last second seen. */
export function requestOutcomesPerSecond(lines: Timeseries['lines']): {
  perSecond: Map<number, [number, number]>;
  last: number;
} {
  const perSecond = new Map<number, [number, number]>();
  let last = -Infinity;
  for (const l of lines) {
    if (l.m !== 'http_req_failed' || !l.k) continue;
    const r = l as RateLine;
    const a = perSecond.get(r.t) ?? [0, 0];
    a[0] += r.pass;
    a[1] += r.n;
    perSecond.set(r.t, a);
    last = Math.max(last, r.t);
  }
  return { perSecond, last };
}

/** Each fault's start edge with its end edge (undefined while the run ended first), in time order. */
export function faultPairs(events: FaultEventLine[]): Array<[FaultEventLine, FaultEventLine | undefined]> {
  const open = new Map<string, FaultEventLine[]>();
  const out: Array<[FaultEventLine, FaultEventLine | undefined]> = [];
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    const key = `${e.fault} ${e.target}`;
    if (e.phase === 'start') {
      out.push([e, undefined]);
      open.set(key, [...(open.get(key) ?? []), e]);
      continue;
    }
    const start = open.get(key)?.shift();
    const pair = start && out.find(([s, end]) => s === start && !end);
    if (pair) pair[1] = e;
  }
  return out;
}

export function faultRecovery(ts: Timeseries | undefined, events: FaultEventLine[], sut?: SutLine[]): FaultRecovery[] {
  const backlog = sut?.length ? backlogPerSecond(sut) : undefined;
  const { perSecond, last } = requestOutcomesPerSecond(ts?.lines ?? []);
  return faultPairs(events).map(([start, end]) => {
    const applied = start.ok;
    let recovered: number | null = null;
    for (let s = Math.floor(start.t) + 1; s <= last; s++) {
      const [failed, all] = perSecond.get(s) ?? [0, 0];
      if (all > failed && failed === 0) {
        recovered = s;
        break;
      }
    }
    const windowEnd = Math.max(end ? Math.floor(end.t) + 1 : last + 1, recovered ?? last + 1);
    let failedRequests = 0;
    for (let s = Math.floor(start.t); s < windowEnd; s++) failedRequests += perSecond.get(s)?.[0] ?? 0;
    const r: FaultRecovery = {
      fault: start.fault,
      target: start.target,
      start: start.t,
      ...(end?.ok ? { end: end.t } : {}),
      applied,
      ...(start.detail || (end && !end.ok) ? { detail: start.detail ?? end?.detail } : {}),
      recoverySeconds: recovered === null || !applied ? null : Math.max(0, recovered - start.t),
      failedRequests,
    };
    if (end?.restarts !== undefined) {
      r.restarts = end.restarts;
      if (start.restarts !== undefined) r.restartsDuringFault = end.restarts - start.restarts;
    }
    if (start.recoverWithin !== undefined) r.recoverWithin = start.recoverWithin;
    if (backlog && applied) Object.assign(r, drained(backlog, start.t, end?.ok ? end.t : undefined));
    if (r.recoverWithin !== undefined && applied)
      r.withinLimit =
        r.drainedSeconds === undefined ? null : r.drainedSeconds !== null && r.drainedSeconds <= r.recoverWithin;
    return r;
  });
}

/** One line per fault for the console. */
export function recoveryLines(recovery: FaultRecovery[], runStart: number): string[] {
  return recovery.map((r) => {
    const at = `${r.fault}:${r.target} at ${(r.start - runStart).toFixed(1)}s`;
    if (!r.applied) return `${at}: not applied (${r.detail ?? 'no reason given'})`;
    const parts = [
      r.recoverySeconds === null ? 'not recovered in the run' : `recovered after ${r.recoverySeconds.toFixed(1)} s`,
      `${r.failedRequests} failed request(s)`,
    ];
    if (r.restarts !== undefined) parts.push(`restarts ${r.restarts}`);
    if (r.drainedSeconds !== undefined)
      parts.push(
        r.drainedSeconds === null
          ? `backlog (peak ${r.backlogPeak}) not drained in the run`
          : `backlog (peak ${r.backlogPeak}) drained ${r.drainedSeconds.toFixed(1)} s after its end`,
      );
    if (r.recoverWithin !== undefined)
      parts.push(
        r.withinLimit === null || r.withinLimit === undefined
          ? `limit ${r.recoverWithin} s not judged (no samples of the parts)`
          : `limit ${r.recoverWithin} s ${r.withinLimit ? 'kept' : 'BREACHED'}`,
      );
    if (r.detail) parts.push(r.detail);
    return `${at}: ${parts.join(', ')}`;
  });
}

/** The recovery limits a run broke, one line each (empty when every limit was kept). */
export function recoveryBreaches(recovery: FaultRecovery[]): string[] {
  return recovery
    .filter((r) => r.withinLimit === false)
    .map(
      (r) =>
        `recovery ${r.fault}:${r.target}: ${
          r.end === undefined
            ? 'the fault never ended in the run'
            : r.drainedSeconds === null
              ? 'backlog not drained before the run ended'
              : `backlog drained ${r.drainedSeconds!.toFixed(1)} s after the fault's end`
        } (limit ${r.recoverWithin} s)`,
    );
}

/** The report's table of faults and recovery figures. */
export function recoverySection(recovery: FaultRecovery[], runStart: number): string {
  if (recovery.length === 0) return '';
  const cell = (v: string) => `<td>${escapeHtml(v)}</td>`;
  const rows = recovery
    .map(
      (r) =>
        `<tr class="${r.applied && r.withinLimit !== false ? 'ok' : 'fail'}">${[
          `${r.fault}:${r.target}`,
          `${(r.start - runStart).toFixed(1)} s`,
          r.end === undefined ? '–' : `${(r.end - r.start).toFixed(1)} s`,
          r.applied ? 'yes' : `no: ${r.detail ?? ''}`,
          r.recoverySeconds === null ? (r.applied ? 'not in the run' : '–') : `${r.recoverySeconds.toFixed(1)} s`,
          String(r.failedRequests),
          r.restarts === undefined ? '–' : String(r.restarts),
          r.drainedSeconds === undefined
            ? '–'
            : r.drainedSeconds === null
              ? `not drained (peak ${r.backlogPeak})`
              : `${r.drainedSeconds.toFixed(1)} s (peak ${r.backlogPeak})`,
          r.recoverWithin === undefined
            ? '–'
            : `${r.recoverWithin} s: ${r.withinLimit === null || r.withinLimit === undefined ? 'not judged' : r.withinLimit ? 'kept' : 'BREACHED'}`,
        ]
          .map(cell)
          .join('')}</tr>`,
    )
    .join('');
  return `<h2>Faults</h2>
<table class="faults"><tr><th>fault</th><th>at</th><th>lasted</th><th>applied</th><th>recovered after</th><th>failed requests</th><th>restarts</th><th>backlog drained after its end</th><th>recovery limit</th></tr>${rows}</table>
<p class="muted">Recovered after: from the fault's start to the first whole second with successful requests and none failed (the run's requests, at one-second resolution). Failed requests: from the fault's second until the later of its end and recovery. Restarts: the supervisor's count for the part when it ran again. Backlog: the nodes' outboxes and ICE's queue and in-flight messages, sampled once a second; drained when every part answered and it was back to its lowest level of the 10 s before the fault. A limit breached fails the run.</p>`;
}
