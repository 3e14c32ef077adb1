// What the load and fault step shows: the SLOs at the certification rate, and
// what one node must keep while its ICE connection is cut and restored.
import type { Check } from '../check.ts';
import { overallP99, type LoadResult } from '../load-step.ts';
import { Finding, notApplicable, type Outcome } from '../outcome.ts';

function onLoad(load: LoadResult | undefined, judge: (l: LoadResult, f: Finding) => Outcome): Promise<Outcome> {
  if (!load) return Promise.resolve(notApplicable('the load step did not run'));
  if (load.movementsStarted === 0) return Promise.resolve(notApplicable('no corridor route departs from this country'));
  return Promise.resolve(judge(load, new Finding()));
}

const figures = (l: LoadResult) =>
  `${l.movementsStarted} movements at ${l.options.ratePerSecond}/s for ${l.options.durationSeconds} s, ${l.movementsReleased} released, ${l.requests} requests`;

export const checks: Check[] = [
  {
    requirement: 'C2B-PERFORMANCE',
    step: 'load',
    run: (_s, state) =>
      onLoad(state.load, (l, f) => {
        f.note(`${figures(l)}; latency (ms) ${JSON.stringify(l.latencyMs)}`);
        for (const e of l.failedRequests.slice(0, 5)) f.note(`failed: ${JSON.stringify(e)}`);
        // Failures while ICE is cut count too: the C2B API must not depend on ICE.
        f.expect(l.failedRequests.length === 0, `${l.failedRequests.length} failed requests`);
        const p99 = overallP99(l);
        f.expect(p99 <= l.options.sloP99Ms, `p99 ${p99.toFixed(0)} ms over the ${l.options.sloP99Ms} ms bound`);
        return f.outcome(`no failed request, p99 ${p99.toFixed(0)} ms ≤ ${l.options.sloP99Ms} ms`);
      }),
  },
  {
    requirement: 'C2B-AVAILABLE-WITHOUT-ICE',
    step: 'load',
    run: (_s, state) =>
      onLoad(state.load, (l, f) => {
        if (!l.outage) return notApplicable('the fault step did not run');
        f.note(`ICE unreachable ${l.outage.from} – ${l.outage.to}: ${JSON.stringify(l.outage)}`);
        f.expect(l.outage.movementsStarted > 0, 'no movement started while ICE was unreachable');
        f.expect(l.outage.failedRequests === 0, `${l.outage.failedRequests} requests failed while ICE was unreachable`);
        f.expect(
          l.outage.movementsReleased === l.outage.movementsStarted,
          `${l.outage.movementsReleased} of ${l.outage.movementsStarted} movements released while ICE was unreachable`,
        );
        return f.outcome(`${l.outage.movementsReleased} movements lodged and released while ICE was unreachable`);
      }),
  },
  {
    requirement: 'C2C-NOTHING-LOST',
    step: 'load',
    run: (_s, state) =>
      onLoad(state.load, (l, f) => {
        if (l.expectedMessages === 0)
          return notApplicable('no movement of the load crossed another country of the exchange');
        f.note(`${figures(l)}; ${l.expectedMessages} anticipated records expected at ICE`);
        for (const k of l.lost.slice(0, 10)) f.note(`never reached ICE: ${k}`);
        for (const k of l.splitIds.slice(0, 10)) f.note(`reached ICE under more than one id: ${k}`);
        f.expect(l.reconnected, 'the node did not reconnect to ICE after the fault');
        f.expect(
          l.lost.length === 0,
          `${l.lost.length} of ${l.expectedMessages} anticipated records never reached ICE`,
        );
        f.expect(l.splitIds.length === 0, `${l.splitIds.length} anticipated records sent under more than one id`);
        return f.outcome(`all ${l.expectedMessages} anticipated records reached ICE, each under one id`);
      }),
  },
];
