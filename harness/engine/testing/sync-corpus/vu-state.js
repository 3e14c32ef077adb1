// Top-level state is each VU's own, in the script and in the modules it imports, as in k6.
import { Counter } from 'k6/metrics';
import exec from 'k6/execution';
import { bump } from './lib/tally.js';

const seen = new Counter('seen');
const wrong = new Counter('wrong');
let iterations = 0;
const initVu = __VU;

export const options = {
  scenarios: { state: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } },
  thresholds: { wrong: ['count==0'] },
};

export default function () {
  iterations++;
  seen.add(iterations);
  if (initVu !== exec.vu.idInTest || __VU !== initVu) wrong.add(1);
  if (bump() !== iterations) wrong.add(1);
}
