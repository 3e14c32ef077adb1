// A deployment interrupted while starting stops entirely: no process of it
// runs, no deployment file, no database folder. (Once up, a part that dies is
// restarted: deployment-restarts.test.ts.)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupMembers } from './process-group.ts';
import { bin, deploymentWorkspace } from '../../harness/testing/deployment-cli.ts';

async function workspace() {
  const w = await deploymentWorkspace('cats-stress-deploy');
  return { ...w, args: w.upArgs(['--countries', 'KZ,GE']), pgData: path.join(w.dir, 'state', 'deploy-pg') };
}

describe('deployment faults', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  it('Ctrl-C while up is starting leaves nothing running and no half state', async () => {
    const w = await workspace();
    cleanups.push(() => w.remove());
    const up = spawn(process.execPath, [bin, ...w.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: '' },
    });
    let out = '';
    up.stdout.on('data', (d: Buffer) => (out += d));
    const exited = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
    await expect.poll(() => out, { timeout: 60_000, interval: 100 }).toContain('ICE ready');
    const supervisor = Number(/supervisor (\d+)/.exec(out)?.[1]);
    expect(await groupMembers(supervisor)).toContain(supervisor);
    up.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await groupMembers(supervisor)).toEqual([]);
    expect(existsSync(w.file)).toBe(false);
    expect(existsSync(w.pgData)).toBe(false);
  }, 90_000);
});
