// The authorisation matrix: operators × other operators' resources, officers ×
// offices, roles × routes. Refusals change nothing; another operator's
// resources answer 404, as unknown ones do.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase } from '../../test/support/database.ts';
import type { RunningNode } from './start.ts';
import { client, domesticCtd, lrnsFor, seed, startTestNode, testGrn } from './testing/node-harness.ts';

let node: RunningNode;
const a = { tin: 'GE400000001', token: 'trader-token-authz-a-0001' };
const b = { tin: 'GE400000002', token: 'trader-token-authz-b-0001' };
const dep = { id: 'dep', token: 'officer-token-authz-dep-01', offices: ['GE000010'] };
const tra = { id: 'tra', token: 'officer-token-authz-tra-01', offices: ['GE069002'] };
const des = { id: 'des', token: 'officer-token-authz-des-01', offices: ['GE000200'] };
const far = { id: 'far', token: 'officer-token-authz-far-01', offices: ['GE069301'] };
const admin = 'admin-token-for-tests-0001';
const grnA = testGrn();
const grnB = testGrn();
let released: string;
let controlled: string;
let prelodged: string;

beforeAll(async () => {
  node = await startTestNode(await createTestDatabase('authz'));
  await seed(node, {
    operators: [a, b],
    officers: [dep, tra, des, far],
    guarantees: [
      { grn: grnA, holderTin: a.tin, referenceAmount: 10_000 },
      { grn: grnB, holderTin: b.tin, referenceAmount: 10_000 },
    ],
  });
  const op = client(node, a.token);
  const [r1, r2] = lrnsFor(a.tin, 'release', 2, 'AZ');
  const [c1] = lrnsFor(a.tin, 'control', 1, 'AZC');
  released = (await op.post('/v1/declarations', domesticCtd({ lrn: r1!, holderTin: a.tin, grn: grnA }))).body.mrn;
  prelodged = (
    await op.post('/v1/declarations', domesticCtd({ lrn: r2!, holderTin: a.tin, grn: grnA, prelodged: true }))
  ).body.mrn;
  controlled = (await op.post('/v1/declarations', domesticCtd({ lrn: c1!, holderTin: a.tin, grn: grnA }))).body.mrn;
});
afterAll(async () => node?.close());

