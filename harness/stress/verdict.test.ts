// The verdict a stress run ends with, from k6-shaped summary data.
import { describe, expect, it } from 'vitest';
import { parseIceTraffic, trafficSince, type IceTraffic } from './ice-traffic.ts';
import type { SummaryData } from '../engine/summary/summary-data.ts';
import { verdictOf } from './verdict.ts';

const summary = (metrics: SummaryData['metrics']): SummaryData => ({
  metrics,
  state: { testRunDurationMs: 10_000, isStdOutTTY: false, isStdErrTTY: false },
  root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
  options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: '', noColor: true },
});

describe('verdictOf', () => {
  it('passes when every threshold holds, and shows rate, latency and rejections by code', () => {
    const v = verdictOf({
      scenario: 'ctd-peak',
      targetRate: 50,
      resultsDir: '/r',
      samples: {
        submissionsPerSecond: [40, 50, 50],
        peakRate: 48,
        window: 3,
        rejectedByCode: { GUARANTEE_INSUFFICIENT: 2, NETWORK_1211: 1 },
      },
      summary: summary({
        'http_reqs{operation:ctd_submit}': { type: 'counter', contains: 'default', values: { count: 400, rate: 40 } },
        'http_req_duration{operation:ctd_submit}': {
          type: 'trend',
          contains: 'time',
          values: { 'p(95)': 12.5, 'p(99)': 1500, max: 2000 },
          thresholds: { 'p(95)<250': { ok: true } },
        },
        ctd_accepted: { type: 'counter', contains: 'default', values: { count: 397, rate: 39.7 } },
        'ctd_accepted{decision:release}': { type: 'counter', contains: 'default', values: { count: 360, rate: 36 } },
        ctd_rejected: { type: 'counter', contains: 'default', values: { count: 3, rate: 0.3 } },
      }),
    });
    expect(v.passed).toBe(true);
    expect(v.lines[0]).toBe('PASS  ctd-peak: 1/1 SLO thresholds met in 10.0 s');
    expect(v.lines).toContain('  peak rate        48.0 CTDs/s held for 3 s against a target of 50/s (96.00 %)');
    expect(v.lines).toContain('  submit latency   p95 12.5 ms, p99 1.50 s, max 2.00 s');
    expect(v.lines).toContain('  CTDs rejected    3 (GUARANTEE_INSUFFICIENT 2, NETWORK_1211 1)');
    expect(v.lines.at(-1)).toBe('  results          /r');
  });

  it('fails naming each crossed threshold, and gives the breakpoint capacity', () => {
    const v = verdictOf({
      scenario: 'breakpoint',
      resultsDir: '/r',
      summary: summary({
        'http_req_duration{operation:ctd_submit}': {
          type: 'trend',
          contains: 'time',
          values: { 'p(95)': 900 },
          thresholds: { 'p(95)<250': { ok: false } },
        },
        offered_rate: { type: 'gauge', contains: 'default', values: { value: 312.4, min: 10, max: 312.4 } },
      }),
    });
    expect(v.passed).toBe(false);
    expect(v.lines[0]).toBe('FAIL  breakpoint: 0/1 SLO thresholds met in 10.0 s');
    expect(v.lines).toContain('  capacity         an SLO broke at an offered 312.4 CTDs/s');
    expect(v.lines).toContain('  ✗ http_req_duration{operation:ctd_submit}: p(95)<250');
  });
});

describe('parseIceTraffic', () => {
  it('sums each counter over its labels', () => {
    const text = [
      '# HELP ice_messages_stored_total Messages durably stored',
      '# TYPE ice_messages_stored_total counter',
      'ice_messages_stored_total{sender_country="KZ",recipient_country="AZ",type="IE050"} 12',
      'ice_messages_stored_total{sender_country="KZ",recipient_country="GE",type="IE001"} 3',
      'ice_deliveries_total{recipient_country="AZ"} 15',
      'ice_queue_depth{recipient_country="GE"} 0',
      'ice_frames_refused_total{code="UNKNOWN_RECIPIENT"} 4',
      'ice_delivery_latency_seconds_bucket{le="0.1",recipient_country="AZ"} 15',
      'ice_delivery_latency_seconds_sum{recipient_country="AZ"} 0.6',
      'ice_delivery_latency_seconds_count{recipient_country="AZ"} 15',
      'ice_delivery_latency_seconds_sum{recipient_country="GE"} 0.15',
      'ice_delivery_latency_seconds_count{recipient_country="GE"} 3',
    ].join('\n');
    expect(parseIceTraffic(text)).toEqual({
      stored: 15,
      delivered: 15,
      redelivered: 0,
      refused: 4,
      queued: 0,
      refusedByCode: { UNKNOWN_RECIPIENT: 4 },
      deliveryLatency: { count: 18, sumSeconds: 0.75 },
    });
  });
});

describe('trafficSince', () => {
  const reading = (r: Partial<IceTraffic>): IceTraffic => ({
    stored: 0,
    delivered: 0,
    redelivered: 0,
    refused: 0,
    queued: 0,
    refusedByCode: {},
    ...r,
  });

  it("counts only the run's traffic on a deployment that carried some before", () => {
    const before = reading({
      stored: 100,
      delivered: 98,
      queued: 2,
      refused: 1,
      refusedByCode: { UNKNOWN_RECIPIENT: 1 },
      deliveryLatency: { count: 98, sumSeconds: 4.9 },
    });
    const after = reading({
      stored: 160,
      delivered: 160,
      redelivered: 3,
      refused: 1,
      refusedByCode: { UNKNOWN_RECIPIENT: 1 },
      deliveryLatency: { count: 160, sumSeconds: 8 },
    });
    expect(trafficSince(before, after)).toEqual({
      stored: 60,
      delivered: 62,
      redelivered: 3,
      refused: 0,
      queued: 0,
      refusedByCode: {},
      deliveryLatency: { count: 62, sumSeconds: 8 - 4.9 },
    });
  });

  it('takes a counter that went down as reset by a restart, never negative', () => {
    const before = reading({ redelivered: 40, deliveryLatency: { count: 500, sumSeconds: 10 } });
    const after = reading({ redelivered: 5, deliveryLatency: { count: 20, sumSeconds: 0.5 } });
    expect(trafficSince(before, after)).toMatchObject({
      redelivered: 5,
      deliveryLatency: { count: 20, sumSeconds: 0.5 },
    });
  });
});
