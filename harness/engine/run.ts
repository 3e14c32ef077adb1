// Runs a k6 script on this engine: init on every worker thread, setup(),
// scenarios spread over the threads, teardown(), thresholds, summary.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { builtin, type MetricType, type Sample } from './metrics/metric.ts';
import { MetricRegistry } from './metrics/registry.ts';
import { TrendSink } from './metrics/sinks.ts';
import {
  aggregate,
  checkThresholdTypes,
  parseThresholds,
  passes,
  type MetricThresholds,
} from './metrics/thresholds.ts';
import type { ExecutionTuple } from './options/execution-segment.ts';
import {
  consolidateOptions,
  executionTuple,
  scenarioEndMs,
  type OptionOverrides,
  type RunOptions,
  type ScenarioPlan,
} from './options/options.ts';
import { fromEnvironment, type FromEnvironment } from './options/environment.ts';
import { readConfigFile, underScript, type ConfigFile } from './options/config-file.ts';
import type { MetricDescription, Output } from './output/output.ts';
import { loadOutput } from './output/load.ts';
import { EngineThread, ThreadFailure } from './runtime/engine-thread.ts';
import { Progress, type ProgressStats } from './runtime/progress.ts';
import { SCENARIO_COUNTERS, type WorkerStatus } from './runtime/protocol.ts';
import { startApiServer, type ApiServer } from './api/server.ts';
import type { ApiMetric, ControlSurface } from './api/control-surface.ts';
import { ExecutionStatus, type ExecutionStatusValue } from './api/status.ts';
import { buildSummaryData, sinkValues, type SummaryData } from './summary/summary-data.ts';
import { summaryExportText } from './summary/summary-export.ts';
import { RUN_STATE_VERSION, type RunState } from './summary/run-state.ts';
import { textSummary } from './summary/text-summary.ts';
import { RPS_SLOT_BYTES } from './modules/http/rps-limit.ts';

/** k6's exit codes (errext/exitcodes). */
export const exitCodes = {
  ok: 0,
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  invalidConfig: 104,
  scriptException: 107,
  stoppedFromRestApi: 103,
  externalAbort: 105,
  cannotStartRestApi: 106,
  scriptAborted: 108,
  testFailed: 110,
} as const;

/** Event-loop delay (p99, ms) of an engine thread above which the run's timings are not to be trusted. */
const SATURATED_LOOP_DELAY_MS = 50;

