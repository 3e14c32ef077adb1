// Consolidates a script's `options` with command-line overrides into the
// scenarios the executors run, with k6's defaults and validation.
import { parseDuration } from './duration.ts';
import { ExecutionTuple } from './execution-segment.ts';
import { hostnamePatternError, rangeError } from './dial-lists.ts';
import { dnsSettings } from './dns-option.ts';
import { localAddressPool } from './local-ips.ts';
import { tlsSettings } from './tls-options.ts';

export type ExecutorName =
  | 'constant-vus'
  | 'ramping-vus'
  | 'constant-arrival-rate'
  | 'ramping-arrival-rate'
  | 'per-vu-iterations'
  | 'shared-iterations';
const EXECUTORS: ExecutorName[] = [
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'per-vu-iterations',
  'shared-iterations',
];

export interface Stage {
  durationMs: number;
  target: number;
}

export interface ScenarioPlan {
  name: string;
  executor: ExecutorName;
  startTimeMs: number;
  gracefulStopMs: number;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
  vus: number;
  iterations: number;
  durationMs: number;
  maxDurationMs: number;
  startVUs: number;
  stages: Stage[];
  gracefulRampDownMs: number;
  /** k6's global `minIterationDuration`: an iteration lasts at least this long (0: no minimum). */
  minIterationDurationMs: number;
  rate: number;
  startRate: number;
  timeUnitMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
}

/** Options given on the command line; they win over the script's. */
export interface OptionOverrides {
  vus?: number;
  duration?: string;
  iterations?: number;
  stages?: { duration: string; target: number }[];
  tags?: Record<string, string>;
  summaryTrendStats?: string[];
  /** Other k6 options given as flags, by their script name (`userAgent`, `noConnectionReuse`…). */
  options?: Record<string, unknown>;
}

export interface RunOptions {
  scenarios: ScenarioPlan[];
  /** Raw `thresholds` option; parsed by metrics/thresholds.ts. */
  thresholds: unknown;
  tags: Record<string, string>;
  summaryTrendStats: string[];
  summaryTimeUnit?: string;
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  noColor: boolean;
  /** k6's `executionSegment` and `executionSegmentSequence`: this instance's part of a distributed test. */
  executionSegment?: string;
  executionSegmentSequence?: string;
  /** k6's `systemTags`: the system tags samples carry (default: k6's default set). */
  systemTags?: string[];
  /** Consolidated options as the script sees them in exec.test.options. */
  consolidated: Record<string, unknown>;
}

export class OptionsError extends Error {}

const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

