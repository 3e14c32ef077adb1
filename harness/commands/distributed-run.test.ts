// A distributed run played the way the k6-operator plays it (v1.6.0: pkg/resources/jobs/initializer.go,
// runner.go, starter.go, internal/controller/common.go): archive → inspect --execution-requirements →
// N runners `run --quiet --execution-segment … --execution-segment-sequence … ARCHIVE --address …
// --paused --tag instance_id=N --no-setup --no-teardown --linger` → setup() on one through POST
// /v1/setup, its data to all through PUT /v1/setup → the starter's PATCH /v1/status on all → wait until
// none runs → teardown() on one → merge. Against a loopback target, the merged run equals one process
// running the whole test, and the target saw every iteration exactly once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryData } from '../engine/summary/summary-data.ts';

const BIN = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));
/** The operator invokes `k6` by name: the engine's k6 command line. */
const K6 = fileURLToPath(new URL('../../bin/k6.js', import.meta.url));
const N = 3;
const SEQUENCE = '0,1/3,2/3,1';
const SEGMENTS = ['0:1/3', '1/3:2/3', '2/3:1'];
const TOTALS = { shared: 40, pervu: 20, constant: 40, ramping: 40 };

// The arrival-rate scenarios have a VU for each of their iterations: however late a loaded machine runs
// their schedule, no iteration is dropped, so the totals are exact.
const SCRIPT = `
import http from 'k6/http';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
const setupN = new Counter('setup_n');
const indexes = new Trend('iteration_index');
export const options = {
  scenarios: {
    shared: { executor: 'shared-iterations', vus: 3, iterations: ${TOTALS.shared} },
    pervu: { executor: 'per-vu-iterations', vus: 5, iterations: 4 },
    constant: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2s', preAllocatedVUs: 45 },
    ramping: { executor: 'ramping-arrival-rate', startRate: 0, preAllocatedVUs: 45,
      stages: [{ duration: '2s', target: 20 }, { duration: '1s', target: 20 }] },
  },
  thresholds: {
    'iterations{scenario:shared}': ['count==${TOTALS.shared}'],
    'iterations{scenario:pervu}': ['count==${TOTALS.pervu}'],
    'iterations{scenario:constant}': ['count==${TOTALS.constant}'],
    'iterations{scenario:ramping}': ['count==${TOTALS.ramping}'],
  },
};
export function setup() { return { n: 7 }; }
export default function (data) {
  const i = exec.scenario.iterationInTest;
  http.get(__ENV.TARGET + '/hit?s=' + exec.scenario.name + '&i=' + i);
  setupN.add(data.n);
  indexes.add(i);
}
export function teardown() { http.get(__ENV.TARGET + '/teardown'); }
`;

/** The loopback target: which iteration of which scenario it saw, how often; teardown calls. */
function target() {
  const hits = new Map<string, number[]>();
  let teardowns = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/teardown') teardowns++;
    else {
      const s = url.searchParams.get('s')!;
      hits.set(s, [...(hits.get(s) ?? []), Number(url.searchParams.get('i'))]);
    }
    res.end('ok');
  });
  return {
    server,
    hits,
    teardowns: () => teardowns,
    reset: () => {
      hits.clear();
      teardowns = 0;
    },
  };
}

async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function api(port: number, method: string, path: string, body?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    body,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as any) : undefined };
}

async function until(what: string, check: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cli = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 180_000 });

/** A command that reaches the target, which answers from this process: it must not block the event loop. */
function cliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

