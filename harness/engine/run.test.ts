// The run lifecycle end to end: setup/teardown/handleSummary, thresholds and
// exit codes, globals, http against a real local server.
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes, runScript } from './run.ts';
import { metricValue, runSource, writeScript } from './testing/run-fixture.ts';

describe('thresholds and exit codes', () => {
  it('exits 99 when a threshold fails and reports each threshold in the summary', async () => {
    const run = await runSource(`
import { Counter } from 'k6/metrics';
const c = new Counter('things');
export const options = { iterations: 5, thresholds: { things: ['count>=5', 'count>5'], iteration_duration: ['p(95)<1000'] } };
export default function () { c.add(1); }`);
    expect(run.exitCode).toBe(exitCodes.thresholdsFailed);
    expect(run.summaryData!.metrics.things.thresholds).toEqual({ 'count>=5': { ok: true }, 'count>5': { ok: false } });
    expect(run.stderr).toMatch(/things: count>5/);
  });

  it('abortOnFail stops the test early with 99, after delayAbortEval', async () => {
    const run = await runSource(
      `
import { sleep } from 'k6';
import { Counter } from 'k6/metrics';
const errors = new Counter('errors');
export const options = { vus: 2, duration: '20s', thresholds: { errors: [{ threshold: 'count<1', abortOnFail: true, delayAbortEval: '1s' }] } };
export default async function () { errors.add(1); await sleep(0.05); }`,
      { flushMs: 200 },
    );
    expect(run.exitCode).toBe(exitCodes.thresholdsFailed);
    expect(run.summaryData!.state.testRunDurationMs).toBeGreaterThanOrEqual(1000);
    // Stopped before the 20 s the test would run.
    expect(run.summaryData!.state.testRunDurationMs).toBeLessThan(20_000);
  });

  it('exec.test.abort() exits 108; exec.test.fail() exits 110 after the full run', async () => {
    const aborted = await runSource(`
import exec from 'k6/execution';
export const options = { vus: 1, duration: '20s' };
export default async function () { if (exec.vu.iterationInScenario === 3) exec.test.abort('enough'); await new Promise((r) => setTimeout(r, 10)); }`);
    expect(aborted.exitCode).toBe(exitCodes.scriptAborted);
    expect(aborted.error).toMatch(/enough/);
    expect(metricValue(aborted, 'iterations', 'count')).toBe(3);
    const failed = await runSource(`
import exec from 'k6/execution';
export const options = { iterations: 2 };
export default function () { exec.test.fail('bad data'); }`);
    expect(failed.exitCode).toBe(exitCodes.testFailed);
    expect(metricValue(failed, 'iterations', 'count')).toBe(2);
  });

  it('exits 107 on script errors and 104 on invalid options', async () => {
    expect((await runSource(`throw new Error('broken init');\nexport default function () {}`)).exitCode).toBe(
      exitCodes.scriptException,
    );
    const missing = await runSource(`import x from 'k6/net/grpc';\nexport default function () {}`);
    expect(missing.exitCode).toBe(exitCodes.scriptException);
    expect(missing.error).toMatch(/not supported.*--engine k6/);
    const bad = await runSource(
      `export const options = { scenarios: { a: { executor: 'constant-vus', duration: 'soon' } } };\nexport default function () {}`,
    );
    expect(bad.exitCode).toBe(exitCodes.invalidConfig);
    expect(bad.error).toMatch(/not a duration/);
    const noExec = await runSource(
      `export const options = { scenarios: { a: { executor: 'shared-iterations', exec: 'nope' } } };\nexport default function () {}`,
    );
    expect([noExec.exitCode, noExec.error]).toEqual([
      exitCodes.invalidConfig,
      "scenario 'a': exec 'nope' is not an exported function",
    ]);
    const badThreshold = await runSource(
      `export const options = { thresholds: { http_reqs: ['p(95)<1'] } };\nexport default function () {}`,
    );
    expect(badThreshold.exitCode).toBe(exitCodes.invalidConfig);
    const setupThrows = await runSource(
      `export function setup() { throw new Error('no db'); }\nexport default function () {}`,
    );
    expect([setupThrows.exitCode, setupThrows.error]).toEqual([
      exitCodes.scriptException,
      expect.stringMatching(/setup\(\) failed: no db/),
    ]);
  });

  it('blocks the VU in sleep() as k6 does, and stops with a clear error for a sleep it cannot wait for', async () => {
    const blocking = await runSource(`
import { sleep } from 'k6';
export const options = { vus: 1, iterations: 2 };
export default function () { sleep(0.2); }`);
    expect(blocking.exitCode).toBe(0);
    expect(metricValue(blocking, 'iterations', 'count')).toBe(2);
    // The VU waited out its sleep (a Node timer may fire a fraction of a millisecond early).
    expect(metricValue(blocking, 'iteration_duration', 'min')).toBeGreaterThanOrEqual(195);
    const aliased = await runSource(`
import { sleep } from 'k6';
const nap = sleep;
export const options = { vus: 1, duration: '5s' };
export default function () { nap(1); }`);
    expect(aliased.exitCode).toBe(exitCodes.scriptException);
    expect(aliased.error).toMatch(/sleep\(\) was called through a reference/);
  });

  it('counts exceptions in iterations as errors and goes on', async () => {
    const run = await runSource(`
export const options = { iterations: 20 };
export default function () { throw new Error('flaky'); }`);
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'iterations', 'count')).toBe(20);
    expect(run.stderr.match(/ERRO flaky/g)?.length).toBeLessThanOrEqual(5);
  });
});