function num(v: unknown, what: string, dflt?: number, min = 0): number {
  if (v === undefined || v === null) {
    if (dflt === undefined) throw new OptionsError(`${what} is required`);
    return dflt;
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new OptionsError(`${what} must be a number ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function int(v: unknown, what: string, dflt?: number, min = 0): number {
  const n = num(v, what, dflt, min);
  if (!Number.isInteger(n)) throw new OptionsError(`${what} must be a whole number, got ${n}`);
  return n;
}

function dur(v: unknown, what: string, dflt?: number): number {
  if (v === undefined || v === null) {
    if (dflt === undefined) throw new OptionsError(`${what} is required`);
    return dflt;
  }
  try {
    return parseDuration(v, what);
  } catch (err) {
    throw new OptionsError((err as Error).message);
  }
}

function strMap(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new OptionsError(`${what} must be an object of strings`);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

function stages(v: unknown, what: string): Stage[] {
  if (!Array.isArray(v) || v.length === 0)
    throw new OptionsError(`${what}.stages must be a non-empty list of {duration, target}`);
  return v.map((s, i) => {
    if (!s || typeof s !== 'object') throw new OptionsError(`${what}.stages[${i}] must be {duration, target}`);
    const st = s as { duration?: unknown; target?: unknown };
    return {
      durationMs: dur(st.duration, `${what}.stages[${i}].duration`),
      target: num(st.target, `${what}.stages[${i}].target`),
    };
  });
}

function scenario(name: string, raw: unknown, minIterationDurationMs: number): ScenarioPlan {
  const what = `scenarios.${name}`;
  if (!/^[0-9a-zA-Z_-]+$/.test(name))
    throw new OptionsError(`scenario name '${name}': use letters, digits, '_' and '-' only`);
  if (!raw || typeof raw !== 'object') throw new OptionsError(`${what} must be an object`);
  const s = raw as Record<string, unknown>;
  const executor = s.executor as ExecutorName;
  if (s.executor === 'externally-controlled')
    throw new OptionsError(`${what}: the externally-controlled executor is not supported (k6 v2 removed it)`);
  if (!EXECUTORS.includes(executor))
    throw new OptionsError(
      `${what}.executor: expected one of ${EXECUTORS.join(', ')}, got ${JSON.stringify(s.executor)}`,
    );
  if (s.exec !== undefined && typeof s.exec !== 'string')
    throw new OptionsError(`${what}.exec must be the name of an exported function`);
  const plan: ScenarioPlan = {
    name,
    executor,
    startTimeMs: dur(s.startTime, `${what}.startTime`, 0),
    gracefulStopMs: dur(s.gracefulStop, `${what}.gracefulStop`, 30_000),
    exec: (s.exec as string | undefined) ?? 'default',
    env: strMap(s.env, `${what}.env`),
    tags: strMap(s.tags, `${what}.tags`),
    vus: 0,
    iterations: 0,
    durationMs: 0,
    maxDurationMs: 0,
    startVUs: 0,
    stages: [],
    gracefulRampDownMs: 0,
    minIterationDurationMs,
    rate: 0,
    startRate: 0,
    timeUnitMs: 1000,
    preAllocatedVUs: 0,
    maxVUs: 0,
  };
  switch (executor) {
    case 'constant-vus':
      plan.vus = int(s.vus, `${what}.vus`, 1, 1);
      plan.durationMs = dur(s.duration, `${what}.duration`);
      break;
    case 'ramping-vus':
      plan.startVUs = int(s.startVUs, `${what}.startVUs`, 1);
      plan.stages = stages(s.stages, what);
      plan.gracefulRampDownMs = dur(s.gracefulRampDown, `${what}.gracefulRampDown`, 30_000);
      for (const st of plan.stages)
        if (!Number.isInteger(st.target)) throw new OptionsError(`${what}.stages: VU targets must be whole numbers`);
      break;
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      plan.timeUnitMs = dur(s.timeUnit, `${what}.timeUnit`, 1000);
      if (plan.timeUnitMs <= 0) throw new OptionsError(`${what}.timeUnit must be positive`);
      plan.preAllocatedVUs = int(s.preAllocatedVUs, `${what}.preAllocatedVUs`);
      plan.maxVUs = int(s.maxVUs, `${what}.maxVUs`, plan.preAllocatedVUs);
      if (plan.maxVUs < plan.preAllocatedVUs)
        throw new OptionsError(`${what}.maxVUs (${plan.maxVUs}) is below preAllocatedVUs (${plan.preAllocatedVUs})`);
      if (plan.maxVUs < 1) throw new OptionsError(`${what}: needs at least one VU (preAllocatedVUs/maxVUs)`);
      if (executor === 'constant-arrival-rate') {
        plan.rate = num(s.rate, `${what}.rate`, undefined, 0);
        if (plan.rate <= 0) throw new OptionsError(`${what}.rate must be positive`);
        plan.durationMs = dur(s.duration, `${what}.duration`);
      } else {
        plan.startRate = num(s.startRate, `${what}.startRate`, 0);
        plan.stages = stages(s.stages, what);
      }
      break;
    case 'per-vu-iterations':
    case 'shared-iterations':
      plan.vus = int(s.vus, `${what}.vus`, 1, 1);
      plan.iterations = int(s.iterations, `${what}.iterations`, 1, 1);
      plan.maxDurationMs = dur(s.maxDuration, `${what}.maxDuration`, 600_000);
      if (executor === 'shared-iterations' && plan.iterations < plan.vus) plan.vus = plan.iterations;
      break;
  }
  return plan;
}

/** The `default` scenario built from the vus/duration/iterations/stages shortcuts (k6 lib/options.go). */
function shortcutScenario(o: {
  vus?: unknown;
  duration?: unknown;
  iterations?: unknown;
  stages?: unknown;
}): Record<string, unknown> {
  if (o.stages !== undefined && (o.stages as unknown[]).length)
    return { executor: 'ramping-vus', startVUs: o.vus ?? 1, stages: o.stages };
  if (o.iterations !== undefined)
    return {
      executor: 'shared-iterations',
      vus: o.vus ?? 1,
      iterations: o.iterations,
      ...(o.duration !== undefined ? { maxDuration: o.duration } : {}),
    };
  if (o.duration !== undefined && parseDuration(o.duration, 'duration') > 0)
    return { executor: 'constant-vus', vus: o.vus ?? 1, duration: o.duration };
  return { executor: 'shared-iterations', vus: o.vus ?? 1, iterations: 1 };
}

const SHORTCUTS = ['vus', 'duration', 'iterations', 'stages'] as const;

/**
 * The options the test runs with: k6's defaults < the script's `options` < `K6_*` environment variables
 * (`env`, from environment.ts) < command-line flags (`cli`). As in k6, a layer that sets duration,
 * iterations or stages replaces all three from the layers below it.
 */
export function consolidateOptions(
  script: Record<string, unknown> | undefined,
  cliFlags: OptionOverrides = {},
  env: Record<string, unknown> = {},
): RunOptions {
  const envRest = Object.fromEntries(
    Object.entries(env).filter(([k]) => !(SHORTCUTS as readonly string[]).includes(k)),
  );
  // k6 reads localIPs from K6_LOCAL_IPS and --local-ips only (json:"-"): a script's is not used.
  const { localIPs: _scriptLocalIPs, ...scriptOptions } = script ?? {};
  const o: Record<string, unknown> = { ...scriptOptions, ...envRest, ...(cliFlags.options ?? {}) };
  const cliTiming =
    cliFlags.duration !== undefined || cliFlags.iterations !== undefined || cliFlags.stages !== undefined;
  const cli: OptionOverrides = {
    ...cliFlags,
    vus: cliFlags.vus ?? (env.vus as number | undefined),
    ...(cliTiming
      ? {}
      : {
          duration: env.duration as string | undefined,
          iterations: env.iterations as number | undefined,
          stages: env.stages as OptionOverrides['stages'],
        }),
  };
  const cliShortcut =
    cli.vus !== undefined || cli.duration !== undefined || cli.iterations !== undefined || cli.stages !== undefined;
  let scenarios: Record<string, unknown>;
  if (cliShortcut) {
    // As in k6, shortcuts from the command line or K6_* variables replace the script's scenarios.
    const merged = {
      vus: cli.vus ?? o.vus,
      duration: cli.duration ?? (cli.iterations !== undefined || cli.stages ? undefined : o.duration),
      iterations: cli.iterations ?? (cli.duration !== undefined || cli.stages ? undefined : o.iterations),
      stages: cli.stages ?? (cli.duration !== undefined || cli.iterations !== undefined ? undefined : o.stages),
    };
    scenarios = { default: shortcutScenario(merged) };
    Object.assign(o, merged);
    delete o.scenarios;
  } else if (o.scenarios !== undefined) {
    if (o.vus !== undefined || o.duration !== undefined || o.iterations !== undefined || o.stages !== undefined)
      throw new OptionsError(
        "options: 'scenarios' cannot be combined with the vus/duration/iterations/stages shortcuts",
      );
    if (!o.scenarios || typeof o.scenarios !== 'object' || Object.keys(o.scenarios).length === 0)
      throw new OptionsError('options.scenarios must name at least one scenario');
    scenarios = o.scenarios as Record<string, unknown>;
  } else {
    scenarios = { default: shortcutScenario(o) };
  }
  // k6 has minIterationDuration as a global option only; it applies to every scenario.
  const minIterationDurationMs = dur(o.minIterationDuration, 'minIterationDuration', 0);
  const plans = Object.entries(scenarios).map(([name, raw]) => scenario(name, raw, minIterationDurationMs));
  // As in k6, each layer's tags replace those below: --tag over K6_TAGS over the script's options.tags.
  const tags = cli.tags && Object.keys(cli.tags).length > 0 ? cli.tags : strMap(o.tags, 'options.tags');
  const trendStats = cli.summaryTrendStats ?? (o.summaryTrendStats as string[] | undefined) ?? DEFAULT_TREND_STATS;
  if (
    !Array.isArray(trendStats) ||
    !trendStats.every((s) => typeof s === 'string' && /^(avg|min|med|max|count|p\(\d+(\.\d+)?\))$/.test(s))
  )
    throw new OptionsError(`summaryTrendStats: expected stats like ${DEFAULT_TREND_STATS.join(', ')}`);
  if (
    o.hosts !== undefined &&
    (!o.hosts ||
      typeof o.hosts !== 'object' ||
      Array.isArray(o.hosts) ||
      !Object.values(o.hosts).every((v) => typeof v === 'string'))
  )
    throw new OptionsError(`hosts: expected names mapped to addresses, e.g. { 'api.test': '127.0.0.1' }`);
  if (o.rps !== undefined && o.rps !== null && !(Number.isInteger(o.rps) && (o.rps as number) >= 0))
    throw new OptionsError(
      `rps: expected a whole number of requests per second (0: no limit), got ${JSON.stringify(o.rps)}`,
    );
  listOption(o.blockHostnames, 'blockHostnames', hostnamePatternError);
  listOption(o.blacklistIPs, 'blacklistIPs', rangeError);
  connectionOptions(o);
  const segmentOption = (k: 'executionSegment' | 'executionSegmentSequence'): string | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new OptionsError(`${k}: expected a string such as '1/3:2/3'`);
    return v;
  };
  const executionSegment = segmentOption('executionSegment');
  const executionSegmentSequence = segmentOption('executionSegmentSequence');
  try {
    ExecutionTuple.of(executionSegment, executionSegmentSequence);
  } catch (e) {
    throw new OptionsError(`execution segment: ${(e as Error).message}`);
  }
  o.tags = tags;
  o.scenarios = scenarios;
  o.summaryTrendStats = trendStats;
  return {
    scenarios: plans,
    thresholds: o.thresholds,
    tags,
    summaryTrendStats: trendStats,
    summaryTimeUnit: typeof o.summaryTimeUnit === 'string' ? o.summaryTimeUnit : undefined,
    setupTimeoutMs: dur(o.setupTimeout, 'setupTimeout', 60_000),
    teardownTimeoutMs: dur(o.teardownTimeout, 'teardownTimeout', 60_000),
    noColor: o.noColor === true,
    executionSegment,
    executionSegmentSequence,
    systemTags: systemTagsOption(o.systemTags),
    consolidated: o,
  };
}

/** The options that shape connections: TLS, `dns`, `localIPs`, `httpDebug`. */
function connectionOptions(o: Record<string, unknown>): void {
  try {
    tlsSettings(o);
    dnsSettings(o.dns);
    if (o.localIPs !== undefined && o.localIPs !== null && o.localIPs !== '') {
      if (typeof o.localIPs !== 'string')
        throw new Error(`localIPs: expected addresses, ranges and CIDR blocks, e.g. '10.0.0.2-10.0.0.9,10.0.1.0/28'`);
      localAddressPool(o.localIPs);
    }
    if (o.httpDebug !== undefined && o.httpDebug !== null && typeof o.httpDebug !== 'string')
      throw new Error(`httpDebug: expected 'headers' or 'full'`);
  } catch (e) {
    throw new OptionsError((e as Error).message);
  }
}

/** A list option whose every entry `error` accepts; throws naming the first one it does not. */
function listOption(v: unknown, name: string, error: (entry: unknown) => string | undefined): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) throw new OptionsError(`${name}: expected a list`);
  for (const entry of v) {
    const why = error(entry);
    if (why) throw new OptionsError(`${name}: ${JSON.stringify(entry)} ${why}`);
  }
}

function systemTagsOption(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string'))
    throw new OptionsError(`options.systemTags must be a list of tag names, e.g. ['status', 'method', 'url']`);
  return v;
}

/** This instance's part of the test (the whole test unless execution segments are set). */
export function executionTuple(o: Pick<RunOptions, 'executionSegment' | 'executionSegmentSequence'>): ExecutionTuple {
  return o.executionSegment === undefined && o.executionSegmentSequence === undefined
    ? ExecutionTuple.whole()
    : ExecutionTuple.of(o.executionSegment, o.executionSegmentSequence);
}

/** When a scenario has finished at the latest, graceful stop included (ms from test start). */
export function scenarioEndMs(s: ScenarioPlan): number {
  const stagesMs = s.stages.reduce((a, st) => a + st.durationMs, 0);
  switch (s.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return s.startTimeMs + s.durationMs + s.gracefulStopMs;
    case 'ramping-vus':
      return s.startTimeMs + stagesMs + Math.max(s.gracefulStopMs, s.gracefulRampDownMs);
    case 'ramping-arrival-rate':
      return s.startTimeMs + stagesMs + s.gracefulStopMs;
    default:
      return s.startTimeMs + s.maxDurationMs + s.gracefulStopMs;
  }
}
