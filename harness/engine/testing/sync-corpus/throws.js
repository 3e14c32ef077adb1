// An iteration that throws ends there; the next one starts as usual.
import http from 'k6/http';

export const options = { vus: 1, iterations: 6 };

export default function () {
  http.get(`${__ENV.BASE}/before/${__ITER}`);
  if (__ITER % 3 === 2) throw new Error(`bad iteration ${__ITER}`);
  http.get(`${__ENV.BASE}/after/${__ITER}`);
}
