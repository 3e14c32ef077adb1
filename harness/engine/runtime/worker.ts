// An engine worker thread: imports the script once (its VUs share module
// state), runs its segment of every scenario, and reports metric deltas.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { executors } from '../executors/index.ts';
import { share, VuPool, type IterationFn, type Segment } from '../executors/scenario-execution.ts';
import { parseMetricSelector } from '../metrics/registry.ts';
import { configureHttp } from '../modules/http.ts';
import { configureRps } from '../modules/http/rps-limit.ts';
import { executionTuple, type RunOptions } from '../options/options.ts';
import { engine, ScriptError, TestAbortError } from './engine-state.ts';
import { logScriptError } from './error-log.ts';
import { installGlobals } from './globals.ts';
import { SCENARIO_COUNTERS, type FromWorker, type ToWorker, type WorkerData, type WorkerStatus } from './protocol.ts';
import { vuContext, type VuState } from './vu-context.ts';

const port = parentPort!;
const data = workerData as WorkerData;
const post = (m: FromWorker): void => port.postMessage(m);
const hardStop = new AbortController();

engine.scriptPath = data.scriptPath;
engine.env = data.env;
let stopPosted = false;
engine.stopTest = ({ code, message }) => {
  if (!stopPosted) post({ type: 'stopTest', code, message });
  stopPosted = true;
  hardStop.abort();
};
installGlobals();
// A rejected promise nobody awaited, or a throw in a timer callback, fails
// that piece of the script (k6 logs it) but not the whole test.
const logStray = (what: string) => (err: unknown) => {
  engine.errors++;
  logScriptError(err, `(${what})`);
};
process.on('unhandledRejection', logStray('unhandled promise rejection'));
process.on('uncaughtException', logStray('uncaught exception'));

type Script = Record<string, unknown>;
/** The script as loaded first: its options and exports, and what setup(), teardown() and handleSummary() run in. */
let script: Script;
const scriptUrl = pathToFileURL(data.scriptPath).href;

/** Every VU's own copy of the script, by VU number (k6 runs the init code once per VU: its own top-level state). */
const instances = new Map<number, Script>();
const loading = new Map<number, Promise<Script>>();

