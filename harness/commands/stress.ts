// `cats-stress stress`: the main job. Brings the reference CATS up (unless a
// deployment is targeted), generates and seeds a data set, runs a scenario on
// the engine, writes results/<run-id>/, prints a verdict, and always brings
// the reference down again.
import { readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../cli.ts';
import { parseDuration } from '../engine/options/duration.ts';
import { exitCodes, runScript } from '../engine/run.ts';
import { Dataset, PILOT_COUNTRIES } from '../../generators/dataset.ts';
import { writeDataset, type Manifest } from '../../generators/write-dataset.ts';
import { readDeploymentFile, type DeploymentFile } from '../deploy/deployment-file.ts';
import { referenceForRun, upReference } from '../stress/reference-deployment.ts';
import { seedFromDataSet } from '../deploy/seed.ts';
import { gitRevision, machineFacts, runId as newRunId } from '../stress/run-facts.ts';
import { verdictOf } from '../stress/verdict.ts';
import { runFigures } from '../stress/run-figures.ts';
import { readIceTraffic, trafficSince } from '../stress/ice-traffic.ts';
import { ICE_TRAFFIC_FILE } from '../report/run-folder.ts';
import { startSutSampler, sutParts } from '../stress/sut-sampler.ts';
import { START_GATE_ENV, waitAtStartGate } from '../ci/start-gate.ts';
import { SUT_FILE } from '../report/sut-file.ts';
import { writeRunReport } from '../report/run-report.ts';
import { pathOutcomes } from '../report/path-outcomes.ts';
import type { SummaryData } from '../engine/summary/summary-data.ts';
import { keyValueFlags, numberFlag, parseFlags, UsageError } from '../flags.ts';
import { faultLinksOf, type FaultableDeployment, type FaultEvent } from '../faults/schedule.ts';
import { targetOf, type FaultInjector } from '../faults/injector.ts';
import { FAULT_GAUGE, FaultGauge } from '../faults/fault-gauge.ts';
import { engineStartWatch } from '../stress/engine-start.ts';
import { plannedSubmissions } from '../stress/planned-submissions.ts';
import { RESILIENCE_DURATION, resilienceFaults } from '../stress/resilience-faults.ts';
import {
  drainDeadline,
  faultsFlag,
  plannedDeployment,
  prepareInjector,
  recordFaults,
  refuseInapplicable,
} from '../stress/run-faults.ts';
import { reconcileAfterRun, reconcileWaitFlag } from '../stress/run-reconcile.ts';
import { JOURNAL_FILE } from '../reconcile/journal.ts';
import { RECONCILIATION_FAILED_EXIT } from '../reconcile/verdict.ts';
import { step } from '../progress.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = path.join(ROOT, 'scenarios');
/** Scenarios whose load is an arrival rate of CTDs (with a default); the others ignore --duration. */
const RATE_SCENARIOS = new Set(['ctd-peak', 'spike', 'soak', 'breakpoint']);
/** Scenarios that take --rate as movements per second, with a default of their own. */
const OWN_RATE_SCENARIOS = new Set(['resilience', 'operations']);
/**
 * Scenarios whose movements take the data set's paths, some of which need business time to pass:
 * the reference runs half a business day per real second. The slowest path (a limit date of up to
 * a month, then the 28-day enquiry period) ends within about two minutes, while a journey that a
 * loaded machine keeps on the road past its limit date (an enquiry opens; its arrival closes it)
 * still has the whole enquiry period, 56 s, before the node would start recovery.
 */
const PATH_SCENARIOS = new Set(['operations', 'full-journey']);
const PATH_TIME_FACTOR = 43_200;
/** Scenarios that end with the reconciliation whether or not --reconcile is given. */
const RECONCILED_SCENARIOS = new Set(['resilience']);
/** Default peak rate: this many times the corridor's projected peak hour. */
const PEAK_FACTOR = 1000;
const PROFILE = 'peak-day';
const YEAR = 2026;
const DEFECTS = 0.02;

function scenarioNames(): string[] {
  return readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

const usage = `usage: cats-stress stress [options]

Stress-tests CATS/ICE end to end: generates a data set, starts the reference
(cats-stress up: ICE and one national node per country, seeded from the data
set; nothing when --target is given), runs a scenario from scenarios/ on the
built-in engine, writes results/<run-id>/, prints a verdict and stops the
reference (cats-stress down), also on error or Ctrl-C. Exit code 99 when an
SLO fails, 12 when the reconciliation (--reconcile, --faults) fails.

options:
  --scenario NAME     one of scenarios/*.js (default ctd-peak)
  --duration D        length of a rate scenario, e.g. 30s, 2m (default 1m; resilience ${RESILIENCE_DURATION})
  --rate R            peak CTD arrival rate per second (default ${PEAK_FACTOR} × the
                      projected peak hour of the countries' routes); for resilience and
                      operations, movements per second (default 20 × that peak hour)
  --time-factor N     business seconds per real second in the reference (up --time-factor;
                      default ${PATH_TIME_FACTOR} for ${[...PATH_SCENARIOS].join(' and ')}, whose paths wait for
                      limit dates and enquiry periods, 1 otherwise)
  --target FILE       deployment file of a running CATS (see scenarios/README.md);
                      its nodes are seeded through their admin fixture route
  --countries LIST    pilot countries (default ${PILOT_COUNTRIES.join(',')})
  --movements N       data set size (default: what the run needs)
  --seed S            data set seed (default: the run id)
  --workers N         engine worker threads (default: one per core)
  -e, --env KEY=VAL   extra script environment, repeatable (see scenarios/README.md)
  --results DIR       where run folders go (default results)
  --state-dir DIR     folder for the reference's embedded PostgreSQL (default
                      .cats-stress/stress; DATABASE_URL selects an external server)
  --keep-data         keep the generated NDJSON in the run folder (the manifest is always kept)
  --observability     start the reference with Prometheus (cats-stress up --observability);
                      with it, or a --target whose deployment file lists one, the run is
                      remote-written to that Prometheus, tagged testid=<run-id>
  --faults FILE|SPEC  faults injected during the run (harness/faults/README.md), e.g.
                      kill:node/GE@20s,pause:ice@30s+5s,latency:clients-AZ@40s+10s=300ms;
                      checked before anything starts; their start and end are events
                      in timeseries.ndjson, faults.json and the report, with recovery figures;
                      each fault's backlog must drain within its limit (default 60 s after
                      its end, ~recover=D to change it), or the run fails. --scenario
                      resilience has a default schedule (ICE killed, a node killed, a node
                      cut from ICE, a country's database paused) that this replaces;
                      implies --reconcile
  --reconcile         after the run, once the queues have drained, audit the deployment
                      through its API: every CTD the run got an MRN for at its departure
                      node, released movements at their transit and destination nodes,
                      every C2C message applied exactly once, guarantee balances, no 5xx
                      outside a fault (harness/reconcile/README.md); exit 12 when it fails
  --reconcile-wait D  longest wait for the queues to drain before the audit (default 60s)

Every part's /metrics is sampled once a second into the run folder's sut.ndjson
(CPU, memory, event-loop lag, DB pool, ICE queue) for the report and capacity.

${START_GATE_ENV}=FILE: once the reference is up and the script's VUs are initialised,
write FILE.ready and wait for FILE.go before setup() and the load (perf-ci starts
both sides of a round together).`;

interface Settings {
  runId: string;
  scenario: string;
  script: string;
  duration: string;
  /** Peak CTD arrival rate aimed at, per second (rate scenarios). */
  rate?: number;
  countries: string[];
  target?: string;
  dataset: { movements: number; seed: string; profile: string; year: number; defects: number };
  env: Record<string, string>;
  workers?: number;
  /** Folder for the reference's embedded PostgreSQL. */
  stateDir: string;
  /** Business seconds per real second the reference runs at (not with --target: its own clock). */
  timeFactor?: number;
  observability: boolean;
  /** The fault schedule as given, and as read. */
  faults?: { spec: string; events: FaultEvent[] };
  /** Audit the deployment after the run (--reconcile, or any run with faults); the longest drain wait. */
  reconcile?: { waitMs: number };
  startedAt: string;
  finishedAt?: string;
  exitCode?: number;
}

function seconds(d: string): number {
  let ms: number;
  try {
    ms = parseDuration(d, '--duration');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (ms <= 0) throw new UsageError(`--duration must be longer than 0s, got '${d}'`);
  return ms / 1000;
}

export const command: Command = {
  name: 'stress',
  summary: 'the main job: reference up, data set, scenario on the engine, results folder and verdict, reference down',
  usage,
  async run(argv) {
    const values = parseFlags({
      args: argv,
      options: {
        scenario: { type: 'string', default: 'ctd-peak' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        'time-factor': { type: 'string' },
        target: { type: 'string' },
        countries: { type: 'string' },
        movements: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        env: { type: 'string', short: 'e', multiple: true },
        results: { type: 'string', default: 'results' },
        'state-dir': { type: 'string', default: path.join('.cats-stress', 'stress') },
        'keep-data': { type: 'boolean', default: false },
        observability: { type: 'boolean', default: false },
        faults: { type: 'string' },
        reconcile: { type: 'boolean', default: false },
        'reconcile-wait': { type: 'string' },
      },
    }).values;
    const scenario = values.scenario!;
    const known = scenarioNames();
    if (!known.includes(scenario)) throw new UsageError(`unknown scenario '${scenario}'; one of ${known.join(', ')}`);
    const countries = (values.countries ?? PILOT_COUNTRIES.join(','))
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    const unknown = countries.filter((c) => !(PILOT_COUNTRIES as readonly string[]).includes(c));
    if (unknown.length || countries.length === 0)
      throw new UsageError(
        `--countries: ${unknown.join(', ') || 'none given'}; pilot countries are ${PILOT_COUNTRIES.join(', ')}`,
      );
    // A resilience run needs room for its faults and their recovery.
    const durationText = values.duration ?? (scenario === 'resilience' ? RESILIENCE_DURATION : '1m');
    const durationSeconds = seconds(durationText);
    const rateGiven = numberFlag(values.rate, '--rate', { above: 0 });
    const movementsGiven = numberFlag(values.movements, '--movements', { min: 1, integer: true });
    const workers = numberFlag(values.workers, '--workers', { min: 1, integer: true });
    const timeFactorGiven = numberFlag(values['time-factor'], '--time-factor', { above: 0 });
    if (timeFactorGiven !== undefined && values.target)
      throw new UsageError('--time-factor: a --target runs on its own clock (GET /v1/clock)');
    const env = keyValueFlags(values.env, '-e');
    // The resilience scenario's traffic runs under its default schedule unless --faults replaces it.
    // (Once the reconciliation audit exists, this is where the resilience scenario turns it on.)
    const faultSpec =
      values.faults ?? (scenario === 'resilience' ? resilienceFaults(countries, durationSeconds) : undefined);
    const faults = faultsFlag(faultSpec);
    if (faults) {
      // Refused before anything starts: the --target's deployment as it is, or the one up would start.
      if (values.target) refuseInapplicable(faults, await readFaultable(values.target), values.target);
      else
        refuseInapplicable(
          faults,
          plannedDeployment(countries, !!process.env.DATABASE_URL, faultLinksOf(faults)),
          'the reference',
        );
    }
    const id = newRunId(scenario);
    const resultsDir = path.resolve(values.results!, id);
    const seed = values.seed ?? id;
    if (rateGiven !== undefined && !RATE_SCENARIOS.has(scenario) && !OWN_RATE_SCENARIOS.has(scenario))
      throw new UsageError(
        `--rate: ${scenario} has no arrival rate; it applies to ${[...RATE_SCENARIOS, ...OWN_RATE_SCENARIOS].join(', ')}`,
      );
    const rate = RATE_SCENARIOS.has(scenario)
      ? (rateGiven ?? Math.max(1, Math.round(projectedPeakPerSecond(countries, seed) * PEAK_FACTOR)))
      : rateGiven;
    // Guarantees sized for every CTD the scenario can submit, so none is refused for want of one.
    const movements = movementsGiven ?? (rate ? plannedSubmissions(scenario, rate, durationSeconds, env) + 1000 : 2000);
    const settings: Settings = {
      runId: id,
      scenario,
      script: path.join(SCENARIOS, `${scenario}.js`),
      duration: durationText,
      rate,
      countries,
      target: values.target ? path.resolve(values.target) : undefined,
      dataset: { movements, seed, profile: PROFILE, year: YEAR, defects: DEFECTS },
      env,
      workers,
      stateDir: path.resolve(values['state-dir']!),
      timeFactor: values.target
        ? undefined
        : (timeFactorGiven ?? (PATH_SCENARIOS.has(scenario) ? PATH_TIME_FACTOR : undefined)),
      observability: values.observability!,
      faults: faults && { spec: faultSpec!, events: faults },
      reconcile:
        values.reconcile || faults || values['reconcile-wait'] !== undefined || RECONCILED_SCENARIOS.has(scenario)
          ? { waitMs: reconcileWaitFlag(values['reconcile-wait']) }
          : undefined,
      startedAt: new Date().toISOString(),
    };
    return stress(settings, resultsDir, values['keep-data']!);
  },
};

function projectedPeakPerSecond(countries: string[], seed: string): number {
  return new Dataset({ seed, movements: 0, profile: PROFILE, defects: 0, countries, year: YEAR }).yearPeak()
    .ctdsPerSecond;
}

async function stress(settings: Settings, resultsDir: string, keepData: boolean): Promise<number> {
  await mkdir(resultsDir, { recursive: true });
  const dataDir = path.join(resultsDir, 'dataset');
  // Holds credentials; `down` removes it, endpoints.json keeps the addresses.
  const deploymentPath = settings.target ?? path.join(resultsDir, 'deployment.json');
  const say = (line: string) => process.stderr.write(`  ${line.trim()}\n`);
  const reference = referenceForRun(deploymentPath, say);
  process.stderr.write(
    `cats-stress stress ${settings.scenario} → ${path.relative(process.cwd(), resultsDir) || resultsDir}\n`,
  );
  try {
    const manifest = await step(
      `generating the data set (${settings.dataset.movements.toLocaleString('en-US')} CTDs, ${settings.countries.join(',')})`,
      () => writeDataset({ ...settings.dataset, countries: settings.countries, profile: PROFILE }, dataDir),
      (m: Manifest) => `${m.counts.valid.toLocaleString('en-US')} valid, ${m.counts.defective} with a labelled defect`,
    );
    await writeFile(path.join(resultsDir, 'dataset-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    let deployment: DeploymentFile;
    if (settings.target) {
      deployment = await readDeploymentFile(settings.target);
      await writeEndpoints(resultsDir, deployment);
      const missing = Object.entries(deployment.nodes).filter(([, n]) => !n.adminToken);
      if (missing.length) {
        process.stderr.write(
          `▸ not seeding: no admin token for ${missing.map(([c]) => c).join(', ')}; the data set's parties must already exist there\n`,
        );
      } else {
        await step(
          'seeding parties and guarantees',
          () => seedFromDataSet(deployment, dataDir),
          (counts) =>
            counts.map((c) => `${c.country} ${c.operators}/${c.officers}/${c.guarantees}`).join(', ') +
            ' operators/officers/guarantees',
        );
      }
    } else {
      reference.markStarted();
      deployment = await step(
        `starting the reference: ICE and nodes ${settings.countries.join(', ')}, seeded from the data set${settings.timeFactor ? `, business time ×${settings.timeFactor} (a business day in ${Number((86_400 / settings.timeFactor).toPrecision(3))} s real time)` : ''}`,
        () =>
          upReference({
            countries: settings.countries,
            deploymentFile: deploymentPath,
            dataSet: dataDir,
            logDir: path.join(resultsDir, 'sut'),
            stateDir: settings.stateDir,
            observability: settings.observability,
            timeFactor: settings.timeFactor,
            // Proxies only on the links the schedule faults: a run without faults is measured as ever.
            faultLinks: settings.faults ? faultLinksOf(settings.faults.events) : [],
            say,
          }),
      );
      await writeEndpoints(resultsDir, deployment);
    }
    const loadIdentities = deployment.ice?.loadIdentities?.length ?? 0;
    if (settings.scenario === 'ice-burst' && loadIdentities < 2)
      throw new Error(
        `ice-burst needs ICE and at least two ICE load identities (ice.loadIdentities: countries without a node); the deployment lists ${loadIdentities} (see scenarios/README.md)`,
      );

    const env: Record<string, string> = {
      DEPLOYMENT: deploymentPath,
      DATASET: dataDir,
      COUNTRIES: settings.countries.filter((c) => deployment.nodes[c]).join(','),
      DURATION: settings.duration,
      CATS_JOURNAL: '1',
      ...(settings.rate !== undefined ? { RATE: String(settings.rate) } : {}),
      ...settings.env,
    };
    process.stderr.write(
      `▸ running ${settings.scenario}${settings.rate ? ` at up to ${settings.rate} CTDs/s` : ''} for ${settings.duration}\n`,
    );
    const timeseriesFile = path.join(resultsDir, 'timeseries.ndjson');
    const journalFile = path.join(resultsDir, JOURNAL_FILE);
    const outputs = [`timeseries=${timeseriesFile}`, `journal=${journalFile}`];
    const prometheus = deployment.prometheus;
    if (prometheus) {
      // k6's remote-write output, read from the engine's environment like k6 reads it from its own.
      env.K6_PROMETHEUS_RW_SERVER_URL = prometheus.remoteWriteUrl;
      outputs.push('experimental-prometheus-rw');
      process.stderr.write(`▸ live metrics: Prometheus ${prometheus.url} (testid ${settings.runId})\n`);
    } else if (settings.observability) {
      process.stderr.write(
        `▸ no live metrics: the deployment file lists no Prometheus (start it with cats-stress up --observability)\n`,
      );
    }
    let injector: FaultInjector | undefined;
    if (settings.faults) {
      injector = await step(`placing ${settings.faults.events.length} fault(s): ${settings.faults.spec}`, () =>
        prepareInjector(settings.faults!.events, deploymentPath, path.join(resultsDir, 'deployment-routed.json'), say),
      );
      env.DEPLOYMENT = injector.clientDeploymentFile;
    }
    const inj = injector;
    const gauge =
      inj && prometheus
        ? new FaultGauge({
            remoteWriteUrl: prometheus.remoteWriteUrl,
            testId: settings.runId,
            faults: settings.faults!.events.map((e) => ({ fault: e.fault, target: targetOf(e) })),
            records: () => inj.records,
            onError: (err) => say(`${FAULT_GAUGE}: a push failed: ${err.message}`),
          })
        : undefined;
    const gate = process.env[START_GATE_ENV];
    const iceBefore = deployment.ice?.httpUrl ? await readIceTraffic(deployment.ice.httpUrl) : undefined;
    const sampler = startSutSampler({ parts: sutParts(deployment), file: path.join(resultsDir, SUT_FILE) });
    let faultsStartedAt = Date.now();
    // Fault times count from the start of the scenarios, after init and setup().
    const stderr =
      injector &&
      engineStartWatch(process.stderr, () => {
        faultsStartedAt = Date.now();
        injector.start();
        gauge?.start();
      });
    let recoveryBreaches: string[] = [];
    let recoveryJudged = 0;
    const result = await runScript(settings.script, {
      env,
      stderr,
      workers: settings.workers,
      overrides: { tags: { testid: settings.runId } },
      outputs,
      summaryExport: path.join(resultsDir, 'summary-export.json'),
      beforeStart: gate ? () => waitAtStartGate(gate) : undefined,
    }).finally(async () => {
      const faultRecords = await injector?.stop();
      await gauge?.stop();
      if (faultRecords) {
        // The parts stay sampled until what the faults left behind drains, or its recovery limit passes.
        const deadline = drainDeadline(faultRecords);
        if (sampler.lastBacklog() !== 0 && Date.now() < deadline) {
          process.stderr.write(
            `▸ waiting for the backlog to drain (up to ${Math.ceil((deadline - Date.now()) / 1000)} s)\n`,
          );
          while (sampler.lastBacklog() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
          // One more whole second sampled with it drained.
          await new Promise((r) => setTimeout(r, 1500));
        }
      }
      const sampled = await sampler.stop();
      if (sampled.gaps)
        process.stderr.write(
          `  SUT metrics: ${sampled.gaps} of ${sampled.lines} scrapes failed (gaps in ${SUT_FILE})\n`,
        );
      if (faultRecords) {
        await rm(path.join(resultsDir, 'deployment-routed.json'), { force: true });
        const recorded = await recordFaults(faultRecords, timeseriesFile, faultsStartedAt);
        process.stderr.write(`▸ faults\n${recorded.lines.map((l) => `  ${l}\n`).join('')}`);
        recoveryBreaches = recorded.breaches;
        recoveryJudged = recorded.recovery.filter((r) => typeof r.withinLimit === 'boolean').length;
      }
    });
    // A breached recovery limit fails the run like an SLO (exit 99).
    const exitCode =
      result.exitCode === exitCodes.ok && recoveryBreaches.length > 0 ? exitCodes.thresholdsFailed : result.exitCode;
    await writeRunFacts(
      resultsDir,
      { ...settings, env, finishedAt: new Date().toISOString(), exitCode },
      result.summaryData && {
        ...result.summaryData,
        ...(settings.faults ? { recoveryLimits: { judged: recoveryJudged, breached: recoveryBreaches } } : {}),
        ...(PATH_SCENARIOS.has(settings.scenario) ? { paths: pathOutcomes(result.summaryData) } : {}),
      },
    );
    const iceAfter = deployment.ice?.httpUrl ? await readIceTraffic(deployment.ice.httpUrl) : undefined;
    const ice = iceAfter && trafficSince(iceBefore, iceAfter);
    if (ice) await writeFile(path.join(resultsDir, ICE_TRAFFIC_FILE), `${JSON.stringify(ice, null, 2)}\n`);
    const reconciliation =
      settings.reconcile && result.summaryData
        ? await step('reconciling: waiting for the queues to drain, then auditing the deployment', () =>
            reconcileAfterRun({
              deploymentFile: deploymentPath,
              resultsDir,
              journalFile,
              timeseriesFile,
              summary: result.summaryData!,
              drainTimeoutMs: settings.reconcile!.waitMs,
              say,
            }),
          )
        : undefined;
    await reference.down();
    if (!keepData) await rm(dataDir, { recursive: true, force: true });
    if (!result.summaryData) {
      process.stderr.write(
        `\nFAIL  ${settings.scenario}: the run did not complete (exit ${result.exitCode}${result.error ? `: ${result.error}` : ''})\n  results          ${resultsDir}\n`,
      );
      return result.exitCode || 1;
    }
    const verdict = verdictOf({
      summary: result.summaryData,
      scenario: settings.scenario,
      targetRate: settings.rate,
      samples: await runFigures(timeseriesFile),
      ice,
      resultsDir,
      recoveryBreaches: settings.faults ? recoveryBreaches : undefined,
      recoveryJudged,
    });
    process.stdout.write(`\n${verdict.lines.join('\n')}\n`);
    if (reconciliation) process.stdout.write(`${reconciliation.lines.join('\n')}\n`);
    if (prometheus)
      process.stdout.write(
        `  prometheus       ${prometheus.url} (testid ${settings.runId}${reference.started ? '; stopped with the reference' : ''})\n`,
      );
    process.stdout.write(
      `  report           ${await writeRunReport(resultsDir).catch((err: Error) => `not written: ${err.message}`)}\n`,
    );
    // A reconciliation that failed wins over failed thresholds: something was lost.
    if (reconciliation && !reconciliation.verdict.passed) return RECONCILIATION_FAILED_EXIT;
    if (exitCode === exitCodes.ok && !verdict.passed) return exitCodes.thresholdsFailed;
    return exitCode;
  } catch (err) {
    process.stderr.write(`cats-stress stress: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await reference.close();
  }
}

/** What a --target's deployment file tells of its parts' processes (none, unless it is one `up` wrote). */
async function readFaultable(file: string): Promise<FaultableDeployment> {
  try {
    return (await readDeploymentFile(file)) as FaultableDeployment;
  } catch (err) {
    throw new UsageError(`--target: ${(err as Error).message}`);
  }
}

/** The deployment's addresses, without credentials, for the record. */
async function writeEndpoints(dir: string, d: DeploymentFile): Promise<void> {
  const endpoints = {
    ice: d.ice?.url ?? null,
    nodes: Object.fromEntries(Object.entries(d.nodes).map(([c, n]) => [c, n.url])),
  };
  await writeFile(path.join(dir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);
}

async function writeRunFacts(dir: string, settings: Settings, summary: SummaryData | undefined): Promise<void> {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  await writeFile(path.join(dir, 'settings.json'), json(settings));
  await writeFile(path.join(dir, 'machine.json'), json(machineFacts()));
  await writeFile(path.join(dir, 'revision.json'), json(await gitRevision(ROOT)));
  if (summary) await writeFile(path.join(dir, 'summary.json'), json(summary));
}
