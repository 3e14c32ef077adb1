import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtin, type Sample } from '../metrics/metric.ts';
import { startReceiver, type Receiver, type ReceivedSeries } from '../../../test/support/remote-write-receiver.ts';
import { create, remoteWriteConfig, statSuffix } from './prometheus-rw.ts';

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const reqTags = Object.freeze({
  scenario: 'ctd',
  group: '',
  method: 'POST',
  name: 'POST /ctd',
  url: 'POST /ctd',
  status: '201',
  vu: '3',
  iter: '7',
});

function sample(metric: string, value: number, tags: Record<string, string> = reqTags, dt = 0): Sample {
  return { metric, value, tags, time: T0 + dt };
}

function find(series: ReceivedSeries[], name: string): ReceivedSeries[] {
  return series.filter((s) => s.labels.__name__ === name);
}

describe('Prometheus remote write output', () => {
  it('writes k6 series names, labels and values in a snappy protobuf WriteRequest', async () => {
    const out = create({
      env: {
        K6_PROMETHEUS_RW_SERVER_URL: receiver.url,
        K6_PROMETHEUS_RW_TREND_STATS: 'p(99),p(99.9),avg,med,min,max,count,sum',
        K6_PROMETHEUS_RW_BEARER_TOKEN: 'secret-token',
        K6_PROMETHEUS_RW_HEADERS_X_Scope_OrgID: 'corridor',
      },
      testId: 'run-42',
    });
    await out.start();
    const samples: Sample[] = [];
    for (let i = 1; i <= 100; i++) {
      samples.push(sample('http_reqs', 1, reqTags, i));
      samples.push(sample('http_req_duration', i, reqTags, i)); // 1..100 ms
      samples.push(sample('http_req_failed', i % 4 === 0 ? 1 : 0, reqTags, i));
    }
    samples.push(sample('vus', 5, { scenario: 'ctd' }, 50), sample('vus', 8, { scenario: 'ctd' }, 60));
    samples.push(sample('data_sent', 1024, { scenario: 'ctd', group: '' }, 70));
    out.addSamples(samples);
    await out.stop();

    expect(receiver.requests).toHaveLength(1);
    const { headers } = receiver.requests[0];
    expect(headers['content-encoding']).toBe('snappy');
    expect(headers['content-type']).toBe('application/x-protobuf');
    expect(headers['x-prometheus-remote-write-version']).toBe('0.1.0');
    expect(headers.authorization).toBe('Bearer secret-token');
    expect(headers['x_scope_orgid']).toBe('corridor');

    const series = receiver.series();
    const [reqs] = find(series, 'k6_http_reqs_total');
    expect(reqs.labels).toEqual({
      __name__: 'k6_http_reqs_total',
      scenario: 'ctd',
      method: 'POST',
      name: 'POST /ctd',
      url: 'POST /ctd',
      status: '201',
      testid: 'run-42',
    });
    expect(Object.keys(reqs.labels)).toEqual(Object.keys(reqs.labels).sort());
    expect(reqs.samples).toEqual([expect.objectContaining({ value: 100, timestamp: T0 + 100 })]);

    expect(find(series, 'k6_http_req_failed_rate')[0].samples[0].value).toBe(0.25);
    expect(find(series, 'k6_vus')[0].samples[0].value).toBe(8);
    expect(find(series, 'k6_data_sent_total')[0].samples[0].value).toBe(1024);

    const stat = (s: string) => find(series, `k6_http_req_duration_${s}`)[0]?.samples[0].value;
    expect(stat('p99')).toBeCloseTo(0.099, 3); // seconds
    expect(stat('p999')).toBeCloseTo(0.1, 3);
    expect(stat('avg')).toBeCloseTo(0.0505, 6);
    expect(stat('med')).toBeCloseTo(0.05, 3);
    expect(stat('min')).toBeCloseTo(0.001, 6);
    expect(stat('max')).toBeCloseTo(0.1, 6);
    expect(stat('count')).toBe(100);
    expect(stat('sum')).toBeCloseTo(5.05, 6);
  });

  it('sends only the series that changed since the last push, cumulatively', async () => {
    const out = create({
      env: { K6_PROMETHEUS_RW_SERVER_URL: receiver.url, K6_PROMETHEUS_RW_PUSH_INTERVAL: '100ms' },
      testId: 't',
    });
    await out.start();
    out.addSamples([sample('http_reqs', 1, reqTags, 1), sample('checks', 1, { check: 'status is 201' }, 1)]);
    await expect.poll(() => receiver.requests.length, { timeout: 3000 }).toBe(1);
    out.addSamples([sample('http_reqs', 1, reqTags, 2), sample('http_reqs', 1, reqTags, 3)]);
    await out.stop();
    expect(receiver.requests).toHaveLength(2);
    const second = receiver.requests[1].series;
    expect(second.map((s) => s.labels.__name__)).toEqual(['k6_http_reqs_total']);
    expect(second[0].samples[0]).toMatchObject({ value: 3, timestamp: T0 + 3 });
    expect(find(receiver.requests[0].series, 'k6_checks_rate')[0].labels.check).toBe('status is 201');
  });

  it('writes trends as native histograms when asked the way k6 is asked', async () => {
    const out = create({
      env: { K6_PROMETHEUS_RW_SERVER_URL: receiver.url, K6_FEATURES: 'native-histograms' },
      testId: 'nh',
    });
    await out.start();
    const values = [100, 100, 100, 250, 1500]; // ms
    out.addSamples(values.map((v, i) => sample('http_req_duration', v, reqTags, i)));
    out.addSamples([sample('data_received', 10, { scenario: 'ctd' })]);
    await out.stop();
    const series = receiver.series();
    expect(find(series, 'k6_http_req_duration_p99')).toHaveLength(0);
    const [h] = find(series, 'k6_http_req_duration_seconds');
    expect(h.samples).toHaveLength(0);
    const hist = h.histograms[0];
    expect(hist.schema).toBe(3);
    expect(hist.count).toBe(5);
    expect(hist.sum).toBeCloseTo(2.05, 9);
    // Rebuild absolute bucket counts from spans and deltas; check each value's bucket (base 2^(1/8)).
    const buckets = new Map<number, number>();
    let key = 0;
    let count = 0;
    let d = 0;
    hist.spans.forEach((span, i) => {
      key = i === 0 ? span.offset : key + span.offset + 1;
      for (let j = 0; j < span.length; j++, d++) {
        if (j > 0) key++;
        count += hist.deltas[d];
        buckets.set(key, count);
      }
    });
    for (const v of [0.1, 0.25, 1.5]) {
      const k = [...buckets.keys()].find((b) => 2 ** ((b - 1) / 8) < v && v <= 2 ** (b / 8));
      expect(k, `bucket of ${v}`).toBeDefined();
    }
    expect([...buckets.values()].sort()).toEqual([1, 1, 3]);
    expect(find(series, 'k6_data_received_total')[0].samples[0].value).toBe(10);
  });

  it('marks every series stale at the end when K6_PROMETHEUS_RW_STALE_MARKERS is set', async () => {
    const out = create({
      env: { K6_PROMETHEUS_RW_SERVER_URL: receiver.url, K6_PROMETHEUS_RW_STALE_MARKERS: 'true' },
      testId: 's',
    });
    await out.start();
    out.addSamples([sample('http_reqs', 1), sample('http_req_duration', 12)]);
    await out.stop();
    const last = receiver.requests.at(-1)!.series;
    expect(last.map((s) => s.labels.__name__).sort()).toEqual(['k6_http_req_duration_p99', 'k6_http_reqs_total']);
    for (const s of last) expect(s.samples[0].raw.toString('hex')).toBe('020000000000f07f');
  });

  it('names custom metrics from the engine registry and sanitises label names', async () => {
    const out = create({
      env: { K6_PROMETHEUS_RW_SERVER_URL: receiver.url },
      testId: 'c',
      metrics: (name) =>
        name === 'ctd_release_time'
          ? { name, type: 'trend', contains: 'time' }
          : name === 'unknown'
            ? undefined
            : builtin.http_reqs,
    });
    await out.start();
    out.addSamples([
      sample('ctd_release_time', 2000, { 'office-code': 'KZ001', testid: 'own-id' }),
      sample('unknown', 1, { scenario: 'x' }),
    ]);
    await out.stop();
    const [s] = receiver.series();
    expect(receiver.series()).toHaveLength(1);
    expect(s.labels).toEqual({ __name__: 'k6_ctd_release_time_p99', office_code: 'KZ001', testid: 'own-id' });
    expect(s.samples[0].value).toBeCloseTo(2, 2);
  });

  it('survives an unreachable endpoint and counts the failed push', async () => {
    await receiver.close();
    const out = create({ env: { K6_PROMETHEUS_RW_SERVER_URL: receiver.url }, testId: 'x' }) as ReturnType<
      typeof create
    > & {
      stats: { pushes: number; failures: number };
    };
    await out.start();
    out.addSamples([sample('http_reqs', 1)]);
    await out.stop();
    expect(out.stats).toEqual({ pushes: 1, failures: 1 });
    receiver = await startReceiver();
  });
});

