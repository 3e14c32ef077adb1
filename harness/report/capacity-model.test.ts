// Capacity from real runs against a loopback node whose latency grows with the requests in
// flight, as a saturating server's does.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset } from '../../generators/dataset.ts';
import { command as capacityCommand } from '../commands/capacity.ts';
import { UsageError } from '../flags.ts';
import type { CapacityResult } from './capacity-model.ts';
import { loopbackRun, startLoopbackNode, type LoopbackNode } from './testing/loopback-run.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { startInProcessReference, type InProcessReference } from '../testing/in-process-reference.ts';
import { sutParts } from '../stress/sut-sampler.ts';

let dir: string;
let node: LoopbackNode;
let ramp: string;
const steps: string[] = [];
// A real node whose /metrics the ramp samples, as `cats-stress stress` does.
let reference: InProcessReference;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capacity-'));
  node = await startLoopbackNode(5, 12);
  reference = await startInProcessReference({
    countries: ['GE'],
    databaseUrl: () => createTestDatabase('capacity_ge'),
  });
  ramp = await loopbackRun(dir, node, {
    runId: 'ramp',
    stages: [
      { target: 10, duration: '1s' },
      { target: 80, duration: '7s' },
    ],
    sut: sutParts(reference.deployment),
  });
  for (const rate of [8, 16, 60])
    steps.push(await loopbackRun(dir, node, { runId: `step-${rate}`, stages: [{ target: rate, duration: '3s' }] }));
}, 120_000);
afterAll(async () => {
  await node?.close();
  await reference?.stop();
});

/** Runs the command; capacity.json lands in the last run folder given. */
async function capacity(runs: string[], options: string[] = []): Promise<CapacityResult> {
  expect(await capacityCommand.run([...runs, ...options])).toBe(0);
  return JSON.parse(await readFile(path.join(runs[runs.length - 1]!, 'capacity.json'), 'utf8')) as CapacityResult;
}

/** The documented conversions, computed here from the generators' model independently of the command. */
function expectFigures(c: CapacityResult) {
  const ds = new Dataset({
    seed: 'x',
    movements: 0,
    profile: 'peak-day',
    defects: 0,
    countries: ['GE', 'AZ', 'KZ'],
    year: 2026,
  });
  const peak = ds.yearPeak();
  expect(c.demand.annualMovements).toBe(Math.round(ds.model.projectedAnnual()));
  expect(c.demand.peakPerSecond).toBeCloseTo(peak.ctdsPerSecond, 9);
  const r = c.sustained!.ctdsPerSecond;
  expect(c.sustained!.movementsPerHour).toBeCloseTo(r * 3600, 6);
  expect(c.sustained!.movementsPerDay).toBeCloseTo((r * 3600 * ds.expected) / peak.ctdsPerHour, 3);
  expect(c.headroom!.factor).toBeCloseTo(r / peak.ctdsPerSecond, 6);
  expect(c.headroom!.yearsOfGrowth).toBeCloseTo(Math.log(r / peak.ctdsPerSecond) / Math.log(1.12), 6);
}

describe('capacity', () => {
  it('finds the knee of a ramp: the busiest window within the SLOs, and what gave way above it', async () => {
    const c = await capacity([ramp], ['--window', '2']);
    expect(c.method).toBe('windows');
    const good = c.steps.filter((s) => s.broke === null);
    expect(good.length).toBeGreaterThan(0);
    // Every window faster than the capacity broke an SLO; latency is what this node loses first.
    expect(c.steps.filter((s) => s.rate > c.sustained!.ctdsPerSecond).every((s) => s.broke !== null)).toBe(true);
    expect(c.sustained!.ctdsPerSecond).toBeGreaterThan(5);
    expect(c.sustained!.ctdsPerSecond).toBeLessThan(60);
    expect(c.saturation?.broke).toMatch(/^latency/);
    expectFigures(c);
    const html = await readFile(path.join(ramp, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Capacity</h2>');
    expect(html).toContain('windows within the SLOs');
    // The node's own resources up to the knee, from sut.ndjson.
    expect(c.resource?.busiest).toEqual([
      expect.stringMatching(
        /^node GE: CPU ≤ 0?\.?\d[\d.]* cores, event-loop lag p99 ≤ [\d.]+ ms, DB pool waiting ≤ 0$/,
      ),
    ]);
    if (c.resource!.saturated) expect(c.resource!.saturated.part).toBe('node GE');
    else expect(c.notes.some((n) => n.startsWith('No SUT resource passed its limit'))).toBe(true);
    expect(html).toContain('SUT up to the knee: node GE: CPU');
    expect(html).toContain('<h2>System under test</h2>');
  });

  it('takes the busiest run within the SLOs from stepped runs', async () => {
    const c = await capacity(steps);
    expect(c.method).toBe('steps');
    expect(c.steps.map((s) => s.label)).toEqual(['step-8', 'step-16', 'step-60']);
    expect(c.steps[0]!.broke).toBeNull();
    expect(c.steps[2]!.broke).not.toBeNull();
    const best = c.steps.filter((s) => s.broke === null).at(-1)!;
    expect(c.sustained!.step).toBe(best.label);
    expect(c.sustained!.ctdsPerSecond).toBeCloseTo(best.rate, 9);
    expectFigures(c);
    // These runs sampled no SUT metrics: the limit is named from the client side only.
    expect(c.resource).toBeUndefined();
    expect(c.notes.some((n) => n.includes('no sut.ndjson'))).toBe(true);
  });

  it('refuses a folder that is not a run, and an SLO out of range as a usage error', async () => {
    expect(await capacityCommand.run([path.join(dir, 'missing')])).toBe(2);
    await expect(capacityCommand.run([ramp, '--errors', '2'])).rejects.toThrow(UsageError);
  });
});
