// The engine benchmark's script in k6's blocking form, as most k6 scripts are written: see engine-script.js.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  vus: Number(__ENV.VUS || 50),
  duration: __ENV.DURATION || '10s',
};

const target = __ENV.TARGET || 'http://127.0.0.1:8080/';
const checked = __ENV.CHECK !== '0';

export default function () {
  const res = http.get(target);
  if (checked) check(res, { 'status is 200': (r) => r.status === 200 });
}
