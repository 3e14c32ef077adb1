// One part of a deployment (ICE or a node): a child process of the
// supervisor, logging to its own file, ready when its /readyz answers 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));

export class Part {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string>,
    readonly log: string,
  ) {
    const fd = openSync(log, 'a');
    this.child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...env },
    });
    closeSync(fd);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
    );
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Polls `url` until it answers 200; fails when the process exits or time runs out. */
  async ready(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready (see ${this.log})`);
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs / 1000} s (see ${this.log})`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}

/** The business clock as every part takes it, so all agree and a restarted part continues where it was. */
function clockEnv(clock: { factor: number; epoch: string } | undefined): Record<string, string> {
  return clock ? { CATS_TIME_FACTOR: String(clock.factor), CATS_CLOCK_EPOCH: clock.epoch } : {};
}

/** ICE as a part. Its database URL holds the server's password: it goes in the environment, not the command line. */
export function icePart(o: {
  port: number;
  databaseUrl: string;
  nodeTokens: Record<string, string>;
  auditorToken?: string;
  log: string;
  clock?: { factor: number; epoch: string };
}): Part {
  return new Part(
    'ice',
    ['ice', '--port', String(o.port)],
    {
      DATABASE_URL: o.databaseUrl,
      ICE_NODE_TOKENS: Object.entries(o.nodeTokens)
        .map(([c, t]) => `${c}=${t}`)
        .join(','),
      ...(o.auditorToken ? { ICE_AUDITOR_TOKEN: o.auditorToken } : {}),
      ...clockEnv(o.clock),
    },
    o.log,
  );
}

/** A national node as a part; `serverUrl` (with its password) names the PostgreSQL server it makes its database on. */
export function nodePart(o: {
  country: string;
  port: number;
  serverUrl: string;
  adminToken: string;
  auditorToken?: string;
  ice?: { url: string; token: string };
  log: string;
  clock?: { factor: number; epoch: string };
}): Part {
  return new Part(
    `node ${o.country}`,
    ['node', '--country', o.country, '--port', String(o.port)],
    {
      DATABASE_URL: o.serverUrl,
      CATS_ADMIN_TOKEN: o.adminToken,
      ...(o.auditorToken ? { CATS_AUDITOR_TOKEN: o.auditorToken } : {}),
      ...(o.ice ? { CATS_ICE_URL: o.ice.url, CATS_ICE_TOKEN: o.ice.token } : {}),
      ...clockEnv(o.clock),
    },
    o.log,
  );
}
