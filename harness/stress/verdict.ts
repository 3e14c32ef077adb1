// The few lines a stress run ends with: did it meet its SLOs, at what rate,
// how fast, which errors, and where the full results are.
import type { SummaryData } from '../engine/summary/summary-data.ts';
import { byTag, thresholdOutcomes } from './summary-figures.ts';
import type { RunFigures } from './run-figures.ts';
import type { IceTraffic } from './ice-traffic.ts';
import { pathLines, pathOutcomes } from '../report/path-outcomes.ts';

export interface VerdictInput {
  summary: SummaryData;
  scenario: string;
  /** Peak arrival rate the scenario aimed at (CTDs/s), when it is a rate scenario. */
  targetRate?: number;
  /** From the time series: the best submission rate held over a few seconds, rejections by code. */
  samples?: RunFigures;
  /** ICE's counters at the end of the run. */
  ice?: IceTraffic;
  resultsDir: string;
  /** With faults: the recovery limits breached (one line each), judged like SLOs; and how many were judged. */
  recoveryBreaches?: string[];
  recoveryJudged?: number;
}

export interface Verdict {
  passed: boolean;
  lines: string[];
}

const ms = (v: number | undefined) =>
  v === undefined ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
const pct = (v: number | undefined) => (v === undefined ? 'n/a' : `${(v * 100).toFixed(2)} %`);
const int = (v: number | undefined) => (v === undefined ? '0' : Math.round(v).toLocaleString('en-US'));

export function verdictOf({
  summary,
  scenario,
  targetRate,
  samples,
  ice,
  resultsDir,
  recoveryBreaches,
  recoveryJudged,
}: VerdictInput): Verdict {
  const m = summary.metrics;
  const lines: string[] = [];
  const seconds = summary.state.testRunDurationMs / 1000;
  const thresholds = thresholdOutcomes(summary);
  const failed = thresholds.filter((t) => !t.ok);
  const breaches = recoveryBreaches ?? [];
  // Every movement that got an MRN must reach the end state of its path, also one still under way at the end.
  const paths = pathLines(pathOutcomes(summary));
  const passed = failed.length === 0 && breaches.length === 0 && paths.failures.length === 0;

  const limits =
    recoveryBreaches !== undefined
      ? `, ${(recoveryJudged ?? 0) - breaches.length}/${recoveryJudged ?? 0} recovery limits kept`
      : '';
  lines.push(
    `${passed ? 'PASS' : 'FAIL'}  ${scenario}: ${thresholds.length - failed.length}/${thresholds.length} SLO thresholds met${limits} in ${seconds.toFixed(1)} s`,
  );

  const submits = m['http_reqs{operation:ctd_submit}']?.values;
  if (submits)
    lines.push(
      `  CTDs submitted   ${int(submits.count)}, ${(submits.count / seconds).toFixed(1)}/s over the whole run`,
    );
  if (submits && samples) {
    const target =
      targetRate !== undefined ? ` against a target of ${targetRate}/s (${pct(samples.peakRate / targetRate)})` : '';
    lines.push(`  peak rate        ${samples.peakRate.toFixed(1)} CTDs/s held for ${samples.window} s${target}`);
  }
  const accepted = m.ctd_accepted?.values;
  if (accepted) {
    const decisions = byTag(summary, 'ctd_accepted', 'decision');
    const split = Object.entries(decisions)
      .filter(([, v]) => v.count > 0)
      .map(([d, v]) => `${d} ${int(v.count)}`)
      .join(', ');
    lines.push(
      `  CTDs accepted    ${int(accepted.count)} (${(accepted.count / seconds).toFixed(1)}/s)${split ? `; ${split}` : ''}`,
    );
  }
  const latency = m['http_req_duration{operation:ctd_submit}']?.values;
  if (latency)
    lines.push(`  submit latency   p95 ${ms(latency['p(95)'])}, p99 ${ms(latency['p(99)'])}, max ${ms(latency.max)}`);
  if (m.ctd_rejected || submits) {
    const byCode = samples
      ? Object.entries(samples.rejectedByCode)
      : Object.entries(byTag(summary, 'ctd_rejected', 'code')).map(([c, v]) => [c, v.count] as const);
    const codes = byCode
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${int(n)}`)
      .join(', ');
    lines.push(`  CTDs rejected    ${int(m.ctd_rejected?.values.count)}${codes ? ` (${codes})` : ''}`);
  }
  const refused = byTag(summary, 'ctd_refused', 'code');
  const refusedCount = m.ctd_refused?.values.count;
  if (refusedCount)
    lines.push(
      `  CTDs refused     ${int(refusedCount)} by the business rules (${Object.entries(refused)
        .filter(([, v]) => v.count > 0)
        .map(([c, v]) => `${c} ${int(v.count)}`)
        .join(', ')}), not failures: the run outgrew its data set's guarantees`,
    );
  const failedReqs = m.http_req_failed?.values;
  if (failedReqs)
    lines.push(`  request errors   ${pct(failedReqs.rate)} of ${int(m.http_reqs?.values.count)} requests`);
  const dropped = m.dropped_iterations?.values.count;
  if (dropped) lines.push(`  dropped          ${int(dropped)} iterations the load generator could not start on time`);
  const adherence = m.spec_adherence?.values;
  if (adherence)
    lines.push(
      `  adherence        ${pct(adherence.rate)} (${int(adherence.passes)} of ${int(adherence.passes + adherence.fails)} checks of the spec)`,
    );
  const e2e = m.movement_e2e_duration?.values;
  if (e2e) lines.push(`  movement e2e     p95 ${ms(e2e['p(95)'])}, max ${ms(e2e.max)}`);
  const delivery = m.ice_delivery_latency?.values;
  if (delivery) {
    lines.push(
      `  ICE delivery     p95 ${ms(delivery['p(95)'])}, p99 ${ms(delivery['p(99)'])}; lost ${int(m.ice_lost?.values.count)}, duplicates ${int(m.ice_duplicates?.values.count)}`,
    );
  }
  if (ice) {
    lines.push(
      `  ICE traffic      ${int(ice.stored)} C2C messages stored, ${int(ice.delivered)} delivered, ${int(ice.queued)} queued; ${int(ice.redelivered)} redelivered, ${int(ice.refused)} refused` +
        (ice.refused
          ? ` (${Object.entries(ice.refusedByCode)
              .map(([c, n]) => `${c} ${int(n)}`)
              .join(', ')})`
          : ''),
    );
  }
  lines.push(...paths.lines);
  const offered = m.offered_rate?.values;
  if (offered && failed.length)
    lines.push(`  capacity         an SLO broke at an offered ${offered.value.toFixed(1)} CTDs/s`);
  else if (offered) lines.push(`  capacity         no SLO broke up to an offered ${offered.max.toFixed(1)} CTDs/s`);
  for (const t of failed) lines.push(`  ✗ ${t.metric}: ${t.expression}`);
  for (const b of breaches) lines.push(`  ✗ ${b}`);
  for (const p of paths.failures) lines.push(`  ✗ ${p}`);
  lines.push(`  results          ${resultsDir}`);
  return { passed, lines };
}
