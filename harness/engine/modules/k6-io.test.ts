// k6 scripts using http, websockets, encoding and crypto run on the engine, with json and remote write outputs.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startReceiver, type Receiver } from '../../../test/support/remote-write-receiver.ts';
import { metricValue, runSource } from '../testing/run-fixture.ts';

let http: Server;
let wss: WebSocketServer;
let receiver: Receiver;
let base: string;
let wsBase: string;

beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url === '/ctd') {
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ mrn: '24KZ000246J8NY33L7', status: 'ACCEPTED' }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wsBase = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  receiver = await startReceiver();
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await new Promise((resolve) => wss.close(resolve));
  await receiver.close();
});

const script = `
import http from 'k6/http';
import { check } from 'k6';
import { WebSocket } from 'k6/experimental/websockets';
import encoding from 'k6/encoding';
import { hmac } from 'k6/crypto';

export const options = {
  scenarios: {
    ctd: { executor: 'per-vu-iterations', vus: 2, iterations: 5, exec: 'submit' },
    ice: { executor: 'per-vu-iterations', vus: 1, iterations: 2, exec: 'listen' },
  },
  thresholds: { 'http_req_duration{scenario:ctd}': ['p(95)<2000'], checks: ['rate==1'] },
};

export async function submit() {
  const body = JSON.stringify({ lrn: 'LRN-' + __VU + '-' + __ITER });
  const signature = hmac('sha256', 'node-key', body, 'hex');
  const res = await http.asyncRequest('POST', __ENV.BASE + '/ctd', body, {
    headers: { 'Content-Type': 'application/json', 'X-Signature': signature, Authorization: 'Basic ' + encoding.b64encode('op:pw') },
    tags: { name: 'POST /ctd' },
  });
  check(res, { 'accepted': (r) => r.status === 201 && r.json('status') === 'ACCEPTED' });
  const missing = await http.asyncRequest('GET', __ENV.BASE + '/missing', null, { responseCallback: http.expectedStatuses(404) });
  check(missing, { 'missing is 404': (r) => r.status === 404 });
}

export function listen() {
  const ws = new WebSocket(__ENV.WS + '/ice');
  let echoes = 0;
  ws.onopen = () => { ws.send('IE029'); ws.send('IE015'); };
  ws.onmessage = (e) => {
    echoes++;
    if (echoes === 2) ws.close();
  };
  ws.onclose = () => check(echoes, { 'both echoed': (n) => n === 2 });
}
`;

describe('k6 I/O modules on the engine', () => {
  it('runs an http + websocket script with k6 metrics, json and remote write outputs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k6-io-'));
    const json = path.join(dir, 'out.json');
    const run = await runSource(script, {
      env: { BASE: base, WS: wsBase, K6_PROMETHEUS_RW_SERVER_URL: receiver.url },
      outputs: [`json=${json}`, 'experimental-prometheus-rw'],
      workers: 1,
      noSummary: true,
    });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'http_reqs', 'count')).toBe(20);
    expect(metricValue(run, 'http_req_failed', 'rate')).toBe(0);
    expect(metricValue(run, 'checks', 'rate')).toBe(1);
    expect(metricValue(run, 'ws_sessions', 'count')).toBe(2);
    expect(metricValue(run, 'ws_msgs_sent', 'count')).toBe(4);
    expect(metricValue(run, 'ws_msgs_received', 'count')).toBe(4);
    // Each ws iteration lasts until its socket closed, so both sessions fit in the iterations.
    expect(metricValue(run, 'iterations', 'count')).toBe(12);

    const lines = readFileSync(json, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const reqPoints = lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs');
    expect(reqPoints).toHaveLength(20);
    expect(reqPoints[0].data.tags).toMatchObject({ scenario: 'ctd', testid: expect.stringMatching(/^run-/) });
    const durationMeta = lines.find((l) => l.type === 'Metric' && l.metric === 'http_req_duration');
    expect(durationMeta.data).toMatchObject({ type: 'trend', contains: 'time', thresholds: ['p(95)<2000'] });
    expect(durationMeta.data.submetrics[0].tags).toEqual({ scenario: 'ctd' });

    const series = receiver.series();
    const posts = series.filter((s) => s.labels.__name__ === 'k6_http_reqs_total' && s.labels.name === 'POST /ctd');
    expect(posts.at(-1)?.samples[0].value).toBe(10);
    expect(posts.at(-1)?.labels).toMatchObject({
      scenario: 'ctd',
      method: 'POST',
      status: '201',
      testid: reqPoints[0].data.tags.testid,
    });
    expect(series.some((s) => s.labels.__name__ === 'k6_ws_sessions_total')).toBe(true);
    expect(series.some((s) => s.labels.__name__ === 'k6_iteration_duration_p99')).toBe(true);
  });

  it('runs the blocking http form as k6 does, and refuses one called through a reference', async () => {
    const run = await runSource(
      `import http from 'k6/http';
       export const options = { iterations: 2 };
       export default function () { const r = http.get(__ENV.BASE + '/ctd'); if (r.status !== 201) throw new Error('status ' + r.status); }`,
      { env: { BASE: base }, workers: 1, noSummary: true },
    );
    expect(run.stderr).not.toContain('ERRO');
    expect(metricValue(run, 'http_reqs', 'count')).toBe(2);
    const aliased = await runSource(
      `import http from 'k6/http';
       export const options = { iterations: 1 };
       const fetch = http.get;
       export default function () { fetch(__ENV.BASE + '/ctd'); }`,
      { env: { BASE: base }, workers: 1, noSummary: true },
    );
    expect(aliased.stderr).toContain(
      "http.get() was called through a reference the engine cannot follow, so it cannot wait for the response: call it as http.get(…) directly, or use await http.asyncRequest('GET', url, null, params)",
    );
    expect(metricValue(aliased, 'http_reqs', 'count')).toBeNaN();
  });
});
