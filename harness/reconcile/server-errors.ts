// Check: no 5xx answer during the run except inside a fault's window — from
// its injection until the first second after its end in which requests
// succeeded and none failed. Read from the run's time series (whole seconds,
// http_reqs by status), so windows are counted to the second.
import type { CounterLine } from '../engine/output/timeseries.ts';
import { faultPairs, requestOutcomesPerSecond } from '../report/fault-recovery.ts';
import type { Timeseries } from '../report/run-folder.ts';
import { Findings, notApplicable, type CheckResult } from './verdict.ts';

const ID = 'server-errors';
const TITLE = '5xx answers outside fault windows';

export interface FaultWindow {
  label: string;
  /** Epoch seconds, whole: the first and the last-plus-one second excused. */
  from: number;
  to: number;
}

/** Each fault's window, from its start edge to the first clean second after its end edge. */
export function faultWindows(ts: Pick<Timeseries, 'lines' | 'events'>): FaultWindow[] {
  const { perSecond, last } = requestOutcomesPerSecond(ts.lines);
  const windows: FaultWindow[] = [];
  for (const [start, end] of faultPairs(ts.events)) {
    const from = Math.floor(start.t);
    let to = Infinity;
    if (end?.ok) {
      for (let s = Math.floor(end.t) + 1; s <= last; s++) {
        const [failed, all] = perSecond.get(s) ?? [0, 0];
        if (all > failed && failed === 0) {
          to = s;
          break;
        }
      }
    }
    windows.push({ label: `${start.fault}:${start.target}`, from, to });
  }
  return windows;
}

export function checkServerErrors(ts: Pick<Timeseries, 'lines' | 'events'> | undefined): CheckResult {
  if (!ts) return notApplicable(ID, TITLE, 'the run wrote no time series');
  const windows = faultWindows(ts);
  let runStart = Infinity;
  for (const l of ts.lines) runStart = Math.min(runStart, l.t);
  const f = new Findings(['outsideFaults']);
  let total = 0;
  for (const l of ts.lines) {
    if (l.m !== 'http_reqs' || !l.k || !/^5\d\d$/.test(l.k.status ?? '')) continue;
    const n = (l as CounterLine).sum;
    total += n;
    const w = windows.find((x) => l.t >= x.from && l.t < x.to);
    if (w) {
      f.tally('insideFaults', n);
      continue;
    }
    for (let i = 0; i < n; i++)
      f.add('outsideFaults', {
        problem: `HTTP ${l.k.status}${l.k.operation ? ` on ${l.k.operation}` : ''} at ${(l.t - runStart).toFixed(0)} s into the run, outside every fault window`,
      });
  }
  return f.result(
    ID,
    TITLE,
    total,
    windows.length
      ? `fault windows: ${windows.map((w) => `${w.label} ${w.from - runStart}–${w.to === Infinity ? 'end' : w.to - runStart} s`).join(', ')}`
      : undefined,
  );
}
