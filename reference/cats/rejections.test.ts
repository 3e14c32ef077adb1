// The bad-input catalogue: every request below is refused with a 4xx in the one
// error shape, none answers 5xx, and together they change no row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../spec/errors.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import type { RunningNode } from './start.ts';
import { client, domesticCtd, lrnsFor, seed, startTestNode, testGrn, TEST_GUARANTOR } from './testing/node-harness.ts';
import { accessCodeDigest } from '../store/access-code.ts';

let node: RunningNode;
const trader = { tin: 'GE200000001', token: 'trader-token-rejections-1' };
const suspended = { tin: 'GE200000002', token: 'trader-token-suspended-01' };
const officer = { id: 'dep-r', token: 'officer-token-rejections-1', offices: ['GE000010'] };
const otherOfficer = { id: 'poti-r', token: 'officer-token-rejections-2', offices: ['GE000200'] };
const grn = testGrn();
const smallGrn = testGrn();
const pendingGrn = testGrn();
const usdGrn = testGrn();
let releasedMrn: string;
const [lrn, fresh] = lrnsFor(trader.tin, 'release', 2, 'REJ');

const TABLES = ['operators', 'officers', 'credentials', 'guarantees', 'movements', 'outbox', 'inbound_messages'];
async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const { rows } = await node.context.pool.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${t} t`,
    );
    out[t] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}

beforeAll(async () => {
  node = await startTestNode(await createTestDatabase('rejections'));
  await seed(node, {
    operators: [trader, suspended],
    officers: [officer, otherOfficer],
    guarantees: [
      { grn, holderTin: trader.tin, referenceAmount: 10_000 },
      { grn: smallGrn, holderTin: trader.tin, referenceAmount: 100 },
      { grn: usdGrn, holderTin: trader.tin, referenceAmount: 10_000, currency: 'USD' },
    ],
  });
  const pendingCode = accessCodeDigest('AB12');
  await node.context.pool.query(
    `INSERT INTO guarantees (grn, access_code_salt, access_code_hash, holder_tin, type, reference_amount, currency, status)
     VALUES ($1, $2, $3, $4, '1', 1000000, 'GEL', 'PENDING')`,
    [pendingGrn, pendingCode.salt, pendingCode.hash, trader.tin],
  );
  await client(node, officer.token).post(`/v1/operators/${suspended.tin}/suspension`);
  const first = await client(node, trader.token).post(
    '/v1/declarations',
    domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }),
  );
  expect(first.status).toBe(201);
  releasedMrn = first.body.mrn;
});
afterAll(async () => node?.close());

type Case = {
  name: string;
  method?: 'GET' | 'POST';
  path?: string | (() => string);
  token?: string | null;
  body?: unknown;
  raw?: string;
  contentType?: string;
  status: number;
  code: string;
  pointer?: string;
};

const ctd = (mutate: (c: any) => void = () => undefined) => {
  const c: any = domesticCtd({ lrn: fresh!, holderTin: trader.tin, grn });
  mutate(c);
  return c;
};

/** The unhappy paths: each operation refuses bad input and steps out of sequence alike. */
function unhappyPathCases(): Case[] {
  const steps: [
    name: string,
    step: string,
    who: 'dep' | 'poti' | 'holder',
    body: unknown,
    status: number,
    pointer?: string,
  ][] = [
    [
      'enquiry answer not a boolean',
      'enquiry-response',
      'poti',
      { office: 'GE000200', goodsArrived: 'yes' },
      400,
      '/goodsArrived',
    ],
    ['enquiry answer without an enquiry', 'enquiry-response', 'poti', { office: 'GE000200', goodsArrived: true }, 409],
    [
      'discrepancies resolution, information a number',
      'discrepancies-resolution',
      'dep',
      { information: 5 },
      400,
      '/information',
    ],
    ['discrepancies resolution by the holder', 'discrepancies-resolution', 'holder', {}, 403],
    ['discrepancies resolution without discrepancies', 'discrepancies-resolution', 'dep', {}, 409],
    ['recovery with an empty reason', 'recovery', 'dep', { reason: '' }, 400, '/reason'],
    ['recovery of a released movement', 'recovery', 'dep', { reason: 'early' }, 409],
    [
      'recovery outcome not a boolean',
      'recovery-outcome',
      'dep',
      { office: 'GE000010', recovered: 1 },
      400,
      '/recovered',
    ],
    ['recovery outcome without recovery', 'recovery-outcome', 'dep', { office: 'GE000010', recovered: true }, 409],
    ['invalidation with an empty reason', 'invalidation', 'dep', { reason: '' }, 400, '/reason'],
    ['invalidation by an officer of another office', 'invalidation', 'poti', { reason: 'x' }, 403],
    [
      'incident of an unknown kind',
      'incidents',
      'dep',
      { office: 'GE000010', kind: 'flood', occurredAt: '2026-05-01T10:00:00Z', description: 'x' },
      400,
      '/kind',
    ],
    [
      'incident at a time without offset',
      'incidents',
      'dep',
      { office: 'GE000010', kind: 'accident', occurredAt: '2026-05-01 10:00', description: 'x' },
      400,
      '/occurredAt',
    ],
    [
      'incident at a foreign office',
      'incidents',
      'dep',
      { office: 'AZ000100', kind: 'accident', occurredAt: '2026-05-01T10:00:00Z', description: 'x' },
      403,
    ],
    ['incident decision without an incident', 'incident-decision', 'dep', {}, 409],
    ['incident decision, information a number', 'incident-decision', 'dep', { information: 5 }, 400, '/information'],
  ];
  return steps.map(([name, step, who, body, status, pointer]) => ({
    name,
    path: () => `/v1/movements/${releasedMrn}/${step}`,
    token: who === 'dep' ? officer.token : who === 'poti' ? otherOfficer.token : trader.token,
    body,
    status,
    code: status === 400 ? 'SCHEMA_VIOLATION' : status === 403 ? 'FORBIDDEN' : 'ILLEGAL_TRANSITION',
    pointer,
  }));
}

const cases: Case[] = [
  { name: 'malformed JSON', raw: '{"lrn": ', status: 400, code: 'MALFORMED_JSON' },
  { name: 'prototype pollution', raw: '{"__proto__": {"x": 1}}', status: 400, code: 'MALFORMED_JSON' },
  {
    name: 'U+0000 in a string',
    raw: JSON.stringify(ctd((c) => (c.holder.name = 'A\u0000B'))),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/holder/name',
  },
  {
    name: 'unpaired surrogate',
    raw: JSON.stringify(ctd((c) => (c.consignment.goodsItems[0].description = 'x\ud800'))),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/consignment/goodsItems/0/description',
  },
  {
    name: 'U+0000 in an operator name',
    path: '/v1/operators',
    token: null,
    body: { tin: 'GE31337', name: 'Bad\u0000Name', country: 'GE' },
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/name',
  },
  { name: 'deeply nested JSON', raw: '['.repeat(100_000) + ']'.repeat(100_000), status: 400, code: 'SCHEMA_VIOLATION' },
  { name: 'a JSON array', body: [1, 2], status: 400, code: 'SCHEMA_VIOLATION', pointer: '' },
  { name: 'empty body', raw: '', status: 400, code: 'SCHEMA_VIOLATION', pointer: '/lrn' },
  { name: 'wrong type', body: ctd((c) => (c.lrn = 123)), status: 400, code: 'SCHEMA_VIOLATION', pointer: '/lrn' },
  {
    name: 'missing mandatory data',
    body: ctd((c) => delete c.consignment),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/consignment',
  },
  {
    name: 'field the spec does not define, nested',
    body: ctd((c) => (c.consignment.goodsItems[0].colour = 'red')),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/consignment/goodsItems/0/colour',
  },
  {
    name: 'unknown property',
    body: ctd((c) => (c.colour = 'red')),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/colour',
  },
  {
    name: 'nested wrong type',
    body: ctd((c) => (c.consignment.goodsItems[0].grossMass = 'heavy')),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/consignment/goodsItems/0/grossMass',
  },
  {
    name: 'negative mass',
    body: ctd((c) => (c.consignment.grossMass = -1)),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/consignment/grossMass',
  },
  {
    name: 'value outside a union',
    body: ctd((c) => (c.declarationType = 'T9')),
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/declarationType',
  },
  {
    name: 'body over the size limit',
    raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  { name: 'not JSON', raw: 'lrn=1', contentType: 'text/plain', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    name: 'unknown office',
    body: ctd((c) => (c.offices.destination = 'GE999999')),
    status: 422,
    code: 'UNKNOWN_OFFICE',
    pointer: '/offices/destination',
  },
  {
    name: 'departure abroad',
    body: ctd((c) => (c.offices.departure = 'AZ000100')),
    status: 422,
    code: 'OFFICE_ROLE_MISMATCH',
  },
  {
    name: 'unknown country',
    body: ctd((c) => (c.consignment.countriesOfRouting = ['GE', 'XX'])),
    status: 422,
    code: 'UNKNOWN_COUNTRY',
  },
  {
    name: 'invalid HS code',
    body: ctd((c) => (c.consignment.goodsItems[0].hsCode = '770000')),
    status: 422,
    code: 'INVALID_HS_CODE',
    pointer: '/consignment/goodsItems/0/hsCode',
  },
  {
    name: 'itinerary not matching the offices',
    body: ctd((c) => (c.consignment.countriesOfRouting = ['AZ'])),
    status: 422,
    code: 'ITINERARY_MISMATCH',
  },
  {
    name: 'net mass over gross mass',
    body: ctd((c) => (c.consignment.goodsItems[0].netMass = 500)),
    status: 422,
    code: 'MASS_INCONSISTENT',
  },
  {
    name: 'container check digit',
    body: ctd(
      (c) => (c.consignment.transportEquipment = [{ containerIdentificationNumber: 'MSKU9070324', seals: [] }]),
    ),
    status: 422,
    code: 'INVALID_CONTAINER_NUMBER',
  },
  {
    name: 'absurd goods value',
    body: ctd((c) => (c.consignment.goodsItems[0].value.amount = 1e300)),
    status: 422,
    code: 'AMOUNT_OUT_OF_RANGE',
  },
  {
    name: 'holder is not the caller',
    body: ctd((c) => (c.holder.identificationNumber = 'GE999999999')),
    status: 422,
    code: 'HOLDER_MISMATCH',
    pointer: '/holder/identificationNumber',
  },
  {
    name: 'amount to be covered understated',
    body: ctd((c) => (c.guarantees[0].references[0].amountToBeCovered = 10)),
    status: 422,
    code: 'GUARANTEE_AMOUNT_UNDERSTATED',
  },
  {
    name: 'unknown guarantee',
    body: ctd((c) => (c.guarantees[0].references[0].grn = testGrn())),
    status: 422,
    code: 'GUARANTEE_NOT_FOUND',
    pointer: '/guarantees/0/references/0/grn',
  },
  {
    name: 'guarantee not active',
    body: ctd((c) => (c.guarantees[0].references[0].grn = pendingGrn)),
    status: 422,
    code: 'GUARANTEE_NOT_ACTIVE',
  },
  {
    name: 'wrong access code',
    body: ctd((c) => (c.guarantees[0].references[0].accessCode = 'ZZ99')),
    status: 422,
    code: 'GUARANTEE_ACCESS_CODE',
    pointer: '/guarantees/0/references/0/accessCode',
  },
  {
    name: 'guarantee in another currency',
    body: ctd((c) => (c.guarantees[0].references[0].grn = usdGrn)),
    status: 422,
    code: 'GUARANTEE_CURRENCY_MISMATCH',
  },
  {
    name: 'guarantee insufficient',
    body: ctd((c) => (c.guarantees[0].references[0].grn = smallGrn)),
    status: 409,
    code: 'GUARANTEE_INSUFFICIENT',
  },
  {
    name: 'duplicate LRN, other content',
    body: { ...domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }), declarationType: 'T2' },
    status: 409,
    code: 'DUPLICATE_LRN',
    pointer: '/lrn',
  },
  { name: 'no token', token: null, body: ctd(), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'unknown token', token: 'not-a-token-of-this-node', body: ctd(), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'officer lodging', token: officer.token, body: ctd(), status: 403, code: 'FORBIDDEN' },
  {
    name: 'suspended operator lodging',
    token: suspended.token,
    body: { ...ctd(), holder: { ...ctd().holder, identificationNumber: suspended.tin } },
    status: 403,
    code: 'OPERATOR_NOT_ACTIVE',
  },
  {
    name: 'cancel after release',
    path: () => `/v1/declarations/${releasedMrn}/cancellation`,
    body: {},
    status: 409,
    code: 'ILLEGAL_TRANSITION',
  },
  {
    name: 'crossing at an undeclared office',
    path: () => `/v1/movements/${releasedMrn}/crossing`,
    token: officer.token,
    body: { office: 'GE000010' },
    status: 409,
    code: 'ILLEGAL_TRANSITION',
  },
  {
    name: 'crossing at an office not the officer’s',
    path: () => `/v1/movements/${releasedMrn}/crossing`,
    token: officer.token,
    body: { office: 'GE069002' },
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'release by an officer of another office',
    path: () => `/v1/declarations/${releasedMrn}/release`,
    token: otherOfficer.token,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'arrival at a foreign office',
    path: () => `/v1/movements/${releasedMrn}/arrival`,
    body: { office: 'AZ000100' },
    status: 409,
    code: 'ILLEGAL_TRANSITION',
  },
  {
    name: 'control results with unknown field',
    path: () => `/v1/movements/${releasedMrn}/control-results`,
    token: otherOfficer.token,
    body: { office: 'GE000200', conform: 'yes' },
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/conform',
  },
  ...unhappyPathCases(),
  {
    name: 'holder information that is empty',
    path: () => `/v1/declarations/${releasedMrn}/enquiry-information`,
    body: { information: '' },
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/information',
  },
  {
    name: 'holder information without an enquiry',
    path: () => `/v1/declarations/${releasedMrn}/enquiry-information`,
    body: { information: 'on the way' },
    status: 409,
    code: 'ILLEGAL_TRANSITION',
  },
  {
    name: 'enquiry answer for an unknown MRN',
    path: '/v1/movements/26GE00000000000AJ0/enquiry-response',
    token: otherOfficer.token,
    body: { office: 'GE000200', goodsArrived: true },
    status: 404,
    code: 'NOT_FOUND',
  },
  { name: 'unknown MRN', method: 'GET', path: '/v1/declarations/26GE00000000000AJ0', status: 404, code: 'NOT_FOUND' },
  {
    name: 'malformed MRN',
    method: 'GET',
    path: '/v1/declarations/nope',
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/params/mrn',
  },
  {
    name: 'limit out of range',
    method: 'GET',
    path: '/v1/declarations?limit=1000',
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/querystring/limit',
  },
  {
    name: 'unknown state',
    method: 'GET',
    path: '/v1/declarations?state=LOST',
    status: 400,
    code: 'SCHEMA_VIOLATION',
    pointer: '/querystring/state',
  },
  { name: 'unknown route', method: 'GET', path: '/v1/nothing', status: 404, code: 'NOT_FOUND' },
  {
    name: 'WebSocket route without upgrade',
    method: 'GET',
    path: '/v1/notifications',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'operator registered twice',
    path: '/v1/operators',
    token: null,
    body: { tin: trader.tin, name: 'Again', country: 'GE' },
    status: 409,
    code: 'CONFLICT',
    pointer: '/tin',
  },
  {
    name: 'operator of another country',
    path: '/v1/operators',
    token: null,
    body: { tin: 'AZ1234567', name: 'Baku LLC', country: 'AZ' },
    status: 422,
    code: 'UNKNOWN_COUNTRY',
    pointer: '/country',
  },
  { name: 'fixtures by an operator', path: '/v1/admin/fixtures', body: {}, status: 403, code: 'FORBIDDEN' },
  {
    name: 'fixtures with an office of another country',
    path: '/v1/admin/fixtures',
    token: 'admin-token-for-tests-0001',
    body: { officers: [{ id: 'x', name: 'X', offices: ['AZ000100'], token: 'officer-token-foreign-0001' }] },
    status: 422,
    code: 'UNKNOWN_OFFICE',
    pointer: '/officers/0/offices/0',
  },
  {
    name: 'fixtures with a repeated TIN',
    path: '/v1/admin/fixtures',
    token: 'admin-token-for-tests-0001',
    body: {
      operators: [1, 2].map((i) => ({
        tin: 'GE777',
        name: 'Twice',
        country: 'GE',
        aeo: false,
        token: `operator-token-twice-000${i}`,
      })),
    },
    status: 422,
    code: 'CONFLICT',
    pointer: '/operators/1/tin',
  },
  {
    name: 'fixtures with a guarantee of an unknown holder',
    path: '/v1/admin/fixtures',
    token: 'admin-token-for-tests-0001',
    body: {
      guarantees: [
        {
          grn: testGrn(),
          accessCode: 'AB12',
          holderTin: 'GE404',
          type: '1',
          referenceAmount: 1,
          currency: 'GEL',
          level: 100,
          guarantor: TEST_GUARANTOR,
        },
      ],
    },
    status: 422,
    code: 'NOT_FOUND',
    pointer: '/guarantees/0/holderTin',
  },
  {
    name: 'guarantee registration with unknown currency',
    path: '/v1/guarantees',
    body: { type: '1', referenceAmount: 10, currency: 'XYZ', guarantor: TEST_GUARANTOR },
    status: 422,
    code: 'UNKNOWN_CURRENCY',
    pointer: '/currency',
  },
];

describe('bad input', () => {
  it('is refused with a 4xx in the one error shape and changes nothing', async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    for (const c of cases) {
      const path = typeof c.path === 'function' ? c.path() : (c.path ?? '/v1/declarations');
      const token = c.token === undefined ? trader.token : c.token;
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (c.raw !== undefined || c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
      const res = await fetch(node.url + path, {
        method: c.method ?? 'POST',
        headers,
        body: c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body)),
      });
      const text = await res.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const ok =
        res.status === c.status &&
        body?.code === c.code &&
        typeof body.message === 'string' &&
        Array.isArray(body.errors) &&
        (ErrorCodes as readonly string[]).includes(body.code) &&
        body.errors.every(
          (e: any) =>
            (ErrorCodes as readonly string[]).includes(e.code) &&
            typeof e.pointer === 'string' &&
            typeof e.message === 'string',
        ) &&
        (c.pointer === undefined || body.errors.some((e: any) => e.pointer === c.pointer));
      if (!ok) failures.push(`${c.name}: got ${res.status} ${text.slice(0, 300)}`);
      expect(res.status, c.name).toBeLessThan(500);
    }
    expect(failures).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });
});

describe('broken HTTP', () => {
  it('answers a request with a bad framing in the one error shape', async () => {
    const net = await import('node:net');
    const { port } = new URL(node.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /v1/declarations HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}');
      });
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'BAD_REQUEST',
      errors: [],
    });
  });
});
