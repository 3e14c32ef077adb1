// The API helpers a suite of k6 scripts shares: each blocks on its request.
import http from 'k6/http';
import { check } from 'k6';

const base = () => __ENV.BASE;
const json = { 'Content-Type': 'application/json' };

function auth(token) {
  return { headers: { Authorization: `Bearer ${token}` } };
}

export function login(user, password = 'secret') {
  const res = http.post(`${base()}/login`, JSON.stringify({ user, password }), { headers: json });
  check(res, { 'logged in': (r) => r.status === 200 });
  return res.json('token');
}

export const api = {
  items(token) {
    return http.get(`${base()}/items`, auth(token)).json();
  },
  item: (token, id) => http.get(http.url`${base()}/items/${id}`, auth(token)),
};

export class Client {
  constructor(token) {
    this.token = token;
  }

  fetch(path) {
    return http.get(`${base()}${path}`, auth(this.token));
  }
}
