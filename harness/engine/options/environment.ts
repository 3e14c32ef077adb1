// k6's `K6_*` environment variables (the envconfig tags of k6's lib.Options and cmd.Config, and the runtime
// options read in cmd/runtime_options.go). They sit between the script's options and the command line.
import { OptionsError } from './options.ts';

/** Runtime settings that are not script options: the command line wins over them. */
export interface RuntimeFromEnvironment {
  summaryExport?: string;
  outputs?: string[];
  noThresholds?: boolean;
  noSummary?: boolean;
}

export interface FromEnvironment {
  /** k6 options by their script name (`vus`, `userAgent`…). */
  options: Record<string, unknown>;
  runtime: RuntimeFromEnvironment;
}

// Go's strconv.ParseBool, which envconfig uses.
function bool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new OptionsError(`${name}: expected true or false, got ${JSON.stringify(v)}`);
}

function int(name: string, v: string): number {
  if (!/^[+-]?\d+$/.test(v.trim()))
    throw new OptionsError(`${name}: expected a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

const list = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

// k6's Stage.UnmarshalText: `DURATION:TARGET`, comma-separated.
function stages(name: string, v: string): { duration: string; target: number }[] {
  return list(v).map((s) => {
    const [duration, target = '0'] = s.split(':', 2);
    return { duration, target: int(name, target) };
  });
}

// envconfig's map: `key:value` items, comma-separated; an item without exactly one colon is refused, as k6 does.
function stringMap(name: string, v: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === '') return out;
  for (const item of v.split(',')) {
    const kv = item.split(':');
    if (kv.length !== 2)
      throw new OptionsError(`${name}: invalid map item ${JSON.stringify(item)}, expected key:value`);
    out[kv[0]!] = kv[1]!;
  }
  return out;
}

const BOOLEAN_OPTIONS: Record<string, string> = {
  K6_NO_CONNECTION_REUSE: 'noConnectionReuse',
  K6_NO_VU_CONNECTION_REUSE: 'noVUConnectionReuse',
  K6_INSECURE_SKIP_TLS_VERIFY: 'insecureSkipTLSVerify',
  K6_THROW: 'throw',
  K6_DISCARD_RESPONSE_BODIES: 'discardResponseBodies',
  K6_NO_COOKIES_RESET: 'noCookiesReset',
  K6_NO_SETUP: 'noSetup',
  K6_NO_TEARDOWN: 'noTeardown',
};
const STRING_OPTIONS: Record<string, string> = {
  K6_DURATION: 'duration',
  K6_USER_AGENT: 'userAgent',
  K6_MIN_ITERATION_DURATION: 'minIterationDuration',
  K6_SETUP_TIMEOUT: 'setupTimeout',
  K6_TEARDOWN_TIMEOUT: 'teardownTimeout',
  K6_SUMMARY_TIME_UNIT: 'summaryTimeUnit',
  K6_EXECUTION_SEGMENT: 'executionSegment',
  K6_EXECUTION_SEGMENT_SEQUENCE: 'executionSegmentSequence',
  K6_DNS: 'dns',
  K6_LOCAL_IPS: 'localIPs',
  K6_HTTP_DEBUG: 'httpDebug',
};
const INTEGER_OPTIONS: Record<string, string> = {
  K6_VUS: 'vus',
  K6_ITERATIONS: 'iterations',
  K6_MAX_REDIRECTS: 'maxRedirects',
  K6_RPS: 'rps',
};

/** The k6 options and runtime settings that `env` sets; throws OptionsError on a malformed value. */
export function fromEnvironment(env: Record<string, string | undefined>): FromEnvironment {
  const options: Record<string, unknown> = {};
  const runtime: RuntimeFromEnvironment = {};
  const has = (k: string): k is string => env[k] !== undefined;
  for (const [k, o] of Object.entries(BOOLEAN_OPTIONS)) if (has(k)) options[o] = bool(k, env[k]!);
  for (const [k, o] of Object.entries(STRING_OPTIONS)) if (has(k)) options[o] = env[k];
  for (const [k, o] of Object.entries(INTEGER_OPTIONS)) if (has(k)) options[o] = int(k, env[k]!);
  if (has('K6_STAGES')) options.stages = stages('K6_STAGES', env.K6_STAGES!);
  if (has('K6_TAGS')) options.tags = stringMap('K6_TAGS', env.K6_TAGS!);
  if (has('K6_TLS_CIPHER_SUITES')) options.tlsCipherSuites = list(env.K6_TLS_CIPHER_SUITES!);
  if (has('K6_SUMMARY_TREND_STATS')) options.summaryTrendStats = list(env.K6_SUMMARY_TREND_STATS!);
  if (has('K6_SUMMARY_EXPORT')) runtime.summaryExport = env.K6_SUMMARY_EXPORT;
  if (has('K6_OUT')) runtime.outputs = list(env.K6_OUT!);
  if (has('K6_NO_THRESHOLDS')) runtime.noThresholds = bool('K6_NO_THRESHOLDS', env.K6_NO_THRESHOLDS!);
  if (has('K6_NO_SUMMARY')) runtime.noSummary = bool('K6_NO_SUMMARY', env.K6_NO_SUMMARY!);
  return { options, runtime };
}