it('lets each party read and act only within its scope', async () => {
  const tokens = {
    a: a.token,
    b: b.token,
    dep: dep.token,
    tra: tra.token,
    des: des.token,
    far: far.token,
    admin,
    anon: undefined,
  };
  type Who = keyof typeof tokens;
  const matrix: [Who, 'GET' | 'POST', () => string, unknown, number][] = [
    // reading a movement
    ['a', 'GET', () => `/v1/declarations/${released}`, undefined, 200],
    ['b', 'GET', () => `/v1/declarations/${released}`, undefined, 404],
    ['dep', 'GET', () => `/v1/declarations/${released}`, undefined, 200],
    ['tra', 'GET', () => `/v1/declarations/${released}`, undefined, 200],
    ['far', 'GET', () => `/v1/declarations/${released}`, undefined, 404],
    ['admin', 'GET', () => `/v1/declarations/${released}`, undefined, 200],
    ['anon', 'GET', () => `/v1/declarations/${released}`, undefined, 401],
    // guarantees and operator accounts
    ['a', 'GET', () => `/v1/guarantees/${grnA}`, undefined, 200],
    ['b', 'GET', () => `/v1/guarantees/${grnA}`, undefined, 404],
    ['dep', 'GET', () => `/v1/guarantees/${grnA}`, undefined, 200],
    ['a', 'GET', () => `/v1/operators/${a.tin}`, undefined, 200],
    ['b', 'GET', () => `/v1/operators/${a.tin}`, undefined, 404],
    ['b', 'POST', () => `/v1/operators/${b.tin}/approval`, {}, 403],
    ['b', 'POST', () => `/v1/guarantees/${grnB}/approval`, {}, 403],
    ['anon', 'POST', () => `/v1/admin/fixtures`, {}, 401],
    ['dep', 'POST', () => `/v1/admin/fixtures`, {}, 403],
    // the holder's own acts
    [
      'b',
      'POST',
      () => `/v1/declarations/${prelodged}/amendment`,
      domesticCtd({ lrn: 'X', holderTin: b.tin, grn: grnB }),
      404,
    ],
    ['b', 'POST', () => `/v1/declarations/${prelodged}/cancellation`, {}, 404],
    ['b', 'POST', () => `/v1/declarations/${prelodged}/presentation`, {}, 404],
    ['dep', 'POST', () => `/v1/declarations/${prelodged}/cancellation`, {}, 403],
    ['admin', 'POST', () => `/v1/declarations/${prelodged}/cancellation`, {}, 403],
    ['b', 'POST', () => `/v1/movements/${released}/arrival`, { office: 'GE000200' }, 404],
    // customs decisions at the office of departure only
    ['a', 'POST', () => `/v1/declarations/${controlled}/release`, {}, 403],
    ['des', 'POST', () => `/v1/declarations/${controlled}/release`, {}, 403],
    ['far', 'POST', () => `/v1/declarations/${controlled}/refusal`, { reason: 'x' }, 403],
    // events at the officer's own offices only
    ['dep', 'POST', () => `/v1/movements/${released}/crossing`, { office: 'GE069002' }, 403],
    ['a', 'POST', () => `/v1/movements/${released}/crossing`, { office: 'GE069002' }, 403],
    ['tra', 'POST', () => `/v1/movements/${released}/control-results`, { office: 'GE000200', conform: true }, 403],
    ['far', 'POST', () => `/v1/movements/${released}/arrival`, { office: 'GE000200' }, 403],
    // and the permitted ones, last
    ['dep', 'POST', () => `/v1/declarations/${controlled}/release`, {}, 200],
    ['tra', 'POST', () => `/v1/movements/${released}/crossing`, { office: 'GE069002' }, 200],
    ['des', 'POST', () => `/v1/movements/${released}/arrival`, { office: 'GE000200' }, 200],
    ['des', 'POST', () => `/v1/movements/${released}/control-results`, { office: 'GE000200', conform: true }, 200],
  ];
  const wrong: string[] = [];
  for (const [who, method, path, body, status] of matrix) {
    const c = client(node, tokens[who]);
    const res = method === 'GET' ? await c.get(path()) : await c.post(path(), body);
    if (res.status !== status)
      wrong.push(`${who} ${method} ${path()}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  expect(wrong).toEqual([]);
  // Refused acts changed nothing: the pre-lodged declaration is untouched.
  expect((await client(node, a.token).get(`/v1/declarations/${prelodged}`)).body).toMatchObject({
    state: 'ACCEPTED',
    amendments: 0,
  });
});

it('lists only what each party may see', async () => {
  const mine = (await client(node, a.token).get('/v1/declarations')).body.items.map((d: any) => d.mrn);
  expect(mine).toEqual(expect.arrayContaining([released, controlled, prelodged]));
  expect((await client(node, b.token).get('/v1/declarations')).body.items).toEqual([]);
  expect((await client(node, far.token).get('/v1/declarations')).body.items).toEqual([]);
  expect((await client(node, tra.token).get('/v1/declarations')).body.items.length).toBeGreaterThan(0);
});

it("streams an operator's notifications to that operator only", async () => {
  const open = (token: string) =>
    new Promise<{ ws: WebSocket; got: any[] }>((resolve, reject) => {
      const ws = new WebSocket(`${node.url.replace('http', 'ws')}/v1/notifications`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const got: any[] = [];
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      ws.on('open', () => resolve({ ws, got }));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.on('error', reject);
    });
  const sa = await open(a.token);
  const sb = await open(b.token);
  await expect(open(dep.token)).rejects.toThrow('403');
  await expect(open('no-such-token-0000000')).rejects.toThrow('401');
  const [lrn] = lrnsFor(a.tin, 'release', 1, 'AZWS');
  const lodged = await client(node, a.token).post(
    '/v1/declarations',
    domesticCtd({ lrn: lrn!, holderTin: a.tin, grn: grnA }),
  );
  await expect.poll(() => sa.got.length).toBe(2);
  // B's stream is still open and silent: a notification for it would have arrived by now on the same loop.
  await client(node, b.token).get('/healthz');
  expect(sa.got.map((n) => n.mrn)).toEqual([lodged.body.mrn, lodged.body.mrn]);
  expect(sb.got).toEqual([]);
  sa.ws.close();
  sb.ws.close();
});
