// k6 scripts written against the blocking API (testing/sync-corpus/) run unchanged on the engine, with k6's
// counts of iterations, requests, checks and groups.
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes, runScript, type RunScriptOptions } from './run.ts';
import { metricValue } from './testing/run-fixture.ts';

const corpus = fileURLToPath(new URL('./testing/sync-corpus/', import.meta.url));

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

const PORTAL = `<!DOCTYPE html><html><head><title>Movements</title></head><body>
<table class="movements"><tbody>${[0, 1, 2].map((i) => `<tr><td><a href="/movements/${i}">M${i}</a></td></tr>`).join('')}</tbody></table>
<form id="lodge" method="post" action="/lodge"><input type="hidden" name="_csrf" value="csrf-7">
<input name="lrn"><select name="office"><option value="GE000101" selected>Tbilisi</option></select>
<input type="submit" value="Lodge"></form></body></html>`;

let server: Server;
let base: string;
let seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    const text = await body(req);
    seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: text });
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (path === '/portal') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(PORTAL);
    }
    const movement = /^\/movements\/(\d)$/.exec(path);
    if (movement) return res.end(`<html><body><h1>Movement ${movement[1]}</h1></body></html>`);
    if (path === '/lodge' && req.method === 'POST') {
      const form = new URLSearchParams(text);
      if (form.get('_csrf') !== 'csrf-7') return json(403, { error: 'token' });
      return json(201, { lrn: form.get('lrn'), office: form.get('office') });
    }
    if (path === '/login') return json(200, { token: `token-${JSON.parse(text || '{}').user}` });
    if (path === '/items') return json(200, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    const item = /^\/items\/(\d+)$/.exec(path);
    if (item) {
      if (!req.headers.authorization?.startsWith('Bearer token-')) return json(401, { error: 'no token' });
      return json(200, { id: Number(item[1]) });
    }
    const slow = /^\/slow\/(\d+)$/.exec(path);
    if (slow) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, Number(slow[1])));
      inFlight--;
    }
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => server.close());

beforeEach(() => {
  seen = [];
  inFlight = 0;
  maxInFlight = 0;
});

interface CorpusRun extends Awaited<ReturnType<typeof runScript>> {
  stderr: string;
  /** group_duration samples per group, from the JSON output. */
  groups: Record<string, number>;
}

async function run(script: string, opts: RunScriptOptions = {}): Promise<CorpusRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stdout.resume();
  stderr.on('data', (d) => (err += d));
  const out = join(mkdtempSync(join(tmpdir(), 'sync-corpus-')), 'samples.json');
  const result = await runScript(join(corpus, script), {
    quiet: true,
    workers: 2,
    env: { BASE: base },
    outputs: [`json=${out}`],
    ...opts,
    stdout,
    stderr,
  });
  const groups: Record<string, number> = {};
  let lines: string[] = [];
  try {
    lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
  } catch {
    // No output file: the script did not load.
  }
  for (const line of lines) {
    const p = JSON.parse(line) as { type: string; metric: string; data: { tags?: Record<string, string> } };
    if (p.type === 'Point' && p.metric === 'group_duration') {
      const g = p.data.tags?.group ?? '';
      groups[g] = (groups[g] ?? 0) + 1;
    }
  }
  return { ...result, stderr: err, groups };
}

/** Script errors in the log (a warning about the machine's load is not one). */
const errors = (stderr: string): string[] => stderr.split('\n').filter((l) => /^(ERRO|error)/.test(l));

const count = (pred: (s: Seen) => boolean): number => seen.filter(pred).length;

