import { describe, expect, it } from 'vitest';
import { MetricRegistry, parseMetricSelector } from '../metrics/registry.ts';
import { buildSummaryData } from './summary-data.ts';

describe('summary data', () => {
  it('shows a metric without samples, as k6 does, when a threshold names it or one of its sub-metrics', () => {
    const registry = new MetricRegistry([
      parseMetricSelector('ctd_rejected{code:CONFLICT}'),
      parseMetricSelector('ctd_accepted{decision:control}'),
    ]);
    const accepted = { name: 'ctd_accepted', type: 'counter', contains: 'default' } as const;
    registry.define({ name: 'ctd_rejected', type: 'counter', contains: 'default' });
    registry.define({ name: 'ctd_unwatched', type: 'counter', contains: 'default' });
    registry.add(accepted, 3, { decision: 'release' });
    const data = buildSummaryData({
      registry,
      thresholdResults: new Map<string, Record<string, { ok: boolean }>>([
        ['ctd_rejected{code:CONFLICT}', { 'count<1': { ok: true } }],
        ['ctd_accepted{decision:control}', { 'count>=0': { ok: true } }],
      ]),
      trendStats: ['avg'],
      noColor: true,
      durationMs: 1000,
    });
    expect(Object.keys(data.metrics)).toEqual([
      'ctd_accepted',
      'ctd_accepted{decision:control}',
      'ctd_rejected',
      'ctd_rejected{code:CONFLICT}',
    ]);
    expect(data.metrics.ctd_rejected).toEqual({ type: 'counter', contains: 'default', values: { count: 0, rate: 0 } });
    expect(data.metrics['ctd_accepted{decision:control}']!.values.count).toBe(0);
  });
});
