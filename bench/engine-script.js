// The engine benchmark's scripts: one GET per iteration against TARGET, as fast as the VUs go, in k6's async
// form (this file) or its blocking form (engine-script-sync.js); CHECK=0 leaves the check out.
// Runs unchanged under k6 (v0.49+) and `cats-stress run`.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  vus: Number(__ENV.VUS || 50),
  duration: __ENV.DURATION || '10s',
};

const target = __ENV.TARGET || 'http://127.0.0.1:8080/';
const checked = __ENV.CHECK !== '0';

export default async function () {
  const res = await http.asyncRequest('GET', target);
  if (checked) check(res, { 'status is 200': (r) => r.status === 200 });
}
