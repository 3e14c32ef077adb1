// Fault events in a run folder: read back from timeseries.ndjson, turned into recovery
// figures, drawn as markers on every time chart of the report.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFaultEvents } from './fault-events.ts';
import { faultRecovery, recoveryBreaches } from './fault-recovery.ts';
import type { SutLine } from './sut-file.ts';
import { readRunFolder } from './run-folder.ts';
import { writeRunReport } from './run-report.ts';
import { runFigures } from '../stress/run-figures.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fault-recovery-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Seconds 100…110 of a run: 10 requests a second, `failing[t]` of them failed. */
async function runFolder(failing: Record<number, number>): Promise<string> {
  const lines: unknown[] = [
    { type: 'timeseries', version: 1, bucketMs: 1000, testId: 't', tags: [] },
    { type: 'metric', name: 'http_reqs', metricType: 'counter', contains: 'default', thresholds: [] },
    { type: 'metric', name: 'http_req_failed', metricType: 'rate', contains: 'default', thresholds: [] },
  ];
  for (let t = 100; t <= 110; t++) {
    const failed = failing[t] ?? 0;
    lines.push({ t, m: 'http_reqs', k: { operation: 'ctd_submit', status: '201' }, n: 10 - failed, sum: 10 - failed });
    if (failed) lines.push({ t, m: 'http_reqs', k: { operation: 'ctd_submit', status: '0' }, n: failed, sum: failed });
    lines.push({ t, m: 'http_req_failed', k: { operation: 'ctd_submit', status: '201' }, n: 10 - failed, pass: 0 });
    if (failed)
      lines.push({ t, m: 'http_req_failed', k: { operation: 'ctd_submit', status: '0' }, n: failed, pass: failed });
  }
  lines.push({ type: 'end', late: 0, overflow: {} });
  await writeFile(path.join(dir, 'timeseries.ndjson'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  await writeFile(
    path.join(dir, 'summary.json'),
    JSON.stringify({ metrics: { http_reqs: { type: 'counter', contains: 'default', values: { count: 110 } } } }),
  );
  return dir;
}

describe('faults in a run folder', () => {
  it('reads fault lines appended to the time series, leaves the buckets as they were, and computes recovery', async () => {
    await runFolder({ 102: 3, 103: 10, 104: 6 });
    const before = await readRunFolder(dir);
    await appendFaultEvents(path.join(dir, 'timeseries.ndjson'), [
      { fault: 'kill', target: 'node/GE', phase: 'end', t: 104_200, ok: true, pid: 2, restarts: 1 },
      { fault: 'kill', target: 'node/GE', phase: 'start', t: 102_500, ok: true, pid: 1, restarts: 0 },
      { fault: 'pause', target: 'ice', phase: 'start', t: 107_000, ok: true },
      { fault: 'pause', target: 'ice', phase: 'end', t: 108_000, ok: true },
    ]);
    const run = await readRunFolder(dir);
    expect(run.timeseries!.lines).toEqual(before.timeseries!.lines);
    expect(run.timeseries!.events.map((e) => [e.t, e.fault, e.phase])).toEqual([
      [102.5, 'kill', 'start'],
      [104.2, 'kill', 'end'],
      [107, 'pause', 'start'],
      [108, 'pause', 'end'],
    ]);
    // Another reader of the file is not misled by the fault lines.
    expect((await runFigures(path.join(dir, 'timeseries.ndjson'))).submissionsPerSecond).toHaveLength(11);

    const [kill, pause] = faultRecovery(run.timeseries, run.timeseries!.events);
    // Seconds 103 and 104 had failures, 105 was clean: recovered 2.5 s after the kill at 102.5.
    expect(kill).toMatchObject({
      fault: 'kill',
      target: 'node/GE',
      applied: true,
      end: 104.2,
      recoverySeconds: 2.5,
      failedRequests: 19,
      restarts: 1,
      restartsDuringFault: 1,
    });
    // No failure around the pause: clean from the next whole second on.
    expect(pause).toMatchObject({ recoverySeconds: 1, failedRequests: 0 });
    expect(pause!.restarts).toBeUndefined();
  });

  it('says a fault was not recovered from when failures last to the end of the run', async () => {
    await runFolder({ 108: 5, 109: 10, 110: 10 });
    await appendFaultEvents(path.join(dir, 'timeseries.ndjson'), [
      { fault: 'kill', target: 'ice', phase: 'start', t: 108_100, ok: true, restarts: 0 },
      { fault: 'kill', target: 'ice', phase: 'end', t: 111_000, ok: false, detail: 'ice failed and is not restarted' },
    ]);
    const run = await readRunFolder(dir);
    const [kill] = faultRecovery(run.timeseries, run.timeseries!.events);
    expect(kill).toMatchObject({
      recoverySeconds: null,
      failedRequests: 25,
      detail: 'ice failed and is not restarted',
    });
    expect(kill!.end).toBeUndefined();
  });

  it('draws each fault as a labelled marker on every time chart and lists it with its figures', async () => {
    await runFolder({ 103: 4 });
    await appendFaultEvents(path.join(dir, 'timeseries.ndjson'), [
      { fault: 'kill', target: 'node/GE', phase: 'start', t: 102_500, ok: true, restarts: 0 },
      { fault: 'kill', target: 'node/GE', phase: 'end', t: 103_500, ok: true, restarts: 1 },
    ]);
    const html = await readFile(await writeRunReport(dir), 'utf8');
    const charts = html.match(/<figure class="chart"[^]*?<\/figure>/g) ?? [];
    const timeCharts = charts.filter((c) => c.includes('<polyline'));
    expect(timeCharts.length).toBeGreaterThan(1);
    for (const chart of timeCharts) {
      expect(chart).toContain('class="fault-marker start" data-t="102.5"');
      expect(chart).toContain('class="fault-marker end" data-t="103.5"');
      expect(chart).toContain('>kill:node/GE</text>');
    }
    expect(html).toContain('<h2>Faults</h2>');
    expect(html).toMatch(
      /<td>kill:node\/GE<\/td><td>2\.5 s<\/td><td>1\.0 s<\/td><td>yes<\/td><td>1\.5 s<\/td><td>4<\/td><td>1<\/td>/,
    );
  });

  it('a report of a run without faults has neither markers nor a faults section', async () => {
    await runFolder({});
    const html = await readFile(await writeRunReport(dir), 'utf8');
    expect(html).not.toContain('<g class="fault-marker');
    expect(html).not.toContain('<h2>Faults</h2>');
  });

  it('measures when the backlog a fault left drained and judges it against the fault recovery limit', async () => {
    await runFolder({});
    await appendFaultEvents(path.join(dir, 'timeseries.ndjson'), [
      { fault: 'cut', target: 'GE-ice', phase: 'start', t: 101_500, ok: true, recoverWithin: 3 },
      { fault: 'cut', target: 'GE-ice', phase: 'end', t: 103_500, ok: true },
      { fault: 'kill', target: 'ice', phase: 'start', t: 104_000, ok: true, recoverWithin: 60 },
      { fault: 'kill', target: 'ice', phase: 'end', t: 105_000, ok: true },
    ]);
    // Outbox of GE and ICE's queue, per second: 1 in flight before, growing during the cut,
    // unknown while ICE is down (a gap), back to 1 only at 108.
    const outbox: Record<number, number> = {
      99: 1,
      100: 1,
      101: 2,
      102: 9,
      103: 12,
      104: 8,
      105: 6,
      106: 4,
      107: 2,
      108: 1,
    };
    const sut: SutLine[] = [];
    for (let t = 99; t <= 109; t++) {
      sut.push({ t, part: 'node GE', outboxPending: outbox[t] ?? 0 });
      sut.push(t === 105 ? { t, part: 'ICE', gap: 'no answer' } : { t, part: 'ICE', queueDepth: 0, inFlight: 0 });
    }
    const run = await readRunFolder(dir);
    const recovery = faultRecovery(run.timeseries, run.timeseries!.events, sut);
    expect(recovery.map((r) => [r.target, r.drainedSeconds, r.backlogPeak, r.recoverWithin, r.withinLimit])).toEqual([
      ['GE-ice', 108 - 103.5, 12, 3, false],
      ['ice', 108 - 105, 8, 60, true],
    ]);
    expect(recoveryBreaches(recovery)).toEqual([
      "recovery cut:GE-ice: backlog drained 4.5 s after the fault's end (limit 3 s)",
    ]);
    // Without samples of the parts the limit is not judged, never passed silently.
    expect(faultRecovery(run.timeseries, run.timeseries!.events).map((r) => r.withinLimit)).toEqual([null, null]);
  });
});
