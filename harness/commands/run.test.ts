// `cats-stress run` as a user calls it: flags, outputs, exit codes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stderrBesidesHealth } from '../engine/testing/run-fixture.ts';

const BIN = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [BIN, 'run', ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'run-cli-'));
const script = join(dir, 'script.js');
writeFileSync(
  script,
  `
import { check } from 'k6';
import exec from 'k6/execution';
export const options = { thresholds: { checks: ['rate==1'] } };
export default function () {
  check(__ENV.MODE, { 'mode is ok': (m) => m === 'ok' });
  check(exec.vu.metrics.tags.testid, { 'tagged': (t) => t === 'cli-test' });
}`,
);

describe('cats-stress run', () => {
  it('runs with the shortcut flags, -e, --tag, --out json and --summary-export', () => {
    const exported = join(dir, 'summary.json');
    const samples = join(dir, 'samples.json');
    const r = cli([
      '-q',
      '-u',
      '2',
      '-i',
      '8',
      '-e',
      'MODE=ok',
      '--tag',
      'testid=cli-test',
      '--summary-export',
      exported,
      '--out',
      `json=${samples}`,
      script,
    ]);
    expect(stderrBesidesHealth(r.stderr)).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ mode is ok/);
    expect(r.stdout).toMatch(/iterations\.+: 8 /);
    const summary = JSON.parse(readFileSync(exported, 'utf8'));
    expect(summary.metrics.checks).toMatchObject({ passes: 16, fails: 0 });
    const points = readFileSync(samples, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(points.filter((p) => p.type === 'Point' && p.metric === 'iterations')).toHaveLength(8);
  });

  it('exits 99 when a threshold fails', () => {
    const r = cli(['-q', '--no-summary', '-e', 'MODE=bad', script]);
    expect(r.code).toBe(99);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/thresholds crossed: checks: rate==1/);
    expect(cli(['-q', '--no-summary', '--no-thresholds', '-e', 'MODE=bad', script]).code).toBe(0);
  });

  it('explains bad flags and a missing k6 binary', () => {
    expect(cli(['-s', 'soon', script]).stderr).toMatch(/--stage soon: expected DURATION:TARGET/);
    const noK6 = cli(['--engine', 'k6', script], { ...process.env, PATH: dir });
    expect(noK6.code).toBe(2);
    expect(noK6.stderr).toMatch(/no 'k6' on PATH/);
  });

  it('injects --faults into the --deployment while the script runs and appends them to its time series; the reconciliation after it fails on a deployment it cannot read', () => {
    const part = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const deployment = join(dir, 'faulted-deployment.json');
      writeFileSync(
        deployment,
        JSON.stringify({
          nodes: { GE: { url: 'http://127.0.0.1:1' } },
          ice: { url: 'ws://127.0.0.1:2', pid: part.pid },
        }),
      );
      const waiting = join(dir, 'waiting.js');
      writeFileSync(
        waiting,
        `import { sleep } from 'k6';\nexport const options = { vus: 1, duration: '2s' };\nexport default async function () { await sleep(0.1); }`,
      );
      const timeseries = join(dir, 'faulted', 'timeseries.ndjson');
      const r = cli([
        '--faults',
        'pause:ice@0+300ms',
        '--deployment',
        deployment,
        '-o',
        `timeseries=${timeseries}`,
        '--reconcile-wait',
        '0',
        waiting,
      ]);
      // A run with faults is reconciled; this deployment's node does not exist, so nothing is vouched for.
      expect(r.code, r.stderr).toBe(12);
      expect(r.stdout).toMatch(/^FAIL {2}reconciliation/m);
      expect(r.stdout).toContain('node GE could not be audited');
      expect(r.stderr).toMatch(new RegExp(`fault pause:ice start \\(pid ${part.pid}\\)`));
      expect(r.stderr).toMatch(/fault pause:ice end/);
      const events = readFileSync(timeseries, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((l) => l.type === 'event');
      expect(events.map((e) => [e.fault, e.target, e.phase, e.ok])).toEqual([
        ['pause', 'ice', 'start', true],
        ['pause', 'ice', 'end', true],
      ]);
      expect(JSON.parse(readFileSync(join(dir, 'faulted', 'faults.json'), 'utf8')).events).toEqual(events);
      // Continued: the part runs on after the run.
      const stat = readFileSync(`/proc/${part.pid}/stat`, 'utf8');
      expect(stat.slice(stat.lastIndexOf(')') + 2)[0]).not.toBe('T');
    } finally {
      part.kill('SIGCONT');
      part.kill('SIGKILL');
    }
  });

  it('refuses --faults without a deployment, a bad schedule, and process faults without PIDs', () => {
    const noDeployment = cli(['--faults', 'kill:ice@1s', script]);
    expect(noDeployment.code).toBe(2);
    expect(noDeployment.stderr).toMatch(/--faults needs --deployment FILE/);
    const target = join(dir, 'target.json');
    writeFileSync(target, JSON.stringify({ nodes: { GE: { url: 'http://127.0.0.1:1' } } }));
    const bad = cli(['--faults', 'kill:ice@soon', '--deployment', target, script]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\/0: 'kill:ice@soon'/);
    const noPid = cli(['--faults', 'kill:node/GE@1s', '--deployment', target, script]);
    expect(noPid.code).toBe(2);
    expect(noPid.stderr).toMatch(/kill:node\/GE: the deployment file gives no PID for it/);
  });
});