export interface RunScriptOptions {
  /** --vus, --duration, --iterations, --stage, --tag. */
  overrides?: OptionOverrides;
  /** -e KEY=VALUE. */
  env?: Record<string, string>;
  /** The process environment: K6_* option variables and the base of __ENV (default: process.env). */
  systemEnv?: Record<string, string | undefined>;
  /** Worker threads; default: one per core, at most one per VU. */
  workers?: number;
  /** --out values: `json=results.json`, `experimental-prometheus-rw`. */
  outputs?: string[];
  /** k6's --config file: options beneath the script's, and outputs when nothing else names any. */
  configFile?: string;
  summaryExport?: string;
  /** Thresholds are not evaluated (k6 --no-thresholds). */
  noThresholds?: boolean;
  /** No progress line. */
  quiet?: boolean;
  /** No end-of-test summary (and no handleSummary), like k6 --no-summary. */
  noSummary?: boolean;
  /** How often samples reach outputs and the progress line updates (ms). */
  flushMs?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Aborting it stops the test at once and still reports (k6's Ctrl-C; exit code 105); with `linger`, ends the linger. */
  signal?: AbortSignal;
  /** k6's REST API v1 on host:port (k6 --address); port 0 picks a free one. */
  address?: string;
  /** Told the API's address once it listens. */
  onApiListening?: (address: string) => void;
  /** Wait after init until started through the API (PATCH /v1/status paused:false), as k6 --paused. */
  paused?: boolean;
  /** Keep the API up after the test until `signal` aborts (k6 --linger). */
  linger?: boolean;
  /** Awaited after init, before setup() and the scenarios: runs that must start together meet here. */
  beforeStart?: () => Promise<void>;
  /** Do not run setup() (k6 --no-setup): the VUs get the data set through PUT /v1/setup, if any. */
  noSetup?: boolean;
  /** Do not run teardown() (k6 --no-teardown). */
  noTeardown?: boolean;
  /** Write the run's mergeable end state there (summary/run-state.ts), for `cats-stress merge`. */
  stateExport?: string;
}

export interface RunResult {
  exitCode: number;
  summaryData?: SummaryData;
  /** Why the run failed, when it did for another reason than thresholds. */
  error?: string;
  /** Worst p99 event-loop delay of the engine threads (ms): above a few ms, timings include the generator's own lateness. */
  generatorDelayMs?: number;
}

class RunError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Most VUs a scenario can have at once in this instance (to size the thread count). */
function peakVus(s: ScenarioPlan, instance: ExecutionTuple): number {
  switch (s.executor) {
    case 'ramping-vus':
      return instance.scale(Math.max(s.startVUs, ...s.stages.map((st) => st.target)));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return instance.scale(s.maxVUs);
    default:
      return instance.scale(s.vus);
  }
}

function stringEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function withTimeout<T>(p: Promise<T>, ms: number, code: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunError(code, `${what} did not finish within ${ms / 1000}s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface ThresholdOutcome {
  results: Map<string, Record<string, { ok: boolean }>>;
  failed: string[];
  /** The first failing threshold with abortOnFail whose delay has passed. */
  abort?: string;
}

export function evaluateThresholds(
  registry: MetricRegistry,
  all: MetricThresholds[],
  elapsedMs: number,
): ThresholdOutcome {
  const results = new Map<string, Record<string, { ok: boolean }>>();
  const failed: string[] = [];
  let abort: string | undefined;
  for (const { selector, thresholds } of all) {
    const found = registry.sinkFor(selector.name);
    const r: Record<string, { ok: boolean }> = {};
    for (const t of thresholds) {
      const ok = passes(t, aggregate(found?.sink, t, elapsedMs));
      r[t.source] = { ok };
      if (!ok) {
        failed.push(`${selector.name}: ${t.source}`);
        if (t.abortOnFail && elapsedMs >= t.delayAbortEvalMs) abort ??= `${selector.name}: ${t.source}`;
      }
    }
    results.set(selector.name, r);
  }
  return { results, failed, abort };
}

/** Runs `scriptPath` and returns k6's exit code and the summary data. */
export async function runScript(scriptPath: string, opts: RunScriptOptions = {}): Promise<RunResult> {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const path = resolve(scriptPath);
  const flushMs = opts.flushMs ?? 1000;
  const threads: EngineThread[] = [];
  const outputs: Output[] = [];
  let api: ApiServer | undefined;
  let summaryData: SummaryData | undefined;
  let generatorDelayMs: number | undefined;
  try {
    if (!existsSync(path)) throw new RunError(exitCodes.scriptException, `script not found: ${path}`);
    const systemEnv = stringEnv(opts.systemEnv ?? process.env);
    const env = { ...systemEnv, ...(opts.env ?? {}) };
    let fromEnv: FromEnvironment;
    let config: ConfigFile | undefined;
    try {
      fromEnv = fromEnvironment(systemEnv);
      if (opts.configFile) config = readConfigFile(opts.configFile);
    } catch (e) {
      throw new RunError(exitCodes.invalidConfig, (e as Error).message);
    }
    // Flags win over K6_* variables, as in k6.
    opts = {
      ...opts,
      summaryExport: opts.summaryExport ?? fromEnv.runtime.summaryExport,
      outputs: opts.outputs?.length ? opts.outputs : (fromEnv.runtime.outputs ?? config?.outputs),
      noThresholds: opts.noThresholds ?? fromEnv.runtime.noThresholds,
      noSummary: opts.noSummary ?? fromEnv.runtime.noSummary,
    };

    // Init: every thread imports the script at once; the first one's options (k6's options pass) decide how many are kept.
    const wanted = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
    for (let i = 0; i < wanted; i++) threads.push(new EngineThread(i, { scriptPath: path, env }, err));
    const loaded = await threads[0].expect('loaded');
    let options: RunOptions;
    let thresholds: MetricThresholds[];
    try {
      const script = config ? underScript(config.options, loaded.options) : loaded.options;
      options = consolidateOptions(script, opts.overrides, fromEnv.options);
      for (const s of options.scenarios)
        if (!loaded.functions.includes(s.exec))
          throw new Error(
            s.exec === 'default'
              ? `the script exports no default function (scenario '${s.name}')`
              : `scenario '${s.name}': exec '${s.exec}' is not an exported function`,
          );
      thresholds = opts.noThresholds ? [] : parseThresholds(options.thresholds);
      const types = new Map<string, MetricType>(
        [...Object.values(builtin), ...loaded.metrics].map((d) => [d.name, d.type]),
      );
      checkThresholdTypes(thresholds, (n) => types.get(n));
      if (script?.localIPs !== undefined)
        err.write(`warning: the script's localIPs option is not used, as in k6: set K6_LOCAL_IPS or --local-ips\n`);
    } catch (e) {
      throw new RunError(exitCodes.invalidConfig, (e as Error).message);
    }
    const testId = options.tags.testid ?? `run-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const definitions = new Map([...Object.values(builtin), ...loaded.metrics].map((d) => [d.name, d]));
    const describeMetric = (name: string): MetricDescription | undefined => {
      const def = definitions.get(name) ?? registry?.entries.get(name)?.def;
      if (!def) return undefined;
      const mine = thresholds.filter((t) => t.selector.parent === name);
      return {
        ...def,
        thresholds: mine.flatMap((t) => t.thresholds.map((x) => x.source)),
        submetrics: mine
          .filter((t) => t.selector.tags.length)
          .map((t) => ({
            name: t.selector.name,
            suffix: t.selector.name.slice(name.length + 1, -1),
            tags: Object.fromEntries(t.selector.tags),
          })),
      };
    };
    let registry: MetricRegistry | undefined;
    for (const spec of opts.outputs ?? []) {
      try {
        outputs.push(await loadOutput(spec, { env, testId, metrics: describeMetric }));
      } catch (e) {
        throw new RunError(exitCodes.invalidConfig, (e as Error).message);
      }
    }
    if (outputs.length && !options.tags.testid) options.tags = { ...options.tags, testid: testId };
    await Promise.all(outputs.map((o) => o.start()));

    const instance = executionTuple(options);
    const vuBudget = options.scenarios.reduce((a, s) => a + peakVus(s, instance), 0);
    const threadCount = Math.max(1, Math.min(wanted, vuBudget));
    await Promise.all(threads.splice(threadCount).map((t) => t.terminate()));
    await Promise.all(threads.slice(1).map((t) => t.expect('loaded')));

    const selectors = [
      ...new Set([...thresholds.map((t) => t.selector.name), 'http_req_duration{expected_response:true}']),
    ];
    registry = new MetricRegistry(
      selectors.map(
        (name) =>
          thresholds.find((t) => t.selector.name === name)?.selector ?? {
            name,
            parent: 'http_req_duration',
            tags: [['expected_response', 'true']],
          },
      ),
    );
    const pending: Sample[] = [];
    const bufferSamples = outputs.length > 0;

    // Stopping: the API, a signal, a failing abortOnFail threshold or a script's abort.
    const status = new Map<number, WorkerStatus>();
    let stop: { code: number; message: string } | undefined;
    let resolveStart!: () => void;
    const startGate = new Promise<void>((r) => (resolveStart = r));
    const stopAll = (reason: { code: number; message: string }): void => {
      if (stop) return;
      stop = reason;
      err.write(
        `\n${reason.code === exitCodes.thresholdsFailed ? 'thresholds crossed' : 'test stopped'}: ${reason.message}\n`,
      );
      for (const t of threads) t.send({ type: 'stop' });
      resolveStart();
    };
    const onSignal = (): void => stopAll({ code: exitCodes.externalAbort, message: 'interrupted' });
    if (opts.signal?.aborted) onSignal();
    opts.signal?.addEventListener('abort', onSignal, { once: true });

    // setup(): once, here or through POST /v1/setup; PUT /v1/setup hands in another instance's data.
    let setupJson: string | undefined;
    let setupRun: Promise<string | undefined> | undefined;
    const runSetup = (): Promise<string | undefined> =>
      (setupRun ??= (async () => {
        threads[0].send({ type: 'setup', options, selectors });
        const done = await withTimeout(
          threads[0].expect('setupDone'),
          options.setupTimeoutMs,
          exitCodes.setupTimeout,
          'setup()',
        );
        registry.merge(done.delta);
        if (bufferSamples) pending.push(...done.delta.samples);
        setupJson = done.setupJson;
        return setupJson;
      })());
    const runTeardown = async (): Promise<void> => {
      threads[0].send({ type: 'teardown', setupJson });
      const td = await withTimeout(
        threads[0].expect('teardownDone'),
        options.teardownTimeoutMs,
        exitCodes.teardownTimeout,
        'teardown()',
      );
      registry.merge(td.delta);
      if (bufferSamples) for (const o of outputs) o.addSamples(td.delta.samples);
    };

    let exportState: (() => Promise<void>) | undefined;
    // k6's REST API (--address): what the k6-operator drives its runners with.
    let phase: ExecutionStatusValue = opts.paused ? ExecutionStatus.PausedBeforeRun : ExecutionStatus.InitDone;
    let started = !opts.paused;
    let startedAt: number | undefined;
    const surface: ControlSurface = {
      status: () => {
        const all = [...status.values()];
        const now = Date.now();
        return {
          status: stop && phase !== ExecutionStatus.Ended ? ExecutionStatus.Interrupted : phase,
          paused: !started,
          vus: all.reduce((a, x) => a + x.vus, 0),
          'vus-max': all.reduce((a, x) => a + x.vusMax, 0),
          stopped: stop !== undefined,
          running: phase === ExecutionStatus.Running,
          tainted: evaluateThresholds(registry, thresholds, startedAt ? now - startedAt : 0).failed.length > 0,
        };
      },
      resume: () => {
        started = true;
        resolveStart();
        return { ok: true };
      },
      pause: () =>
        started ? { ok: false, message: 'the engine cannot pause a test once it has started' } : { ok: true as const },
      stop: () => stopAll({ code: exitCodes.stoppedFromRestApi, message: 'test run stopped from REST API' }),
      runSetup,
      setupData: () => setupJson,
      setSetupData: (json) => {
        setupJson = json;
      },
      runTeardown: async () => {
        await runTeardown();
        if (phase === ExecutionStatus.Ended) await exportState?.();
      },
      metrics: () => apiMetrics(registry, thresholds, startedAt ? Date.now() - startedAt : 0),
    };
    if (opts.address !== undefined) {
      try {
        api = await startApiServer(opts.address, surface);
      } catch (e) {
        throw new RunError(
          exitCodes.cannotStartRestApi,
          `the REST API cannot listen on ${opts.address}: ${(e as Error).message}`,
        );
      }
      opts.onApiListening?.(api.address);
    }
    if (opts.paused) {
      if (!opts.quiet)
        err.write(`paused: waiting for PATCH /v1/status {"paused": false}${api ? ` on ${api.address}` : ''}\n`);
      await startGate;
      if (stop) throw new RunError(stop.code, stop.message);
    }
    await opts.beforeStart?.();
    phase = ExecutionStatus.Setup;
    // --no-setup, else the option (K6_NO_SETUP, the script's noSetup), as in k6.
    if (!(opts.noSetup ?? options.consolidated.noSetup === true)) await runSetup();
    else if (setupRun) await setupRun;

    // Scenarios on every thread.
    phase = ExecutionStatus.Running;
    for (const t of threads) {
      t.onMetrics = (m) => {
        registry.merge(m.delta);
        if (bufferSamples) pending.push(...m.delta.samples);
        status.set(t.index, m.status);
      };
      t.onStopTest = (m) => stopAll({ code: m.code, message: m.message });
    }
    const testStart = Date.now();
    startedAt = testStart;
    const totalMs = Math.max(...options.scenarios.map((s) => scenarioEndMs(s) - s.gracefulStopMs));
    const progress = new Progress(err, options.scenarios.map((s) => s.name).join(', '), totalMs, !opts.quiet);
    // The rate is taken over the last few seconds: worker reports and ticks are not in phase.
    const recent: { at: number; iterations: number }[] = [{ at: testStart, iterations: 0 }];
    const stats = (): ProgressStats => {
      const now = Date.now();
      const all = [...status.values()];
      const iterations = (registry.sinkFor('iterations')?.sink.state() as { sum: number } | undefined)?.sum ?? 0;
      const http = registry.sinkFor('http_req_duration')?.sink as TrendSink | undefined;
      const trend = http?.count ? http : (registry.sinkFor('iteration_duration')?.sink as TrendSink | undefined);
      const failedReqs = registry.sinkFor('http_req_failed')?.sink.state() as { passes: number } | undefined;
      const dropped = registry.sinkFor('dropped_iterations')?.sink.state() as { sum: number } | undefined;
      const s: ProgressStats = {
        elapsedMs: now - testStart,
        vus: all.reduce((a, x) => a + x.vus, 0),
        vusMax: all.reduce((a, x) => a + x.vusMax, 0),
        iterations,
        iterationRate: now > recent[0].at ? ((iterations - recent[0].iterations) * 1000) / (now - recent[0].at) : 0,
        p95: trend?.count
          ? { metric: trend === http ? 'http_req_duration' : 'iteration_duration', ms: trend.percentiles([0.95])[0] }
          : undefined,
        errors: (failedReqs?.passes ?? 0) + all.reduce((a, x) => a + x.errors, 0),
        dropped: dropped?.sum ?? 0,
      };
      recent.push({ at: now, iterations });
      while (recent.length > 1 && now - recent[0].at > 5000) recent.shift();
      return s;
    };
    const tick = (): void => {
      const all = [...status.values()];
      const now = Date.now();
      if (all.length) {
        const vus = all.reduce((a, x) => a + x.vus, 0);
        const vusMax = all.reduce((a, x) => a + x.vusMax, 0);
        registry.add(builtin.vus, vus, options.tags, now);
        registry.add(builtin.vus_max, vusMax, options.tags, now);
        if (bufferSamples)
          pending.push(
            { metric: 'vus', time: now, value: vus, tags: options.tags },
            { metric: 'vus_max', time: now, value: vusMax, tags: options.tags },
          );
      }
      if (bufferSamples) {
        const batch = pending.splice(0);
        for (const o of outputs) o.addSamples(batch);
      }
      const abort = evaluateThresholds(registry, thresholds, now - testStart).abort;
      if (abort) stopAll({ code: exitCodes.thresholdsFailed, message: `${abort} (abortOnFail)` });
      progress.update(stats());
    };
    const ticker = setInterval(tick, flushMs);
    const done = threads.map((t) => t.expect('done'));
    const shared = new SharedArrayBuffer(4 * SCENARIO_COUNTERS * Math.max(1, options.scenarios.length));
    const rpsSlot = new SharedArrayBuffer(RPS_SLOT_BYTES);
    for (const t of threads)
      t.send({
        type: 'start',
        options,
        selectors,
        setupJson,
        testStart,
        flushMs,
        bufferSamples,
        threads: threadCount,
        vuBudget,
        shared,
        rpsSlot,
      });
    let runFailure: unknown;
    for (const [i, d] of done.entries()) {
      try {
        const m = await d;
        registry.merge(m.delta);
        if (bufferSamples) pending.push(...m.delta.samples);
        status.set(i, { ...m.status, vus: status.get(i)?.vus ?? m.status.vus });
      } catch (e) {
        runFailure ??= e;
        stopAll({
          code: e instanceof ThreadFailure ? e.code : exitCodes.scriptException,
          message: (e as Error).message,
        });
      }
    }
    clearInterval(ticker);
    opts.signal?.removeEventListener('abort', onSignal);
    const durationMs = Date.now() - testStart;
    tick();
    const final = stats();
    progress.finish({
      ...final,
      elapsedMs: durationMs,
      iterationRate: durationMs > 0 ? (final.iterations * 1000) / durationMs : 0,
    });
    if (runFailure && !(runFailure instanceof ThreadFailure)) throw runFailure;
    const lateMs = Math.max(0, ...[...status.values()].map((s) => s.loopDelayP99Ms));
    generatorDelayMs = lateMs;
    if (lateMs > SATURATED_LOOP_DELAY_MS)
      err.write(
        `warning: the engine's own event loop ran up to ${lateMs.toFixed(0)} ms late (p99): the load generator was short of CPU, so measured latencies and start times include its delay. Give it more cores (--workers) or less load.\n`,
      );

