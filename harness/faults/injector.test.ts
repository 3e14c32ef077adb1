import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultError } from './fault-error.ts';
import { FaultInjector, refusedFaults, type FaultRecord } from './injector.ts';
import { parseFaultSpec, type FaultableDeployment } from './schedule.ts';

let dir: string;
const children: ChildProcess[] = [];

function sleeper(command = 'sleep 60'): ChildProcess {
  const child = spawn('sh', ['-c', command], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The process state letter of /proc/PID/stat: T when stopped. */
const stateOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

const exited = (c: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) =>
    c.exitCode !== null || c.signalCode !== null ? resolve(c.signalCode) : c.once('exit', (_, s) => resolve(s)),
  );

async function until<T>(fn: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}

function deployment(pids: { ice?: number; GE?: number; AZ?: number; postgres?: number }, extra = {}) {
  return {
    nodes: {
      GE: { url: 'http://127.0.0.1:1', pid: pids.GE, status: 'running', restarts: 0 },
      AZ: { url: 'http://127.0.0.1:2', pid: pids.AZ, status: 'running', restarts: 0 },
    },
    ice: { url: 'ws://127.0.0.1:3', pid: pids.ice, status: 'running', restarts: 0 },
    postgres: { embedded: true, pid: pids.postgres ?? null, databases: ['cats_ge', 'cats_az'] },
    supervisor: { pid: process.pid },
    ...extra,
  };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'injector-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
  }
  await rm(dir, { recursive: true, force: true });
});

describe('refusedFaults', () => {
  it('refuses faults on links between parts without a proxy, killing one database alone, parts without a PID, with reasons', () => {
    const d = deployment({ ice: 1, GE: 2, AZ: 3, postgres: 4 });
    const refused = refusedFaults(
      parseFaultSpec(
        'pause:db/GE@1s+1s,cut:GE-ice@2s+1s,kill:node/GE@3s,pause:db@4s+1s,latency:clients-AZ@5s+1s=10ms,kill:db/AZ@6s,cut:GE-AZ@7s+1s',
      ),
      d,
    );
    expect(refused.map((r) => [r.pointer, r.code])).toEqual([
      ['/0', 'no_fault_proxy'],
      ['/1', 'no_fault_proxy'],
      ['/5', 'not_supported'],
      ['/6', 'unknown_link'],
    ]);
    expect(refused[0]!.message).toMatch(/no fault proxy on GE-db; start it with cats-stress up --fault-links GE-db/);
    expect(refused[1]!.message).toMatch(/--fault-links GE-ice/);
    expect(refused[2]!.message).toMatch(/one PostgreSQL server/);
    expect(refused[3]!.message).toMatch(/through ICE/);
    // A deployment started with the proxies takes them.
    const routed = { ...d, faultLinks: { links: { 'GE-db': {}, 'GE-ice': {} } } };
    expect(refusedFaults(parseFaultSpec('pause:db/GE@1s+1s,cut:GE-ice@2s+1s'), routed)).toEqual([]);
    const target: FaultableDeployment = { nodes: { GE: {} }, ice: {} };
    const onTarget = refusedFaults(parseFaultSpec('kill:node/GE@1s,cut:GE-ice@1s+1s,pause:db/GE@1s+1s'), target);
    expect(onTarget.map((r) => r.code)).toEqual(['no_pid', 'not_routable', 'not_routable']);
  });
});

