// `--reconcile` for a run (stress, run): after the load, the verdict of the
// reconciliation written into the run's files and its lines for the console.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SummaryData } from '../engine/summary/summary-data.ts';
import { parseDuration } from '../engine/options/duration.ts';
import { readDeploymentFile } from '../deploy/deployment-file.ts';
import { readTimeseriesFile } from '../report/run-folder.ts';
import { UsageError } from '../flags.ts';
import { DEFAULT_DRAIN_TIMEOUT_MS, reconcile, writeVerdict } from '../reconcile/reconcile.ts';
import { verdictLines, type ReconciliationVerdict } from '../reconcile/verdict.ts';

/** `--reconcile-wait D`: the longest wait for the queues to drain, in ms. */
export function reconcileWaitFlag(arg: string | undefined): number {
  if (arg === undefined) return DEFAULT_DRAIN_TIMEOUT_MS;
  try {
    const ms = parseDuration(arg, '--reconcile-wait');
    if (ms < 0) throw new Error(`--reconcile-wait must not be negative, got '${arg}'`);
    return ms;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export interface RunReconciliation {
  verdict: ReconciliationVerdict;
  lines: string[];
}

/**
 * Reconciles the deployment in `deploymentFile` after a run: `journalFile` and `timeseriesFile`
 * as the run wrote them (either may be absent), the summary for the run's counts. The verdict
 * goes to `resultsDir` (reconciliation.json, and summary.json's `reconciliation` when present).
 */
export async function reconcileAfterRun(opts: {
  deploymentFile: string;
  resultsDir: string;
  journalFile?: string;
  timeseriesFile?: string;
  summary?: SummaryData;
  drainTimeoutMs?: number;
  say?: (line: string) => void;
}): Promise<RunReconciliation> {
  const deployment = await readDeploymentFile(opts.deploymentFile);
  const timeseries =
    opts.timeseriesFile && existsSync(opts.timeseriesFile) ? await readTimeseriesFile(opts.timeseriesFile) : undefined;
  const verdict = await reconcile({
    deployment,
    journalFile: opts.journalFile && existsSync(opts.journalFile) ? opts.journalFile : undefined,
    acceptedCount: opts.summary?.metrics.ctd_accepted?.values.count,
    timeseries,
    drainTimeoutMs: opts.drainTimeoutMs,
    progress: opts.say,
  });
  await writeVerdict(path.resolve(opts.resultsDir), verdict);
  return { verdict, lines: verdictLines(verdict) };
}
