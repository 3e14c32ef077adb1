// Log in, then browse: groups nest, checks in every group, helpers from an imported module block.
import { check, group, sleep } from 'k6';
import { api, login } from './lib/api.js';

export const options = {
  scenarios: { browse: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } },
  thresholds: {
    'checks{check:item ok}': ['rate==1'],
    'group_duration{group:::browse::details}': ['max<600000'],
  },
};

export default function () {
  let token;
  group('login', () => {
    token = login(`user${__VU}`);
  });
  group('browse', () => {
    const items = api.items(token);
    check(items, { 'three items': (list) => list.length === 3 });
    items.forEach((item) => {
      group('details', () => {
        const res = api.item(token, item.id);
        check(res, { 'item ok': (r) => r.status === 200 && r.json('id') === item.id });
      });
    });
  });
  sleep(0.01);
}
