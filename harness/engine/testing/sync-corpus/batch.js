// A batch of parallel requests, as an array and as an object; at most batchPerHost of them at once.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 1, iterations: 2, batchPerHost: 3 };

export default function () {
  const base = __ENV.BASE;
  const list = http.batch([
    `${base}/slow/150`,
    ['GET', `${base}/slow/150`, null, { tags: { name: 'slow' } }],
    { method: 'POST', url: `${base}/slow/150`, body: 'x' },
    ['GET', `${base}/slow/150`],
  ]);
  check(list, { 'four answers': (l) => l.length === 4 && l.every((r) => r.status === 200) });
  const named = http.batch({ first: `${base}/first`, second: ['GET', `${base}/second`] });
  check(named, { 'named answers': (o) => o.first.url.endsWith('/first') && o.second.url.endsWith('/second') });
}
