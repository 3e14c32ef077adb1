// How the load fared around each fault, from the run's time series: when it was
// served cleanly again, how many requests failed meanwhile, and how often the
// supervisor restarted the part. The time series holds whole seconds and no
// per-node tags, so the figures are the run's at one-second resolution, not
// the target's alone.
import type { RateLine } from '../engine/output/timeseries.ts';
import type { FaultEventLine } from './fault-events.ts';
import type { Timeseries } from './run-folder.ts';
import { escapeHtml } from './svg-chart.ts';

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
}

/** Start edges paired with their end edges (same fault and target, in order). */
function pairs(events: FaultEventLine[]): Array<[FaultEventLine, FaultEventLine | undefined]> {
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

export function faultRecovery(ts: Timeseries | undefined, events: FaultEventLine[]): FaultRecovery[] {
  // Per second: [failed, all] of http_req_failed.
  const perSecond = new Map<number, [number, number]>();
  let last = -Infinity;
  for (const l of ts?.lines ?? []) {
    if (l.m !== 'http_req_failed' || !l.k) continue;
    const r = l as RateLine;
    const a = perSecond.get(r.t) ?? [0, 0];
    a[0] += r.pass;
    a[1] += r.n;
    perSecond.set(r.t, a);
    last = Math.max(last, r.t);
  }
  return pairs(events).map(([start, end]) => {
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
    if (r.detail) parts.push(r.detail);
    return `${at}: ${parts.join(', ')}`;
  });
}

/** The report's table of faults and recovery figures. */
export function recoverySection(recovery: FaultRecovery[], runStart: number): string {
  if (recovery.length === 0) return '';
  const cell = (v: string) => `<td>${escapeHtml(v)}</td>`;
  const rows = recovery
    .map(
      (r) =>
        `<tr class="${r.applied ? 'ok' : 'fail'}">${[
          `${r.fault}:${r.target}`,
          `${(r.start - runStart).toFixed(1)} s`,
          r.end === undefined ? '–' : `${(r.end - r.start).toFixed(1)} s`,
          r.applied ? 'yes' : `no: ${r.detail ?? ''}`,
          r.recoverySeconds === null ? (r.applied ? 'not in the run' : '–') : `${r.recoverySeconds.toFixed(1)} s`,
          String(r.failedRequests),
          r.restarts === undefined ? '–' : String(r.restarts),
        ]
          .map(cell)
          .join('')}</tr>`,
    )
    .join('');
  return `<h2>Faults</h2>
<table class="faults"><tr><th>fault</th><th>at</th><th>lasted</th><th>applied</th><th>recovered after</th><th>failed requests</th><th>restarts</th></tr>${rows}</table>
<p class="muted">Recovered after: from the fault's start to the first whole second with successful requests and none failed (the run's requests, at one-second resolution). Failed requests: from the fault's second until the later of its end and recovery. Restarts: the supervisor's count for the part when it ran again.</p>`;
}
