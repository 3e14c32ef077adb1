// k6's `rps` over every VU and thread of a run: requests take turns 1/rps apart, and the wait for a turn
// is not part of a request's timings.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, runSource } from '../../testing/run-fixture.ts';

const server = createServer((_req, res) => res.end('ok'));
let base = '';
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => server.close());

describe('rps', () => {
  it('spaces the requests of all VUs on two threads 1/rps apart, outside their timings', async () => {
    const run = await runSource(
      `import http from 'k6/http';
export const options = { vus: 4, iterations: 21, rps: 20 };
export default function () { http.get(__ENV.BASE); }`,
      { env: { BASE: base }, workers: 2, noSummary: false },
    );
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'http_reqs', 'count')).toBe(21);
    // Four VUs share turns 50 ms apart: each waits about 200 ms an iteration (a few ms without the limit).
    expect(metricValue(run, 'iteration_duration', 'med')).toBeGreaterThanOrEqual(100);
    // An iteration waits for its turn; the request it then sends does not count that wait.
    expect(metricValue(run, 'http_req_duration', 'med')).toBeLessThan(
      metricValue(run, 'iteration_duration', 'med') / 2,
    );
  });

  it('refuses an rps that is not a whole number', async () => {
    const run = await runSource(`export const options = { rps: 2.5 };\nexport default function () {}`);
    expect(run.exitCode).toBe(104);
    expect(run.stderr).toContain('rps: expected a whole number of requests per second');
  });
});
