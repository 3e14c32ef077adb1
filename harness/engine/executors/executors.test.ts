// Executor semantics, run end to end on the engine with two worker threads.
import { describe, expect, it } from 'vitest';
import { metricValue, runSource } from '../testing/run-fixture.ts';
import { arrivalSchedule } from './ramping-arrival-rate.ts';

const imports = `
import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
const indexSum = new Counter('index_sum');
const startOffset = new Trend('start_offset', true);
`;

// Only what does not depend on the machine's load is asserted here: how accurately the engine keeps time
// (achieved rate, schedule lag, measured latency) is measured by bench/engine-accuracy.ts.

describe('iteration executors', () => {
  it('shared-iterations runs exactly the iterations, each index once, split over VUs and threads', async () => {
    const run = await runSource(
      `${imports}
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 3, iterations: 50 } } };
export default async function () { indexSum.add(exec.scenario.iterationInTest); await sleep(0.005); }`,
      { workers: 2 },
    );
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'iterations', 'count')).toBe(50);
    expect(metricValue(run, 'index_sum', 'count')).toBe((49 * 50) / 2);
    expect(metricValue(run, 'vus_max', 'value')).toBe(3);
  });

  it('shared-iterations shares one pool across threads: a fast VU takes more, the total stays exact', async () => {
    const run = await runSource(
      `${imports}
const perVu = new Counter('per_vu');
export const options = {
  scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 20 } },
  thresholds: { 'per_vu{vu:1}': ['count>0'] },
};
export default async function () {
  perVu.add(1, { vu: String(exec.vu.idInTest) });
  indexSum.add(exec.scenario.iterationInTest);
  // The fast VU takes a little time too: a thread that starts late still finds iterations left.
  await sleep(exec.vu.idInTest === 1 ? 0.5 : 0.05);
}`,
      { workers: 2 },
    );
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'iterations', 'count')).toBe(20);
    expect(metricValue(run, 'index_sum', 'count')).toBe((19 * 20) / 2);
    expect(metricValue(run, 'dropped_iterations', 'count')).toBeNaN();
    // Split in fixed shares per thread, each VU would run 10; the slow VU's thread hands the rest to the fast one.
    const slow = run.summaryData!.metrics['per_vu{vu:1}'].values.count;
    expect(slow).toBeLessThan(10);
  });

  it('per-vu-iterations gives every VU its iterations', async () => {
    const run = await runSource(
      `${imports}
const perVu = new Counter('per_vu');
export const options = { scenarios: { p: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } } };
export default function () { perVu.add(1, { vu: String(exec.vu.idInTest) }); indexSum.add(exec.scenario.iterationInTest); }`,
      { workers: 2 },
    );
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'iterations', 'count')).toBe(12);
    expect(metricValue(run, 'index_sum', 'count')).toBe((11 * 12) / 2);
  });

  it('maxDuration ends an iteration executor and counts the rest as dropped', async () => {
    const run = await runSource(
      `${imports}
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 100, maxDuration: '500ms', gracefulStop: '0s' } } };
export default async function () { await sleep(0.1); }`,
      { workers: 1 },
    );
    const done = metricValue(run, 'iterations', 'count');
    // 100 iterations of 100 ms on 2 VUs need 5 s; the few running at 500 ms are interrupted, the rest dropped.
    expect(done).toBeLessThan(100);
    expect(done + metricValue(run, 'dropped_iterations', 'count')).toBeGreaterThanOrEqual(98);
    expect(done + metricValue(run, 'dropped_iterations', 'count')).toBeLessThanOrEqual(100);
  });
});

describe('arrival-rate executors (open model)', () => {
  it('constant-arrival-rate plans rate × duration iterations and records each start behind its schedule', async () => {
    const run = await runSource(
      `${imports}
export const options = { summaryTrendStats: ['count', 'max'], scenarios: { r: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '2s', preAllocatedVUs: 50 } } };
export default async function () { startOffset.add(Date.now() - exec.scenario.startTime); await sleep(0.01); }`,
      { workers: 1 },
    );
    expect(run.exitCode).toBe(0);
    const done = metricValue(run, 'iterations', 'count');
    const dropped = metricValue(run, 'dropped_iterations', 'count');
    expect(done + (Number.isNaN(dropped) ? 0 : dropped)).toBe(400);
    expect(metricValue(run, 'iteration_schedule_lag', 'count')).toBe(done);
    expect(metricValue(run, 'start_offset', 'count')).toBe(done);
  });

  it('drops iterations when no VU is free, growing VUs one at a time up to maxVUs', async () => {
    const run = await runSource(
      `${imports}
export const options = { scenarios: { r: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 3 } } };
export default async function () { await sleep(0.3); }`,
      { workers: 1 },
    );
    const done = metricValue(run, 'iterations', 'count');
    const dropped = metricValue(run, 'dropped_iterations', 'count');
    expect(done + dropped).toBe(100);
    expect(dropped).toBeGreaterThan(80);
    expect(metricValue(run, 'vus_max', 'max')).toBe(3);
  });

  it('ramping-arrival-rate runs the iterations of the integral of the rate', async () => {
    // 0 → 100/s over 1 s (50 iterations), then 100/s for 0.5 s (50 more).
    const run = await runSource(
      `${imports}
export const options = { scenarios: { r: { executor: 'ramping-arrival-rate', startRate: 0, preAllocatedVUs: 5, stages: [{ duration: '1s', target: 100 }, { duration: '500ms', target: 100 }] } } };
export default async function () { startOffset.add(Date.now() - exec.scenario.startTime); }`,
      { workers: 2 },
    );
    const done = metricValue(run, 'iterations', 'count');
    const dropped = metricValue(run, 'dropped_iterations', 'count');
    expect(done + (Number.isNaN(dropped) ? 0 : dropped)).toBe(100);
    expect(run.stderr).not.toMatch(/ERRO/);
  });

  it('schedules iteration i of a ramping arrival rate where the integral of the rate reaches i', () => {
    const at = arrivalSchedule(
      0,
      [
        { durationMs: 1000, target: 100 },
        { durationMs: 500, target: 100 },
      ],
      1000,
    );
    // Ramp 0 → 0.1/ms: the integral is 0.00005·t², 1 at t = √20000 ms.
    expect(at(0)).toBeCloseTo(Math.sqrt(20_000), 9);
    expect(at(49)).toBeCloseTo(1000, 9);
    expect(at(74)).toBeCloseTo(1250, 9);
    expect(at(99)).toBeCloseTo(1500, 9);
    expect(at(100)).toBeUndefined();
  });
});

