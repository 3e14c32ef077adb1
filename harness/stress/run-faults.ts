// `--faults FILE|SPEC` for a run (stress, run): the schedule read and checked
// before anything starts, the injector alongside the engine, and afterwards the
// fault events in the run's time series and faults.json with recovery figures.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../flags.ts';
import { FaultError } from '../faults/fault-error.ts';
import { FaultInjector, refusedFaults, type FaultRecord } from '../faults/injector.ts';
import { readFaultSchedule, type FaultableDeployment, type FaultEvent } from '../faults/schedule.ts';
import { appendFaultEvents, faultLine, writeFaultsFile } from '../report/fault-events.ts';
import { faultRecovery, recoveryBreaches, recoveryLines, type FaultRecovery } from '../report/fault-recovery.ts';
import { readSut, readTimeseriesFile } from '../report/run-folder.ts';

/** Every problem of a FaultError, one per line. */
export function faultErrorText(err: FaultError): string {
  return [err.message, ...err.errors.map((e) => `  ${e.pointer || '/'}: ${e.message}`)].join('\n');
}

/** The schedule of `--faults`; a bad one is a usage error (exit 2). */
export function faultsFlag(arg: string | undefined): FaultEvent[] | undefined {
  if (arg === undefined) return undefined;
  try {
    return readFaultSchedule(arg);
  } catch (err) {
    if (err instanceof FaultError) throw new UsageError(`--faults: ${faultErrorText(err)}`);
    throw err;
  }
}

/** Refuses, as a usage error naming each fault and why, a schedule the deployment cannot take. */
export function refuseInapplicable(events: FaultEvent[], d: FaultableDeployment, what: string): void {
  const problems = refusedFaults(events, d);
  if (problems.length === 0) return;
  throw new UsageError(
    faultErrorText(
      new FaultError(
        'inapplicable_faults',
        `--faults: ${problems.length} fault(s) cannot be applied to ${what}`,
        problems,
      ),
    ),
  );
}

/** The deployment `up` will start for these countries, as the applicability check sees it, before it runs. */
export function plannedDeployment(
  countries: string[],
  externalDatabase: boolean,
  faultLinks: string[] = [],
): FaultableDeployment {
  const planned = { pid: 1 };
  return {
    nodes: Object.fromEntries(countries.map((c) => [c, planned])),
    ice: planned,
    postgres: externalDatabase ? { pid: null, embedded: false } : { pid: 1, embedded: true },
    supervisor: planned,
    faultLinks: { links: Object.fromEntries(faultLinks.map((l) => [l, {}])) },
  };
}

const edgeText = (r: FaultRecord) =>
  `fault ${r.fault}:${r.target} ${r.phase}${r.ok || r.phase === 'end' ? '' : ' NOT APPLIED'}${r.pid ? ` (pid ${r.pid})` : ''}${r.restarts !== undefined ? ` restarts ${r.restarts}` : ''}${r.detail ? `: ${r.detail}` : ''}`;

/** Places the injector (proxies when network faults need them); it refuses faults it cannot apply. */
export async function prepareInjector(
  events: FaultEvent[],
  deploymentFile: string,
  routedDeploymentFile: string,
  say: (line: string) => void,
): Promise<FaultInjector> {
  try {
    return await FaultInjector.prepare({
      events,
      deploymentFile,
      routedDeploymentFile,
      onRecord: (r) => say(edgeText(r)),
    });
  } catch (err) {
    if (err instanceof FaultError) throw new Error(faultErrorText(err));
    throw err;
  }
}

/**
 * After the run: the fault edges appended to its time series (when it wrote one), faults.json
 * beside it with the recovery figures, and the figures as console lines.
 */
export async function recordFaults(
  records: FaultRecord[],
  timeseriesFile: string | undefined,
  runStartMs: number,
): Promise<{ recovery: FaultRecovery[]; lines: string[]; breaches: string[] }> {
  const events = [...records].sort((a, b) => a.t - b.t).map(faultLine);
  if (!timeseriesFile || !existsSync(timeseriesFile)) {
    return {
      recovery: [],
      lines: ['no time series: recovery figures need one (--out timeseries=FILE)'],
      breaches: [],
    };
  }
  await appendFaultEvents(timeseriesFile, records);
  // The parts' samples beside the time series (sut.ndjson), when the run took them, give the backlog.
  const sut = await readSut(path.dirname(timeseriesFile));
  const recovery = faultRecovery(await readTimeseriesFile(timeseriesFile), events, sut);
  await writeFaultsFile(path.dirname(timeseriesFile), { events, recovery });
  return { recovery, lines: recoveryLines(recovery, runStartMs / 1000), breaches: recoveryBreaches(recovery) };
}

/**
 * After the load stops: how long to keep sampling the parts so that a backlog a fault left can
 * drain within its recovery limit (the latest end of a fault plus its limit), in ms from now.
 */
export function drainDeadline(records: FaultRecord[]): number {
  const limits = new Map<string, number>();
  for (const r of records)
    if (r.phase === 'start' && r.recoverWithin) limits.set(`${r.fault} ${r.target}`, r.recoverWithin);
  let deadline = Date.now();
  for (const r of records)
    if (r.phase === 'end' && r.ok)
      deadline = Math.max(deadline, r.t + (limits.get(`${r.fault} ${r.target}`) ?? 0) * 1000);
  return deadline;
}
