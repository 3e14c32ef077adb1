// The conformance scenario against a reference whose business clock runs fast
// (as `up --time-factor` starts it): the rules that need a time limit to pass
// run too, and every rule of the movement's unhappy paths passes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runScenario, startSeededReference, type SeededReference } from './testing/seeded-reference.ts';

/**
 * Slow enough that the rules which need a movement before its limit (8 to 25 business days on
 * the spine) finish first, fast enough that the 17-day limit of KZ → AZ → GE passes in 98 s.
 */
const TIME_FACTOR = 15_000;

let seeded: SeededReference;

beforeAll(async () => {
  seeded = await startSeededReference(
    'conftime',
    { seed: 'conformance-time', movements: 800, profile: 'peak-day', defects: 0 },
    { clock: { epochMs: Date.now(), factor: TIME_FACTOR } },
  );
}, 300_000);

afterAll(async () => {
  await seeded?.stop();
});

it('runs every unhappy-path rule, time travel included, and all pass', async () => {
  const { result, log } = await runScenario('conformance', { ...seeded.env, TIME_TRAVEL_MAX_S: '300' });
  const m = result.summaryData?.metrics ?? {};
  const failed = Object.entries(m)
    .filter(([k, v]) => k.startsWith('spec_adherence{') && v.values.fails > 0)
    .map(([k]) => k);
  expect(failed, log).toEqual([]);
  expect(result.exitCode, log).toBe(0);
  expect(m['spec_skipped'], log).toBeUndefined();
  for (const rule of [
    'time_limit_set_at_release',
    'enquiry_after_limit',
    'enquiry_answered_goods_arrived',
    'enquiry_to_recovery',
    'discrepancies_notice_and_resolution',
    'discrepancies_to_recovery',
    'diversion_at_transit',
    'diversion_at_destination',
    'incident_blocks_write_off',
    'invalidation_after_release',
    'amendment_after_release_refused',
    'cancellation_after_release_refused',
    'arrival_before_release_refused',
    'recovery_without_enquiry_refused',
    'enquiry_answer_without_enquiry_refused',
    'invalidation_after_arrival_refused',
    'incident_decision_without_incident_refused',
  ])
    expect(m[`spec_adherence{rule:${rule}}`]?.values, rule).toMatchObject({ passes: 1, fails: 0 });
}, 600_000);
