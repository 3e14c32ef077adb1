import { describe, expect, it } from 'vitest';
import { consolidateOptions, OptionsError } from './options.ts';

describe('options', () => {
  it('builds the default scenario from the shortcuts', () => {
    expect(consolidateOptions({ vus: 5, duration: '10s' }).scenarios[0]).toMatchObject({
      name: 'default',
      executor: 'constant-vus',
      vus: 5,
      durationMs: 10_000,
    });
    expect(consolidateOptions({ vus: 2, iterations: 10 }).scenarios[0]).toMatchObject({
      executor: 'shared-iterations',
      vus: 2,
      iterations: 10,
    });
    expect(consolidateOptions({ stages: [{ duration: '5s', target: 3 }] }).scenarios[0]).toMatchObject({
      executor: 'ramping-vus',
      startVUs: 1,
    });
    expect(consolidateOptions(undefined).scenarios[0]).toMatchObject({
      executor: 'shared-iterations',
      vus: 1,
      iterations: 1,
    });
  });

  it('reads bare numbers in durations as milliseconds, as k6 does', () => {
    const s = consolidateOptions({
      scenarios: { a: { executor: 'constant-vus', duration: '10', gracefulStop: 250, startTime: '1500' } },
    }).scenarios[0];
    expect(s).toMatchObject({ durationMs: 10, gracefulStopMs: 250, startTimeMs: 1500 });
  });

  it('lets command-line shortcuts replace the script scenarios, as k6 does', () => {
    const o = consolidateOptions(
      { scenarios: { a: { executor: 'constant-vus', duration: '1m' } } },
      { vus: 3, duration: '5s', tags: { testid: 't1' }, stages: undefined },
    );
    expect(o.scenarios.map((s) => [s.name, s.executor, s.vus])).toEqual([['default', 'constant-vus', 3]]);
    expect(o.tags).toEqual({ testid: 't1' });
  });

  it('applies k6 defaults to scenario fields', () => {
    const [s] = consolidateOptions({
      scenarios: {
        ctd: {
          executor: 'ramping-arrival-rate',
          preAllocatedVUs: 5,
          stages: [{ duration: '1m', target: 10 }],
          tags: { kind: 'ctd' },
        },
      },
    }).scenarios;
    expect(s).toMatchObject({
      timeUnitMs: 1000,
      maxVUs: 5,
      startRate: 0,
      gracefulStopMs: 30_000,
      exec: 'default',
      tags: { kind: 'ctd' },
    });
  });

  it.each([
    [{ vus: 2, scenarios: { a: { executor: 'constant-vus', duration: '1s' } } }, /cannot be combined/],
    [{ scenarios: { a: { executor: 'externally-controlled' } } }, /not supported/],
    [{ scenarios: { a: { executor: 'nope' } } }, /executor: expected one of/],
    [{ scenarios: { 'bad name': { executor: 'constant-vus', duration: '1s' } } }, /letters, digits/],
    [{ scenarios: { a: { executor: 'constant-vus' } } }, /duration is required/],
    [
      {
        scenarios: { a: { executor: 'constant-arrival-rate', rate: 5, duration: '1s', preAllocatedVUs: 5, maxVUs: 2 } },
      },
      /below preAllocatedVUs/,
    ],
    [{ scenarios: { a: { executor: 'shared-iterations', vus: 1.5 } } }, /whole number/],
    [{ duration: '1 minute' }, /not a duration/],
  ])('rejects invalid options %#', (options, message) => {
    expect(() => consolidateOptions(options as Record<string, unknown>)).toThrow(message);
    expect(() => consolidateOptions(options as Record<string, unknown>)).toThrow(Error);
  });

  it('reports option errors as OptionsError', () => {
    expect(() => consolidateOptions({ scenarios: { a: { executor: 'nope' } } })).toThrow(OptionsError);
  });
});
