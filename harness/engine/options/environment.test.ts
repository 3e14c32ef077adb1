import { describe, expect, it } from 'vitest';
import { fromEnvironment } from './environment.ts';
import { metricValue, runSource } from '../testing/run-fixture.ts';
import { consolidateOptions, OptionsError } from './options.ts';

const layered = (
  script: Record<string, unknown>,
  env: Record<string, string>,
  cli: Parameters<typeof consolidateOptions>[1] = {},
) => consolidateOptions(script, cli, fromEnvironment(env).options);

describe('K6_* environment variables', () => {
  it("reads k6's option and runtime variables", () => {
    expect(
      fromEnvironment({
        K6_VUS: '4',
        K6_DURATION: '30s',
        K6_ITERATIONS: '12',
        K6_STAGES: '10s:5,20s:0',
        K6_NO_CONNECTION_REUSE: 'true',
        K6_NO_VU_CONNECTION_REUSE: '1',
        K6_USER_AGENT: 'probe/1',
        K6_INSECURE_SKIP_TLS_VERIFY: 'TRUE',
        K6_THROW: 'f',
        K6_DISCARD_RESPONSE_BODIES: 'true',
        K6_MIN_ITERATION_DURATION: '2s',
        K6_SUMMARY_TREND_STATS: 'avg, p(99)',
        K6_SUMMARY_EXPORT: 'out/summary.json',
        K6_OUT: 'json=a.json,experimental-prometheus-rw',
        K6_NO_THRESHOLDS: 'true',
        K6_NO_SUMMARY: 'false',
        UNRELATED: 'x',
      }),
    ).toEqual({
      options: {
        vus: 4,
        duration: '30s',
        iterations: 12,
        stages: [
          { duration: '10s', target: 5 },
          { duration: '20s', target: 0 },
        ],
        noConnectionReuse: true,
        noVUConnectionReuse: true,
        userAgent: 'probe/1',
        insecureSkipTLSVerify: true,
        throw: false,
        discardResponseBodies: true,
        minIterationDuration: '2s',
        summaryTrendStats: ['avg', 'p(99)'],
      },
      runtime: {
        summaryExport: 'out/summary.json',
        outputs: ['json=a.json', 'experimental-prometheus-rw'],
        noThresholds: true,
        noSummary: false,
      },
    });
  });

  it('refuses malformed values with an OptionsError naming the variable', () => {
    expect(() => fromEnvironment({ K6_VUS: 'many' })).toThrow(/K6_VUS: expected a whole number/);
    expect(() => fromEnvironment({ K6_THROW: 'yes' })).toThrow(OptionsError);
    expect(() => fromEnvironment({ K6_STAGES: '10s:x' })).toThrow(/K6_STAGES/);
  });

  it('sits between the script options and the command line: defaults < script < environment < flags', () => {
    const script = { vus: 2, iterations: 5, userAgent: 'script', summaryTrendStats: ['avg'] };
    // Script over defaults.
    expect(layered(script, {}).scenarios[0]).toMatchObject({ vus: 2, iterations: 5, minIterationDurationMs: 0 });
    // Environment over script.
    const env = { K6_VUS: '3', K6_USER_AGENT: 'env', K6_SUMMARY_TREND_STATS: 'max', K6_MIN_ITERATION_DURATION: '1s' };
    const fromEnv = layered(script, env);
    expect(fromEnv.scenarios[0]).toMatchObject({
      executor: 'shared-iterations',
      vus: 3,
      iterations: 5,
      minIterationDurationMs: 1000,
    });
    expect([fromEnv.consolidated.userAgent, fromEnv.summaryTrendStats]).toEqual(['env', ['max']]);
    // Flags over environment.
    const fromFlags = layered(script, env, {
      vus: 4,
      summaryTrendStats: ['min'],
      options: { userAgent: 'flag', minIterationDuration: '2s' },
    });
    expect(fromFlags.scenarios[0]).toMatchObject({ vus: 4, iterations: 5, minIterationDurationMs: 2000 });
    expect([fromFlags.consolidated.userAgent, fromFlags.summaryTrendStats]).toEqual(['flag', ['min']]);
  });

  it('replaces duration, iterations and stages of the layers below, as k6 does', () => {
    // K6_DURATION replaces the script's iterations (and its scenarios).
    const byEnv = layered({ iterations: 10, scenarios: undefined }, { K6_DURATION: '5s', K6_VUS: '2' }).scenarios[0];
    expect(byEnv).toMatchObject({ executor: 'constant-vus', vus: 2, durationMs: 5000 });
    const overScenarios = layered(
      { scenarios: { a: { executor: 'constant-vus', duration: '1m' } } },
      { K6_ITERATIONS: '7' },
    ).scenarios;
    expect(overScenarios.map((s) => [s.name, s.executor, s.iterations])).toEqual([['default', 'shared-iterations', 7]]);
    // A flag's iterations replace K6_STAGES; K6_VUS still applies.
    const byFlag = layered({}, { K6_STAGES: '10s:5', K6_VUS: '3' }, { iterations: 9 }).scenarios[0];
    expect(byFlag).toMatchObject({ executor: 'shared-iterations', vus: 3, iterations: 9 });
    // K6_STAGES alone.
    expect(layered({ duration: '1m' }, { K6_STAGES: '10s:5,5s:0' }).scenarios[0]).toMatchObject({
      executor: 'ramping-vus',
      stages: [
        { durationMs: 10_000, target: 5 },
        { durationMs: 5000, target: 0 },
      ],
    });
  });

  it("reads K6_TAGS as k6's envconfig does, and each layer's tags replace those below", () => {
    expect(fromEnvironment({ K6_TAGS: 'team:customs,site:tbilisi' }).options.tags).toEqual({
      team: 'customs',
      site: 'tbilisi',
    });
    expect(() => fromEnvironment({ K6_TAGS: 'team=customs' })).toThrow(/K6_TAGS: invalid map item "team=customs"/);
    expect(() => fromEnvironment({ K6_TAGS: 'url:http://x' })).toThrow(OptionsError);
    const script = { tags: { from: 'script', kept: 'no' } };
    expect(layered(script, {}).tags).toEqual({ from: 'script', kept: 'no' });
    expect(layered(script, { K6_TAGS: 'from:env' }).tags).toEqual({ from: 'env' });
    expect(layered(script, { K6_TAGS: 'from:env' }, { tags: { from: 'flag' } }).tags).toEqual({ from: 'flag' });
  });

  it('validates minIterationDuration like any duration', () => {
    expect(() => layered({}, { K6_MIN_ITERATION_DURATION: 'soon' })).toThrow(/minIterationDuration/);
  });

  it('skips setup() and teardown() when the options say so (noSetup, K6_NO_TEARDOWN), as the flags do', async () => {
    const source = `import { Counter } from 'k6/metrics';
const phases = new Counter('phases');
export const options = { iterations: 1, noSetup: true };
export function setup() { phases.add(1); }
export default function () { phases.add(1); }
export function teardown() { phases.add(1); }`;
    const skipped = await runSource(source, { systemEnv: { K6_NO_TEARDOWN: 'true' } });
    expect(skipped.exitCode).toBe(0);
    expect(metricValue(skipped, 'phases', 'count')).toBe(1);
    const all = await runSource(source.replace('noSetup: true', 'noSetup: false'), { systemEnv: {} });
    expect(metricValue(all, 'phases', 'count')).toBe(3);
  });
});
