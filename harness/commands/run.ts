// `cats-stress run script.js`: runs a k6 script on the built-in engine (or a real k6 with --engine k6).
import { spawn, spawnSync } from 'node:child_process';
import type { Command } from '../cli.ts';
import { durationFlag, keyValueFlags, numberFlag, parseFlags, UsageError } from '../flags.ts';
import { exitCodes, runScript } from '../engine/run.ts';
import { scriptOf } from '../engine/archive/archive.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FaultInjector } from '../faults/injector.ts';
import { engineStartWatch } from '../stress/engine-start.ts';
import type { FaultableDeployment } from '../faults/schedule.ts';
import { faultsFlag, prepareInjector, recordFaults, refuseInapplicable } from '../stress/run-faults.ts';
import { reconcileAfterRun, reconcileWaitFlag } from '../stress/run-reconcile.ts';
import { JOURNAL_FILE } from '../reconcile/journal.ts';
import { RECONCILIATION_FAILED_EXIT } from '../reconcile/verdict.ts';
import type { SummaryData } from '../engine/summary/summary-data.ts';

const usage = `usage: cats-stress run [options] script.js

Runs a k6 script (k6 v0.49+ API, async style) on the built-in engine.

options:
  -u, --vus N               VUs (replaces the script's scenarios, as in k6)
  -d, --duration D          test duration, e.g. 30s, 1m30s
  -i, --iterations N        total iterations (shared-iterations)
  -s, --stage D:N           ramping stage, repeatable (e.g. -s 30s:10 -s 1m:10)
  -e, --env KEY=VALUE       value for __ENV, repeatable
      --tag KEY=VALUE       tag on every sample, repeatable (e.g. --tag testid=run42)
  -o, --out NAME[=ARG]      output, repeatable: json=FILE, experimental-prometheus-rw
      --summary-export FILE write the end-of-test summary (k6 export format)
  -c, --config FILE         k6 config file: a JSON object of options (and "out"), beneath the script's
      --summary-trend-stats LIST  e.g. avg,med,p(95),p(99)
      --no-thresholds       do not evaluate thresholds
      --min-iteration-duration D  each iteration lasts at least D
      --user-agent UA       User-Agent of http requests
      --no-connection-reuse, --no-vu-connection-reuse, --insecure-skip-tls-verify,
      --throw, --discard-response-bodies   the k6 options of those names
      --dns ttl=D,select=S,policy=P   DNS cache and address choice (k6's default: ttl=5m,select=random,policy=preferIPv4)
      --local-ips LIST      local addresses, ranges and CIDR blocks the VUs connect from, one each in turn
      --http-debug[=full]   log each request and response (with =full, their bodies too)
      --workers N           worker threads (default: one per core)
      --engine NAME         'node' (default) or 'k6' (a real k6 on PATH, same flags)
      --faults FILE|SPEC    faults injected during the run (harness/faults/README.md) into the
                            deployment of --deployment; edges printed, and appended to the
                            -o timeseries=FILE with faults.json beside it
      --deployment FILE     deployment file of the running deployment (cats-stress up's),
                            with its parts' PIDs; needed by --faults and --reconcile
      --reconcile           after the run, once the queues have drained, audit the deployment
                            of --deployment (harness/reconcile/README.md); implied by --faults.
                            The verdict goes to reconciliation.json beside -o timeseries=FILE
                            (or --summary-export, else the current folder) with the journal of
                            acknowledged steps (journal.ndjson) and, unless given, the time
                            series (timeseries.ndjson); exit 12 when it fails
      --reconcile-wait D    longest wait for the queues to drain before the audit (default 60s)
  -q, --quiet               no progress line
      --no-summary          no end-of-test summary and no handleSummary()
      --execution-segment SEG   this instance's part of the test, e.g. 1/3:2/3 (as k6)
      --execution-segment-sequence SEQ  all instances' segments, e.g. 0,1/3,2/3,1
  -a, --address HOST:PORT   serve k6's REST API v1 there (status, setup, teardown, metrics)
  -p, --paused              wait after init until started through the API
  -l, --linger              keep the API up after the test until interrupted
      --no-setup, --no-teardown   skip setup() / teardown() (run them through the API)
      --state-export FILE   write the run's mergeable metric state (for cats-stress merge)

K6_* environment variables (K6_VUS, K6_DURATION, K6_OUT, K6_SUMMARY_EXPORT…) set options
between the script's and the flags', as in k6.

exit codes (as k6): 0 ok, 99 thresholds crossed, 100/101 setup/teardown timeout,
104 invalid options, 105 interrupted (Ctrl-C), 107 script error, 108 exec.test.abort(),
110 exec.test.fail(); and 12: the reconciliation failed (it wins over 99)`;

