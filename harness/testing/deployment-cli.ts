// The CLI as a user runs it, for tests of real deployments: a child process with its
// own embedded PostgreSQL (DATABASE_URL cleared), and a folder per deployment for its
// file, logs and state that `down` leaves empty.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deployment } from '../deploy/deployment-file.ts';

export const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));

/** `cats-stress ARGS`; stdout and stderr together in `out`. */
export function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: '' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    // 'close', not 'exit': the output streams may still hold the last lines at exit.
    child.once('close', (code) => resolve({ code, out }));
  });
}

export interface DeploymentWorkspace {
  dir: string;
  /** The deployment file `up` writes. */
  file: string;
  /** `up ARGS` with this workspace's deployment file, logs and state folder. */
  upArgs(args: string[]): string[];
  up(args: string[]): Promise<{ code: number | null; out: string }>;
  /** The supervisor's log ('' before it wrote one): what to show when `up` failed. */
  supervisorLog(): Promise<string>;
  /** The deployment file `up` wrote. */
  deployment(): Promise<Deployment>;
  /** `down` when the deployment is up, then the folder removed. */
  remove(): Promise<void>;
}

export async function deploymentWorkspace(prefix: string): Promise<DeploymentWorkspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  // As root, PostgreSQL runs as another user who must reach its data folder.
  await chmod(dir, 0o755);
  const file = path.join(dir, 'deployment.json');
  const upArgs = (args: string[]) => [
    'up',
    ...args,
    '--deployment',
    file,
    '--logs',
    path.join(dir, 'logs'),
    '--state-dir',
    path.join(dir, 'state'),
  ];
  return {
    dir,
    file,
    upArgs,
    up: (args) => cli(upArgs(args)),
    supervisorLog: () => readFile(path.join(dir, 'logs', 'supervisor.log'), 'utf8').catch(() => ''),
    deployment: async () => JSON.parse(await readFile(file, 'utf8')) as Deployment,
    async remove() {
      if (existsSync(file)) await cli(['down', '--deployment', file]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
