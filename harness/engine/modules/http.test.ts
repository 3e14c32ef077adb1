import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../reference/net/free-port.ts';
import { testVu } from '../../../test/support/vu.ts';
import http, { asyncRequest, closeHttp, expectedStatuses, type Response } from './http.ts';

let server: Server;
let base: string;

function handle(req: IncomingMessage, res: ServerResponse): void {
  const u = new URL(req.url ?? '/', 'http://x');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    switch (u.pathname) {
      case '/ok':
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-multi', ['a', 'b']);
        res.end(JSON.stringify({ transit: { mrn: '24GB000246J8NY33L7', items: [{ id: 7 }, { id: 8 }] } }));
        return;
      case '/echo':
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
        return;
      case '/status':
        res.statusCode = Number(u.searchParams.get('code'));
        res.end('status');
        return;
      case '/delay':
        setTimeout(() => res.end('late'), Number(u.searchParams.get('ms')));
        return;
      case '/redirect':
        res.statusCode = 302;
        res.setHeader('location', '/ok');
        res.end();
        return;
      case '/see-other':
        res.statusCode = 303;
        res.setHeader('location', '/echo');
        res.end();
        return;
      case '/slow-body':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.flushHeaders();
        setTimeout(() => res.end('late body'), Number(u.searchParams.get('ms')));
        return;
      case '/bytes':
        res.end(Buffer.from([0, 1, 2, 255]));
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeHttp();
  await new Promise((resolve) => server.close(resolve));
});