describe('VU executors', () => {
  it('ramping-vus reaches each stage target', async () => {
    const run = await runSource(
      `${imports}
import { Gauge } from 'k6/metrics';
const active = new Gauge('active_vus');
export const options = { scenarios: { v: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '600ms', target: 6 }, { duration: '600ms', target: 6 }, { duration: '300ms', target: 2 }], gracefulRampDown: '0s' } } };
export default async function () { active.add(exec.instance.vusActive); await sleep(0.02); }`,
      { workers: 2, flushMs: 100 },
    );
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'vus', 'max')).toBe(6);
    expect(metricValue(run, 'vus_max', 'max')).toBe(6);
    expect(metricValue(run, 'active_vus', 'max')).toBeLessThanOrEqual(6);
  });

  it('ramping-vus lets VUs removed by a ramp-down finish within gracefulRampDown, else interrupts them', async () => {
    const script = (grace: string) => `${imports}
export const options = { scenarios: { v: { executor: 'ramping-vus', startVUs: 2, gracefulRampDown: '${grace}',
  stages: [{ duration: '100ms', target: 2 }, { duration: '100ms', target: 0 }, { duration: '700ms', target: 0 }] } } };
export default async function () { await sleep(0.4); }`;
    const patient = await runSource(script('1s'), { workers: 1 });
    expect(metricValue(patient, 'iterations', 'count')).toBe(2);
    const strict = await runSource(script('0s'), { workers: 1 });
    expect(metricValue(strict, 'iterations', 'count')).toBeNaN();
  });

  it('constant-vus stops at the duration; gracefulStop lets running iterations finish or interrupts them', async () => {
    const script = (grace: string) => `${imports}
export const options = { scenarios: { c: { executor: 'constant-vus', vus: 2, duration: '300ms', gracefulStop: '${grace}' } } };
export default async function () { await sleep(0.5); }`;
    const patient = await runSource(script('2s'), { workers: 2 });
    expect(metricValue(patient, 'iterations', 'count')).toBe(2);
    const strict = await runSource(script('50ms'), { workers: 2 });
    // Interrupted at 300 ms + 50 ms: no iteration of 500 ms completes.
    expect(metricValue(strict, 'iterations', 'count')).toBeNaN();
  });

  it('runs several scenarios with startTime, exec, env and tags', async () => {
    const run = await runSource(
      `${imports}
const seen = new Counter('seen');
export const options = { scenarios: {
  first: { executor: 'shared-iterations', iterations: 3, exec: 'one', env: { WHO: 'one' }, tags: { kind: 'a' } },
  later: { executor: 'per-vu-iterations', iterations: 2, exec: 'two', startTime: '200ms', env: { WHO: 'two' } },
}, thresholds: { 'seen{kind:a}': ['count==3'], 'seen{who:two}': ['count==2'], 'start_offset{scenario:later}': ['min>=0'] } };
export function one() { seen.add(1, { who: __ENV.WHO }); }
export function two() { seen.add(1, { who: __ENV.WHO }); startOffset.add(Date.now() - exec.scenario.startTime); }`,
      { workers: 2 },
    );
    expect(run.exitCode).toBe(0);
    expect(run.summaryData!.metrics['seen{kind:a}'].thresholds).toEqual({ 'count==3': { ok: true } });
    expect(run.summaryData!.metrics['seen{who:two}'].values.count).toBe(2);
  });
});

describe('minIterationDuration', () => {
  it("keeps a VU's iterations at least that far apart", async () => {
    const run = await runSource(
      `${imports}
const gap = new Trend('start_gap', true);
let last = 0;
export const options = { minIterationDuration: '200ms', scenarios: { p: { executor: 'per-vu-iterations', vus: 1, iterations: 4 } } };
export default function () { const now = Date.now(); if (last) gap.add(now - last); last = now; }`,
      { workers: 1 },
    );
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'iterations', 'count')).toBe(4);
    expect(metricValue(run, 'start_gap', 'min')).toBeGreaterThanOrEqual(199);
  });

  it('holds the VU on arrival-rate executors too: iterations due while it waits are dropped', async () => {
    const run = await runSource(
      `${imports}
export const options = {
  minIterationDuration: '300ms',
  scenarios: { a: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 1 } },
};
export default function () {}`,
      { workers: 1 },
    );
    expect(run.exitCode).toBe(0);
    // One VU busy 300 ms per iteration can start at most 4 of the 10 iterations due within 1 s.
    expect(metricValue(run, 'iterations', 'count')).toBeLessThanOrEqual(4);
    expect(metricValue(run, 'iterations', 'count') + metricValue(run, 'dropped_iterations', 'count')).toBe(10);
  });
});
