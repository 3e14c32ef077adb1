// Thresholds on group and tag sub-metrics; the last one cannot hold, so the run exits 99.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  iterations: 3,
  thresholds: {
    'http_req_duration{group:::slow}': ['min>=50'],
    'checks{group:::slow}': ['rate==1'],
    'http_reqs{kind:fast}': ['count==6'],
    'http_reqs{kind:never}': ['count>0'],
  },
};

export default function () {
  const base = __ENV.BASE;
  group('slow', () => {
    check(http.get(`${base}/slow/50`), { 'slow ok': (r) => r.status === 200 });
  });
  http.get(`${base}/fast/1`, { tags: { kind: 'fast' } });
  http.get(`${base}/fast/2`, { tags: { kind: 'fast' } });
}