describe('k6/http asyncRequest', () => {
  it('returns k6 Response fields', async () => {
    const vu = testVu();
    const r = await vu.run(() => asyncRequest('GET', `${base}/ok`));
    expect(r.status).toBe(200);
    expect(r.status_text).toBe('200 OK');
    expect(r.proto).toBe('HTTP/1.1');
    expect(r.url).toBe(`${base}/ok`);
    expect(r.error).toBe('');
    expect(r.error_code).toBe(0);
    expect(r.headers['Content-Type']).toBe('application/json');
    expect(r.headers['X-Multi']).toBe('a, b');
    expect(r.json('transit.mrn')).toBe('24GB000246J8NY33L7');
    expect(r.json('transit.items.1.id')).toBe(8);
    expect(r.json('transit.items.#')).toBe(2);
    expect(r.json('transit.missing.x')).toBeUndefined();
    expect(JSON.parse(r.body as string).transit.items).toHaveLength(2);
    expect(r.request.method).toBe('GET');
    // The peer, on a fresh connection and on the kept-alive one after it.
    const again = await vu.run(() => asyncRequest('GET', `${base}/ok`));
    const port = Number(new URL(base).port);
    for (const x of [r, again])
      expect([x.remote_ip, x.remote_port, x.tls_version, x.tls_cipher_suite]).toEqual(['127.0.0.1', port, '', '']);
  });

  it('measures phases that add up to the duration, with waiting covering the server delay', async () => {
    const vu = testVu();
    const r = await vu.run(() => asyncRequest('GET', `${base}/delay?ms=60`));
    const t = r.timings;
    expect(t.duration).toBeCloseTo(t.sending + t.waiting + t.receiving, 6);
    expect(t.waiting).toBeGreaterThanOrEqual(55);
    expect(t.duration).toBeLessThan(1000);
    for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
    const durations = vu.of('http_req_duration');
    expect(durations).toHaveLength(1);
    expect(durations[0].value).toBe(t.duration);
    expect(vu.of('http_req_waiting')[0].value).toBe(t.waiting);
  });

  it('splits waiting (to the first byte) from receiving (the rest of the body)', async () => {
    const vu = testVu();
    const r = await vu.run(() => asyncRequest('GET', `${base}/slow-body?ms=120`));
    expect(r.body).toBe('late body');
    expect(r.timings.waiting).toBeLessThan(60);
    // The body's end comes 120 ms after its first byte: that time is receiving's (less however late the first byte was read).
    expect(r.timings.receiving).toBeGreaterThan(r.timings.waiting);
    expect(r.timings.waiting + r.timings.receiving).toBeGreaterThanOrEqual(115);
    expect(r.timings.duration).toBeCloseTo(r.timings.sending + r.timings.waiting + r.timings.receiving, 6);
  });

  it('emits k6 metrics with system tags merged with VU and request tags', async () => {
    const vu = testVu({ scenario: 'ctd', group: '::submit', testid: 'run-1' });
    await vu.run(() => asyncRequest('GET', `${base}/ok`, null, { tags: { operation: 'read' } }));
    const names = vu.samples.map((s) => s.metric).sort();
    expect(names).toEqual(
      [
        'data_received',
        'data_sent',
        'http_req_blocked',
        'http_req_connecting',
        'http_req_duration',
        'http_req_failed',
        'http_req_receiving',
        'http_req_sending',
        'http_req_tls_handshaking',
        'http_req_waiting',
        'http_reqs',
      ].sort(),
    );
    const [reqs] = vu.of('http_reqs');
    expect(reqs.value).toBe(1);
    expect(reqs.tags).toEqual({
      scenario: 'ctd',
      group: '::submit',
      testid: 'run-1',
      operation: 'read',
      method: 'GET',
      url: `${base}/ok`,
      name: `${base}/ok`,
      status: '200',
      proto: 'HTTP/1.1',
      expected_response: 'true',
    });
    expect(vu.of('http_req_failed')[0].value).toBe(0);
    // Data counters carry the VU's tags, not the request's.
    expect(vu.of('data_sent')[0].tags).toEqual({ scenario: 'ctd', group: '::submit', testid: 'run-1' });
    expect(vu.of('data_sent')[0].value).toBeGreaterThan(40);
    expect(vu.of('data_received')[0].value).toBeGreaterThan(80);
    // One frozen tag object shared by all samples of the request.
    const httpSamples = vu.samples.filter((s) => s.metric.startsWith('http_'));
    expect(new Set(httpSamples.map((s) => s.tags)).size).toBe(1);
    expect(Object.isFrozen(reqs.tags)).toBe(true);
  });

  it('counts in data_sent and data_received the bytes the server read and wrote', async () => {
    const sockets: Socket[] = [];
    const counting = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end('{"status":"ACCEPTED"}');
      });
    });
    counting.on('connection', (s: Socket) => sockets.push(s));
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/v1/ctd?country=KZ`;
    const vu = testVu();
    for (let i = 0; i < 6; i++)
      await vu.run(() =>
        i % 2
          ? asyncRequest('POST', target, JSON.stringify({ lrn: `L${i}` }), {
              headers: { 'Content-Type': 'application/json' },
            })
          : asyncRequest('GET', target),
      );
    const total = (metric: string) => vu.of(metric).reduce((sum, s) => sum + s.value, 0);
    expect(total('data_sent')).toBe(sockets.reduce((sum, s) => sum + s.bytesRead, 0));
    expect(total('data_received')).toBe(sockets.reduce((sum, s) => sum + s.bytesWritten, 0));
    await new Promise((resolve) => {
      counting.close(resolve);
      counting.closeAllConnections();
    });
  });

  it('names requests with http.url and tags.name, and uses the name as url tag', async () => {
    const vu = testVu();
    const id = 42;
    await vu.run(() => asyncRequest('GET', http.url`${base}/status?code=${200}&id=${id}`));
    expect(vu.of('http_reqs')[0].tags.name).toBe('${}/status?code=${}&id=${}');
    expect(vu.of('http_reqs')[0].tags.url).toBe('${}/status?code=${}&id=${}');
    await vu.run(() => asyncRequest('GET', `${base}/ok?x=1`, null, { tags: { name: 'GET /ok' } }));
    const last = vu.of('http_reqs')[1].tags;
    expect(last.name).toBe('GET /ok');
    expect(last.url).toBe('GET /ok');
  });

  it('counts unexpected statuses in http_req_failed, with k6 error codes', async () => {
    const vu = testVu();
    const r = await vu.run(() => asyncRequest('GET', `${base}/status?code=404`));
    expect(r.status).toBe(404);
    expect(r.error_code).toBe(1404);
    expect(vu.of('http_req_failed')[0].value).toBe(1);
    expect(vu.of('http_reqs')[0].tags).toMatchObject({ status: '404', expected_response: 'false', error_code: '1404' });

    await vu.run(() =>
      asyncRequest('GET', `${base}/status?code=404`, null, {
        responseCallback: expectedStatuses(404, { min: 200, max: 204 }),
      }),
    );
    expect(vu.of('http_req_failed')[1].value).toBe(0);
    expect(vu.of('http_reqs')[1].tags.expected_response).toBe('true');

    await vu.run(() => asyncRequest('GET', `${base}/status?code=500`, null, { responseCallback: null }));
    expect(vu.of('http_req_failed')).toHaveLength(2);
    expect(vu.of('http_reqs')[2].tags.expected_response).toBeUndefined();
  });

  it('rejects malformed expectedStatuses arguments', () => {
    expect(() => expectedStatuses(200, 'x' as unknown as number)).toThrow(/argument 1/);
    expect(() => expectedStatuses({ min: 200 } as unknown as { min: number; max: number })).toThrow(/min, max/);
  });

  it('reports a refused connection as error 1212 with status 0', async () => {
    const port = await freePort();
    const vu = testVu();
    const r = await vu.run(() => asyncRequest('GET', `http://127.0.0.1:${port}/`));
    expect(r.status).toBe(0);
    expect(r.error_code).toBe(1212);
    expect(r.error).toBe('dial: connection refused');
    expect(r.body).toBeNull();
    expect(vu.of('http_reqs')[0].tags).toMatchObject({
      status: '0',
      error_code: '1212',
      error: 'dial: connection refused',
      expected_response: 'false',
    });
    expect(vu.of('http_req_failed')[0].value).toBe(1);
  });

  it('times out after params.timeout with error 1050', async () => {
    const vu = testVu();
    const started = performance.now();
    const r = await vu.run(() => asyncRequest('GET', `${base}/delay?ms=3000`, null, { timeout: '150ms' }));
    const elapsed = performance.now() - started;
    expect(r.error_code).toBe(1050);
    expect(r.error).toBe('request timeout');
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(2000);
    expect(vu.of('http_reqs')[0].tags.error_code).toBe('1050');
  });

  it('follows redirects, emitting each hop, and stops when redirects is 0', async () => {
    const vu = testVu();
    const r = await vu.run(() => asyncRequest('GET', `${base}/redirect`));
    expect(r.status).toBe(200);
    expect(r.url).toBe(`${base}/ok`);
    expect(vu.of('http_reqs').map((s) => s.tags.status)).toEqual(['302', '200']);

    const r2 = await vu.run(() => asyncRequest('GET', `${base}/redirect`, null, { redirects: 0 }));
    expect(r2.status).toBe(302);
    expect(r2.headers.Location).toBe('/ok');

    const r3 = await vu.run(() =>
      asyncRequest('POST', `${base}/see-other`, 'payload', { headers: { 'Content-Type': 'text/plain' } }),
    );
    expect(r3.json('method')).toBe('GET');
    expect(r3.json('body')).toBe('');
  });

  it('sends headers and bodies as k6 does (objects as urlencoded forms)', async () => {
    const vu = testVu();
    const r = await vu.run(() =>
      asyncRequest(
        'POST',
        `${base}/echo`,
        { lrn: 'LRN 1', country: 'KZ', seal: 'a~b*' },
        { headers: { 'X-Trace': 'abc' } },
      ),
    );
    expect(r.json('method')).toBe('POST');
    expect(r.json('body')).toBe('country=KZ&lrn=LRN+1&seal=a~b%2A'); // Go's url.Values: sorted, QueryEscape
    expect(r.json('headers.content-type')).toBe('application/x-www-form-urlencoded');
    expect(r.json('headers.x-trace')).toBe('abc');
    expect(r.json('headers.user-agent')).toMatch(/cats-stress/);

    const json = await vu.run(() =>
      asyncRequest('PUT', `${base}/echo`, JSON.stringify({ a: 1 }), {
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'mine' },
      }),
    );
    expect(json.json('body')).toBe('{"a":1}');
    expect(json.json('headers.user-agent')).toBe('mine');
  });

  it('honours responseType binary and none', async () => {
    const vu = testVu();
    const bin = await vu.run(() => asyncRequest('GET', `${base}/bytes`, null, { responseType: 'binary' }));
    expect(bin.body).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bin.body as ArrayBuffer)]).toEqual([0, 1, 2, 255]);
    const none = await vu.run(() => asyncRequest('GET', `${base}/ok`, null, { responseType: 'none' }));
    expect(none.body).toBeNull();
    expect(none.status).toBe(200);
    expect(() => vu.run(() => asyncRequest('GET', `${base}/ok`, null, { responseType: 'blob' as 'text' }))).toThrow(
      /responseType/,
    );
  });

  it('returns error 1020 for an unusable URL without emitting samples', async () => {
    const vu = testVu();
    const r = await vu.run(() => asyncRequest('GET', 'not a url'));
    expect(r.error_code).toBe(1020);
    expect(vu.samples).toHaveLength(0);
  });

  it('fails in-flight requests without samples when the VU is stopped', async () => {
    const vu = testVu();
    const pending = vu.run(() => asyncRequest('GET', `${base}/delay?ms=3000`));
    setTimeout(() => vu.abort.abort(), 50);
    const r: Response = await pending;
    expect(r.error).toBe('context canceled');
    expect(vu.samples).toHaveLength(0);
  });

  it('cannot be called in the init context', () => {
    expect(() => asyncRequest('GET', `${base}/ok`)).toThrow(/init context/);
  });

  it('sends an object with an http.file() in it as a multipart form, array fields of other forms repeated', async () => {
    const vu = testVu();
    const declaration = http.file('<CC015C/>', 'ie015.xml', 'application/xml');
    const r = await vu.run(() =>
      asyncRequest('POST', `${base}/echo`, { lrn: 'LRN-7', declaration, raw: http.file(new Uint8Array([104, 105])) }),
    );
    const type = r.json('headers.content-type') as string;
    expect(type).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{60}$/);
    const form = await new globalThis.Response(r.json('body') as string, {
      headers: { 'content-type': type },
    }).formData();
    expect(form.get('lrn')).toBe('LRN-7');
    const part = form.get('declaration') as File;
    expect([part.name, part.type, await part.text()]).toEqual(['ie015.xml', 'application/xml', '<CC015C/>']);
    const raw = form.get('raw') as File;
    expect([raw.type, await raw.text()]).toEqual(['application/octet-stream', 'hi']);
    expect(raw.name).toMatch(/^\d+$/);
    // Quotes in names escaped as Go's writer escapes them.
    const quoted = await vu.run(() =>
      asyncRequest('POST', `${base}/echo`, { 'note "a"': http.file('x', 'draft "2".xml', 'text/plain') }),
    );
    expect(quoted.json('body')).toContain(
      'Content-Disposition: form-data; name="note \\"a\\""; filename="draft \\"2\\".xml"\r\n',
    );
    const offices = await vu.run(() => asyncRequest('POST', `${base}/echo`, { office: ['GE000100', 'AZ000200'] }));
    expect(offices.json('body')).toBe('office=GE000100&office=AZ000200');
    expect(() => http.file(42)).toThrow(/data must be a string, an ArrayBuffer or a typed array/);
  });

  it('rejects a malformed timeout with a clear error', () => {
    const vu = testVu();
    expect(() => vu.run(() => asyncRequest('GET', `${base}/ok`, null, { timeout: '10 parsecs' }))).toThrow(
      /params.timeout: "10 parsecs" is not a duration/,
    );
  });
});

