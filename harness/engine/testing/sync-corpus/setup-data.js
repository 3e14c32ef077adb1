// setup() logs in once; every VU gets its data; map() callbacks and a class's methods block.
import { check } from 'k6';
import http from 'k6/http';
import { Client, login } from './lib/api.js';

export const options = { vus: 2, iterations: 4 };

export function setup() {
  return { token: login('setup'), ids: [1, 2] };
}

export default function (data) {
  const client = new Client(data.token);
  const statuses = data.ids.map((id) => client.fetch(`/items/${id}`).status);
  check(statuses, { 'both found': (s) => s.length === 2 && s.every((x) => x === 200) });
}

export function teardown(data) {
  http.post(`${__ENV.BASE}/logout`, data.token);
}
