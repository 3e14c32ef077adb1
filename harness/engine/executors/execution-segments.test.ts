// Execution segments end to end: three engine instances, each given one third of the test as the
// k6-operator cuts it, together run exactly the test one instance runs. The per-instance counts are
// those k6's striping gives (options/execution-segment.ts, checked against k6's own values).
import { describe, expect, it } from 'vitest';
import { metricValue, runSource, type CapturedRun } from '../testing/run-fixture.ts';

const SEQUENCE = '0,1/3,2/3,1';
const SEGMENTS = ['0:1/3', '1/3:2/3', '2/3:1'];

const imports = `
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
const indexSum = new Counter('index_sum');
const indexSquares = new Counter('index_squares');
const vuIds = new Counter('vu_id_sum');
const localSum = new Counter('local_index_sum');
const localSquares = new Counter('local_index_squares');
function record() {
  const i = exec.scenario.iterationInTest;
  indexSum.add(i);
  indexSquares.add(i * i);
  const l = exec.scenario.iterationInInstance;
  localSum.add(l);
  localSquares.add(l * l);
  if (exec.vu.iterationInScenario === 0) vuIds.add(exec.vu.idInTest);
}
`;

async function runSegments(source: string): Promise<CapturedRun[]> {
  const runs: CapturedRun[] = [];
  for (const executionSegment of SEGMENTS)
    runs.push(
      await runSource(`${imports}${source}`, {
        workers: 2,
        overrides: { options: { executionSegment, executionSegmentSequence: SEQUENCE } },
      }),
    );
  return runs;
}

const value = (run: CapturedRun, metric: string, stat = 'count'): number => {
  const v = metricValue(run, metric, stat);
  return Number.isNaN(v) ? 0 : v;
};
const total = (runs: CapturedRun[], metric: string, stat = 'count'): number =>
  runs.reduce((a, r) => a + value(r, metric, stat), 0);

/** Every iteration index 0..n-1 ran once over all instances: same count, sum and sum of squares. */
function expectEachIndexOnce(runs: CapturedRun[], n: number): void {
  expect(total(runs, 'iterations')).toBe(n);
  expect(total(runs, 'index_sum')).toBe((n * (n - 1)) / 2);
  expect(total(runs, 'index_squares')).toBe(((n - 1) * n * (2 * n - 1)) / 6);
}

/**
 * Each instance numbers the iterations it ran 0..n-1 (exec.scenario.iterationInInstance), across
 * its two threads, whatever its segment: k6's scaled counter, not the index in the whole test.
 */
function expectInstanceNumbering(runs: CapturedRun[]): void {
  for (const r of runs) {
    const n = value(r, 'iterations');
    expect([value(r, 'local_index_sum'), value(r, 'local_index_squares')]).toEqual([
      (n * Math.max(0, n - 1)) / 2,
      ((n - 1) * n * (2 * n - 1)) / 6,
    ]);
  }
}

describe('execution segments split every executor as k6 does', { timeout: 180_000 }, () => {
  it('shared-iterations: iterations striped by the VUs, each once', async () => {
    const runs = await runSegments(`
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 3, iterations: 50 } } };
export default function () { record(); }`);
    for (const r of runs) expect(r.exitCode).toBe(0);
    expect(runs.map((r) => value(r, 'iterations'))).toEqual([17, 17, 16]);
    expect(runs.map((r) => value(r, 'vus_max', 'max'))).toEqual([1, 1, 1]);
    expectEachIndexOnce(runs, 50);
    expect(total(runs, 'vu_id_sum')).toBe(1 + 2 + 3);
    expectInstanceNumbering(runs);
  });

  it('per-vu-iterations: the VUs split, every VU keeps its iterations', async () => {
    const runs = await runSegments(`
export const options = { scenarios: { p: { executor: 'per-vu-iterations', vus: 4, iterations: 5 } } };
export default function () { record(); }`);
    expect(runs.map((r) => value(r, 'iterations'))).toEqual([10, 5, 5]);
    expectEachIndexOnce(runs, 20);
    expect(total(runs, 'vu_id_sum')).toBe(1 + 2 + 3 + 4);
    expectInstanceNumbering(runs);
  });

  it('constant-vus: the VUs split, with the VU numbers of the whole test', async () => {
    const runs = await runSegments(`
export const options = { scenarios: { c: { executor: 'constant-vus', vus: 5, duration: '300ms' } } };
export default async function () { record(); await new Promise((r) => setTimeout(r, 20)); }`);
    expect(runs.map((r) => value(r, 'vus_max', 'max'))).toEqual([2, 2, 1]);
    expect(total(runs, 'vu_id_sum')).toBe(1 + 2 + 3 + 4 + 5);
    expectInstanceNumbering(runs);
  });

  it('ramping-vus: every instance follows its share of the target', async () => {
    const runs = await runSegments(`
export const options = { scenarios: { v: { executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '0s',
  stages: [{ duration: '200ms', target: 6 }, { duration: '300ms', target: 6 }] } } };
export default async function () { record(); await new Promise((r) => setTimeout(r, 20)); }`);
    expect(runs.map((r) => value(r, 'vus_max', 'max'))).toEqual([2, 2, 2]);
    expect(total(runs, 'vu_id_sum')).toBe(1 + 2 + 3 + 4 + 5 + 6);
    expectInstanceNumbering(runs);
  });

  it('constant-arrival-rate: arrivals striped by maxVUs, each planned once', async () => {
    // maxVUs 10 re-cuts the thirds to 0,4/10,7/10,1: of 60 arrivals, 24, 18 and 18.
    const runs = await runSegments(`
export const options = { scenarios: { r: { executor: 'constant-arrival-rate', rate: 60, timeUnit: '1s', duration: '1s', preAllocatedVUs: 10 } } };
export default function () { record(); }`);
    expect(runs.map((r) => value(r, 'iterations') + value(r, 'dropped_iterations'))).toEqual([24, 18, 18]);
    expect(runs.map((r) => value(r, 'vus_max', 'max'))).toEqual([4, 3, 3]);
    // With no VU short, the started arrivals are all of them.
    if (total(runs, 'dropped_iterations') === 0) expectEachIndexOnce(runs, 60);
    expectInstanceNumbering(runs);
  });

  it('ramping-arrival-rate: the integral of the rate, striped by maxVUs', async () => {
    const runs = await runSegments(`
export const options = { scenarios: { r: { executor: 'ramping-arrival-rate', startRate: 0, preAllocatedVUs: 10,
  stages: [{ duration: '1s', target: 60 }, { duration: '500ms', target: 60 }] } } };
export default function () { record(); }`);
    expect(runs.map((r) => value(r, 'iterations') + value(r, 'dropped_iterations'))).toEqual([24, 18, 18]);
    if (total(runs, 'dropped_iterations') === 0) expectEachIndexOnce(runs, 60);
    expectInstanceNumbering(runs);
  });

  it('an instance whose segment has no share of a scenario runs none of it', async () => {
    const runs = await runSegments(`
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 10 } } };
export default function () { record(); }`);
    expect(runs.map((r) => value(r, 'iterations'))).toEqual([5, 5, 0]);
    expectEachIndexOnce(runs, 10);
    expectInstanceNumbering(runs);
  });

  it('refuses a segment that is not in its sequence, as k6 does (exit 104)', async () => {
    const run = await runSource(`export default function () {}`, {
      overrides: { options: { executionSegment: '0:1/2', executionSegmentSequence: SEQUENCE } },
    });
    expect(run.exitCode).toBe(104);
    expect(run.stderr).toMatch(/couldn't find segment 0:1\/2/);
  });
});
