// `cats-stress parallel`: the parallel test. Mirrors TIR carnet movements
// through CATS — a TIR log (generated from a data set, or a team's own) mapped
// to CTDs and replayed through a deployment at the log's timing — and compares
// the two: guarantee money, advance notice, steps, refusals, adherence.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { numberFlag, parseFlags, UsageError } from '../flags.ts';
import { PILOT_COUNTRIES } from '../../generators/dataset.ts';
import { profileNames, type ProfileName } from '../../generators/traffic.ts';
import { FILES, writeDataset, type Manifest } from '../../generators/write-dataset.ts';
import { readTirLog } from '../../generators/tir-log.ts';
import { writeTirLog } from '../../generators/tir-movements.ts';
import { readDeploymentFile, type DeploymentFile } from '../deploy/deployment-file.ts';
import { seedFromDataSet } from '../deploy/seed.ts';
import { referenceForRun, upReference } from '../stress/reference-deployment.ts';
import { runId as newRunId } from '../stress/run-facts.ts';
import { BusinessClock } from '../parallel/business-clock.ts';
import { compare } from '../parallel/comparison.ts';
import { mirrorLog, seedHolderGuarantees } from '../parallel/mirror-log.ts';
import { writeParallelReport } from '../parallel/parallel-report.ts';
import { readRegistry } from '../parallel/registry.ts';
import { replay } from '../parallel/replay.ts';
import { step } from '../progress.ts';

const DEFAULT_SPEED = 7200;
const DEFAULT_MOVEMENTS = 40;
const YEAR = 2026;
const DAY_MS = 86_400_000;

const usage = `usage: cats-stress parallel [options]

The parallel test: mirrors TIR carnet movements through CATS and compares the
two. Without --tir-log it generates a data set and the TIR log of its road
movements (generators/README.md, "TIR movement log"); each movement is mapped to
the CTD it would have been (offices to CATS offices, the holder to its
registered operator, one comprehensive guarantee per holder) or reported with
the reasons it cannot be, then replayed through the deployment at the log's
timing, every step at the node of its country. Starts the reference (cats-stress
up, seeded from the data set) unless --deployment names a running one, and
stops it again. Writes results/<run-id>/ with parallel.json, parallel.html,
the TIR log, the observations and the deployment's logs.

options:
  --tir-log FILE      a TIR movement log to mirror (default: generated from the data set)
  --data-set DIR      data set whose operators, officers and guarantors are registered
                      in CATS (default: generated with the options below)
  --movements N       CTDs of the generated data set (default ${DEFAULT_MOVEMENTS}); its road
                      movements form the TIR log
  --seed S            seed of the data set and the TIR log (default: the run id)
  --countries LIST    pilot countries (default ${PILOT_COUNTRIES.join(',')})
  --profile NAME      traffic profile of the generated data set (default weekday)
  --speed X           business seconds per wall-clock second of the replay (default
                      ${DEFAULT_SPEED}: two hours of the log a second). The harness compresses
                      the log's timing itself and reports every duration in business
                      (TIR-log) time; once the deployment keeps a business clock (a time
                      factor) the replay runs on it instead
  --per-year N        TIR movements a year on the corridor, for the projection (default:
                      the generated data set's projected volume times its road share,
                      or the log's own rate over its span)
  --deployment FILE   deployment file of a running CATS (cats-stress up's); its nodes
                      are seeded through their admin fixture route
  --results DIR       where run folders go (default results)
  --state-dir DIR     folder for the reference's embedded PostgreSQL (default
                      .cats-stress/parallel; DATABASE_URL selects an external server)`;

