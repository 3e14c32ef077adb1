// k6's REST API on a paused, lingering run, driven as the k6-operator drives its runners.
import { describe, expect, it } from 'vitest';
import { runSource } from '../testing/run-fixture.ts';

const script = `
import { Counter } from 'k6/metrics';
const got = new Counter('setup_n');
const tore = new Counter('teardown_n');
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 5 } } };
export function setup() { return { n: 1 }; }
export default function (data) { got.add(data.n); }
export function teardown(data) { tore.add(data.n); }
`;

async function call(base: string, method: string, path: string, body?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    body,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

describe("k6's REST API v1", () => {
  it('holds a paused run, takes setup data from outside, starts, reports and runs teardown while lingering', async () => {
    let listening!: (a: string) => void;
    const address = new Promise<string>((r) => (listening = r));
    const linger = new AbortController();
    const run = runSource(script, {
      workers: 1,
      address: '127.0.0.1:0',
      onApiListening: listening,
      paused: true,
      linger: true,
      noSetup: true,
      noTeardown: true,
      signal: linger.signal,
    });
    const base = `http://${await address}`;

    const before = await call(base, 'GET', '/v1/status');
    expect(before.body).toEqual({
      data: {
        type: 'status',
        id: 'default',
        attributes: { status: 4, paused: true, vus: 0, 'vus-max': 0, stopped: false, running: false, tainted: false },
      },
    });

    const bad = await call(base, 'PATCH', '/v1/status', '{"data": {"attributes": {"paused": "no"}}}');
    expect(bad.status).toBe(400);
    expect(bad.body!.errors[0]).toMatchObject({ status: '400', title: 'Invalid data' });
    expect((await call(base, 'GET', '/v1/status')).body!.data.attributes.paused).toBe(true);

    // The operator runs setup() on one runner and hands its data to every runner.
    const setup = await call(base, 'POST', '/v1/setup');
    expect(setup.body).toEqual({ data: { type: 'setupData', id: 'default', attributes: { data: { n: 1 } } } });
    const put = await call(base, 'PUT', '/v1/setup', '{"n": 2}');
    expect(put.body!.data.attributes.data).toEqual({ n: 2 });

    // Its starter's request, byte for byte (k6-operator v1.6.0 pkg/resources/containers/curl_start.go).
    const start = await call(
      base,
      'PATCH',
      '/v1/status',
      '{"data":{"attributes":{"paused":false,"stopped":false},"id":"default","type":"status"}}',
    );
    expect(start.status).toBe(200);
    expect(start.body!.data.attributes.paused).toBe(false);

    let ended = false;
    for (let i = 0; i < 600 && !ended; i++) {
      const s = (await call(base, 'GET', '/v1/status')).body!.data.attributes;
      ended = s.status === 9 && s.running === false;
      if (!ended) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ended).toBe(true);

    const metrics = (await call(base, 'GET', '/v1/metrics')).body!.data as {
      id: string;
      type: string;
      attributes: { type: string; contains: string; sample: Record<string, number> };
    }[];
    const byName = new Map(metrics.map((m) => [m.id, m]));
    expect(byName.get('iterations')).toMatchObject({
      type: 'metrics',
      attributes: { type: 'counter', contains: 'default', sample: { count: 5 } },
    });
    // Every VU got the data PUT in, not what this runner's own setup() returned.
    expect(byName.get('setup_n')!.attributes.sample.count).toBe(10);
    expect(Object.keys(byName.get('iteration_duration')!.attributes.sample).sort()).toEqual(
      ['avg', 'max', 'med', 'min', 'p(90)', 'p(95)'].sort(),
    );

    expect((await call(base, 'POST', '/v1/teardown')).status).toBe(200);
    expect(
      (await call(base, 'GET', '/v1/metrics')).body!.data.find((m: { id: string }) => m.id === 'teardown_n'),
    ).toMatchObject({ attributes: { sample: { count: 2 } } });

    linger.abort();
    const result = await run;
    expect(result.exitCode).toBe(0);
  });

  it('stops a paused run through PATCH stopped, with k6 exit code 103', async () => {
    let listening!: (a: string) => void;
    const address = new Promise<string>((r) => (listening = r));
    const run = runSource(script, { workers: 1, address: '127.0.0.1:0', onApiListening: listening, paused: true });
    const base = `http://${await address}`;
    const stopped = await call(base, 'PATCH', '/v1/status', '{"data":{"attributes":{"stopped":true}}}');
    expect(stopped.body!.data.attributes.stopped).toBe(true);
    expect((await run).exitCode).toBe(103);
  });
});
