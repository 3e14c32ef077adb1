// A load scenario that outgrows its data set relodges CTDs whose guarantees are
// already reserved: the node refuses them with GUARANTEE_INSUFFICIENT. That is a
// business refusal, not a failing system: it must break no error SLO and stay
// apart from failures in the summary, the verdict and the capacity figure.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readRunFolder } from '../harness/report/run-folder.ts';
import { capacityOf } from '../harness/report/capacity-model.ts';
import { verdictOf } from '../harness/stress/verdict.ts';
import { runScenario, startSeededReference, type SeededReference } from './testing/seeded-reference.ts';

let seeded: SeededReference;

beforeAll(async () => {
  // Far fewer CTDs than the run submits: the run lodges each several times.
  seeded = await startSeededReference(
    'refusals',
    { seed: 'refusals', movements: 40, profile: 'peak-day', defects: 0 },
    { poolSize: 5 },
  );
});

afterAll(async () => {
  await seeded?.stop();
});

it('refusals for want of guarantee are counted apart and break no error SLO, verdict or capacity', async () => {
  const runDir = path.join(seeded.dir, 'run');
  const { result } = await runScenario(
    'ctd-peak',
    {
      ...seeded.env,
      // A rate the preallocated VUs hold even on a busy machine: the test is about refusals, not the schedule.
      RATE: '10',
      START_RATE: '10',
      DURATION: '10s',
      THINK: '0.2',
      SLO_P95_MS: '4000',
      SLO_P99_MS: '8000',
    },
    { outputs: [`timeseries=${path.join(runDir, 'timeseries.ndjson')}`] },
  );
  const m = result.summaryData!.metrics;
  const refused = m['ctd_refused{code:GUARANTEE_INSUFFICIENT}']?.values.count ?? 0;
  expect(refused).toBeGreaterThan(0);
  expect(m['ctd_rejected{code:GUARANTEE_INSUFFICIENT}']?.values.count ?? 0).toBe(0);
  expect(m['ctd_rejected{code:GUARANTEE_ALREADY_USED}']?.values.count ?? 0).toBe(0);
  expect(m['http_req_failed{operation:ctd_submit}']!.values.passes).toBe(0);
  // Every threshold holds, named when one does not.
  const broken = Object.entries(m).flatMap(([name, metric]) =>
    Object.entries(metric.thresholds ?? {})
      .filter(([, t]) => !t.ok)
      .map(([expression]) => `${name}: ${expression} (${JSON.stringify(metric.values)})`),
  );
  expect(broken).toEqual([]);
  expect(result.exitCode).toBe(0);

  const verdict = verdictOf({ summary: result.summaryData!, scenario: 'ctd-peak', resultsDir: runDir });
  expect(verdict.passed).toBe(true);
  expect(verdict.lines.join('\n')).toMatch(/CTDs refused +\d+ by the business rules \(GUARANTEE_INSUFFICIENT/);

  await writeFile(path.join(runDir, 'summary.json'), JSON.stringify(result.summaryData));
  const capacity = capacityOf([await readRunFolder(runDir)], {
    windowSeconds: 2,
    slo: { p95: 4000, p99: 8000, errorRate: 0.01 },
  });
  expect(capacity.refused).toBe(m['ctd_refused']!.values.count);
  expect(capacity.steps.length).toBeGreaterThan(0);
  // Refused windows count as served within the error SLO, not as failures.
  expect(capacity.steps.every((s) => s.errorRate === 0)).toBe(true);
  expect(capacity.steps.some((s) => s.refused > 0)).toBe(true);
  expect(capacity.notes.join('\n')).toMatch(/refused by the business rules/);
});
