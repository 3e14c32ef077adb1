import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../runtime/progress.ts';
import type { SummaryData } from './summary-data.ts';
import { formatBytes, formatTime, textSummary } from './text-summary.ts';

describe('k6-style formatting', () => {
  it('formats times and sizes as k6 prints them', () => {
    expect([formatTime(0.5123), formatTime(1.3456), formatTime(2410), formatTime(63_000), formatTime(0)]).toEqual([
      '512.3µs',
      '1.35ms',
      '2.41s',
      '1m3s',
      '0s',
    ]);
    expect([formatTime(1500, 'ms'), formatTime(1500, 's')]).toEqual(['1500ms', '1.5s']);
    expect([formatBytes(800), formatBytes(2345), formatBytes(7_654_321)]).toEqual(['800 B', '2.3 kB', '7.7 MB']);
  });

  it('prints checks, groups, metrics, sub-metrics and threshold marks', () => {
    const data: SummaryData = {
      root_group: {
        name: '',
        path: '',
        id: 'x',
        groups: [
          {
            name: 'submit',
            path: '::submit',
            id: 'y',
            groups: [],
            checks: [{ name: 'accepted', path: '::submit::accepted', id: 'z', passes: 3, fails: 1 }],
          },
        ],
        checks: [{ name: 'status 200', path: '::status 200', id: 'w', passes: 4, fails: 0 }],
      },
      options: { summaryTrendStats: ['avg', 'p(95)'], summaryTimeUnit: '', noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 2000 },
      metrics: {
        http_req_duration: {
          type: 'trend',
          contains: 'time',
          values: { avg: 12.5, 'p(95)': 30 },
          thresholds: { 'p(95)<20': { ok: false } },
        },
        'http_req_duration{scenario:ctd}': {
          type: 'trend',
          contains: 'time',
          values: { avg: 10, 'p(95)': 15 },
          thresholds: { 'p(95)<20': { ok: true } },
        },
        http_reqs: { type: 'counter', contains: 'default', values: { count: 8, rate: 4 } },
        checks: { type: 'rate', contains: 'default', values: { rate: 0.875, passes: 7, fails: 1 } },
        vus: { type: 'gauge', contains: 'default', values: { value: 2, min: 1, max: 3 } },
      },
    };
    const text = textSummary(data, { enableColors: false });
    expect(text).toMatch(/✓ status 200/);
    expect(text).toMatch(/█ submit/);
    expect(text).toMatch(/✗ accepted\n\s+↳ {2}75% — ✓ 3 \/ ✗ 1/);
    expect(text).toMatch(/✗ http_req_duration\.+: avg=12.5ms p\(95\)=30ms/);
    expect(text).toMatch(/✓ {3}\{ scenario:ctd \}\.+: avg=10ms p\(95\)=15ms/);
    expect(text).toMatch(/http_reqs\.+: 8 +4\/s/);
    expect(text).toMatch(/checks\.+: 87\.50% +✓ 7 +✗ 1/);
    expect(text).toMatch(/vus\.+: 2 +min=1 +max=3/);
    expect(text.indexOf('http_req_duration.')).toBeLessThan(text.indexOf('{ scenario:ctd }'));
  });
});

describe('progress line', () => {
  const stats = {
    elapsedMs: 12_000,
    vus: 8,
    vusMax: 10,
    iterations: 1234,
    iterationRate: 101.25,
    p95: { metric: 'http_req_duration', ms: 23.4 },
    errors: 2,
    dropped: 3,
  };

  it('shows scenario, VUs, rate, p95, errors and drops', () => {
    const p = new Progress(new PassThrough(), 'ctd, ice', 60_000, true);
    expect(p.line(stats)).toBe(
      'running (12s 20%) ctd, ice · 8/10 VUs · 1234 iterations · 101.3 it/s · p95 23.4ms · 2 errors · 3 dropped',
    );
  });

  it('writes a line every 10 s when not on a terminal, nothing when quiet', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const p = new Progress(out, 'ctd', 60_000, true);
    for (const ms of [1000, 2000, 10_500, 11_000, 21_000]) p.update({ ...stats, elapsedMs: ms });
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => l.slice(0, 14)),
    ).toEqual(['running (10.5s', 'running (21s 3']);
    const quiet = new PassThrough();
    let none = '';
    quiet.on('data', (d) => (none += d));
    new Progress(quiet, 'ctd', 60_000, false).update(stats);
    expect(none).toBe('');
  });
});
