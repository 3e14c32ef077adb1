import { describe, expect, it } from 'vitest';
import type { BucketLine } from '../engine/output/timeseries.ts';
import type { FaultEventLine } from '../report/fault-events.ts';
import { checkServerErrors, faultWindows } from './server-errors.ts';

const T0 = 1_795_000_000;
const reqs = (s: number, status: string, sum: number): BucketLine => ({
  t: T0 + s,
  m: 'http_reqs',
  k: { operation: 'ctd_submit', status },
  n: sum,
  sum,
});
const failed = (s: number, pass: number, n: number): BucketLine => ({
  t: T0 + s,
  m: 'http_req_failed',
  k: { operation: 'ctd_submit' },
  n,
  pass,
});
const edge = (s: number, phase: 'start' | 'end', ok = true): FaultEventLine => ({
  type: 'event',
  event: 'fault',
  t: T0 + s,
  fault: 'kill',
  target: 'ice',
  phase,
  ok,
});

describe('check: no 5xx outside a fault window', () => {
  // A kill at 2.5 s, seen running again at 4.2 s; 5 s still fails, 6 s is clean.
  const lines = [
    failed(1, 0, 10),
    failed(2, 3, 10),
    failed(3, 10, 10),
    failed(4, 4, 10),
    failed(5, 1, 10),
    failed(6, 0, 10),
    failed(7, 0, 10),
  ];
  const events = [edge(2.5, 'start'), edge(4.2, 'end')];

  it('a window runs from the injection to the first clean second after the fault ended', () => {
    expect(faultWindows({ lines, events })).toEqual([{ label: 'kill:ice', from: T0 + 2, to: T0 + 6 }]);
  });

  it('excuses 5xx inside the window and names those outside it', () => {
    const result = checkServerErrors({
      lines: [...lines, reqs(3, '503', 4), reqs(5, '500', 1), reqs(6, '500', 2), reqs(1, '201', 9)],
      events,
    });
    expect(result).toMatchObject({ status: 'fail', checked: 7, counts: { insideFaults: 5, outsideFaults: 2 } });
    expect(result.first[0]!.problem).toContain('HTTP 500 on ctd_submit at 5 s into the run');
  });

  it('a fault never seen ended excuses the rest of the run; no fault excuses nothing', () => {
    const open = checkServerErrors({
      lines: [...lines, reqs(7, '502', 1)],
      events: [edge(2.5, 'start'), edge(7.5, 'end', false)],
    });
    expect(open.status).toBe('pass');
    const none = checkServerErrors({ lines: [...lines, reqs(3, '500', 1)], events: [] });
    expect(none).toMatchObject({ status: 'fail', discrepancies: 1 });
  });

  it('is not applicable without a time series', () => {
    expect(checkServerErrors(undefined).status).toBe('not-applicable');
  });
});
