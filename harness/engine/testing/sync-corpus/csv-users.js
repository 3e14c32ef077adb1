// A CSV-driven loop: every iteration logs in as the next user of a SharedArray.
import http from 'k6/http';
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { parseCsv } from './lib/csv.js';

const users = new SharedArray('users', () => parseCsv(open('./data/users.csv')));

export const options = { scenarios: { logins: { executor: 'shared-iterations', vus: 2, iterations: 6 } } };

export default function () {
  const user = users[exec.scenario.iterationInTest % users.length];
  const res = http.post(`${__ENV.BASE}/login`, JSON.stringify({ user: user.username, password: user.password }));
  check(res, { 'token for the user': (r) => r.json('token') === `token-${user.username}` });
}