function list(value: string | undefined, fallback: readonly string[]): string[] {
  return (value ?? fallback.join(','))
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

export const command: Command = {
  name: 'parallel',
  summary: 'the parallel test: mirror TIR carnet movements through CATS and compare guarantees, notice, refusals',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: {
        'tir-log': { type: 'string' },
        'data-set': { type: 'string' },
        movements: { type: 'string' },
        seed: { type: 'string' },
        countries: { type: 'string' },
        profile: { type: 'string', default: 'weekday' },
        speed: { type: 'string' },
        'per-year': { type: 'string' },
        deployment: { type: 'string' },
        results: { type: 'string', default: 'results' },
        'state-dir': { type: 'string', default: path.join('.cats-stress', 'parallel') },
      },
    });
    const countries = list(values.countries, PILOT_COUNTRIES);
    const unknown = countries.filter((c) => !(PILOT_COUNTRIES as readonly string[]).includes(c));
    if (unknown.length || countries.length === 0)
      throw new UsageError(
        `--countries: ${unknown.join(', ') || 'none given'}; pilot countries are ${PILOT_COUNTRIES.join(', ')}`,
      );
    if (!(profileNames as readonly string[]).includes(values.profile!))
      throw new UsageError(`--profile must be one of ${profileNames.join(', ')}, got '${values.profile}'`);
    if (values['tir-log'] && !values['data-set'])
      throw new UsageError('--tir-log needs --data-set DIR: the operators and officers registered in CATS');
    const movements = numberFlag(values.movements, '--movements', { min: 1, integer: true }) ?? DEFAULT_MOVEMENTS;
    const speed = numberFlag(values.speed, '--speed', { above: 0 }) ?? DEFAULT_SPEED;
    const perYear = numberFlag(values['per-year'], '--per-year', { above: 0 });

    const runId = newRunId('parallel');
    const resultsDir = path.resolve(values.results!, runId);
    await mkdir(resultsDir, { recursive: true });
    const seed = values.seed ?? runId;
    const say = (line: string) => process.stderr.write(`  ${line.trim()}\n`);
    process.stderr.write(`cats-stress parallel → ${path.relative(process.cwd(), resultsDir) || resultsDir}\n`);

    // The data set: the registry of operators and officers, and the movements of a generated log.
    let dataDir = values['data-set'] ? path.resolve(values['data-set']) : path.join(resultsDir, 'dataset');
    let manifest: Manifest | undefined;
    if (!values['data-set']) {
      manifest = await step(
        `generating the data set (${movements} CTDs, ${countries.join(',')})`,
        () =>
          writeDataset(
            { seed, movements, profile: values.profile as ProfileName, defects: 0, countries, year: YEAR },
            dataDir,
          ),
        (m) => `${m.counts.valid} valid CTDs`,
      );
    } else {
      manifest = await readFile(path.join(dataDir, FILES.manifest), 'utf8').then(
        (t) => JSON.parse(t) as Manifest,
        () => undefined,
      );
    }
    dataDir = path.resolve(dataDir);
    const logFile = path.join(resultsDir, 'tir-log.ndjson');
    let generated: { ctds: number; movements: number } | undefined;
    if (values['tir-log']) await copyFile(values['tir-log'], logFile);
    else
      generated = await step(
        'writing the TIR log of its road movements',
        () => writeTirLog(dataDir, logFile, seed),
        (s) => `${s.movements} TIR movements of ${s.ctds} CTDs`,
      );
    const registry = await readRegistry(dataDir);
    const lines = await readTirLog(logFile);
    // A fresh LRN per run, so the same log can be mirrored again through the same deployment.
    const tag = Date.now().toString(36).toUpperCase().slice(-8);
    const log = mirrorLog(lines, registry, { seed, lrnOf: (carnet) => `${carnet}-${tag}` });
    process.stderr.write(
      `▸ mapped ${log.mirrored.length} of ${lines.length} TIR records to CTDs; ${log.unmappable.length} could not be mapped\n`,
    );

    const deploymentPath = values.deployment
      ? path.resolve(values.deployment)
      : path.join(resultsDir, 'deployment.json');
    const reference = referenceForRun(deploymentPath, say);
    try {
      let deployment: DeploymentFile;
      if (values.deployment) {
        deployment = await readDeploymentFile(deploymentPath);
        await step('seeding operators, officers and guarantees from the data set', () =>
          seedFromDataSet(deployment, dataDir),
        );
      } else {
        reference.markStarted();
        deployment = await step(
          `starting the reference: ICE and nodes ${countries.join(', ')}, seeded from the data set`,
          () =>
            upReference({
              countries,
              deploymentFile: deploymentPath,
              dataSet: dataDir,
              logDir: path.join(resultsDir, 'sut'),
              stateDir: values['state-dir']!,
              say,
            }),
        );
      }
      await step(
        "registering each holder's comprehensive guarantee",
        () => seedHolderGuarantees(deployment, log.guarantees),
        (n) => `${n} guarantees`,
      );

      const stepTimes = log.mirrored.flatMap((m) => [
        ...m.steps.map((s) => s.at),
        ...(m.tir.dischargedAt ? [m.tir.dischargedAt] : []),
      ]);
      const first = stepTimes.length ? Math.min(...stepTimes) : Date.now();
      const last = stepTimes.length ? Math.max(...stepTimes) : first;
      const clock = new BusinessClock(first, Date.now() + 500, speed);
      let done = 0;
      const observed = await step(
        `replaying ${log.mirrored.length} movements over ${((last - first) / 3_600_000).toFixed(0)} business hours at ${speed}× (about ${Math.ceil((last - first) / speed / 1000)} s)`,
        () =>
          replay(log.mirrored, {
            deployment,
            registry,
            clock,
            onDone: () => {
              done++;
              if (process.stderr.isTTY) process.stderr.write(`\r  ${done}/${log.mirrored.length} movements done`);
            },
          }),
        (o) => `${process.stderr.isTTY ? '\n  ' : ''}${o.filter((x) => x.outcome === 'mirrored').length} mirrored`,
      );
      await writeFile(
        path.join(resultsDir, 'observations.ndjson'),
        observed.map((o) => JSON.stringify(o)).join('\n') + (observed.length ? '\n' : ''),
      );

      const projection = projectedVolume(perYear, manifest, generated, log.mirrored.length + log.unmappable.length, {
        first: Math.min(...lines.flatMap((l) => (l.ok ? [Date.parse(l.movement.departure.at)] : [first]))),
        last: Math.max(...lines.flatMap((l) => (l.ok ? [Date.parse(l.movement.departure.at)] : [first]))),
      });
      const comparison = compare(log, observed, {
        end: last,
        movementsPerYear: projection.perYear,
        volumeSource: projection.source,
      });
      const run = {
        runId,
        startedAt: new Date(clock.realStart).toISOString(),
        speed,
        clock: 'harness-compressed TIR-log timing',
        tirLog: values['tir-log'] ?? `generated from the data set (seed ${seed})`,
        deployment: values.deployment ?? 'reference started for the run',
        from: new Date(first).toISOString(),
        to: new Date(last).toISOString(),
      };
      const files = await writeParallelReport(resultsDir, run, comparison);
      await writeFile(
        path.join(resultsDir, 'run.json'),
        `${JSON.stringify({ ...run, countries, seed, movements: comparison.movements, files: Object.values(files).map((f) => path.basename(f)) }, null, 2)}\n`,
      );
      const c = comparison;
      console.log(
        `${c.movements.mirrored} of ${c.movements.inLog} TIR movements mirrored (${c.movements.refused} refused, ${c.movements.notServed} not served, ${c.movements.unmappable} unmappable); ` +
          `adherence ${c.adherence.adherent}/${c.adherence.mirrored}\n` +
          `guarantee capital tied up at ${c.projection.movementsPerYear.toLocaleString('en-US')} movements a year: TIR USD ${c.projection.tir.capitalUsd.toLocaleString('en-US')}, ` +
          `CATS USD ${c.projection.cats.capitalUsd.toLocaleString('en-US')}, freed USD ${c.projection.freedCapitalUsd.toLocaleString('en-US')}\n` +
          `report: ${files.html}`,
      );
      return c.adherence.adherent === c.adherence.mirrored ? 0 : 1;
    } finally {
      await reference.close();
    }
  },
};

/** TIR movements a year for the projection, and where the figure comes from. */
function projectedVolume(
  given: number | undefined,
  manifest: Manifest | undefined,
  generated: { ctds: number; movements: number } | undefined,
  records: number,
  span: { first: number; last: number },
): { perYear: number; source: string } {
  if (given !== undefined) return { perYear: given, source: 'as given with --per-year' };
  if (manifest && generated && generated.ctds > 0) {
    const share = generated.movements / generated.ctds;
    return {
      perYear: manifest.rates.projectedAnnualMovements * share,
      source: `the corridor's ${manifest.rates.projectedAnnualMovements.toLocaleString('en-US')} CTDs projected for ${manifest.year} on the routes in scope, × ${(share * 100).toFixed(0)} % carried by road under TIR`,
    };
  }
  const days = Math.max(1, (span.last - span.first) / DAY_MS);
  return {
    perYear: (records / days) * 365,
    source: `the log's ${records} records over ${days.toFixed(1)} days, extrapolated to a year`,
  };
}
