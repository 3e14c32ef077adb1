// The reference deployment for a stress run: `cats-stress up` (ICE and one
// national node per country as separate processes, seeded from the run's data
// set, logs in the run folder) and, whatever happens, `cats-stress down`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readDeploymentFile, type DeploymentFile } from '../deploy/deployment-file.ts';
import { step } from '../progress.ts';

const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));

/** Runs a cats-stress subcommand as a child process, each output line handed to `onLine`. */
function cli(args: string[], onLine: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Stops whatever `up` started for this deployment file; a no-op when nothing is up. */
export async function downReference(deploymentFile: string, say: (line: string) => void): Promise<void> {
  const code = await cli(['down', '--deployment', deploymentFile], say);
  if (code !== 0) throw new Error(`cats-stress down exited with ${code}`);
}

/**
 * The reference a command may start for its run, brought down once: when the command ends
 * (`close`), earlier on request (`down`), or on SIGINT/SIGTERM, after which it exits 130.
 * Until `markStarted`, there is nothing to bring down.
 */
export function referenceForRun(deploymentFile: string, say: (line: string) => void) {
  let started = false;
  let stopping: Promise<void> | undefined;
  const down = (): Promise<void> =>
    (stopping ??= started
      ? step('bringing the reference down', () => downReference(deploymentFile, say))
      : Promise.resolve());
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the run\n`);
    void down().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    get started() {
      return started;
    },
    markStarted() {
      started = true;
    },
    down,
    async close() {
      await down();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Starts the reference and returns its deployment; on failure nothing is left running. */
export async function upReference(opts: {
  countries: string[];
  /** Deployment file to write (removed again by down). */
  deploymentFile: string;
  dataSet: string;
  logDir: string;
  /** Embedded PostgreSQL's folder (ignored with DATABASE_URL). */
  stateDir: string;
  /** Also start Prometheus (up --observability). */
  observability?: boolean;
  /** Links between parts to place fault proxies on (up --fault-links). */
  faultLinks?: string[];
  /** Business seconds per real second in every part (up --time-factor). */
  timeFactor?: number;
  say: (line: string) => void;
}): Promise<DeploymentFile> {
  // up's closing hint about `down` does not apply: the stress run brings it down itself.
  const say = (line: string) => {
    if (!line.startsWith('stop with:')) opts.say(line);
  };
  const code = await cli(
    [
      'up',
      '--countries',
      opts.countries.join(','),
      '--deployment',
      opts.deploymentFile,
      '--data-set',
      opts.dataSet,
      '--logs',
      opts.logDir,
      '--state-dir',
      opts.stateDir,
      ...(opts.observability ? ['--observability'] : []),
      ...(opts.faultLinks?.length ? ['--fault-links', opts.faultLinks.join(',')] : []),
      ...(opts.timeFactor ? ['--time-factor', String(opts.timeFactor)] : []),
    ],
    say,
  );
  if (code !== 0) {
    await downReference(opts.deploymentFile, opts.say).catch(() => undefined);
    throw new Error(`the reference did not come up (cats-stress up exited with ${code}; logs in ${opts.logDir})`);
  }
  return readDeploymentFile(opts.deploymentFile);
}