describe('remote write configuration', () => {
  it('uses k6 defaults', () => {
    expect(remoteWriteConfig({})).toEqual({
      serverUrl: 'http://localhost:9090/api/v1/write',
      pushIntervalMs: 5000,
      trendStats: ['p(99)'],
      nativeHistograms: false,
      staleMarkers: false,
      insecureSkipTLSVerify: false,
      headers: {},
    });
  });

  it('reads k6 variables and rejects malformed ones', () => {
    const c = remoteWriteConfig({
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '1m30s',
      K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
      K6_PROMETHEUS_RW_USERNAME: 'u',
      K6_PROMETHEUS_RW_PASSWORD: 'p',
      K6_PROMETHEUS_RW_HTTP_HEADERS: 'X-A:1,X-B:2',
    });
    expect(c.pushIntervalMs).toBe(90_000);
    expect(c.nativeHistograms).toBe(true);
    expect(c.headers).toEqual({
      'X-A': '1',
      'X-B': '2',
      Authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
    });
    expect(() => remoteWriteConfig({ K6_PROMETHEUS_RW_TREND_STATS: 'p(99),mode' })).toThrow(/unsupported stat "mode"/);
    expect(() => remoteWriteConfig({ K6_PROMETHEUS_RW_PUSH_INTERVAL: 'soon' })).toThrow(/PUSH_INTERVAL/);
    expect(() => remoteWriteConfig({ K6_PROMETHEUS_RW_SERVER_URL: 'ftp://x' })).toThrow(/SERVER_URL/);
    expect(() => remoteWriteConfig({ K6_PROMETHEUS_RW_HTTP_HEADERS: 'broken' })).toThrow(/HTTP_HEADERS/);
    expect(statSuffix('p(99.9)')).toBe('p999');
    expect(statSuffix('p(0.95)')).toBe('p095');
  });
});
