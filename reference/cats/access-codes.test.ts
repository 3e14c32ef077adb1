// Guarantee access codes: kept as digests only, issued at approval to the
// holder alone, renewed by the holder (the old one then fails), and never
// shown in a guarantee or declaration view nor sent to another country.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase } from '../../test/support/database.ts';
import { validateIceMessage } from '../spec/ice/validate.ts';
import type { RunningNode } from './start.ts';
import { client, domesticCtd, lrnsFor, seed, startTestNode, testGrn, TEST_GUARANTOR } from './testing/node-harness.ts';

const holder = { tin: 'GE640000001', token: 'trader-token-codes-0001' };
const other = { tin: 'GE640000002', token: 'trader-token-codes-0002' };
const officer = { id: 'codes-dep', token: 'officer-token-codes-dep-1', offices: ['GE000010', 'GE069002', 'GE000200'] };
const seededGrn = testGrn();

function openStream(node: RunningNode, token: string) {
  return new Promise<{ ws: WebSocket; got: any[] }>((resolve, reject) => {
    const ws = new WebSocket(`${node.url.replace('http', 'ws')}/v1/notifications`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const got: any[] = [];
    ws.on('message', (d) => got.push(JSON.parse(String(d))));
    ws.on('open', () => resolve({ ws, got }));
    ws.on('error', reject);
  });
}

describe('on a node', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startTestNode(await createTestDatabase('codes'));
    await seed(node, {
      operators: [holder, other],
      officers: [officer],
      guarantees: [{ grn: seededGrn, holderTin: holder.tin, referenceAmount: 10_000, accessCode: 'QW12' }],
    });
  });
  afterAll(async () => node?.close());

  const lodge = (lrn: string, grn: string, accessCode: string) =>
    client(node, holder.token).post('/v1/declarations', domesticCtd({ lrn, holderTin: holder.tin, grn, accessCode }));

  it('keeps a seeded code as a digest only, checks it case-insensitively and shows it in no view', async () => {
    const [ok, wrong] = lrnsFor(holder.tin, 'release', 2, 'SEED');
    expect((await lodge(wrong!, seededGrn, 'QW13')).body.code).toBe('GUARANTEE_ACCESS_CODE');
    const lodged = await lodge(ok!, seededGrn, 'qw12');
    expect(lodged.status).toBe(201);

    const { rows } = await node.context.pool.query('SELECT * FROM guarantees WHERE grn = $1', [seededGrn]);
    expect(Object.keys(rows[0])).not.toContain('access_code');
    expect(rows[0].access_code_hash).toHaveLength(32);
    expect(JSON.stringify(rows[0])).not.toMatch(/QW12/i);
    const stored = await node.context.pool.query('SELECT ctd::text AS ctd FROM movements WHERE mrn = $1', [
      lodged.body.mrn,
    ]);
    expect(stored.rows[0].ctd).not.toContain('accessCode');

    for (const token of [holder.token, officer.token, node.adminToken]) {
      const g = await client(node, token).get(`/v1/guarantees/${seededGrn}`);
      expect(g.status).toBe(200);
      expect(JSON.stringify(g.body)).not.toMatch(/accessCode|QW12/i);
      const d = await client(node, token).get(`/v1/declarations/${lodged.body.mrn}`);
      expect(d.status).toBe(200);
      expect(d.body.ctd.guarantees[0].references[0]).toEqual({
        grn: seededGrn,
        amountToBeCovered: 560,
        currency: 'GEL',
      });
    }
  });

  it('issues a code at approval, to the holder alone, and lets only the holder renew it', async () => {
    const holderStream = await openStream(node, holder.token);
    const otherStream = await openStream(node, other.token);
    try {
      const registered = await client(node, holder.token).post('/v1/guarantees', {
        type: '1',
        referenceAmount: 10_000,
        currency: 'GEL',
        guarantor: TEST_GUARANTOR,
      });
      expect(registered.status).toBe(201);
      expect(registered.body).not.toHaveProperty('accessCode');
      const grn: string = registered.body.grn;
      const early = await client(node, holder.token).post(`/v1/guarantees/${grn}/access-code`, {});
      expect(early).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });

      const approved = await client(node, officer.token).post(`/v1/guarantees/${grn}/approval`, {});
      expect(approved.status).toBe(200);
      expect(approved.body).not.toHaveProperty('accessCode');
      await expect.poll(() => holderStream.got.find((n) => n.type === 'guarantee' && n.grn === grn)).toBeTruthy();
      const note = holderStream.got.find((n) => n.type === 'guarantee' && n.grn === grn);
      expect(note).toMatchObject({ event: 'approve', accessCode: expect.stringMatching(/^[A-Z0-9]{4}$/) });
      const first: string = note.accessCode;
      expect(otherStream.got.filter((n) => n.type === 'guarantee')).toEqual([]);

      const [a, b, c, d] = lrnsFor(holder.tin, 'release', 4, 'CODE');
      expect((await lodge(a!, grn, first.toLowerCase())).status).toBe(201);

      // Approving again (e.g. after a suspension) keeps the holder's code.
      await client(node, officer.token).post(`/v1/guarantees/${grn}/approval`, {});
      await expect.poll(() => holderStream.got.filter((n) => n.grn === grn).length).toBe(2);
      expect(holderStream.got.filter((n) => n.grn === grn)[1].accessCode).toBeNull();
      expect((await lodge(b!, grn, first)).status).toBe(201);

      expect((await client(node, other.token).post(`/v1/guarantees/${grn}/access-code`, {})).status).toBe(404);
      expect((await client(node, officer.token).post(`/v1/guarantees/${grn}/access-code`, {})).status).toBe(403);
      const renewed = await client(node, holder.token).post(`/v1/guarantees/${grn}/access-code`, {});
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({ grn, accessCode: expect.stringMatching(/^[A-Z0-9]{4}$/) });
      const second: string = renewed.body.accessCode;
      if (second !== first) {
        const refused = await lodge(c!, grn, first);
        expect(refused).toMatchObject({ status: 422, body: { code: 'GUARANTEE_ACCESS_CODE' } });
      }
      expect((await lodge(d!, grn, second)).status).toBe(201);
    } finally {
      holderStream.ws.close();
      otherStream.ws.close();
    }
  });

  it('checks the code again when the holder amends a declaration', async () => {
    const [lrn] = lrnsFor(holder.tin, 'release', 1, 'AMEND');
    const ctd = domesticCtd({ lrn: lrn!, holderTin: holder.tin, grn: seededGrn, accessCode: 'QW12', prelodged: true });
    const lodged = await client(node, holder.token).post('/v1/declarations', ctd);
    expect(lodged.status).toBe(201);
    const amended = {
      ...ctd,
      guarantees: [{ type: '1', references: [{ ...ctd.guarantees[0]!.references[0]!, accessCode: 'ZZ99' }] }],
    };
    const refused = await client(node, holder.token).post(`/v1/declarations/${lodged.body.mrn}/amendment`, amended);
    expect(refused).toMatchObject({ status: 422, body: { code: 'GUARANTEE_ACCESS_CODE' } });
    const accepted = await client(node, holder.token).post(`/v1/declarations/${lodged.body.mrn}/amendment`, ctd);
    expect(accepted.status).toBe(200);
  });

  it('sends no access code to other countries', async () => {
    const [lrn] = lrnsFor(holder.tin, 'release', 1, 'ABROAD');
    const ctd = domesticCtd({ lrn: lrn!, holderTin: holder.tin, grn: seededGrn, accessCode: 'QW12' });
    ctd.offices = { departure: 'GE000010', transit: ['GE069002', 'AZ000210'], destination: 'AZ000100' };
    ctd.consignment.countriesOfRouting = ['GE', 'AZ'];
    ctd.consignment.countryOfDestination = 'AZ';
    ctd.guarantees[0]!.references[0]!.amountToBeCovered = 1000;
    const lodged = await client(node, holder.token).post('/v1/declarations', ctd);
    expect(lodged.status).toBe(201);
    const { rows } = await node.context.pool.query(
      `SELECT message_type, body FROM outbox WHERE mrn = $1 ORDER BY seq`,
      [lodged.body.mrn],
    );
    expect(rows.map((r) => r.message_type)).toEqual(['IE001', 'IE050']);
    for (const r of rows) {
      expect(JSON.stringify(r.body)).not.toMatch(/accessCode|QW12/);
      expect(r.body.declaration.guarantees[0].references[0]).toEqual({
        grn: seededGrn,
        amountToBeCovered: 1000,
        currency: 'GEL',
      });
    }
  });
});

