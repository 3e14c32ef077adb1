import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../metrics/metric.ts';
import { create } from './json.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'json-out-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tags = Object.freeze({ scenario: 'ctd', method: 'GET', status: '200' });
const samples: Sample[] = [
  { metric: 'http_reqs', value: 1, tags, time: Date.UTC(2021, 1, 24, 13, 37, 10) },
  { metric: 'http_req_duration', value: 12.5, tags, time: Date.UTC(2021, 1, 24, 13, 37, 10, 250) },
  { metric: 'http_reqs', value: 1, tags, time: Date.UTC(2021, 1, 24, 13, 37, 20) },
  { metric: 'ctd_accepted', value: 3, tags: { scenario: 'ctd' }, time: Date.UTC(2021, 1, 24, 13, 37, 30) },
];

const expected = [
  {
    type: 'Metric',
    data: { name: 'http_reqs', type: 'counter', contains: 'default', thresholds: ['count>0'], submetrics: null },
    metric: 'http_reqs',
  },
  { type: 'Point', data: { time: '2021-02-24T13:37:10Z', value: 1, tags }, metric: 'http_reqs' },
  {
    type: 'Metric',
    data: {
      name: 'http_req_duration',
      type: 'trend',
      contains: 'time',
      thresholds: [],
      submetrics: [{ name: 'http_req_duration{scenario:ctd}', suffix: 'scenario:ctd', tags: { scenario: 'ctd' } }],
    },
    metric: 'http_req_duration',
  },
  { type: 'Point', data: { time: '2021-02-24T13:37:10.25Z', value: 12.5, tags }, metric: 'http_req_duration' },
  { type: 'Point', data: { time: '2021-02-24T13:37:20Z', value: 1, tags }, metric: 'http_reqs' },
  {
    type: 'Metric',
    data: { name: 'ctd_accepted', type: 'counter', contains: 'default', thresholds: [], submetrics: null },
    metric: 'ctd_accepted',
  },
  {
    type: 'Point',
    data: { time: '2021-02-24T13:37:30Z', value: 3, tags: { scenario: 'ctd' } },
    metric: 'ctd_accepted',
  },
];

const params = (arg: string) => ({
  arg,
  env: {},
  testId: 't',
  metrics: (name: string) =>
    name === 'http_reqs'
      ? { name, type: 'counter' as const, contains: 'default' as const, thresholds: ['count>0'] }
      : name === 'http_req_duration'
        ? {
            name,
            type: 'trend' as const,
            contains: 'time' as const,
            submetrics: [
              { name: 'http_req_duration{scenario:ctd}', suffix: 'scenario:ctd', tags: { scenario: 'ctd' } },
            ],
          }
        : name === 'ctd_accepted'
          ? { name, type: 'counter' as const, contains: 'default' as const }
          : undefined,
});

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('json output', () => {
  it("writes k6's NDJSON: a Metric line on first sight, then Points", async () => {
    const file = path.join(dir, 'run.json');
    const out = create(params(file));
    expect(out.description).toBe(`json (${file})`);
    await out.start();
    out.addSamples(samples.slice(0, 2));
    out.addSamples(samples.slice(2));
    await out.stop();
    expect(lines(await readFile(file, 'utf8'))).toEqual(expected);
  });

  it('gzips when the file name ends in .gz', async () => {
    const file = path.join(dir, 'run.json.gz');
    const out = create(params(file));
    await out.start();
    out.addSamples(samples);
    await out.stop();
    expect(lines(gunzipSync(await readFile(file)).toString())).toEqual(expected);
  });

  it('fails to start with a clear error when the file cannot be written', async () => {
    const out = create(params(path.join(dir, 'missing-dir', 'run.json')));
    await expect(out.start()).rejects.toThrow(/json output: cannot write .*missing-dir/);
  });
});
