// The report of a real short run, opened in a real browser (Debian chromium).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunReport } from './run-report.ts';
import { loopbackRun, startLoopbackNode, type LoopbackNode } from './testing/loopback-run.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { startInProcessReference, type InProcessReference } from '../testing/in-process-reference.ts';
import { sutParts } from '../stress/sut-sampler.ts';
import type { SutLine } from './sut-file.ts';
import { inChromium } from './testing/browser.ts';

let dir: string;
let node: LoopbackNode;
let runDir: string;
// A real node and ICE whose /metrics the run samples (they share this process with the load, which the sampler does not mind).
let reference: InProcessReference;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'run-report-'));
  node = await startLoopbackNode(5);
  reference = await startInProcessReference({
    countries: ['GE'],
    databaseUrl: () => createTestDatabase('report_ge'),
    iceDatabaseUrl: await createTestDatabase('report_ice'),
  });
  runDir = await loopbackRun(dir, node, {
    runId: 'report-run',
    stages: [
      { target: 20, duration: '2s' },
      { target: 40, duration: '2s' },
    ],
    sut: sutParts(reference.deployment),
  });
}, 60_000);
afterAll(async () => {
  await node?.close();
  await reference?.stop();
});

describe('run report', () => {
  it('writes a time series of 1 s buckets beside the summary', async () => {
    const text = await readFile(path.join(runDir, 'timeseries.ndjson'), 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'timeseries', bucketMs: 1000 });
    expect(lines.at(-1)).toMatchObject({ type: 'end', late: 0 });
    const submits = lines.filter((l) => l.m === 'http_reqs' && l.k?.operation === 'ctd_submit');
    const summary = JSON.parse(await readFile(path.join(runDir, 'summary.json'), 'utf8'));
    // Every request is in exactly one bucket.
    expect(submits.reduce((a, l) => a + l.sum, 0)).toBe(
      summary.metrics.ctd_accepted.values.count + summary.metrics.ctd_rejected.values.count,
    );
    expect(new Set(submits.map((l) => l.k.status))).toEqual(new Set(['201', '422']));
    const all = lines.filter((l) => l.m === 'http_req_duration' && l.k === null);
    expect(all.reduce((a, l) => a + l.n, 0)).toBe(summary.metrics.http_reqs.values.count);
    for (const l of all) expect(l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max).toBe(true);
  });

  it('samples every part of the deployment once a second into sut.ndjson', async () => {
    const lines = (await readFile(path.join(runDir, 'sut.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SutLine);
    for (const part of ['node GE', 'ICE']) {
      const mine = lines.filter((l) => l.part === part && !l.gap);
      expect(mine.length, part).toBeGreaterThanOrEqual(3);
      // CPU is a rate between scrapes, so from the second scrape on.
      expect(
        mine.slice(1).every((l) => l.cpuCores! > 0 && l.cpuCores! < 8),
        part,
      ).toBe(true);
      expect(
        mine.every((l) => l.rssBytes! > 20 * 2 ** 20 && l.eventLoopLagP99Ms! >= 0),
        part,
      ).toBe(true);
      expect(new Set(mine.map((l) => l.t)).size, `${part}: one line per second`).toBe(mine.length);
    }
    expect(
      lines.filter((l) => l.part === 'node GE' && !l.gap).every((l) => l.dbPoolTotal! >= 1 && l.dbPoolWaiting === 0),
    ).toBe(true);
    expect(lines.filter((l) => l.part === 'ICE' && !l.gap).every((l) => l.queueDepth === 0 && l.inFlight === 0)).toBe(
      true,
    );
  });

  it('opens in a browser with no network, every chart drawn with data and no console errors', async () => {
    const file = await writeRunReport(runDir);
    expect(file).toBe(path.join(runDir, 'report.html'));
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/(src|href)=["']https?:/);
    const { problems } = await inChromium(file, async (page) => {
      await expect(page.locator('.verdict').textContent()).resolves.toMatch(/^(PASS|FAIL)/);
      const charts = await page.locator('figure.chart').evaluateAll((figs) =>
        figs.map((f) => ({
          title: f.querySelector('figcaption')?.textContent ?? '',
          lines: [...f.querySelectorAll('polyline.series')].map((p) => (p as SVGPolylineElement).points.numberOfItems),
          bars: [...f.querySelectorAll('rect.bar')].map((r) => Number(r.getAttribute('data-value'))),
          height: f.getBoundingClientRect().height,
        })),
      );
      const titles = charts.map((c) => c.title);
      for (const t of [
        'Throughput',
        'Request latency over time',
        'p95 latency by operation',
        'Errors by code',
        'Virtual users',
        'ICE delivery latency',
        'Movement funnel',
        'SUT CPU per part',
        'SUT resident memory per part',
        'SUT event-loop lag p99 per part',
        'SUT DB pool',
        'ICE queue',
      ])
        expect(
          titles.some((x) => x.startsWith(t)),
          `chart ${t}`,
        ).toBe(true);
      for (const c of charts) {
        expect(c.height, c.title).toBeGreaterThan(80);
        if (c.title.startsWith('Movement funnel')) {
          // submitted → accepted drops the rejected CTDs; every accepted one is then released, arrives and is written off.
          const [submitted, accepted, released, arrived, writtenOff] = c.bars;
          expect(submitted).toBeGreaterThan(accepted!);
          expect([released, arrived, writtenOff]).toEqual([accepted, accepted, accepted]);
        } else expect(Math.max(...c.lines), c.title).toBeGreaterThan(2);
      }
      // The rejections the node answered show as their code.
      expect(await page.locator('.legend .key', { hasText: 'rejected INVALID_HS_CODE' }).count()).toBe(1);
      await page.screenshot({ path: path.join(dir, 'report.png'), fullPage: true });
      expect(existsSync(path.join(dir, 'report.png'))).toBe(true);
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
