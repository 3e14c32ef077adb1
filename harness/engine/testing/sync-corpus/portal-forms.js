// A server-rendered portal: read the page with res.html(), follow a link, submit the form with its hidden token.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  scenarios: { portal: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } },
  thresholds: { 'checks{group:::lodge}': ['rate==1'] },
};

export default function () {
  let page;
  group('open', () => {
    page = http.get(`${__ENV.BASE}/portal`);
    const doc = page.html();
    check(doc, {
      'three movements listed': (d) => d.find('table.movements tbody tr').size() === 3,
      'token in the form': (d) => d.find('form#lodge input[name=_csrf]').val() === 'csrf-7',
    });
  });
  group('movement', () => {
    const links = page.html('table.movements a').map((i, a) => a.attr('href'));
    const res = page.clickLink({ selector: `a[href="${links[__ITER % links.length]}"]` });
    check(res, { 'movement opened': (r) => r.status === 200 && r.html('h1').text() === `Movement ${__ITER % 3}` });
  });
  group('lodge', () => {
    const res = page.submitForm({ formSelector: '#lodge', fields: { lrn: `LRN-${__VU}-${__ITER}` } });
    check(res, { lodged: (r) => r.status === 201 && r.json('lrn') === `LRN-${__VU}-${__ITER}` });
  });
}