    // teardown()
    phase = ExecutionStatus.Teardown;
    if (
      (!stop || stop.code !== exitCodes.scriptException) &&
      !(opts.noTeardown ?? options.consolidated.noTeardown === true)
    )
      await runTeardown();
    phase = ExecutionStatus.Ended;
    if (bufferSamples) for (const o of outputs) o.addSamples(pending.splice(0));

    const outcome = evaluateThresholds(registry, thresholds, durationMs);
    summaryData = buildSummaryData({
      registry,
      thresholdResults: outcome.results,
      trendStats: options.summaryTrendStats,
      summaryTimeUnit: options.summaryTimeUnit,
      noColor: options.noColor,
      durationMs,
      setupData: setupJson === undefined ? undefined : JSON.parse(setupJson),
    });
    if (opts.stateExport) {
      const file = opts.stateExport;
      const state = (): RunState => ({
        type: 'cats-stress-run-state',
        version: RUN_STATE_VERSION,
        tags: options.tags,
        executionSegment: options.executionSegment,
        executionSegmentSequence: options.executionSegmentSequence,
        startedAt: testStart,
        testRunDurationMs: durationMs,
        thresholds: opts.noThresholds ? undefined : options.thresholds,
        summaryTrendStats: options.summaryTrendStats,
        summaryTimeUnit: options.summaryTimeUnit,
        noColor: options.noColor,
        setupJson,
        registry: registry.snapshot(),
      });
      // A teardown() run later through the API (a lingering runner) writes it again, its requests included.
      exportState = () => writeOut(file, JSON.stringify(state()));
      await exportState();
    }
    // As in k6, the export is part of the end-of-test summary: --no-summary skips it too.
    if (opts.summaryExport && !opts.noSummary) await writeOut(opts.summaryExport, summaryExportText(summaryData));
    if (!opts.noSummary) {
      const text = (): string =>
        `\n${textSummary(summaryData!, { indent: ' ', enableColors: !options.noColor && !!(out as { isTTY?: boolean }).isTTY })}\n`;
      if (loaded.functions.includes('handleSummary')) {
        threads[0].send({ type: 'handleSummary', data: summaryData });
        try {
          const { result } = await threads[0].expect('summary');
          for (const [target, content] of Object.entries(result ?? {})) {
            if (target === 'stdout') out.write(String(content));
            else if (target === 'stderr') err.write(String(content));
            else await writeOut(target, content);
          }
        } catch (e) {
          // As k6: report the failure and fall back to the default summary.
          err.write(`error: ${(e as Error).message}\n`);
          out.write(text());
        }
      } else out.write(text());
    }
    const anyWorkerFailed = [...status.values()].some((s) => s.failed);
    if (stop)
      return {
        exitCode: stop.code,
        summaryData,
        generatorDelayMs,
        error: stop.code === exitCodes.thresholdsFailed ? undefined : stop.message,
      };
    if (outcome.failed.length) {
      err.write(`thresholds crossed: ${outcome.failed.join('; ')}\n`);
      return { exitCode: exitCodes.thresholdsFailed, summaryData, generatorDelayMs };
    }
    if (anyWorkerFailed)
      return { exitCode: exitCodes.testFailed, summaryData, generatorDelayMs, error: 'exec.test.fail() was called' };
    return { exitCode: exitCodes.ok, summaryData, generatorDelayMs };
  } catch (e) {
    const code = e instanceof RunError || e instanceof ThreadFailure ? e.code : exitCodes.scriptException;
    const message = e instanceof Error ? e.message : String(e);
    err.write(`error: ${message}\n`);
    return { exitCode: code, summaryData, error: message };
  } finally {
    if (opts.linger && api) {
      // As k6 --linger: the API stays up (teardown, metrics) until interrupted.
      if (!opts.quiet) err.write('the test is done; --linger keeps the REST API up until interrupted\n');
      await new Promise<void>((resolve) => {
        if (!opts.signal || opts.signal.aborted) return resolve();
        opts.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    await api?.close();
    await Promise.allSettled(outputs.map((o) => o.stop()));
    await Promise.allSettled(threads.map((t) => t.terminate()));
  }
}

async function writeOut(target: string, content: unknown): Promise<void> {
  const file = resolve(target);
  await mkdir(dirname(file), { recursive: true });
  if (content instanceof ArrayBuffer) await writeFile(file, new Uint8Array(content));
  else if (ArrayBuffer.isView(content))
    await writeFile(file, new Uint8Array(content.buffer, content.byteOffset, content.byteLength));
  else await writeFile(file, String(content));
}

/** The registry as k6's GET /v1/metrics shows it (each sink's Format values). */
function apiMetrics(registry: MetricRegistry, thresholds: MetricThresholds[], elapsedMs: number): ApiMetric[] {
  const failed = new Set(evaluateThresholds(registry, thresholds, elapsedMs).failed.map((f) => f.split(':')[0]));
  const withThresholds = new Set(thresholds.map((t) => t.selector.parent));
  return [...registry.entries.values()].map(({ def, sink }) => {
    const v = sinkValues(sink, ['min', 'max', 'avg', 'med', 'p(90)', 'p(95)'], elapsedMs);
    const sample =
      def.type === 'counter'
        ? { count: v.count, rate: v.rate }
        : def.type === 'gauge'
          ? { value: v.value }
          : def.type === 'rate'
            ? { rate: v.rate }
            : v;
    const tainted = withThresholds.has(def.name)
      ? [...failed].some((f) => f === def.name || f.startsWith(`${def.name}{`))
      : null;
    return { def, sample, tainted };
  });
}
