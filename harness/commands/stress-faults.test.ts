// `stress --faults` end to end with real processes: the reference comes up, a
// node is killed during the load, the supervisor restarts it, the run completes,
// and the fault is in the time series, faults.json and the report.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stressCli } from '../testing/stress-cli.ts';

let resultsRoot: string;
let stateDir: string;

beforeAll(async () => {
  resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-faults-'));
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-faults-state-'));
});
afterAll(async () => {
  for (const dir of [resultsRoot, stateDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const stress = (args: string[]) => stressCli({ results: resultsRoot, state: stateDir }, args);

describe('cats-stress stress --faults', () => {
  it('kills a node during ctd-peak; the supervisor restarts it and the run records the fault', async () => {
    const { code, stdout, stderr } = await stress([
      '--countries',
      'GE,AZ',
      // Long enough for the supervisor to bring the node back on a busy machine.
      '--duration',
      '30s',
      '--rate',
      '5',
      '-e',
      'THINK=0.1',
      '-e',
      'OFFICERS=1',
      '--faults',
      'kill:node/GE@2s',
    ]);
    // The SLOs may fail while GE is down: the run still completes with its verdict.
    expect([0, 99], stderr).toContain(code);
    expect(stdout).toMatch(/^(PASS|FAIL) {2}ctd-peak/m);
    const killed = /fault kill:node\/GE start \(pid (\d+)\) restarts 0/.exec(stderr);
    const back = /fault kill:node\/GE end \(pid (\d+)\) restarts 1: running again/.exec(stderr);
    expect(killed, stderr).not.toBeNull();
    expect(back, stderr).not.toBeNull();
    expect(back![1]).not.toBe(killed![1]);
    expect(stderr).toMatch(
      /kill:node\/GE at [\d.]+s: (recovered after [\d.]+ s|not recovered in the run), \d+ failed request\(s\), restarts 1/,
    );

    const [runId] = await readdir(resultsRoot);
    const dir = path.join(resultsRoot, runId!);
    const lines = (await readFile(path.join(dir, 'timeseries.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const events = lines.filter((l) => l.type === 'event');
    expect(events.map((e) => [e.event, e.fault, e.target, e.phase, e.ok])).toEqual([
      ['fault', 'kill', 'node/GE', 'start', true],
      ['fault', 'kill', 'node/GE', 'end', true],
    ]);
    // The fault lies within the run (its first seconds may hold no sample on a busy machine).
    const seconds = lines.filter((l) => l.type === undefined).map((l) => l.t as number);
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    const end = Math.max(...seconds) + 1;
    expect(events[0].t).toBeGreaterThanOrEqual(end - summary.state.testRunDurationMs / 1000 - 1);
    expect(events[0].t).toBeLessThanOrEqual(end);

    const faults = JSON.parse(await readFile(path.join(dir, 'faults.json'), 'utf8'));
    expect(faults.events).toEqual(events);
    expect(faults.recovery).toMatchObject([{ fault: 'kill', target: 'node/GE', applied: true, restarts: 1 }]);
    const settings = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'));
    expect(settings.faults.spec).toBe('kill:node/GE@2s');

    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<g class="fault-marker start"');
    expect(html).toContain('<g class="fault-marker end"');
    expect(html).toContain('<h2>Faults</h2>');
    expect(existsSync(path.join(dir, 'deployment.json'))).toBe(false);
  }, 300_000);

  it('refuses a bad schedule, or a fault the reference cannot take, before starting anything', async () => {
    const before = await readdir(resultsRoot);
    const bad = await stress(['--faults', 'kill:node/GE']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--faults: .*\n {2}\/0: 'kill:node\/GE': expected FAULT:TARGET@AT/);

    const shared = await stress([
      '--countries',
      'GE,AZ',
      '--faults',
      'kill:ice@1s,pause:db/GE@2s+1s,cut:GE-ice@3s+1s,kill:db/GE@4s,cut:GE-AZ@5s+1s',
    ]);
    expect(shared.code).toBe(2);
    expect(shared.stderr).toMatch(/2 fault\(s\) cannot be applied to the reference/);
    expect(shared.stderr).toMatch(/\/3: kill:db\/GE: every node's database is on one PostgreSQL server/);
    expect(shared.stderr).toMatch(/\/4: cut:GE-AZ: nodes do not talk to each other/);

    const absent = await stress(['--countries', 'GE,AZ', '--faults', 'kill:node/KZ@1s']);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/the deployment has no node KZ/);
    expect(await readdir(resultsRoot)).toEqual(before);
  });
});
