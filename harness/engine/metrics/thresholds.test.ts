import { describe, expect, it } from 'vitest';
import { builtin } from './metric.ts';
import { MetricRegistry, parseMetricSelector } from './registry.ts';
import {
  aggregate,
  checkThresholdTypes,
  parseThresholdExpression,
  parseThresholds,
  passes,
  ThresholdError,
} from './thresholds.ts';

describe('threshold expressions', () => {
  it.each([
    ['p(95)<200', 'p(95)', '<', 200],
    ['p(99.9) <= 1500', 'p(99.9)', '<=', 1500],
    ['rate<0.01', 'rate', '<', 0.01],
    ['count>=100', 'count', '>=', 100],
    ['avg==2', 'avg', '==', 2],
    ['value!=0', 'value', '!=', 0],
    ['med > -1', 'med', '>', -1],
    ['max===5', 'max', '===', 5],
  ])('parses %s', (src, agg, op, value) => {
    expect(parseThresholdExpression(src)).toMatchObject({ aggregation: agg, operator: op, value });
  });

  it.each(['p95<200', 'p(95)<', '<200', 'avg<<2', 'p(101)<1', 'mean<3', 'rate<abc'])('rejects %s', (src) => {
    expect(() => parseThresholdExpression(src)).toThrow(ThresholdError);
  });
});

describe('thresholds option', () => {
  it('parses sub-metric selectors, abortOnFail and delayAbortEval', () => {
    const parsed = parseThresholds({
      'http_req_duration{scenario:ctd, status:"200"}': [
        'p(95)<200',
        { threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: '10s' },
      ],
      checks: 'rate>0.99',
      'group_duration{group:::main::submit}': ['max<1000'],
    });
    expect(parsed[0].selector).toEqual({
      name: 'http_req_duration{scenario:ctd, status:"200"}',
      parent: 'http_req_duration',
      tags: [
        ['scenario', 'ctd'],
        ['status', '200'],
      ],
    });
    expect(parsed[0].thresholds[1]).toMatchObject({
      aggregation: 'p(99)',
      abortOnFail: true,
      delayAbortEvalMs: 10_000,
    });
    expect(parsed[1].thresholds).toHaveLength(1);
    expect(parsed[2].selector.tags).toEqual([['group', '::main::submit']]);
  });

  it('rejects bad metric names, bad entries and aggregations that do not fit the metric type', () => {
    expect(() => parseThresholds({ '1bad': ['count>1'] })).toThrow(/invalid metric name/);
    expect(() => parseThresholds({ 'http_reqs{scenario}': ['count>1'] })).toThrow(/tag:value/);
    expect(() => parseThresholds({ http_reqs: [42] })).toThrow(/string or \{threshold/);
    const types = (n: string) => Object.values(builtin).find((d) => d.name === n)?.type;
    expect(() => checkThresholdTypes(parseThresholds({ http_reqs: ['p(95)<1'] }), types)).toThrow(
      /does not apply to a counter/,
    );
    expect(() => checkThresholdTypes(parseThresholds({ checks: ['count>1'] }), types)).toThrow(
      /does not apply to a rate/,
    );
    expect(() => checkThresholdTypes(parseThresholds({ nope: ['count>1'] }), types)).toThrow(/no metric named 'nope'/);
    expect(() =>
      checkThresholdTypes(parseThresholds({ vus: ['value<10'], http_req_failed: ['rate<0.1'] }), types),
    ).not.toThrow();
  });
});

describe('evaluation on sub-metrics', () => {
  it('selects samples by tags and compares the aggregate', () => {
    const selector = parseMetricSelector('http_req_duration{scenario:a}');
    const reg = new MetricRegistry([selector]);
    for (let i = 1; i <= 100; i++) reg.add(builtin.http_req_duration, i, { scenario: i <= 50 ? 'a' : 'b' });
    const sub = reg.sinkFor('http_req_duration{scenario:a}')!.sink;
    const whole = reg.sinkFor('http_req_duration')!.sink;
    const p95 = parseThresholdExpression('p(95)<60');
    expect(aggregate(sub, p95, 1000)).toBeCloseTo(47.55, 1);
    expect(passes(p95, aggregate(sub, p95, 1000))).toBe(true);
    expect(passes(p95, aggregate(whole, p95, 1000))).toBe(false);
    reg.add(builtin.http_reqs, 1, {});
    reg.add(builtin.http_reqs, 1, {});
    expect(aggregate(reg.sinkFor('http_reqs')!.sink, parseThresholdExpression('rate>1'), 500)).toBe(4);
  });
});