describe('FaultInjector with real processes', () => {
  it('kills the current PID of a node and ends the fault once the supervisor records it running again', async () => {
    const first = sleeper();
    const file = path.join(dir, 'deployment.json');
    await writeFile(file, JSON.stringify(deployment({ ice: process.pid, GE: first.pid, AZ: process.pid })));
    const injector = await FaultInjector.prepare({ events: parseFaultSpec('kill:node/GE@0'), deploymentFile: file });
    injector.start();
    expect(await exited(first)).toBe('SIGKILL');
    // What the supervisor does: a new process, its PID and restart count in the deployment file.
    const second = sleeper();
    const d = deployment({ ice: process.pid, GE: second.pid, AZ: process.pid });
    d.nodes.GE.restarts = 1;
    await writeFile(file, JSON.stringify(d));
    await until(() => injector.records.length === 2, 'the kill ends');
    const records = await injector.stop();
    expect(records.map((r) => [r.fault, r.target, r.phase, r.ok])).toEqual([
      ['kill', 'node/GE', 'start', true],
      ['kill', 'node/GE', 'end', true],
    ]);
    expect(records[0]!.pid).toBe(first.pid);
    expect(records[1]).toMatchObject({ pid: second.pid, restarts: 1 });
    expect(second.exitCode).toBeNull();
  });

  it('kills the PID the deployment file gives at the time of the fault, not the one it gave at the start', async () => {
    const before = sleeper();
    const now = sleeper();
    const file = path.join(dir, 'deployment.json');
    await writeFile(file, JSON.stringify(deployment({ ice: before.pid, GE: process.pid, AZ: process.pid })));
    const injector = await FaultInjector.prepare({ events: parseFaultSpec('kill:ice@300ms'), deploymentFile: file });
    await writeFile(file, JSON.stringify(deployment({ ice: now.pid, GE: process.pid, AZ: process.pid })));
    injector.start();
    expect(await exited(now)).toBe('SIGKILL');
    const records = await injector.stop();
    expect(before.exitCode).toBeNull();
    expect(before.signalCode).toBeNull();
    expect(records.at(-1)).toMatchObject({ phase: 'end', ok: false });
  });

  it('pauses a part (SIGSTOP) and continues it (SIGCONT) at the end of the fault', async () => {
    const ice = sleeper();
    const file = path.join(dir, 'deployment.json');
    await writeFile(file, JSON.stringify(deployment({ ice: ice.pid, GE: process.pid, AZ: process.pid })));
    const seen: FaultRecord[] = [];
    const injector = await FaultInjector.prepare({
      events: parseFaultSpec('pause:ice@0+400ms'),
      deploymentFile: file,
      onRecord: (r) => seen.push(r),
    });
    injector.start();
    await until(() => seen.length === 1, 'the pause starts');
    await until(() => stateOf(ice.pid!) === 'T', 'ICE stopped');
    await until(() => seen.length === 2, 'the pause ends');
    await until(() => stateOf(ice.pid!) !== 'T', 'ICE continued');
    expect(seen.map((r) => r.phase)).toEqual(['start', 'end']);
    expect(seen[1]!.t).toBeGreaterThanOrEqual(seen[0]!.t);
    await injector.stop();
  });

  it('pausing the shared PostgreSQL server stops its children too; stopping the run continues them', async () => {
    const server = sleeper('sleep 60 & sleep 60 & wait');
    const file = path.join(dir, 'deployment.json');
    await writeFile(file, JSON.stringify(deployment({ ice: process.pid, GE: 1, AZ: 1, postgres: server.pid })));
    const injector = await FaultInjector.prepare({ events: parseFaultSpec('pause:db@0+1h'), deploymentFile: file });
    // The shell's two sleeps are its children.
    const kids = await until(() => {
      const list = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(' ');
      return list.length === 2 ? list.map(Number) : undefined;
    }, 'the server has its children');
    injector.start();
    await until(() => injector.records.length === 1, 'the pause starts');
    for (const pid of [server.pid!, ...kids]) await until(() => stateOf(pid) === 'T', `${pid} stopped`);
    const records = await injector.stop();
    for (const pid of [server.pid!, ...kids]) await until(() => stateOf(pid) !== 'T', `${pid} continued`);
    expect(records.map((r) => r.phase)).toEqual(['start', 'end']);
  });

  it('records a fault on a part that is not running as not applied', async () => {
    const gone = sleeper('exit 0');
    await exited(gone);
    const file = path.join(dir, 'deployment.json');
    const d = deployment({ ice: process.pid, GE: gone.pid, AZ: process.pid });
    d.nodes.GE.status = 'restarting';
    await writeFile(file, JSON.stringify(d));
    const injector = await FaultInjector.prepare({ events: parseFaultSpec('kill:node/GE@0'), deploymentFile: file });
    injector.start();
    await until(() => injector.records.length === 2, 'both records');
    const records = await injector.stop();
    expect(records[0]).toMatchObject({ phase: 'start', ok: false });
    expect(records[0]!.detail).toMatch(/not running \(status restarting\)/);
  });

  it('refuses the whole schedule before anything is applied when one fault cannot be', async () => {
    const ice = sleeper();
    const file = path.join(dir, 'deployment.json');
    await writeFile(file, JSON.stringify(deployment({ ice: ice.pid, GE: process.pid, AZ: process.pid })));
    const err = await FaultInjector.prepare({
      events: parseFaultSpec('kill:ice@0,pause:db/AZ@0+1s'),
      deploymentFile: file,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaultError);
    expect((err as FaultError).errors).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(ice.exitCode).toBeNull();
    expect(ice.signalCode).toBeNull();
  });

  it('routes load clients to a node through a proxy and resets their connections during a reset fault', async () => {
    const server = http.createServer((_, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const file = path.join(dir, 'deployment.json');
      const d = deployment({ ice: process.pid, GE: process.pid, AZ: process.pid });
      d.nodes.GE.url = `http://127.0.0.1:${port}`;
      await writeFile(file, JSON.stringify(d));
      const routed = path.join(dir, 'routed.json');
      const injector = await FaultInjector.prepare({
        events: parseFaultSpec('reset:clients-GE@0+1h=100%'),
        deploymentFile: file,
        routedDeploymentFile: routed,
      });
      expect(injector.clientDeploymentFile).toBe(routed);
      const url = (JSON.parse(await readFile(routed, 'utf8')) as typeof d).nodes.GE.url;
      expect(url).not.toBe(d.nodes.GE.url);
      const get = () =>
        fetch(url, { headers: { connection: 'close' } }).then(
          (r) => r.text(),
          () => 'failed',
        );
      expect(await get()).toBe('ok');
      injector.start();
      await until(() => injector.records.length === 1, 'the reset starts');
      expect(await get()).toBe('failed');
      const records = await injector.stop();
      expect(records.map((r) => [r.fault, r.target, r.phase])).toEqual([
        ['reset', 'clients-GE', 'start'],
        ['reset', 'clients-GE', 'end'],
      ]);
      // The file the supervisor keeps is left as it was.
      expect((JSON.parse(await readFile(file, 'utf8')) as typeof d).nodes.GE.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