describe('a distributed run the way the k6-operator runs it', () => {
  const t = target();
  const dir = mkdtempSync(join(tmpdir(), 'distributed-'));
  const script = join(dir, 'test.js');
  writeFileSync(script, SCRIPT);
  let env: NodeJS.ProcessEnv;
  const runners: ChildProcess[] = [];

  beforeAll(async () => {
    await new Promise<void>((r) => t.server.listen(0, '127.0.0.1', r));
    env = { ...process.env, TARGET: `http://127.0.0.1:${(t.server.address() as AddressInfo).port}` };
  });
  afterAll(async () => {
    for (const r of runners) if (r.exitCode === null) r.kill('SIGKILL');
    await new Promise((r) => t.server.close(r));
  });

  it('N paused runners with segments, started together, merge into exactly the totals of one process', async () => {
    // The initializer: archive, then inspect the archive.
    const archive = join(dir, 'test.js.archived.tar');
    const k6 = (args: string[]) =>
      spawnSync(process.execPath, [K6, ...args], { encoding: 'utf8', env, timeout: 180_000 });
    expect(k6(['archive', script, '-O', archive]).status).toBe(0);
    const inspected = k6(['inspect', '--execution-requirements', archive]);
    expect(inspected.status).toBe(0);
    const requirements = JSON.parse(inspected.stdout) as { maxVUs: number; totalDuration: string };
    expect(requirements.maxVUs).toBe(3 + 5 + 45 + 45);
    expect(requirements.maxVUs).toBeGreaterThanOrEqual(N);

    // The runners, with the operator's arguments in its order.
    const ports = await Promise.all(SEGMENTS.map(() => freePort()));
    const exits: Promise<number | null>[] = [];
    SEGMENTS.forEach((segment, k) => {
      const child = spawn(
        process.execPath,
        [
          K6,
          'run',
          '--quiet',
          `--execution-segment=${segment}`,
          `--execution-segment-sequence=${SEQUENCE}`,
          '--workers',
          '1',
          '--state-export',
          join(dir, `runner-${k + 1}`, 'run-state.json'),
          archive,
          `--address=127.0.0.1:${ports[k]}`,
          '--paused',
          '--tag',
          `instance_id=${k + 1}`,
          '--tag',
          'testrun_name=distributed',
          '--no-setup',
          '--no-teardown',
          '--linger',
        ],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr!.on('data', () => {});
      runners.push(child);
      exits.push(new Promise((r) => child.on('exit', (code) => r(code))));
    });
    for (const port of ports)
      await until('the runners to be ready', async () => (await api(port, 'GET', '/v1/status')).status === 200);
    for (const port of ports) expect((await api(port, 'GET', '/v1/status')).json.data.attributes.status).toBe(4);

    const setup = await api(ports[0], 'POST', '/v1/setup');
    expect(setup.json.data.attributes.data).toEqual({ n: 7 });
    for (const port of ports)
      expect((await api(port, 'PUT', '/v1/setup', JSON.stringify(setup.json.data.attributes.data))).status).toBe(200);
    const start = JSON.stringify({
      data: { attributes: { paused: false, stopped: false }, id: 'default', type: 'status' },
    });
    for (const port of ports) expect((await api(port, 'PATCH', '/v1/status', start)).status).toBe(200);
    for (const port of ports)
      await until('the runners to finish', async () => {
        const s = (await api(port, 'GET', '/v1/status')).json.data.attributes;
        return s.status === 9 && !s.running;
      });
    expect((await api(ports[0], 'POST', '/v1/teardown')).status).toBe(200);
    for (const r of runners) r.kill('SIGTERM');
    // Each instance judged its thresholds on its own third of the test (exit 99); the merge judges them again.
    expect(await Promise.all(exits)).toEqual([99, 99, 99]);

    // Every iteration of every scenario reached the target exactly once, and teardown once.
    for (const [scenario, n] of Object.entries(TOTALS))
      expect(
        [...(t.hits.get(scenario) ?? [])].sort((a, b) => a - b),
        scenario,
      ).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(t.teardowns()).toBe(1);

    const merged = join(dir, 'merged');
    const merge = cli(['merge', '--out', merged, ...SEGMENTS.map((_, k) => join(dir, `runner-${k + 1}`))], env);
    expect(merge.stderr).not.toMatch(/warning/);
    expect(merge.status, merge.stderr).toBe(0);
    const distributed = JSON.parse(readFileSync(join(merged, 'summary.json'), 'utf8')) as SummaryData;
    const partial = cli(['merge', '--out', join(dir, 'partial'), join(dir, 'runner-1'), join(dir, 'runner-2')], env);
    expect(partial.stderr).toMatch(/segment 2\/3:1 of 0,1\/3,2\/3,1 is missing/);
    expect(partial.status).toBe(99);

    // One process running the whole test.
    t.reset();
    const single = await cliAsync(
      ['run', '-q', '--workers', '1', '--state-export', join(dir, 'single', 'run-state.json'), script],
      env,
    );
    expect(single.status, single.stderr).toBe(0);
    const one = cli(['merge', '--out', join(dir, 'single-folder'), join(dir, 'single')], env);
    expect(one.status).toBe(0);
    const whole = JSON.parse(readFileSync(join(dir, 'single-folder', 'summary.json'), 'utf8')) as SummaryData;

    for (const scenario of Object.keys(TOTALS)) {
      const name = `iterations{scenario:${scenario}}`;
      expect(distributed.metrics[name].values.count).toBe(whole.metrics[name].values.count);
      expect(distributed.metrics[name].thresholds).toEqual(whole.metrics[name].thresholds);
      expect(Object.values(distributed.metrics[name].thresholds!).every((r) => r.ok)).toBe(true);
    }
    for (const metric of ['iterations', 'http_reqs', 'setup_n'])
      expect(distributed.metrics[metric].values.count, metric).toBe(whole.metrics[metric].values.count);
    // The same samples, merged from three instances' histograms: every statistic is the same.
    expect(distributed.metrics.iteration_index.values).toEqual(whole.metrics.iteration_index.values);
    expect(distributed.metrics.http_req_failed.values).toEqual(whole.metrics.http_req_failed.values);
    expect(distributed.metrics.vus_max.values.max).toBe(whole.metrics.vus_max.values.max);
  }, 300_000);
});
