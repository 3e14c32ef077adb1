// RestartingPart with real child processes: restarted when killed, failed
// when it keeps dying, and never started again once stopped.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive } from './stop.ts';
import { RestartingPart, type Incarnation, type PartState } from './restarting-part.ts';

const policy = { initialDelayMs: 20, maxDelayMs: 100, maxRestarts: 3, windowMs: 60_000 };

/** A node process running `script`; ready once it prints "ready". */
function incarnation(script: string): Incarnation {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    void exited.then(() => reject(new Error('exited before it was ready')));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid,
    ready,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

const serving = "console.log('ready'); setInterval(() => {}, 1000);";

describe('a part kept running', () => {
  it('is started again when its process is killed, and stopping it leaves nothing running', async () => {
    const first = incarnation(serving);
    await first.ready;
    const lines: string[] = [];
    const states: PartState[] = [];
    const part = new RestartingPart('worker', first, {
      start: () => incarnation(serving),
      policy,
      say: (l) => lines.push(l),
      changed: (s) => states.push(s),
    });
    process.kill(first.pid!, 'SIGKILL');
    await expect.poll(() => part.state, { timeout: 20_000 }).toMatchObject({ status: 'running', restarts: 1 });
    const second = part.state.pid!;
    expect(second).not.toBe(first.pid);
    expect(isAlive(second)).toBe(true);
    expect(states.map((s) => s.status)).toContain('restarting');
    expect(lines.join('\n')).toContain('worker exited');
    await part.stop();
    expect(isAlive(second)).toBe(false);
    expect(part.state.status).toBe('stopped');
  }, 30_000);

  it('is reported failed, and not started again, once it dies too often', async () => {
    const first = incarnation(serving);
    await first.ready;
    let starts = 0;
    const lines: string[] = [];
    const part = new RestartingPart('crasher', first, {
      start: () => {
        starts++;
        return incarnation('process.exit(3)');
      },
      policy,
      say: (l) => lines.push(l),
    });
    process.kill(first.pid!, 'SIGKILL');
    await part.done;
    expect(part.state).toMatchObject({ status: 'failed', restarts: 3 });
    expect(starts).toBe(3);
    expect(lines.at(-1)).toBe('crasher failed: died after 3 restarts within 60 s; not restarted');
    await new Promise((r) => setTimeout(r, 300));
    expect(starts).toBe(3);
  }, 30_000);

  it('is not started again once stopped while waiting to restart', async () => {
    const first = incarnation(serving);
    await first.ready;
    let starts = 0;
    const part = new RestartingPart('slow', first, {
      start: () => {
        starts++;
        return incarnation(serving);
      },
      policy: { ...policy, initialDelayMs: 2000 },
      say: () => undefined,
    });
    process.kill(first.pid!, 'SIGKILL');
    await expect.poll(() => part.state.status, { timeout: 10_000 }).toBe('restarting');
    await part.stop();
    await part.done;
    expect(starts).toBe(0);
    expect(part.state.status).toBe('stopped');
  }, 30_000);
});
