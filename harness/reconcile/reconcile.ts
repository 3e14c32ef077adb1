// The reconciliation after a run: wait for the queues to drain (bounded), read
// the deployment through its audit routes, and run every check on what it
// holds against what the run saw acknowledged.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeploymentFile } from '../deploy/deployment-file.ts';
import type { Timeseries } from '../report/run-folder.ts';
import { auditSnapshot } from './audit-client.ts';
import { checkC2cExactlyOnce } from './c2c-exactly-once.ts';
import { checkCrossBorderCopies } from './cross-border-copies.ts';
import { checkCtdsAtDeparture } from './ctd-at-departure.ts';
import { waitForDrain } from './drain.ts';
import { checkGuaranteeBalances } from './guarantee-balances.ts';
import { readJournal } from './journal.ts';
import { checkServerErrors } from './server-errors.ts';
import type { ReconciliationVerdict } from './verdict.ts';

export const RECONCILIATION_FILE = 'reconciliation.json';
/** Longest wait for the queues to drain before auditing (`--reconcile-wait`). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 60_000;

export interface ReconcileOptions {
  deployment: DeploymentFile;
  /** journal.ndjson of the run; absent (or missing file): the run's counts stand in. */
  journalFile?: string;
  /** CTDs the run counted as accepted (ctd_accepted), for a run without a journal. */
  acceptedCount?: number;
  /** The run's time series with its fault events, for the 5xx check. */
  timeseries?: Timeseries;
  drainTimeoutMs?: number;
  progress?: (line: string) => void;
}

export async function reconcile(opts: ReconcileOptions): Promise<ReconciliationVerdict> {
  const drain = await waitForDrain(opts.deployment, {
    timeoutMs: opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    progress: opts.progress,
  });
  const snapshot = await auditSnapshot(opts.deployment);
  const journal = opts.journalFile ? await readJournal(opts.journalFile) : undefined;
  const checks = [
    checkCtdsAtDeparture(snapshot, { journal, acceptedCount: opts.acceptedCount }),
    checkCrossBorderCopies(snapshot),
    checkC2cExactlyOnce(snapshot),
    checkGuaranteeBalances(snapshot),
    checkServerErrors(opts.timeseries),
  ];
  return {
    passed: checks.every((c) => c.status !== 'fail'),
    drain,
    journal: journal ? 'per-mrn' : opts.acceptedCount !== undefined ? 'run-counts' : 'none',
    checks,
  };
}

/** The verdict into the run's folder: reconciliation.json, and `reconciliation` in summary.json when there is one. */
export async function writeVerdict(dir: string, verdict: ReconciliationVerdict): Promise<void> {
  await writeFile(path.join(dir, RECONCILIATION_FILE), `${JSON.stringify(verdict, null, 2)}\n`);
  const summaryFile = path.join(dir, 'summary.json');
  let summary: Record<string, unknown>;
  try {
    summary = JSON.parse(await readFile(summaryFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return;
  }
  await writeFile(summaryFile, `${JSON.stringify({ ...summary, reconciliation: verdict }, null, 2)}\n`);
}
