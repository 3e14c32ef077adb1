// The main job end to end in its shortest form, as a user runs it: a child
// process that brings the reference up, generates and seeds a data set, runs
// ctd-peak, writes the results folder, prints the verdict and tears down.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sutLodgingQuantile } from '../report/ab-comparison.ts';
import { stressCli } from '../testing/stress-cli.ts';

let resultsRoot: string;
let stateDir: string;

beforeAll(async () => {
  resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-results-'));
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-state-'));
});

afterAll(async () => {
  for (const dir of [resultsRoot, stateDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const stress = (args: string[]) => stressCli({ results: resultsRoot, state: stateDir }, args);

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('cats-stress stress', () => {
  it('runs ctd-peak against the reference with ICE, writes the results folder and leaves nothing running', async () => {
    const { code, stdout, stderr } = await stress([
      '--countries',
      'KZ,AZ',
      '--duration',
      '3s',
      '--rate',
      '10',
      '-e',
      'THINK=0.1',
      '-e',
      'OFFICERS=1',
      '-e',
      'SLO_P95_MS=2000',
      '-e',
      'SLO_P99_MS=4000',
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^PASS {2}ctd-peak: \d+\/\d+ SLO thresholds met/m);
    expect(stdout).toMatch(/peak rate +[\d.]+ CTDs\/s held for \d+ s against a target of 10\/s/);
    // Releases at KZ send anticipated records to AZ through ICE while the load runs.
    expect(stdout).toMatch(/ICE traffic +[1-9][\d,]* C2C messages stored, [1-9][\d,]* delivered/);
    for (const s of [
      'generating the data set',
      'starting the reference',
      'running ctd-peak',
      'bringing the reference down',
    ])
      expect(stderr).toContain(s);

    const [runId] = await readdir(resultsRoot);
    const dir = path.join(resultsRoot, runId!);
    const json = async (f: string) => JSON.parse(await readFile(path.join(dir, f), 'utf8'));
    const summary = await json('summary.json');
    expect(summary.metrics.ctd_accepted.values.count).toBeGreaterThan(0);
    expect(summary.metrics['http_req_duration{operation:ctd_submit}'].thresholds).toBeDefined();
    const settings = await json('settings.json');
    expect(settings).toMatchObject({ runId, scenario: 'ctd-peak', rate: 10, countries: ['KZ', 'AZ'], exitCode: 0 });
    expect((await json('dataset-manifest.json')).counts.ctds).toBe(settings.dataset.movements);
    expect((await json('machine.json')).cpus).toBeGreaterThan(0);
    expect(await json('revision.json')).toHaveProperty('commit');
    expect(existsSync(path.join(dir, 'timeseries.ndjson'))).toBe(true);
    expect(existsSync(path.join(dir, 'dataset')), 'bulky NDJSON removed without --keep-data').toBe(false);

    for (const log of ['supervisor.log', 'ice.log', 'node-KZ.log', 'node-AZ.log'])
      expect(existsSync(path.join(dir, 'sut', log)), log).toBe(true);
    // Each part's own resource use, sampled from its /metrics while the load ran: separate processes, each with its CPU and memory.
    const sut = (await readFile(path.join(dir, 'sut.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const part of ['node KZ', 'node AZ', 'ICE']) {
      const mine = sut.filter((l) => l.part === part && !l.gap);
      expect(mine.length, part).toBeGreaterThanOrEqual(2);
      expect(Math.max(...mine.map((l) => l.cpuCores ?? 0)), part).toBeGreaterThan(0);
      expect(
        mine.every((l) => l.rssBytes > 20 * 2 ** 20),
        part,
      ).toBe(true);
    }
    // The nodes time each lodging they accept: all but those of the last second before the sampler stopped.
    const lodged = sut.reduce((a, l) => a + (l.lodged ?? 0), 0);
    const accepted = summary.metrics.ctd_accepted.values.count;
    expect(lodged).toBeGreaterThan(0);
    expect(lodged).toBeLessThanOrEqual(accepted);
    expect(accepted - lodged).toBeLessThanOrEqual(2 * 10);
    expect(sut.filter((l) => l.part === 'ICE').every((l) => l.lodged === undefined)).toBe(true);
    // The same lodgings in the nodes' finer histogram, from which perf-ci reads the median lodging time.
    const inBuckets = sut.reduce((a, l) => a + (l.lodgingBuckets?.['+Inf'] ?? 0), 0);
    expect(inBuckets).toBe(lodged);
    const median = sutLodgingQuantile(sut, 0.5)!;
    expect(median.count).toBe(lodged);
    expect(median.seconds).toBeGreaterThan(0);
    expect(median.seconds).toBeLessThan(0.25);
    expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toContain('<h2>System under test</h2>');

    // Torn down: ICE and the nodes no longer listen, the credentials file is gone.
    const endpoints = await json('endpoints.json');
    expect(Object.keys(endpoints.nodes)).toEqual(['KZ', 'AZ']);
    for (const url of [endpoints.ice, ...Object.values(endpoints.nodes)] as string[])
      expect(await refusesConnections(url), url).toBe(true);
    expect(existsSync(path.join(dir, 'deployment.json'))).toBe(false);
  }, 240_000);

  it('exits 99 from the shell when an SLO fails, after the embedded PostgreSQL has run', async () => {
    const { code, stdout, stderr } = await stress([
      '--countries',
      'KZ,AZ',
      '--duration',
      '2s',
      '--rate',
      '5',
      '-e',
      'OFFICERS=1',
      '-e',
      'SLO_P95_MS=0.001',
    ]);
    expect(stdout).toMatch(/^FAIL/m);
    expect(code, stderr).toBe(99);
  });

  it('refuses an unknown scenario before starting anything', async () => {
    const before = await readdir(resultsRoot);
    const { code, stderr } = await stress(['--scenario', 'no-such-scenario']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown scenario 'no-such-scenario'; one of .*ctd-peak/);
    expect(await readdir(resultsRoot)).toEqual(before);
  });
});
