// Test support: a real run folder from a real engine run against a loopback HTTP server
// that answers like a CATS node (CTD submissions, some rejected with a code), with an
// optional injected delay, so reports, comparisons and capacity are built from real data.
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { writeScript } from '../../engine/testing/run-fixture.ts';
import { runScript } from '../../engine/run.ts';
import { machineFacts } from '../../stress/run-facts.ts';
import { startSutSampler, type SutPart } from '../../stress/sut-sampler.ts';
import { SUT_FILE } from '../sut-file.ts';

export interface LoopbackNode {
  url: string;
  /** Delay before each answer, ms; may be changed while running. */
  delayMs: number;
  /** Extra delay per request currently in flight, ms: latency grows with load like a saturating server. */
  perInFlightMs: number;
  close(): Promise<void>;
}

export async function startLoopbackNode(delayMs = 0, perInFlightMs = 0): Promise<LoopbackNode> {
  let inFlight = 0;
  let seq = 0;
  const node: LoopbackNode = { url: '', delayMs, perInFlightMs, close: async () => {} };
  const server: Server = createServer((req, res) => {
    inFlight++;
    req.resume();
    req.on('end', () => {
      const n = ++seq;
      setTimeout(
        () => {
          inFlight--;
          // One CTD in twenty carries a defect the node rejects, as the generators' data sets do.
          const rejected = req.url === '/v1/declarations' && n % 20 === 0;
          res.writeHead(rejected ? 422 : req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify(
              rejected
                ? { code: 'INVALID_HS_CODE', message: 'HS code not in the nomenclature', errors: [] }
                : { mrn: `26GE${String(n).padStart(14, '0')}` },
            ),
          );
        },
        node.delayMs + inFlight * node.perInFlightMs,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  node.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  node.close = () => new Promise((resolve) => server.close(() => resolve()));
  return node;
}

/** A k6 script shaped like ctd-peak: CTD submissions at an arrival rate, officers listing and releasing. */
export const LOOPBACK_SCRIPT = `
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
const accepted = new Counter('ctd_accepted');
const rejected = new Counter('ctd_rejected');
const writtenOff = new Counter('movements_written_off');
const delivery = new Trend('ice_delivery_latency', true);
const stages = JSON.parse(__ENV.STAGES);
export const options = {
  scenarios: {
    ctd: { executor: 'ramping-arrival-rate', startRate: stages[0].target, timeUnit: '1s', preAllocatedVUs: 100, maxVUs: 300, stages, exec: 'submit' },
    officers: { executor: 'constant-vus', vus: 2, duration: __ENV.OFFICER_DURATION, exec: 'officer' },
  },
  thresholds: {
    'http_req_duration{operation:ctd_submit}': ['p(95)<250', 'p(99)<500'],
    'http_req_failed{operation:ctd_submit}': ['rate<0.1'],
    checks: ['rate>0.9'],
  },
};
export async function submit() {
  const res = await http.asyncRequest('POST', __ENV.BASE_URL + '/v1/declarations', '{"lrn":"x"}', { tags: { operation: 'ctd_submit', name: 'POST /v1/declarations' }, responseCallback: http.expectedStatuses(201, 422) });
  check(res, { 'answered': (r) => r.status === 201 || r.status === 422 });
  if (res.status !== 201) {
    rejected.add(1, { code: JSON.parse(res.body).code });
    return;
  }
  accepted.add(1, { decision: 'release' });
  const sent = Date.now();
  const rel = await http.asyncRequest('POST', __ENV.BASE_URL + '/v1/declarations/m/release', '{}', { tags: { operation: 'ctd_release', name: 'POST /v1/declarations/{mrn}/release' } });
  delivery.add(Date.now() - sent);
  if (rel.status === 201) {
    await http.asyncRequest('POST', __ENV.BASE_URL + '/v1/declarations/m/arrival', '{}', { tags: { operation: 'ctd_arrive', name: 'POST /v1/declarations/{mrn}/arrival' } });
    writtenOff.add(1);
  }
}
export async function officer() {
  await http.asyncRequest('GET', __ENV.BASE_URL + '/v1/declarations?state=submitted', null, { tags: { operation: 'ctd_list', name: 'GET /v1/declarations?state' } });
  await new Promise((r) => setTimeout(r, 200));
}
`;

export interface LoopbackRunOptions {
  /** Arrival-rate stages, e.g. [{target: 20, duration: '3s'}]. */
  stages: Array<{ target: number; duration: string }>;
  runId: string;
  /** The scenario name recorded in settings.json (default `loopback`). */
  scenario?: string;
  /** Parts whose /metrics are sampled into sut.ndjson during the run, as `cats-stress stress` does. */
  sut?: SutPart[];
}

/** Runs the script against `node` and writes a run folder like `cats-stress stress` does; returns its path. */
export async function loopbackRun(resultsDir: string, node: LoopbackNode, opts: LoopbackRunOptions): Promise<string> {
  const dir = path.join(resultsDir, opts.runId);
  await mkdir(dir, { recursive: true });
  const seconds = opts.stages.reduce((a, s) => a + Number.parseFloat(s.duration), 0);
  const sink = new PassThrough().resume();
  const startedAt = new Date().toISOString();
  const sampler = opts.sut && startSutSampler({ parts: opts.sut, file: path.join(dir, SUT_FILE) });
  const result = await runScript(writeScript(LOOPBACK_SCRIPT), {
    env: { BASE_URL: node.url, STAGES: JSON.stringify(opts.stages), OFFICER_DURATION: `${seconds}s` },
    outputs: [`timeseries=${path.join(dir, 'timeseries.ndjson')}`],
    overrides: {
      tags: { testid: opts.runId },
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    },
    workers: 1,
    quiet: true,
    noSummary: true,
    stdout: sink,
    stderr: sink,
  }).finally(() => sampler?.stop());
  if (!result.summaryData) throw new Error(`loopback run failed: exit ${result.exitCode} ${result.error ?? ''}`);
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  await writeFile(path.join(dir, 'summary.json'), json(result.summaryData));
  await writeFile(
    path.join(dir, 'settings.json'),
    json({
      runId: opts.runId,
      scenario: opts.scenario ?? 'loopback',
      stages: opts.stages,
      countries: ['GE', 'AZ', 'KZ'],
      dataset: { year: 2026 },
      startedAt,
      finishedAt: new Date().toISOString(),
      exitCode: result.exitCode,
    }),
  );
  await writeFile(path.join(dir, 'machine.json'), json(machineFacts()));
  return dir;
}