/** A deployment file as the fault check reads it. */
async function readFaultable(file: string): Promise<FaultableDeployment> {
  try {
    const d = JSON.parse(await readFile(file, 'utf8')) as FaultableDeployment;
    if (!d || typeof d.nodes !== 'object' || d.nodes === null) throw new Error('lists no nodes');
    return d;
  } catch (err) {
    throw new UsageError(`--deployment ${file}: ${(err as Error).message}`);
  }
}

const count = (v: string | undefined, flag: string) => numberFlag(v, flag, { min: 0, integer: true });

function runK6(argv: string[]): Promise<number> {
  const probe = spawnSync('k6', ['version'], { stdio: 'ignore' });
  if (probe.error) {
    console.error(
      "cats-stress run --engine k6: no 'k6' on PATH. Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or leave out --engine k6 to use the built-in engine.",
    );
    return Promise.resolve(2);
  }
  // The harness's own flags are not k6's.
  const own = ['--engine', '--workers', '--deployment', '--reconcile-wait', '--state-export'];
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (own.includes(a)) i++;
    else if (a !== '--reconcile' && !own.some((f) => a.startsWith(`${f}=`))) args.push(a);
  }
  return new Promise((resolve) => {
    const child = spawn('k6', ['run', ...args], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const command: Command = {
  name: 'run',
  summary: 'run a k6 script on the built-in engine (or real k6 with --engine k6)',
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags({
      // As k6's: a bare --http-debug means headers only.
      args: argv.map((a) => (a === '--http-debug' ? '--http-debug=headers' : a)),
      allowPositionals: true,
      options: {
        vus: { type: 'string', short: 'u' },
        duration: { type: 'string', short: 'd' },
        iterations: { type: 'string', short: 'i' },
        stage: { type: 'string', short: 's', multiple: true },
        env: { type: 'string', short: 'e', multiple: true },
        tag: { type: 'string', multiple: true },
        out: { type: 'string', short: 'o', multiple: true },
        'summary-export': { type: 'string' },
        config: { type: 'string', short: 'c' },
        'summary-trend-stats': { type: 'string' },
        workers: { type: 'string' },
        engine: { type: 'string', default: 'node' },
        quiet: { type: 'boolean', short: 'q' },
        'no-summary': { type: 'boolean' },
        'no-thresholds': { type: 'boolean' },
        'execution-segment': { type: 'string' },
        'execution-segment-sequence': { type: 'string' },
        address: { type: 'string', short: 'a' },
        paused: { type: 'boolean', short: 'p' },
        linger: { type: 'boolean', short: 'l' },
        'no-setup': { type: 'boolean' },
        'no-teardown': { type: 'boolean' },
        'state-export': { type: 'string' },
        'min-iteration-duration': { type: 'string' },
        'user-agent': { type: 'string' },
        'no-connection-reuse': { type: 'boolean' },
        'no-vu-connection-reuse': { type: 'boolean' },
        'insecure-skip-tls-verify': { type: 'boolean' },
        throw: { type: 'boolean', short: 'w' },
        'discard-response-bodies': { type: 'boolean' },
        dns: { type: 'string' },
        'local-ips': { type: 'string' },
        'http-debug': { type: 'string' },
        faults: { type: 'string' },
        deployment: { type: 'string' },
        reconcile: { type: 'boolean' },
        'reconcile-wait': { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected one script');
    if (values.engine !== 'node' && values.engine !== 'k6')
      throw new UsageError(`--engine ${values.engine}: expected 'node' or 'k6'`);
    durationFlag(values.duration, '--duration');
    durationFlag(values['min-iteration-duration'], '--min-iteration-duration');
    const stages = values.stage?.map((s) => {
      const m = /^([^:]+):(\d+)$/.exec(s);
      if (!m) throw new UsageError(`--stage ${s}: expected DURATION:TARGET, e.g. 30s:10`);
      durationFlag(m[1], `--stage ${s}`);
      return { duration: m[1], target: Number(m[2]) };
    });
    const workers = numberFlag(values.workers, '--workers', { min: 1, integer: true });
    const tags = keyValueFlags(values.tag, '--tag');
    const env = keyValueFlags(values.env, '--env');
    const vus = count(values.vus, '--vus');
    const iterations = count(values.iterations, '--iterations');
    const faults = faultsFlag(values.faults);
    if (faults && !values.deployment) throw new UsageError('--faults needs --deployment FILE (the running deployment)');
    if (faults && values.engine === 'k6') throw new UsageError('--faults runs with the built-in engine only');
    if (faults) refuseInapplicable(faults, await readFaultable(values.deployment!), values.deployment!);
    const reconciling = Boolean(values.reconcile || faults || values['reconcile-wait'] !== undefined);
    if (reconciling && !values.deployment)
      throw new UsageError('--reconcile needs --deployment FILE (the deployment to audit)');
    const drainTimeoutMs = reconcileWaitFlag(values['reconcile-wait']);
    const timeseriesOut = values.out?.find((o) => o.startsWith('timeseries='))?.slice('timeseries='.length);
    const journalOut = values.out?.find((o) => o.startsWith('journal='))?.slice('journal='.length);
    const resultsDir = path.resolve(
      path.dirname(timeseriesOut ?? values['summary-export'] ?? path.join(process.cwd(), 'x')),
    );
    // A reconciled run keeps what the audit reads: the acknowledged steps, and the 5xx answers per second.
    const journalFile = journalOut ?? path.join(resultsDir, JOURNAL_FILE);
    const timeseriesFile =
      timeseriesOut ?? (reconciling && values.engine !== 'k6' ? path.join(resultsDir, 'timeseries.ndjson') : undefined);
    const outputs = [
      ...(values.out ?? []),
      ...(reconciling && !journalOut ? [`journal=${journalFile}`] : []),
      ...(timeseriesFile && !timeseriesOut ? [`timeseries=${timeseriesFile}`] : []),
    ];
    // The scenarios journal their acknowledged steps only when asked (scenarios/lib/journal.js).
    if (outputs.some((o) => o.startsWith('journal=')) && env.CATS_JOURNAL === undefined) env.CATS_JOURNAL = '1';
    const reconcileAfter = async (exitCode: number, summary?: SummaryData): Promise<number> => {
      if (!reconciling) return exitCode;
      process.stderr.write('reconciling: waiting for the queues to drain, then auditing the deployment\n');
      const { verdict, lines } = await reconcileAfterRun({
        deploymentFile: values.deployment!,
        resultsDir,
        // A real k6 writes no journal: the audit falls back to the run's counts.
        journalFile: values.engine === 'k6' ? undefined : journalFile,
        timeseriesFile,
        summary,
        drainTimeoutMs,
        say: (line) => process.stderr.write(`  ${line}\n`),
      });
      process.stdout.write(`${lines.join('\n')}\n`);
      return verdict.passed ? exitCode : RECONCILIATION_FAILED_EXIT;
    };
    if (values.engine === 'k6') {
      const code = await runK6(argv);
      return reconcileAfter(code, await k6Summary(values['summary-export']));
    }
    // First Ctrl-C stops the test and still prints the summary, as in k6; a second one exits.
    const interrupt = new AbortController();
    const onSigint = (): void => {
      if (interrupt.signal.aborted) process.exit(exitCodes.externalAbort);
      interrupt.abort();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    let routedDir: string | undefined;
    let injector: FaultInjector | undefined;
    const say = (line: string) => process.stderr.write(`${line}\n`);
    if (faults) {
      routedDir = await mkdtemp(path.join(tmpdir(), 'cats-stress-faults-'));
      injector = await prepareInjector(faults, values.deployment!, path.join(routedDir, 'deployment.json'), say).catch(
        async (err: unknown) => {
          await rm(routedDir!, { recursive: true, force: true });
          throw err;
        },
      );
      // Load clients read the deployment routed through the fault proxies when network faults need them.
      if (injector.clientDeploymentFile !== values.deployment) env.DEPLOYMENT = injector.clientDeploymentFile;
    }
    let faultsStartedAt = Date.now();
    const startFaults = (): void => {
      faultsStartedAt = Date.now();
      injector?.start();
    };
    // Fault times count from the start of the scenarios (seen on the progress line), or of the command with --quiet.
    const stderr = injector && !values.quiet ? engineStartWatch(process.stderr, startFaults) : undefined;
    if (injector && values.quiet) startFaults();
    // An archive (cats-stress archive, k6 archive) runs its own copy of the script, with its -e values beneath ours.
    const { script: scriptPath, env: withArchive } = await scriptOf(positionals[0]!, env);
    Object.assign(env, withArchive);
    const { exitCode, summaryData } = await runScript(scriptPath, {
      signal: interrupt.signal,
      overrides: {
        vus,
        duration: values.duration,
        iterations,
        stages,
        tags,
        summaryTrendStats: values['summary-trend-stats']?.split(',').map((s) => s.trim()),
        options: Object.fromEntries(
          Object.entries({
            minIterationDuration: values['min-iteration-duration'],
            userAgent: values['user-agent'],
            noConnectionReuse: values['no-connection-reuse'],
            noVUConnectionReuse: values['no-vu-connection-reuse'],
            insecureSkipTLSVerify: values['insecure-skip-tls-verify'],
            throw: values.throw,
            discardResponseBodies: values['discard-response-bodies'],
            dns: values.dns,
            localIPs: values['local-ips'],
            httpDebug: values['http-debug'],
            executionSegment: values['execution-segment'],
            executionSegmentSequence: values['execution-segment-sequence'],
          }).filter(([, v]) => v !== undefined),
        ),
      },
      env,
      workers,
      outputs: outputs.length ? outputs : undefined,
      summaryExport: values['summary-export'],
      configFile: values.config,
      quiet: values.quiet,
      stderr,
      noSummary: values['no-summary'],
      noThresholds: values['no-thresholds'],
      address: values.address,
      paused: values.paused,
      linger: values.linger,
      noSetup: values['no-setup'],
      noTeardown: values['no-teardown'],
      stateExport: values['state-export'],
      onApiListening: (address) => {
        if (!values.quiet) process.stderr.write(`REST API listening on ${address}\n`);
      },
    }).finally(async () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      const records = await injector?.stop();
      if (routedDir) await rm(routedDir, { recursive: true, force: true });
      if (records) {
        const { lines } = await recordFaults(records, timeseriesFile, faultsStartedAt);
        say(`faults\n${lines.map((l) => `  ${l}`).join('\n')}`);
      }
    });
    return reconcileAfter(exitCode, summaryData);
  },
};

/** The run's counts from a real k6's --summary-export (k6's flat export format), for a reconciliation without a journal. */
async function k6Summary(file: string | undefined): Promise<SummaryData | undefined> {
  if (!file) return undefined;
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as { metrics?: Record<string, Record<string, number>> };
    const count = raw.metrics?.ctd_accepted?.count;
    if (count === undefined) return undefined;
    return { metrics: { ctd_accepted: { values: { count } } } } as unknown as SummaryData;
  } catch {
    return undefined;
  }
}
