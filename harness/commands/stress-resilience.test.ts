// `stress --scenario resilience` as a user runs it, shortened: the reference comes up
// with fault proxies on the links its default schedule faults, ICE and a node are
// killed and healed, a node is cut off from ICE, a country's database is paused, and
// the run passes with nothing accepted lost and every recovery limit kept.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stressCli } from '../testing/stress-cli.ts';

let resultsRoot: string;
let stateDir: string;

beforeAll(async () => {
  resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-resilience-'));
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-resilience-state-'));
});
afterAll(async () => {
  for (const dir of [resultsRoot, stateDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const stress = (args: string[]) => stressCli({ results: resultsRoot, state: stateDir }, args);

describe('cats-stress stress --scenario resilience', () => {
  it('kills and heals parts mid-run under its default schedule and passes with nothing lost', async () => {
    const { code, stdout, stderr } = await stress([
      '--scenario',
      'resilience',
      '--countries',
      'KZ,AZ,GE',
      '--duration',
      '40s',
    ]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/^PASS {2}resilience: \d+\/\d+ SLO thresholds met, 4\/4 recovery limits kept/m);
    expect(stderr).toMatch(/fault proxies on GE-ice \(port \d+\), KZ-db \(port \d+\)/);
    for (const fault of ['kill:ice', 'kill:node/AZ', 'cut:GE-ice', 'pause:db/KZ']) {
      expect(stderr).toContain(`fault ${fault} start`);
      expect(stderr).toContain(`fault ${fault} end`);
    }
    expect(stderr).toMatch(/fault kill:ice end \(pid \d+\) restarts 1: running again/);
    expect(stderr).toMatch(/fault kill:node\/AZ end \(pid \d+\) restarts 1: running again/);

    const [runId] = await readdir(resultsRoot);
    const dir = path.join(resultsRoot, runId!);
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary.metrics.movements_lost.values.count).toBe(0);
    expect(summary.metrics.movement_completed.values.rate).toBe(1);
    expect(summary.metrics.movements_written_off.values.count).toBeGreaterThan(0);
    expect(summary.recoveryLimits).toEqual({ judged: 4, breached: [] });
    // Nothing acknowledged was lost: every check of the audit ran and passed.
    expect(stdout).toMatch(/^PASS {2}reconciliation$/m);
    expect(summary.reconciliation.passed).toBe(true);
    expect(summary.reconciliation.checks.map((c: { id: string; status: string }) => `${c.id} ${c.status}`)).toEqual(
      ['ctd-at-departure', 'cross-border-copies', 'c2c-exactly-once', 'guarantee-balances', 'server-errors'].map(
        (id) => `${id} pass`,
      ),
    );
    const faults = JSON.parse(await readFile(path.join(dir, 'faults.json'), 'utf8'));
    expect(faults.recovery.map((r: { target: string; withinLimit: boolean }) => [r.target, r.withinLimit])).toEqual([
      ['ice', true],
      ['node/AZ', true],
      ['GE-ice', true],
      ['db/KZ', true],
    ]);
    const settings = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'));
    expect(settings.faults.spec).toMatch(
      /^kill:ice@\d+s,kill:node\/AZ@\d+s,cut:GE-ice@\d+s\+\d+s,pause:db\/KZ@\d+s\+\d+s$/,
    );
    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Faults</h2>');
    expect(html).toContain('recovery kill:ice');
  }, 600_000);

  it('refuses its default faults against a --target deployment, with the reasons, before starting anything', async () => {
    const target = path.join(stateDir, 'target.json');
    await writeFile(
      target,
      JSON.stringify({
        nodes: {
          KZ: { url: 'http://127.0.0.1:1' },
          AZ: { url: 'http://127.0.0.1:2' },
          GE: { url: 'http://127.0.0.1:3' },
        },
        ice: { url: 'ws://127.0.0.1:4/v1/ice' },
      }),
    );
    const before = await readdir(resultsRoot);
    const r = await stress(['--scenario', 'resilience', '--countries', 'KZ,AZ,GE', '--target', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/4 fault\(s\) cannot be applied to/);
    expect(r.stderr).toMatch(/\/0: kill:ice: the deployment file gives no PID/);
    expect(r.stderr).toMatch(/\/2: cut:GE-ice: a link between parts can be faulted only in a deployment started by up/);
    expect(r.stderr).toMatch(
      /\/3: pause:db\/KZ: one country's database can be faulted only in a deployment started by up/,
    );
    expect(await readdir(resultsRoot)).toEqual(before);
  });
});