describe('lifecycle and summary', () => {
  it('passes setup data through JSON to VUs and teardown, and hands k6-shaped data to handleSummary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-summary-'));
    const file = join(dir, 'summary.json');
    const exported = join(dir, 'export.json');
    const run = await runSource(
      `
import { check, group } from 'k6';
import { textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';
export const options = { vus: 2, iterations: 6, thresholds: { checks: ['rate==1'] } };
export function setup() { return { when: new Date(0), n: 7 }; }
export default function (data) {
  group('outer', () => group('inner', () => check(data, { 'date became a string': (d) => d.when === '1970-01-01T00:00:00.000Z' })));
  check(data.n, { 'n is 7': (n) => n === 7 });
}
export function teardown(data) { if (data.n !== 7) throw new Error('teardown lost setup data'); }
export function handleSummary(data) {
  return { stdout: textSummary(data, { indent: ' ', enableColors: false }), ${JSON.stringify(file)}: JSON.stringify(data) };
}`,
      { summaryExport: exported, workers: 2 },
    );
    expect(run.exitCode).toBe(0);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(data).sort()).toEqual(['metrics', 'options', 'root_group', 'setup_data', 'state']);
    expect(data.setup_data).toEqual({ when: '1970-01-01T00:00:00.000Z', n: 7 });
    expect(data.root_group.checks).toEqual([
      { name: 'n is 7', path: '::n is 7', id: expect.stringMatching(/^[0-9a-f]{32}$/), passes: 6, fails: 0 },
    ]);
    const inner = data.root_group.groups[0].groups[0];
    expect([data.root_group.groups[0].name, inner.path, inner.checks[0].passes]).toEqual([
      'outer',
      '::outer::inner',
      6,
    ]);
    expect(data.metrics.checks).toEqual({
      type: 'rate',
      contains: 'default',
      values: { rate: 1, passes: 12, fails: 0 },
      thresholds: { 'rate==1': { ok: true } },
    });
    expect(data.metrics.iteration_duration.contains).toBe('time');
    expect(Object.keys(data.metrics.iteration_duration.values)).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    expect(data.options).toEqual({
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
      summaryTimeUnit: '',
      noColor: false,
    });
    expect(run.stdout).toMatch(/✓ checks\.+: 100\.00%/);
    expect(run.stdout).toMatch(/█ outer/);
    const exp = JSON.parse(readFileSync(exported, 'utf8'));
    expect(exp.metrics.checks).toEqual({ passes: 12, fails: 0, value: 1, thresholds: { 'rate==1': false } });
  });

  it("writes --summary-export in k6's legacy file shape: groups and checks keyed by name, flat metric values", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-export-'));
    const exported = join(dir, 'export.json');
    const run = await runSource(
      `
import { check, group } from 'k6';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
const things = new Counter('things');
const level = new Gauge('level');
const ok = new Rate('ok');
const wait = new Trend('wait', true);
export const options = {
  iterations: 4,
  thresholds: { things: ['count==4'], ok: ['rate>0.9'], 'wait{kind:a}': ['max<5'] },
};
export function setup() { return { n: 1 }; }
export default function () {
  group('g', () => check(1, { 'is one': (x) => x === 1, 'is two': (x) => x === 2 }));
  things.add(1);
  level.add(3);
  ok.add(true);
  wait.add(10, { kind: 'a' });
}`,
      { summaryExport: exported, workers: 1 },
    );
    expect(run.exitCode).toBe(exitCodes.thresholdsFailed);
    const text = readFileSync(exported, 'utf8');
    expect(text).toMatch(/^{\n {4}"/);
    const exp = JSON.parse(text);
    expect(Object.keys(exp).sort()).toEqual(['metrics', 'root_group', 'setup_data']);
    expect(exp.setup_data).toEqual({ n: 1 });
    const check = (name: string, passes: number, fails: number): unknown => ({
      name,
      path: `::g::${name}`,
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      passes,
      fails,
    });
    expect(exp.root_group).toEqual({
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: {
        g: {
          name: 'g',
          path: '::g',
          id: expect.stringMatching(/^[0-9a-f]{32}$/),
          groups: {},
          checks: { 'is one': check('is one', 4, 0), 'is two': check('is two', 0, 4) },
        },
        // As k6 does for a script that exports setup(), even with no check in it.
        setup: { name: 'setup', path: '::setup', id: expect.stringMatching(/^[0-9a-f]{32}$/), groups: {}, checks: {} },
      },
      checks: {},
    });
    const n = expect.any(Number);
    expect(exp.metrics.things).toEqual({ count: 4, rate: n, thresholds: { 'count==4': false } });
    expect(exp.metrics.level).toEqual({ value: 3, min: 3, max: 3 });
    expect(exp.metrics.ok).toEqual({ passes: 4, fails: 0, value: 1, thresholds: { 'rate>0.9': false } });
    expect(exp.metrics.checks).toEqual({ passes: 4, fails: 4, value: 0.5 });
    expect(exp.metrics['wait{kind:a}']).toEqual({
      avg: 10,
      min: 10,
      med: 10,
      max: 10,
      'p(90)': 10,
      'p(95)': 10,
      thresholds: { 'max<5': true },
    });
    expect(Object.keys(exp.metrics.iteration_duration)).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
  });

  it('writes no --summary-export with --no-summary, as k6', async () => {
    const exported = join(mkdtempSync(join(tmpdir(), 'engine-export-')), 'export.json');
    const run = await runSource(`export default function () {}`, { summaryExport: exported, noSummary: true });
    expect(run.exitCode).toBe(0);
    expect(existsSync(exported)).toBe(false);
  });

  it('takes K6_* variables over the script options and flags over them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-env-'));
    const exported = join(dir, 'export.json');
    const source = `
import { Counter } from 'k6/metrics';
const c = new Counter('things');
export const options = { vus: 1, iterations: 1, thresholds: { things: ['count<1'] } };
export default function () { c.add(1); }`;
    const systemEnv = { K6_ITERATIONS: '6', K6_VUS: '2', K6_NO_THRESHOLDS: 'true', K6_SUMMARY_EXPORT: exported };
    const byEnv = await runSource(source, { systemEnv, workers: 1 });
    expect(byEnv.exitCode).toBe(0);
    expect(metricValue(byEnv, 'iterations', 'count')).toBe(6);
    expect(metricValue(byEnv, 'vus_max', 'value')).toBe(2);
    expect(byEnv.summaryData!.metrics.things.thresholds).toBeUndefined();
    expect(JSON.parse(readFileSync(exported, 'utf8')).metrics.things.count).toBe(6);

    const byFlags = await runSource(source, {
      systemEnv: { ...systemEnv, K6_NO_SUMMARY: 'true' },
      overrides: { iterations: 3 },
      noThresholds: false,
      workers: 1,
    });
    expect(byFlags.exitCode).toBe(exitCodes.thresholdsFailed);
    expect(metricValue(byFlags, 'iterations', 'count')).toBe(3);
    expect(byFlags.stdout).toBe('');

    const bad = await runSource(source, { systemEnv: { K6_VUS: 'lots' } });
    expect([bad.exitCode, bad.error]).toEqual([exitCodes.invalidConfig, 'K6_VUS: expected a whole number, got "lots"']);
  });

  it('provides open() relative to the script, SharedArray, __ENV with -e and scenario env, __VU and __ITER', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-open-'));
    writeFileSync(join(dir, 'users.json'), JSON.stringify([{ name: 'a' }, { name: 'b' }]));
    const script = join(dir, 'script.js');
    writeFileSync(
      script,
      `
import { SharedArray } from 'k6/data';
import { check } from 'k6';
const users = new SharedArray('users', () => JSON.parse(open('./users.json')));
export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 2, env: { EXTRA: 'x' } } } };
export default function () {
  const u = users[__ITER % users.length];
  u.name = 'mutated';
  check(null, {
    'shared array is read fresh': () => users[0].name === 'a' && users.length === 2 && [...users].length === 2,
    'env from -e and scenario': () => __ENV.BASE === 'http://example' && __ENV.EXTRA === 'x',
    'vu numbers': () => __VU >= 1 && __VU <= 2,
  });
  try { open('./users.json'); } catch (e) { if (!/init context/.test(e.message)) throw e; return; }
  throw new Error('open() worked outside init');
}`,
    );
    const run = await runScript(script, { env: { BASE: 'http://example' }, quiet: true, noSummary: true, workers: 2 });
    expect(run.exitCode).toBe(0);
    expect(run.summaryData!.metrics.checks.values).toEqual({ rate: 1, passes: 12, fails: 0 });
  });

  it('tags later samples with exec.vu.metrics.tags and group(), which thresholds can select', async () => {
    const run = await runSource(`
import { check, group } from 'k6';
import exec from 'k6/execution';
export const options = { iterations: 3, thresholds: { 'checks{flow:b}': ['rate<1'], 'checks{group:::g}': ['rate==0'] } };
export default function () {
  check(1, { untagged: () => true });
  exec.vu.metrics.tags.flow = 'b';
  check(1, { tagged: () => true });
  group('g', () => check(1, { 'in group': () => false }));
}`);
    expect(run.exitCode).toBe(0);
    // VU tags stay set for the VU's later iterations, as in k6: from the second one on, 'untagged' carries flow=b too.
    expect(run.summaryData!.metrics['checks{flow:b}'].values).toEqual({ rate: 5 / 8, passes: 5, fails: 3 });
    expect(run.summaryData!.metrics['checks{group:::g}'].values).toEqual({ rate: 0, passes: 0, fails: 3 });
  });

  it('runs TypeScript scripts, as k6 does since v0.57', async () => {
    const file = writeScript(
      `import { check } from 'k6';
interface Declaration { lrn: string }
export const options = { iterations: 2 };
export default function (): void { const d: Declaration = { lrn: 'X1' }; check(d, { 'typed': (x: Declaration) => x.lrn === 'X1' }); }`,
      'script.ts',
    );
    const run = await runScript(file, { quiet: true, noSummary: true, workers: 1 });
    expect([run.exitCode, run.summaryData!.metrics.checks.values.passes]).toEqual([0, 2]);
  });

  it('merges metrics from worker threads exactly: same counts with 1 and 2 threads', async () => {
    const source = `
import { check } from 'k6';
import { Trend } from 'k6/metrics';
const t = new Trend('values');
export const options = { scenarios: { p: { executor: 'per-vu-iterations', vus: 4, iterations: 25 } } };
export default function () { const i = __ITER; t.add(i); check(i, { even: (x) => x % 2 === 0 }); }`;
    const one = await runSource(source, { workers: 1 });
    const two = await runSource(source, { workers: 2 });
    for (const run of [one, two]) {
      const v = run.summaryData!.metrics.values.values;
      expect([v.avg, v.min, v.max]).toEqual([12, 0, 24]);
      expect(Math.abs(v.med - 12)).toBeLessThanOrEqual(12 * 0.0005);
      expect(run.summaryData!.metrics.checks.values).toEqual({ rate: 0.52, passes: 52, fails: 48 });
    }
  });
});