function instanceFor(id: number): Promise<Script> {
  // A script without top-level state a VU could change runs the same in one copy per thread, for less memory.
  if (script.__catsVuState === false) return Promise.resolve(script);
  let p = loading.get(id);
  if (!p) {
    engine.vusInitializing++;
    // No VU's context: its init code runs as init code.
    p = vuContext.exit(() => import(`${scriptUrl}?vu=${id}`) as Promise<Script>);
    p.then(
      (s) => instances.set(id, s),
      () => {},
    ).finally(() => engine.vusInitializing--);
    loading.set(id, p);
  }
  return p;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((l) => l.trim().startsWith('at ') && !l.includes('node_modules') && !l.includes('node:'))
    .slice(0, 3);
  return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}${frames.length ? `\n${frames.join('\n')}` : ''}`;
}

/** The VU-like state setup(), teardown() and handleSummary() run in (k6 tags their samples group=::setup / ::teardown). */
function lifecycleVu(phase: 'setup' | 'teardown' | 'summary', options: RunOptions | undefined): VuState {
  const group = phase === 'summary' ? '' : `::${phase}`;
  return {
    idInInstance: 0,
    idInTest: 0,
    iteration: 0,
    iterationInScenario: 0,
    scenario: '',
    executor: '',
    tags: { ...(options?.tags ?? {}), group },
    group,
    env: engine.env,
    sink: engine.registry,
    // Its own signal: teardown() still runs (and may make requests) after the scenarios were stopped.
    signal: new AbortController().signal,
  };
}

const LOOP_SAMPLE_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });

function status(): WorkerStatus {
  // The histogram holds whole sampling intervals; the delay is what exceeds the interval.
  const p99 = loopDelay.count ? Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_SAMPLE_MS) : 0;
  return {
    vus: engine.vusActive,
    vusMax: engine.vusInitialized,
    errors: engine.errors,
    failed: engine.failed,
    loopDelayP99Ms: p99,
  };
}

function prepare(options: RunOptions, selectors: string[], rpsSlot?: SharedArrayBuffer): void {
  engine.options = Object.freeze(options.consolidated);
  configureHttp(options.consolidated);
  configureRps(options.consolidated.rps, rpsSlot);
  engine.registry.addSelectors(selectors.map(parseMetricSelector));
  engine.registry.restrictSystemTags(options.systemTags);
}

async function runScenarios(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  prepare(msg.options, msg.selectors, msg.rpsSlot);
  engine.phase = 'run';
  engine.testStart = msg.testStart;
  if (msg.bufferSamples) engine.registry.samples ??= [];
  loopDelay.enable();
  const flush = setInterval(
    () => post({ type: 'metrics', delta: engine.registry.takeDelta(), status: status() }),
    msg.flushMs,
  );
  const segment: Segment = { index: data.index, count: msg.threads };
  const instance = executionTuple(msg.options);
  const pool = new VuPool(segment, msg.vuBudget);
  // As in k6, the planned VUs run their init code before the test starts; VUs added later (arrival-rate
  // growth) run it before their first iteration.
  await Promise.all(Array.from({ length: share(msg.vuBudget, segment) }, (_, local) => instanceFor(pool.idOf(local))));
  await Promise.all(
    msg.options.scenarios.map(async (plan, i) => {
      const wait = msg.testStart + plan.startTimeMs - Date.now();
      if (wait > 0)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          hardStop.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        });
      if (hardStop.signal.aborted) return;
      const fnFor = (id: number): IterationFn | Promise<IterationFn> => {
        const own = instances.get(script.__catsVuState === false ? 0 : id);
        return own ? (own[plan.exec] as IterationFn) : instanceFor(id).then((s) => s[plan.exec] as IterationFn);
      };
      await executors[plan.executor]({
        plan,
        instance,
        segment,
        fnFor,
        setupJson: msg.setupJson,
        globalTags: msg.options.tags,
        globalEnv: engine.env,
        pool,
        hardStop: hardStop.signal,
        shared: new Int32Array(msg.shared, 4 * SCENARIO_COUNTERS * i, SCENARIO_COUNTERS),
      });
    }),
  );
  clearInterval(flush);
  loopDelay.disable();
  post({ type: 'done', delta: engine.registry.takeDelta(), status: status() });
}

async function lifecycle<T>(
  phase: 'setup' | 'teardown' | 'summary',
  options: RunOptions | undefined,
  fn: () => T,
): Promise<Awaited<T>> {
  engine.phase = phase;
  // k6 enters the ::setup or ::teardown group whenever the script exports that function: the group is in the
  // summary's tree even when nothing in it made a check.
  if (phase !== 'summary' && typeof script[phase] === 'function') engine.registry.recordGroup(`::${phase}`);
  return await vuContext.run(lifecycleVu(phase, options), fn);
}

let runOptions: RunOptions | undefined;

port.on('message', (msg: ToWorker) => {
  const fail = (code: number, what: string) => (err: unknown) =>
    post(
      err instanceof TestAbortError
        ? { type: 'failed', code: 108, message: `${what}: exec.test.abort(): ${err.message}` }
        : { type: 'failed', code, message: `${what}: ${describe(err)}` },
    );
  switch (msg.type) {
    case 'setup':
      runOptions = msg.options;
      prepare(msg.options, msg.selectors);
      lifecycle('setup', runOptions, () =>
        typeof script.setup === 'function' ? (script.setup as () => unknown)() : undefined,
      )
        .then((result) =>
          post({
            type: 'setupDone',
            setupJson: result === undefined ? undefined : JSON.stringify(result),
            delta: engine.registry.takeDelta(),
          }),
        )
        .catch(fail(107, 'setup() failed'));
      break;
    case 'start':
      runOptions = msg.options;
      runScenarios(msg).catch(fail(107, 'run failed'));
      break;
    case 'stop':
      hardStop.abort();
      break;
    case 'teardown': {
      const setupData = msg.setupJson === undefined ? undefined : JSON.parse(msg.setupJson);
      lifecycle('teardown', runOptions, () =>
        typeof script.teardown === 'function' ? (script.teardown as (d: unknown) => unknown)(setupData) : undefined,
      )
        .then(() => post({ type: 'teardownDone', delta: engine.registry.takeDelta() }))
        .catch(fail(107, 'teardown() failed'));
      break;
    }
    case 'handleSummary':
      lifecycle('summary', runOptions, () => (script.handleSummary as (d: unknown) => unknown)(msg.data))
        .then((result) => {
          if (result !== undefined && (result === null || typeof result !== 'object'))
            throw new ScriptError('handleSummary() must return an object like { stdout: text, "file.json": text }');
          post({ type: 'summary', result: result as Record<string, unknown> | undefined });
        })
        .catch(fail(107, 'handleSummary() failed'));
      break;
  }
});

try {
  script = (await import(scriptUrl)) as Script;
  const options =
    script.options === undefined ? undefined : (JSON.parse(JSON.stringify(script.options)) as Record<string, unknown>);
  const functions = Object.keys(script).filter((k) => typeof script[k] === 'function');
  if (script.__catsVuState === false) instances.set(0, script);
  post({
    type: 'loaded',
    options,
    functions,
    metrics: [...engine.registry.entries.values()].map((e) => e.def),
    opened: [...engine.opened],
  });
} catch (err) {
  post(
    err instanceof TestAbortError
      ? { type: 'failed', code: 108, message: `exec.test.abort() in the init context: ${err.message}` }
      : { type: 'failed', code: 107, message: `the script failed to load: ${describe(err)}` },
  );
}
