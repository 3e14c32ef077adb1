// Paths built from __VU and __ITER.
import http from 'k6/http';

export const options = { scenarios: { paths: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } } };

export default function () {
  http.get(`${__ENV.BASE}/vu/${__VU}/iter/${__ITER}`);
}
