// Stopping a deployment from its file: the supervisor first (it stops its
// parts and PostgreSQL in order), then anything recorded that still runs.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { removeDeployment, type Deployment } from './deployment-file.ts';

/** Whether a process with this id exists (whoever owns it). */
export function isAlive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `pid` still runs a process of ours (a recorded pid may have been reused since). */
function runsOurs(pid: number | null | undefined, needle: string): pid is number {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return true; // no /proc: trust the record
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export async function stopDeployment(
  d: Deployment,
  file: string,
  say: (line: string) => void,
  graceMs = 30_000,
): Promise<void> {
  const sup = d.supervisor.pid;
  if (runsOurs(sup, 'cats-stress')) {
    say(`stopping the deployment (supervisor ${sup})…`);
    kill(sup, 'SIGTERM');
    if (!(await waitGone(sup, graceMs))) {
      say(`supervisor ${sup} did not stop within ${graceMs / 1000} s; killing its process group`);
      kill(-sup, 'SIGKILL');
      kill(sup, 'SIGKILL');
      await waitGone(sup, 5000);
    }
  }
  const parts = [d.ice.pid, ...Object.values(d.nodes).map((n) => n.pid)];
  for (const pid of parts) {
    if (runsOurs(pid, 'cats-stress')) {
      say(`killing leftover process ${pid}`);
      kill(pid, 'SIGKILL');
      await waitGone(pid, 5000);
    }
  }
  if (d.prometheus && runsOurs(d.prometheus.pid, 'prometheus')) {
    say(`killing leftover Prometheus ${d.prometheus.pid}`);
    kill(d.prometheus.pid, 'SIGKILL');
    await waitGone(d.prometheus.pid, 5000);
  }
  if (runsOurs(d.postgres.pid, 'postgres')) {
    say(`stopping leftover PostgreSQL ${d.postgres.pid}`);
    kill(d.postgres.pid, 'SIGINT');
    if (!(await waitGone(d.postgres.pid, 15_000))) kill(d.postgres.pid, 'SIGKILL');
  }
  if (d.postgres.dataDir) await rm(d.postgres.dataDir, { recursive: true, force: true });
  await removeDeployment(file);
}
