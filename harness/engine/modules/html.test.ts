// k6/html: the Selection and Element API on a declarations page as a customs portal would serve it,
// and Response.html() in a script against a loopback server.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource, stderrBesidesHealth } from '../testing/run-fixture.ts';
import html, { parseHTML } from './html.ts';
import type { Element } from './html/element.ts';

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><title>CATS: transit declarations</title></head>
<body>
<h1 id="top" data-office="GE000101" data-count="3" data-opts='{"mode":"road"}' data-not-num="1.50" data-user-id="7">Declarations</h1>
<table id="movements">
<thead><tr><th scope="col">MRN</th><th>Status</th></tr></thead>
<tbody>
<tr class="accepted"><td><a href="/movements/26GE000101A1B2C3D4?tab=items#goods">26GE000101A1B2C3D4</a></td><td>Accepted</td></tr>
<tr class="released"><td><a href="movements/26AZ000201E5F6G7H8">26AZ000201E5F6G7H8</a></td><td>Released</td></tr>
<tr class="accepted"><td><a href="https://ice.example:8443/m/26KZ">26KZ</a></td><td>Accepted</td></tr>
</tbody>
</table>
<form id="lodge" method="POST" action="/ctd">
<input type="hidden" name="_csrf" value="tok-123">
<label>LRN <input name="lrn" value="LRN-1" maxlength="22"></label>
<input type="checkbox" name="urgent" checked="checked">
<input type="checkbox" name="sealed">
<input type="radio" name="mode" value="road" checked="checked"><input type="radio" name="mode" value="rail">
<select name="office"><option value="GE000101">Tbilisi</option><option value="AZ000201" selected>Baku</option></select>
<select name="docs" multiple><option selected>N380</option><option value="N741" selected>Invoice</option><option>N935</option></select>
<textarea name="remarks">Seal 1 &amp; 2</textarea>
<input name="off" value="x" disabled="disabled">
<input type="submit" name="go" value="Lodge">
</form>
<p>"Sealed" &amp; <br>checked</p>
<ul><li>a</li><li class="x">b</li><li>c</li><li class="x">d</li></ul>
<!-- end -->
</body></html>`;

describe('k6/html Selection', () => {
  const doc = parseHTML(PAGE);

  it('finds, filters and walks as goquery does', () => {
    const rows = doc.find('tbody tr');
    expect(rows.size()).toBe(3);
    expect(rows.filter('.accepted').size()).toBe(2);
    expect(rows.not('.accepted').find('a').text()).toBe('26AZ000201E5F6G7H8');
    expect(rows.eq(-1).find('td').last().text()).toBe('Accepted');
    expect(rows.map((i, row) => `${i}:${row.find('td').eq(1).text()}`)).toEqual([
      '0:Accepted',
      '1:Released',
      '2:Accepted',
    ]);
    expect(rows.filter((i) => i > 0).size()).toBe(2);
    expect(rows.is('.released')).toBe(true);
    expect(rows.is((_, row) => row.text().includes('26KZ'))).toBe(true);
    expect(rows.first().closest('table').attr('id')).toBe('movements');
    expect(doc.find('tr').has('a').size()).toBe(3);
    expect(doc.find('li').slice(1, 3).text()).toBe('bc');
    expect(doc.find('li').slice(2).text()).toBe('cd');
    const li = doc.find('li.x').first();
    expect(li.next().text()).toBe('c');
    expect(li.nextAll('.x').text()).toBe('d');
    expect(li.prev().text()).toBe('a');
    expect(li.siblings().size()).toBe(3);
    expect(doc.find('li').last().prevUntil('.x').text()).toBe('c');
    expect(doc.find('li').first().nextUntil(doc.find('li').last(), ':not(.x)').text()).toBe('c');
    expect(doc.find('a').first().parentsUntil('table').size()).toBe(3); // td, tr, tbody
    expect(doc.find('ul').children('.x').size()).toBe(2);
    expect(doc.find('p').contents().size()).toBe(3);
    expect(doc.find('ul').find('li').end().is('ul')).toBe(true);
    expect(doc.find('h1').add('title').size()).toBe(2);
    expect(doc.find('li.x').index()).toBe(1);
    expect(doc.find('li').index(doc.find('li.x').last())).toBe(3);
    expect(doc.find('li.x').index('li')).toBe(1);
    expect(doc.find('h1').attr('missing')).toBeUndefined();
    expect(doc.find('h1').attr('missing', 'fallback')).toBe('fallback');
    expect(doc.find('nothing').attr('id')).toBeUndefined();
    expect(doc.find('title').text()).toBe('CATS: transit declarations');
    expect(
      doc
        .find('li')
        .toArray()
        .map((s) => s.text()),
    ).toEqual(['a', 'b', 'c', 'd']);
    expect(html.parseHTML('<b>x</b>').find('b').text()).toBe('x');
  });

  it("renders html() as Go does: void elements closed with '/>', quotes escaped", () => {
    expect(doc.find('p').html()).toBe('&#34;Sealed&#34; &amp; <br/>checked');
    expect(doc.find('nothing').html()).toBe('');
    expect(parseHTML('<pre>\n\nx</pre><script>if (a < b) x()</script>').find('body').html()).toBe(
      '<pre>\n\nx</pre><script>if (a < b) x()</script>',
    );
  });

  it('reads data- attributes as k6 does: camelCase keys, JSON, exact numbers only', () => {
    const h1 = doc.find('h1');
    expect(h1.data('office')).toBe('GE000101');
    expect(h1.data('count')).toBe(3);
    expect(h1.data('notNum')).toBe('1.50');
    expect(h1.data('not-num')).toBe('1.50');
    expect(h1.data()).toEqual({ office: 'GE000101', count: 3, opts: { mode: 'road' }, notNum: '1.50', userID: 7 });
    expect(doc.find('li').data()).toBeUndefined();
  });

  it('gives form values and serialises the successful controls', () => {
    const form = doc.find('form');
    expect(form.find('[name=urgent]').val()).toBe('on');
    expect(form.find('[name=docs]').val()).toEqual(['N380', 'N741']);
    expect(form.find('[name=office]').val()).toBe('AZ000201');
    expect(form.find('textarea').val()).toBe('Seal 1 &amp; 2');
    expect(doc.find('h1').val()).toBeUndefined();
    expect(form.serializeObject()).toEqual({
      _csrf: 'tok-123',
      lrn: 'LRN-1',
      urgent: 'on',
      mode: 'road',
      office: 'AZ000201',
      docs: ['N380', 'N741'],
      remarks: 'Seal 1 &amp; 2',
    });
    expect(form.serializeArray().map((f) => f.name)).toEqual([
      '_csrf',
      'lrn',
      'urgent',
      'mode',
      'office',
      'docs',
      'remarks',
    ]);
    expect(form.serialize()).toBe(
      '_csrf=tok-123&docs=N380&docs=N741&lrn=LRN-1&mode=road&office=AZ000201&remarks=Seal+1+%26amp%3B+2&urgent=on',
    );
  });

  it('says which argument it cannot use', () => {
    expect(() => doc.find(42 as unknown as string)).toThrow("invalid argument, cannot use a 'number' as a selector");
    expect(() => doc.each('x' as unknown as () => void)).toThrow('the argument to each() must be a function');
    expect(() =>
      doc.find('li').each(() => {
        throw new Error('boom');
      }),
    ).toThrow('the function passed to each() failed: boom');
    expect(() => doc.filter(3 as unknown as string)).toThrow(
      'the argument to filter() must be a function, a selector or a selection',
    );
  });
});

describe('k6/html Element', () => {
  const doc = parseHTML(PAGE, 'http://portal.test/declarations/');
  const get = (selector: string) => doc.find(selector).get(0) as Element & Record<string, () => unknown>;

  it('resolves links against the document URL and splits them as k6 does', () => {
    const a = get('a');
    expect(a.href()).toBe('http://portal.test/movements/26GE000101A1B2C3D4?tab=items#goods');
    expect(a.pathname()).toBe('/movements/26GE000101A1B2C3D4');
    expect(a.search()).toBe('?tab=items');
    expect(a.hash()).toBe('#goods');
    expect(a.protocol()).toBe('http');
    expect(a.toString()).toBe(a.href());
    expect((doc.find('a').get(1) as unknown as Record<string, () => string>).href()).toBe(
      'http://portal.test/declarations/movements/26AZ000201E5F6G7H8',
    );
    const abroad = doc.find('a').get(-1) as unknown as Record<string, () => string>;
    expect([abroad.host(), abroad.hostname(), abroad.port(), abroad.origin()]).toEqual([
      'ice.example:8443',
      'ice.example',
      '8443',
      'https://ice.example:8443',
    ]);
    expect((parseHTML(PAGE).find('a').get(0) as unknown as Record<string, () => string>).href()).toBe(
      '/movements/26GE000101A1B2C3D4?tab=items#goods',
    );
  });

  it('gives form controls their form, labels, type and value', () => {
    const lrn = get('input[name=lrn]');
    expect((lrn.form() as Element).id()).toBe('lodge');
    expect((lrn.labels() as Element[]).map((l) => l.textContent())).toEqual(['LRN ']);
    expect([lrn.type(), lrn.value(), lrn.maxLength(), lrn.formMethod(), lrn.formAction()]).toEqual([
      'text',
      'LRN-1',
      22,
      'post',
      'http://portal.test/ctd',
    ]);
    expect(get('input[name=urgent]').checked()).toBe(true);
    expect(get('input[name=sealed]').checked()).toBe(false);
    const office = get('select[name=office]');
    expect([office.selectedIndex(), office.value(), office.length(), office.type()]).toEqual([
      1,
      'AZ000201',
      2,
      'select',
    ]);
    expect(get('select[name=docs]').type()).toBe('select-multiple');
    expect(get('form').method()).toBe('get'); // k6 compares the attribute as written: 'POST' is not 'post'
    expect((get('form').elements() as Element[]).length).toBe(11);
  });

  it('walks the tree with DOM names and node types', () => {
    const table = get('table');
    expect((table.rows() as Element[]).length).toBe(4);
    expect((table.tHead() as Element).nodeName()).toBe('thead');
    expect(get('th').scope()).toBe('col');
    const row = doc.find('tbody tr').get(1) as Element & Record<string, () => number>;
    expect([row.rowIndex(), row.sectionRowIndex()]).toEqual([2, 1]);
    expect((doc.find('tbody td').get(3) as Element & Record<string, () => number>).cellIndex()).toBe(1);
    const li = get('li.x');
    expect([li.nodeName(), li.nodeType(), li.textContent(), li.classList()]).toEqual(['li', 1, 'b', ['x']]);
    expect(li.nextElementSibling()?.textContent()).toBe('c');
    expect(li.parentElement()?.childElementCount()).toBe(4);
    expect(li.parentElement()?.contains(li)).toBe(true);
    expect(li.contains(li)).toBe(false);
    expect(li.isSameNode(doc.find('li').get(1))).toBe(true);
    expect(li.matches('.x')).toBe(true);
    const text = doc.find('p').contents().get(0)!;
    expect([text.nodeName(), text.nodeType(), text.nodeValue(), text.toString()]).toEqual([
      '#text',
      3,
      '"Sealed" & ',
      '[object #text]',
    ]);
    expect(get('html').lang()).toBe('en');
    expect(get('h1').attributes()['data-office']?.value).toBe('GE000101');
    expect(get('h1').getAttributeNode('id')?.namespaceURI()).toBe('http://www.w3.org/1999/xhtml');
    expect(get('h1').ownerDocument()?.nodeType()).toBe(9);
    const kinds: string[] = [];
    doc.find('h1, a, select').each((i, el) => kinds.push(`${i}:${el?.constructor.name}`));
    expect(kinds).toEqual([
      '0:Element',
      '1:AnchorElement',
      '2:AnchorElement',
      '3:AnchorElement',
      '4:SelectElement',
      '5:SelectElement',
    ]);
  });
});

describe('Response.html() in a script', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // The declarations page; a search form sent with GET; anything else echoes the request it got.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'text/html');
        if (req.url === '/declarations/list') res.end(PAGE);
        else if (req.url === '/search')
          res.end(
            '<form action="/find"><input name="q" value="seal ~*"><input type="submit" name="go" value="Find"></form>',
          );
        else res.end(`${req.method} ${req.url}\n${body}`);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  /** Runs a script that must run cleanly; its checks as [name, passes, fails]. */
  async function checked(source: string) {
    const run = await runSource(source, { workers: 1 });
    expect(stderrBesidesHealth(run.stderr)).toBe('');
    expect(run.exitCode).toBe(0);
    return { run, checks: run.summaryData!.root_group.checks.map((c) => [c.name, c.passes, c.fails]) };
  }

  it('parses the body with the response URL as base', async () => {
    const { checks } = await checked(
      `
