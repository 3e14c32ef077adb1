// Async and blocking forms in one script: an async function awaits a blocking helper and vice versa.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = { vus: 2, iterations: 4 };

function serial(base) {
  return http.get(`${base}/serial`).status;
}

async function parallel(base) {
  const responses = await Promise.all([
    http.asyncRequest('GET', `${base}/parallel/1`),
    http.asyncRequest('GET', `${base}/parallel/2`),
  ]);
  return responses.map((r) => r.status);
}

export default async function () {
  const base = __ENV.BASE;
  const statuses = await parallel(base);
  const status = serial(base);
  sleep(0.01);
  check(statuses.concat(status), { 'all answered': (s) => s.length === 3 && s.every((x) => x === 200) });
}
