// One part of a deployment (ICE or a node): a child process of the
// supervisor, logging to its own file, ready when its /readyz answers 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { iceCommand, nodeCommand } from './part-command.ts';

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

/** ICE as a part (see part-command.ts). */
export function icePart(o: Parameters<typeof iceCommand>[0] & { log: string }): Part {
  const { args, env } = iceCommand(o);
  return new Part('ice', args, env, o.log);
}

/** A national node as a part (see part-command.ts). */
export function nodePart(o: Parameters<typeof nodeCommand>[0] & { log: string }): Part {
  const { args, env } = nodeCommand(o);
  return new Part(`node ${o.country}`, args, env, o.log);
}
