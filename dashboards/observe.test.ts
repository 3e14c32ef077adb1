// `cats-stress observe` as a user runs it: Prometheus comes up on loopback,
// scrapes what the deployment file lists, follows the file when it changes,
// takes remote write, and goes away on Ctrl-C.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import client from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create as remoteWriteOutput } from '../harness/engine/output/prometheus-rw.ts';
import { prometheusForTests } from './testing/prometheus-for-tests.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = prometheusForTests('dashboards/observe.test.ts');

/** A tiny prom-client server standing in for a node: one counter, labelled with its country. */
async function metricsServer(country: string): Promise<{ url: string; close(): Promise<void> }> {
  const registry = new client.Registry();
  registry.setDefaultLabels({ country });
  new client.Counter({
    name: 'cats_declarations_total',
    help: 'CTDs',
    labelNames: ['outcome'],
    registers: [registry],
  }).inc({ outcome: 'released' }, 3);
  const server = http.createServer(async (req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function instant(
  base: string,
  query: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as {
    data: { result: any[] };
  };
  return res.data.result;
}

describe.skipIf(!binary)('cats-stress observe', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let prometheusUrl = '';
  const servers: Array<{ url: string; close(): Promise<void> }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cats-observe-'));
    servers.push(await metricsServer('GE'), await metricsServer('AZ'));
    await writeFile(path.join(dir, 'deployment.json'), JSON.stringify({ nodes: { GE: { url: servers[0]!.url } } }));
    child = spawn(
      process.execPath,
      [
        path.join(root, 'bin/cats-stress.js'),
        'observe',
        '--deployment',
        path.join(dir, 'deployment.json'),
        '--port',
        '0',
        '--data-dir',
        path.join(dir, 'prom'),
        '--scrape-interval',
        '1s',
      ],
      { cwd: root },
    );
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    const deadline = Date.now() + 30_000;
    while (!output.includes('remote write:') && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    if (!output.includes('remote write:')) throw new Error(`cats-stress observe did not start:\n${output}`);
    prometheusUrl = /Prometheus (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
  }, 60_000);

  afterAll(async () => {
    // Ctrl-C first, so the command stops its Prometheus; SIGKILL only if it hangs.
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    for (const s of servers) await s.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback only and scrapes the node the deployment lists, under its country', async () => {
    expect(prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(output).toContain(`scraping GE ${servers[0]!.url.slice(7)}`);
    await expect
      .poll(
        async () =>
          (await instant(prometheusUrl, 'cats_declarations_total')).map((r) => [
            r.metric.country,
            r.metric.job,
            r.value[1],
          ]),
        { timeout: 15_000, interval: 500 },
      )
      .toEqual([['GE', 'cats-node', '3']]);
  }, 20_000);

  it("takes remote write from the engine's Prometheus output", async () => {
    const out = remoteWriteOutput({
      env: { K6_PROMETHEUS_RW_SERVER_URL: `${prometheusUrl}/api/v1/write` },
      testId: 'observe-test',
    });
    await out.start();
    out.addSamples([{ metric: 'http_reqs', value: 1, tags: { scenario: 'default' }, time: Date.now() }]);
    await out.stop();
    const result = await instant(prometheusUrl, 'k6_http_reqs_total{testid="observe-test"}');
    expect(result.map((r) => [r.metric.scenario, r.value[1]])).toEqual([['default', '1']]);
  });

  it('follows the deployment file when a node is added', async () => {
    await writeFile(
      path.join(dir, 'deployment.json'),
      JSON.stringify({ nodes: { GE: { url: servers[0]!.url }, AZ: { url: servers[1]!.url } } }),
    );
    await expect.poll(() => output, { timeout: 10_000 }).toContain('deployment changed: now scraping AZ');
    await expect
      .poll(async () => (await instant(prometheusUrl, 'cats_declarations_total')).map((r) => r.metric.country).sort(), {
        timeout: 15_000,
        interval: 500,
      })
      .toEqual(['AZ', 'GE']);
  }, 30_000);

  it('keeps the previous targets when the file turns invalid, and stops cleanly on Ctrl-C', async () => {
    await writeFile(path.join(dir, 'deployment.json'), '{"nodes": {}}');
    await expect.poll(() => output, { timeout: 10_000 }).toContain('kept the previous targets');
    const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGINT');
    expect(await code).toBe(0);
    await expect(fetch(`${prometheusUrl}/-/ready`)).rejects.toThrow();
  }, 30_000);
});