it('refuses an anticipated record whose declaration carries an access code', () => {
  const declaration = domesticCtd({ lrn: 'L1', holderTin: holder.tin, grn: seededGrn, accessCode: 'QW12' });
  const at = '2026-11-23T10:00:00.000Z';
  const result = validateIceMessage({
    id: '0b7e4a52-9f5e-4c1a-8d2e-3f4a5b6c7d8e',
    type: 'IE001',
    sender: { country: 'GE', office: 'GE000010' },
    recipient: { country: 'AZ', office: 'AZ000100' },
    mrn: '23GB000246IF9W5YJ0',
    sentAt: at,
    body: {
      declaration,
      acceptedAt: at,
      releasedAt: at,
      officeOfDeparture: 'GE000010',
      officeOfDestination: 'AZ000100',
    },
  });
  expect(result).toHaveProperty('errors');
  expect(JSON.stringify(result)).toContain('/body/declaration/guarantees/0/references/0');
});

it('migrates codes and stored declarations of an existing database to digests', async () => {
  const url = await createTestDatabase('codes_migration');
  const dir = fileURLToPath(new URL('../store/migrations/', import.meta.url));
  const before = (await readdir(dir)).filter((f) => f.endsWith('.sql') && f < '004').sort();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const grn = testGrn();
  try {
    await db.query(
      'CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const f of before) {
      await db.query(await readFile(dir + f, 'utf8'));
      await db.query('INSERT INTO schema_migrations (name) VALUES ($1)', [f]);
    }
    await db.query(`INSERT INTO operators (tin, name, country, aeo, status) VALUES ($1, 'Old', 'GE', true, 'ACTIVE')`, [
      holder.tin,
    ]);
    await db.query(
      `INSERT INTO guarantees (grn, access_code, holder_tin, type, reference_amount, currency, status)
       VALUES ($1, 'KL34', $2, '1', 1000000, 'GEL', 'ACTIVE')`,
      [grn, holder.tin],
    );
    const old = domesticCtd({ lrn: 'OLD1', holderTin: holder.tin, grn, accessCode: 'KL34' });
    await db.query(
      `INSERT INTO movements (mrn, role, operator_tin, lrn, state, ctd, departure_office, transit_offices, destination_office)
       VALUES ('26GE00000000OLD1J0', 'departure', $1, 'OLD1', 'RELEASED', $2, 'GE000010', '{}', 'GE000200')`,
      [holder.tin, old],
    );
  } finally {
    await db.end();
  }
  const node = await startTestNode(url);
  try {
    const { rows } = await node.context.pool.query(`SELECT ctd::text AS ctd FROM movements`);
    expect(rows[0].ctd).not.toContain('accessCode');
    expect(JSON.parse(rows[0].ctd).guarantees[0].references[0]).toEqual({
      grn,
      amountToBeCovered: 560,
      currency: 'GEL',
    });
    await seed(node, { operators: [holder] });
    const [lrn] = lrnsFor(holder.tin, 'release', 1, 'MIG');
    const lodged = await client(node, holder.token).post(
      '/v1/declarations',
      domesticCtd({ lrn: lrn!, holderTin: holder.tin, grn, accessCode: 'kl34' }),
    );
    expect(lodged.status).toBe(201);
  } finally {
    await node.close();
  }
});
