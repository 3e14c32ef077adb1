// What `inspect` and `archive` need of a test without running it: the script loaded once (its options
// consolidated as `run` would, the files its init code opened) and k6's execution requirements.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromEnvironment } from './options/environment.ts';
import {
  consolidateOptions,
  executionTuple,
  type OptionOverrides,
  type RunOptions,
  type ScenarioPlan,
} from './options/options.ts';
import type { ExecutionTuple } from './options/execution-segment.ts';
import { EngineThread } from './runtime/engine-thread.ts';

export interface LoadedTest {
  scriptPath: string;
  options: RunOptions;
  /** Files the init code opened. */
  opened: string[];
}

export async function loadTest(
  scriptPath: string,
  opts: {
    env?: Record<string, string>;
    systemEnv?: Record<string, string | undefined>;
    overrides?: OptionOverrides;
    stderr?: NodeJS.WritableStream;
  } = {},
): Promise<LoadedTest> {
  const path = resolve(scriptPath);
  if (!existsSync(path)) throw new Error(`script not found: ${path}`);
  const systemEnv = Object.fromEntries(
    Object.entries(opts.systemEnv ?? process.env).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const fromEnv = fromEnvironment(systemEnv);
  const thread = new EngineThread(
    0,
    { scriptPath: path, env: { ...systemEnv, ...(opts.env ?? {}) } },
    opts.stderr ?? process.stderr,
  );
  try {
    const loaded = await thread.expect('loaded');
    return {
      scriptPath: path,
      options: consolidateOptions(loaded.options, opts.overrides, fromEnv.options),
      opened: loaded.opened,
    };
  } finally {
    await thread.terminate();
  }
}

/** When a scenario's last step ends (k6's GetExecutionRequirements: the run plus its graceful stop). */
function scenarioEnd(s: ScenarioPlan): number {
  const stages = s.stages.reduce((a, st) => a + st.durationMs, 0);
  switch (s.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return s.startTimeMs + s.durationMs + s.gracefulStopMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return s.startTimeMs + stages + s.gracefulStopMs;
    default:
      return s.startTimeMs + s.maxDurationMs + s.gracefulStopMs;
  }
}

function scenarioVus(s: ScenarioPlan, et: ExecutionTuple): number {
  switch (s.executor) {
    case 'ramping-vus':
      return et.scale(Math.max(s.startVUs, ...s.stages.map((st) => st.target)));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return et.scale(Math.max(s.maxVUs, s.preAllocatedVUs));
    default:
      return et.scale(s.vus);
  }
}

/** Go's time.Duration.String() of whole milliseconds: `1h2m3.5s`, `40s`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = (ms % 60_000) / 1000;
  const secText = `${Number.isInteger(sec) ? sec : sec.toFixed(3).replace(/0+$/, '')}s`;
  if (h) return `${h}h${m}m${secText}`;
  if (m) return `${m}m${secText}`;
  return secText;
}

/**
 * k6's `inspect --execution-requirements` additions (cmd/inspect.go): `totalDuration`, the end of the
 * last scenario's steps, and `maxVUs`, the most VUs the scenarios can hold at once in this segment.
 */
export function executionRequirements(options: RunOptions): { totalDuration: string; maxVUs: number } {
  const et = executionTuple(options);
  const end = Math.max(0, ...options.scenarios.map(scenarioEnd));
  let maxVUs = 0;
  for (const at of options.scenarios.map((s) => s.startTimeMs)) {
    const concurrent = options.scenarios
      .filter((s) => s.startTimeMs <= at && at < scenarioEnd(s))
      .reduce((a, s) => a + scenarioVus(s, et), 0);
    maxVUs = Math.max(maxVUs, concurrent);
  }
  return { totalDuration: formatGoDuration(end), maxVUs };
}