describe('synchronous k6 scripts on the engine', () => {
  it('logs in, then browses with nested groups, checks and helpers from an imported module', async () => {
    const r = await run('login-browse.js');
    expect(errors(r.stderr)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(metricValue(r, 'iterations', 'count')).toBe(12);
    expect(metricValue(r, 'http_reqs', 'count')).toBe(12 * 5);
    expect(count((s) => s.path === '/login')).toBe(12);
    for (const vu of [1, 2, 3]) expect(count((s) => s.body.includes(`"user${vu}"`))).toBe(4);
    // Every item request carried the token its VU's login returned.
    expect(count((s) => /^\/items\/\d$/.test(s.path) && /^Bearer token-user\d$/.test(s.authorization ?? ''))).toBe(36);
    expect(metricValue(r, 'checks', 'passes')).toBe(12 + 12 + 36);
    expect(metricValue(r, 'checks', 'fails')).toBe(0);
    expect(r.groups).toEqual({ '::login': 12, '::browse': 12, '::browse::details': 36 });
    const browse = r.summaryData!.root_group.groups.find((g) => g.name === 'browse')!;
    expect(browse.groups.map((g) => [g.path, g.checks.map((c) => [c.name, c.passes, c.fails])])).toEqual([
      ['::browse::details', [['item ok', 36, 0]]],
    ]);
    expect(browse.checks.map((c) => [c.name, c.passes])).toEqual([['three items', 12]]);
    expect(r.summaryData!.metrics['checks{check:item ok}'].thresholds).toEqual({ 'rate==1': { ok: true } });
  });

  it('reads pages with res.html(), follows links and submits forms with their hidden fields', async () => {
    const r = await run('portal-forms.js');
    expect(errors(r.stderr)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(metricValue(r, 'http_reqs', 'count')).toBe(6 * 3);
    expect(count((s) => /^\/movements\/\d$/.test(s.path))).toBe(6);
    const lodged = seen.filter((s) => s.path === '/lodge').map((s) => s.body);
    expect(lodged.sort()).toEqual(
      ['1-0', '1-1', '1-2', '2-0', '2-1', '2-2'].map((n) => `_csrf=csrf-7&lrn=LRN-${n}&office=GE000101`),
    );
    expect(metricValue(r, 'checks', 'passes')).toBe(6 * 4);
    expect(metricValue(r, 'checks', 'fails')).toBe(0);
    expect(r.groups).toEqual({ '::open': 6, '::movement': 6, '::lodge': 6 });
  });

  it('sends a batch in parallel, at most batchPerHost at once, and answers in the shape it was given', async () => {
    const r = await run('batch.js');
    expect(errors(r.stderr)).toEqual([]);
    expect(metricValue(r, 'http_reqs', 'count')).toBe(12);
    expect(count((s) => s.path === '/slow/150')).toBe(8);
    expect(count((s) => s.path === '/slow/150' && s.method === 'POST' && s.body === 'x')).toBe(2);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(metricValue(r, 'checks', 'passes')).toBe(4);
    // Four requests three at a time: two waves of the server's delay, never less.
    expect(metricValue(r, 'iteration_duration', 'min')).toBeGreaterThanOrEqual(300);
  });

  it('loops over a CSV SharedArray, each iteration as the next user', async () => {
    const r = await run('csv-users.js');
    expect(errors(r.stderr)).toEqual([]);
    const users = seen.map((s) => JSON.parse(s.body) as { user: string; password: string });
    expect(users.map((u) => u.user).sort()).toEqual(['alice', 'alice', 'bob', 'bob', 'carol', 'carol']);
    expect(users.every((u) => u.password === `${u.user[0]}-pass`)).toBe(true);
    expect(metricValue(r, 'checks', 'passes')).toBe(6);
  });

  it('evaluates thresholds on group and tag sub-metrics', async () => {
    const r = await run('thresholds.js');
    expect(r.exitCode).toBe(exitCodes.thresholdsFailed);
    const m = r.summaryData!.metrics;
    expect(m['http_req_duration{group:::slow}'].thresholds).toEqual({ 'min>=50': { ok: true } });
    expect(m['checks{group:::slow}'].thresholds).toEqual({ 'rate==1': { ok: true } });
    expect(m['http_reqs{kind:fast}'].thresholds).toEqual({ 'count==6': { ok: true } });
    expect(m['http_reqs{kind:never}'].thresholds).toEqual({ 'count>0': { ok: false } });
    expect(r.groups).toEqual({ '::slow': 3 });
  });

  it('passes setup() data to every VU; map() callbacks and class methods block', async () => {
    const r = await run('setup-data.js');
    expect(errors(r.stderr)).toEqual([]);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/login' });
    expect(count((s) => /^\/items\/[12]$/.test(s.path) && s.authorization === 'Bearer token-setup')).toBe(8);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/logout', body: 'token-setup' });
    expect(metricValue(r, 'checks', 'passes')).toBe(4 + 1);
    // As in k6, setup() and teardown() run in groups of their own, in the tree even with no check inside.
    const lifecycle = r.summaryData!.root_group.groups.map((g) => [g.path, g.checks.map((c) => [c.name, c.passes])]);
    expect(lifecycle.sort()).toEqual([
      ['::setup', [['logged in', 1]]],
      ['::teardown', []],
    ]);
  });

  it('builds paths from __VU and __ITER', async () => {
    const r = await run('vu-iter.js');
    expect(errors(r.stderr)).toEqual([]);
    expect(seen.map((s) => s.path).sort()).toEqual(
      ['/vu/1/iter/0', '/vu/1/iter/1', '/vu/1/iter/2', '/vu/2/iter/0', '/vu/2/iter/1', '/vu/2/iter/2'].sort(),
    );
  });

  it('ends an iteration that throws where it threw, naming the script line, and goes on', async () => {
    const r = await run('throws.js', { workers: 1 });
    expect(r.exitCode).toBe(0);
    expect(count((s) => s.path.startsWith('/before/'))).toBe(6);
    expect(seen.filter((s) => s.path.startsWith('/after/')).map((s) => s.path)).toEqual([
      '/after/0',
      '/after/1',
      '/after/3',
      '/after/4',
    ]);
    expect(metricValue(r, 'iterations', 'count')).toBe(6);
    expect(r.stderr).toContain('bad iteration 2');
    expect(r.stderr).toContain('bad iteration 5');
    // The original line and column, as V8 reports them for the unchanged script.
    expect(r.stderr).toContain(`${join(corpus, 'throws.js')}:8:31`);
  });

  it('mixes async and blocking forms in one script', async () => {
    const r = await run('mixed.js');
    expect(errors(r.stderr)).toEqual([]);
    expect(metricValue(r, 'http_reqs', 'count')).toBe(12);
    expect(metricValue(r, 'checks', 'passes')).toBe(4);
  });

  it('gives every VU its own module state, init code run with its __VU', async () => {
    const r = await run('vu-state.js');
    expect(errors(r.stderr)).toEqual([]);
    expect(r.exitCode).toBe(0);
    // Each of 3 VUs counts 1 + 2 + 3 + 4 with its own counter; one counter shared by all would reach 1 + … + 12.
    expect(metricValue(r, 'seen', 'count')).toBe(3 * 10);
    expect(r.summaryData!.metrics.wrong.values.count).toBe(0);
    // No request made, yet data_sent and data_received are reported, at zero, as k6 reports them.
    expect(metricValue(r, 'data_sent', 'count')).toBe(0);
    expect(metricValue(r, 'data_received', 'count')).toBe(0);
  });

  it.each([
    ['getter.js', 5, 'inside a getter'],
    ['timer.js', 5, 'inside a callback passed to setTimeout()'],
    ['constructor.js', 5, 'inside a constructor'],
  ])('refuses %s with the file, line and column of the blocking call', async (script, line, where) => {
    const r = await run(`refused/${script}`);
    expect(r.exitCode).toBe(exitCodes.scriptException);
    expect(r.error).toContain(`${join(corpus, 'refused', script)}:${line}:`);
    expect(r.error).toContain(where);
    expect(seen).toHaveLength(0);
  });
});