describe('k6/http blocking forms', () => {
  // The script transform sends direct calls to http/blocking.ts; what reaches these did not go through it.
  it.each([
    [
      'get',
      "http.get() was called through a reference the engine cannot follow, so it cannot wait for the response: call it as http.get(…) directly, or use await http.asyncRequest('GET', url, null, params)",
    ],
    [
      'post',
      "http.post() was called through a reference the engine cannot follow, so it cannot wait for the response: call it as http.post(…) directly, or use await http.asyncRequest('POST', url, body, params)",
    ],
    ['del', 'http.del() was called through a reference the engine cannot follow'],
    ['request', 'http.request() was called through a reference the engine cannot follow'],
  ] as const)('http.%s reached outside the script transform throws at once naming what to do', (fn, message) => {
    const vu = testVu();
    expect(() => vu.run(() => (http[fn] as (...a: unknown[]) => unknown)(`${base}/ok`))).toThrow(message);
    expect(vu.samples).toHaveLength(0);
  });

  it('http.batch reached outside the script transform names Promise.all over asyncRequest', () => {
    const vu = testVu();
    expect(() => vu.run(() => http.batch([]))).toThrow(/Promise\.all\(.*http\.asyncRequest/);
    expect(() => http.batch([])).toThrow(/init context/);
  });

  it('http.cookieJar() outside a VU says where it works', () => {
    expect(() => http.cookieJar()).toThrow(/init context/);
  });
});