import http from 'k6/http';
import { check } from 'k6';
import { parseHTML } from 'k6/html';
export const options = { vus: 2, iterations: 6 };
export default function () {
  const res = http.get('${base}/declarations/list');
  const doc = res.html();
  check(doc, {
    'token read': (d) => d.find('input[name=_csrf]').attr('value') === 'tok-123',
    'three movements': (d) => d.find('tbody tr').size() === 3,
  });
  check(res.html('a').get(1), { 'link resolved': (a) => a.href() === '${base}/declarations/movements/26AZ000201E5F6G7H8' });
  check(parseHTML(res.body), { 'parseHTML has no URL': (d) => d.url === '' && d.find('a').get(0).href() === '/movements/26GE000101A1B2C3D4?tab=items#goods' });
}`,
    );
    expect(checks).toEqual([
      ['token read', 6, 0],
      ['three movements', 6, 0],
      ['link resolved', 6, 0],
      ['parseHTML has no URL', 6, 0],
    ]);
  });

  it('submits forms and follows links as k6 does, blocking in a plain function', async () => {
    const { run, checks } = await checked(
      `
import http from 'k6/http';
import { check } from 'k6';
export const options = { vus: 1, iterations: 2 };
function lodge(page) {
  return page.submitForm({ formSelector: '#lodge', fields: { lrn: 'LRN-9' } });
}
export default function () {
  const page = http.get('${base}/declarations/list');
  check(lodge(page), {
    'posted to the action, sorted, with the submit button': (r) =>
      r.body === 'POST /ctd\\n_csrf=tok-123&docs=N380&docs=N741&go=Lodge&lrn=LRN-9&mode=road&office=AZ000201&remarks=Seal+1+%26amp%3B+2&urgent=on',
  });
  check(http.get('${base}/search').submitForm(), {
    'sent as a query': (r) => r.body === 'GET /find?go=Find&q=seal+~%2A\\n',
  });
  check(page.clickLink({ selector: 'tbody a' }), {
    'followed the link': (r) => r.body === 'GET /movements/26GE000101A1B2C3D4?tab=items\\n',
  });
  let missing = '';
  try {
    page.submitForm({ formSelector: '#none' });
  } catch (e) {
    missing = String(e.message);
  }
  check(missing, { 'no such form': (m) => m.startsWith("no form found for selector '#none' in response") });
}`,
    );
    expect(checks).toEqual([
      ['posted to the action, sorted, with the submit button', 2, 0],
      ['sent as a query', 2, 0],
      ['followed the link', 2, 0],
      ['no such form', 2, 0],
    ]);
    expect(run.summaryData!.metrics.http_reqs!.values.count).toBe(10);
  });
});