// How close the measured latency comes to the server's delay is measured by bench/engine-accuracy.ts.
describe('http against a local server with a known delay', () => {
  let server: Server;
  let base: string;
  const DELAY_MS = 100;
  // Timers fire off their nominal delay (late under load, early by up to the event loop's cached time): the
  // delay the server really applied is measured on its side, from the request to the response's first write.
  const applied: number[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const start = performance.now();
      setTimeout(() => {
        if (req.url !== '/missing') applied.push(performance.now() - start);
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
        res.end('ok');
      }, DELAY_MS);
    });
    server.keepAliveTimeout = 30_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('runs teardown() with working http after the test was aborted', async () => {
    const run = await runSource(
      `
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
export const options = { vus: 1, duration: '10s' };
export default function () { exec.test.abort('stop here'); }
export async function teardown() {
  const r = await http.asyncRequest('GET', __ENV.BASE + '/');
  check(r, { 'teardown reached the server': (x) => x.status === 200 });
}`,
      { env: { BASE: base } },
    );
    expect(run.exitCode).toBe(exitCodes.scriptAborted);
    expect(run.summaryData!.root_group.groups).toEqual([
      expect.objectContaining({
        name: 'teardown',
        checks: [expect.objectContaining({ name: 'teardown reached the server', passes: 1, fails: 0 })],
      }),
    ]);
  });

  it('records every request with k6 tags and sub-metrics, never shorter than the delay the server applied', async () => {
    applied.length = 0;
    const run = await runSource(
      `
import http from 'k6/http';
import { check } from 'k6';
export const options = { scenarios: { load: { executor: 'constant-vus', vus: 10, duration: '1500ms' } },
  thresholds: { 'http_req_duration{status:200}': ['med<1000'], 'http_reqs{status:200}': ['count>0'], 'http_reqs{status:404}': ['count>0'] } };
export default async function () {
  const r = await http.asyncRequest('GET', __ENV.BASE + ((__VU + __ITER) % 10 === 9 ? '/missing' : '/'));
  check(r, { 'answered': (x) => x.status === 200 || x.status === 404 });
}`,
      { env: { BASE: base }, workers: 1 },
    );
    expect(run.exitCode).toBe(0);
    // Each request is on the wire before the server reads it and answered after the server's delay: no
    // measured duration can be shorter than the shortest delay the server applied.
    expect(metricValue(run, 'http_req_duration{status:200}', 'min')).toBeGreaterThanOrEqual(Math.min(...applied));
    const reqs = metricValue(run, 'http_reqs', 'count');
    expect(reqs).toBe(metricValue(run, 'iterations', 'count'));
    expect(metricValue(run, 'http_reqs{status:200}', 'count')).toBe(applied.length);
    expect(metricValue(run, 'http_reqs{status:404}', 'count')).toBeGreaterThan(0);
    expect(metricValue(run, 'http_req_failed', 'passes')).toBe(metricValue(run, 'http_reqs{status:404}', 'count'));
  });
});
