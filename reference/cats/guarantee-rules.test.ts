// The guarantee rules on a real node: the level customs sets at approval,
// every guarantee reference of a CTD reserved and given back, waivers,
// individual guarantees for one movement, and the guarantor's exposure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import type { RunningNode } from './start.ts';
import { client, domesticCtd, lrnsFor, seed, startTestNode, TEST_GUARANTOR } from './testing/node-harness.ts';

let node: RunningNode;
const aeo = { tin: 'GE500000071', token: 'trader-token-guarantee-rules-1' };
const plain = { tin: 'GE500000072', token: 'trader-token-guarantee-rules-2' };
const officer = { id: 'gr-1', token: 'officer-token-guarantee-rules-1', offices: ['GE000010', 'GE069002', 'GE000200'] };
const bank = { kind: 'bank', identificationNumber: 'GE900000777', name: 'Tbilisi Guarantee Bank' } as const;

/** The domestic CTD's amount due: 559.90 GEL. */
const DUE = 559.9;

beforeAll(async () => {
  node = await startTestNode(await createTestDatabase('guarantee_rules'));
  await seed(node, { operators: [aeo, { ...plain, aeo: false }], officers: [officer] });
});
afterAll(async () => node?.close());

const lrns = (holder: string, n: number, prefix: string) => lrnsFor(holder, 'release', n, prefix);

async function register(holder: { token: string }, body: Record<string, unknown>) {
  const res = await client(node, holder.token).post('/v1/guarantees', {
    type: '1',
    referenceAmount: 10_000,
    currency: 'GEL',
    guarantor: bank,
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.grn as string;
}

/** Approves (with `body` as customs' decision) and has the holder issue itself a code it can present. */
async function approve(grn: string, holder: { token: string }, body?: unknown) {
  const approved = await client(node, officer.token).post(`/v1/guarantees/${grn}/approval`, body ?? {});
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const code = await client(node, holder.token).post(`/v1/guarantees/${grn}/access-code`, {});
  return { view: approved.body, accessCode: code.body.accessCode as string };
}

async function writeOff(mrn: string, holder: { token: string }) {
  const o = client(node, officer.token);
  expect((await o.post(`/v1/movements/${mrn}/crossing`, { office: 'GE069002' })).status).toBe(200);
  expect((await client(node, holder.token).post(`/v1/movements/${mrn}/arrival`, { office: 'GE000200' })).status).toBe(
    200,
  );
  const done = await o.post(`/v1/movements/${mrn}/control-results`, { office: 'GE000200', conform: true });
  expect(done.body.state).toBe('WRITTEN_OFF');
  return done.body;
}

describe('level set by customs at approval', () => {
  it('proposes the AEO rule, takes the level customs sets, and reserves every movement at it', async () => {
    const g1 = await register(aeo, {});
    const g2 = await register(plain, {});
    const g3 = await register(aeo, {});
    expect((await client(node, aeo.token).get(`/v1/guarantees/${g1}`)).body).toMatchObject({
      status: 'PENDING',
      level: null,
      proposedLevel: 50,
      guarantor: bank,
    });
    expect((await approve(g1, aeo)).view.level).toBe(50); // the proposal for an AEO
    expect((await approve(g2, plain)).view.level).toBe(100); // the proposal for others
    const third = await approve(g3, aeo, { level: 25 }); // customs decides otherwise
    expect(third.view.level).toBe(25);

    const [lrn] = lrns(aeo.tin, 1, 'LVL');
    const lodged = await client(node, aeo.token).post(
      '/v1/declarations',
      domesticCtd({ lrn: lrn!, holderTin: aeo.tin, grn: g3, accessCode: third.accessCode }),
    );
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    expect(lodged.body.reservation).toEqual({ grn: g3, amount: 139.98, currency: 'GEL' }); // 25 % of 559.90
  });

  it('refuses a level outside 100/50/25 and changes nothing', async () => {
    const g = await register(aeo, {});
    const res = await client(node, officer.token).post(`/v1/guarantees/${g}/approval`, { level: 30 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].pointer).toBe('/level');
    expect((await client(node, aeo.token).get(`/v1/guarantees/${g}`)).body).toMatchObject({
      status: 'PENDING',
      level: null,
    });
  });
});

describe('every guarantee reference of a CTD', () => {
  it('reserves each its share at its own level, all or none, and gives all back at write-off', async () => {
    const a = await register(aeo, { referenceAmount: 700 });
    const b = await register(aeo, { referenceAmount: 1000 });
    const codeA = (await approve(a, aeo, { level: 100 })).accessCode;
    const codeB = (await approve(b, aeo, { level: 50 })).accessCode;
    const [lrn, lrn2] = lrns(aeo.tin, 2, 'MULTI');
    const ctd = domesticCtd({ lrn: lrn!, holderTin: aeo.tin, grn: a, accessCode: codeA });
    // 3/4 of the amount due on A, 1/4 on B.
    ctd.guarantees[0]!.references = [
      { grn: a, accessCode: codeA, amountToBeCovered: 420, currency: 'GEL' },
      { grn: b, accessCode: codeB, amountToBeCovered: 140, currency: 'GEL' },
    ];
    const lodged = await client(node, aeo.token).post('/v1/declarations', ctd);
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    // 559.90 × 3/4 = 419.925 → 419.92 at 100 %; the rest, 139.98, at 50 % → 69.99.
    expect(lodged.body.reservations).toEqual([
      { grn: a, amount: 419.92, currency: 'GEL', held: true },
      { grn: b, amount: 69.99, currency: 'GEL', held: true },
    ]);
    const op = client(node, aeo.token);
    expect((await op.get(`/v1/guarantees/${a}`)).body).toMatchObject({ reserved: 419.92, openMovements: 1 });
    expect((await op.get(`/v1/guarantees/${b}`)).body).toMatchObject({ reserved: 69.99, openMovements: 1 });

    // A second CTD fits on B but no longer on A: refused at A, and nothing is reserved on B.
    const again = structuredClone(ctd);
    again.lrn = lrn2!;
    const refused = await op.post('/v1/declarations', again);
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({
      code: 'GUARANTEE_INSUFFICIENT',
      pointer: '/guarantees/0/references/0/grn',
    });
    expect((await op.get(`/v1/guarantees/${b}`)).body).toMatchObject({ reserved: 69.99, openMovements: 1 });

    const done = await writeOff(lodged.body.mrn, aeo);
    expect(done.reservation).toBeNull();
    expect(done.reservations.map((r: { held: boolean }) => r.held)).toEqual([false, false]);
    expect((await op.get(`/v1/guarantees/${a}`)).body).toMatchObject({ reserved: 0, openMovements: 0 });
    expect((await op.get(`/v1/guarantees/${b}`)).body).toMatchObject({ reserved: 0, openMovements: 0 });
  });

  it('reserves nothing on a waiver (type 0), which must be declared as one', async () => {
    const w = await register(aeo, { type: '0', referenceAmount: 1 });
    const code = (await approve(w, aeo)).accessCode;
    const [lrn, wrongType] = lrns(aeo.tin, 2, 'WAIVE');
    const ctd = domesticCtd({ lrn: lrn!, holderTin: aeo.tin, grn: w, accessCode: code });
    ctd.guarantees[0]!.type = '0';
    const lodged = await client(node, aeo.token).post('/v1/declarations', ctd);
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    expect(lodged.body).toMatchObject({
      state: 'RELEASED',
      reservations: [{ grn: w, amount: 0, currency: 'GEL', held: true }],
    });
    expect((await client(node, aeo.token).get(`/v1/guarantees/${w}`)).body.reserved).toBe(0);

    const mismatch = domesticCtd({ lrn: wrongType!, holderTin: aeo.tin, grn: w, accessCode: code });
    const res = await client(node, aeo.token).post('/v1/declarations', mismatch); // declares type 1
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('GUARANTEE_TYPE_MISMATCH');
  });

  it('lets an individual guarantee (type 2) serve one movement only', async () => {
    const i = await register(aeo, { type: '2', referenceAmount: DUE });
    const code = (await approve(i, aeo, { level: 100 })).accessCode;
    const [first, second] = lrns(aeo.tin, 2, 'INDIV');
    const ctd = (lrn: string) => {
      const c = domesticCtd({ lrn, holderTin: aeo.tin, grn: i, accessCode: code });
      c.guarantees[0]!.type = '2';
      return c;
    };
    const op = client(node, aeo.token);
    const lodged = await op.post('/v1/declarations', ctd(first!));
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    await writeOff(lodged.body.mrn, aeo);
    // Given back, yet used: it does not serve a second movement.
    expect((await op.get(`/v1/guarantees/${i}`)).body).toMatchObject({ reserved: 0, usedBy: lodged.body.mrn });
    const refused = await op.post('/v1/declarations', ctd(second!));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('GUARANTEE_ALREADY_USED');
  });
  it('frees an individual guarantee whose movement ends before release, or is amended to another', async () => {
    const i = await register(aeo, { type: '2', referenceAmount: DUE });
    const code = (await approve(i, aeo, { level: 100 })).accessCode;
    const other = await register(aeo, { type: '2', referenceAmount: DUE });
    const otherCode = (await approve(other, aeo, { level: 100 })).accessCode;
    const [cancelled, amended, used] = lrns(aeo.tin, 3, 'FREE');
    const ctd = (lrn: string, grn = i, accessCode = code) => {
      const c = domesticCtd({ lrn, holderTin: aeo.tin, grn, accessCode, prelodged: true });
      c.guarantees[0]!.type = '2';
      return c;
    };
    const op = client(node, aeo.token);
    const usedBy = async (grn: string) => (await op.get(`/v1/guarantees/${grn}`)).body.usedBy;

    const first = await op.post('/v1/declarations', ctd(cancelled!));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(await usedBy(i)).toBe(first.body.mrn);
    expect((await op.post(`/v1/declarations/${first.body.mrn}/cancellation`, {})).status).toBe(200);
    expect(await usedBy(i)).toBeNull();

    const second = await op.post('/v1/declarations', ctd(amended!));
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const switched = await op.post(`/v1/declarations/${second.body.mrn}/amendment`, ctd(amended!, other, otherCode));
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    expect(await usedBy(i)).toBeNull();
    expect(await usedBy(other)).toBe(second.body.mrn);

    // Free again, it serves a movement to its end.
    const third = await op.post('/v1/declarations', ctd(used!));
    expect(third.status, JSON.stringify(third.body)).toBe(201);
    expect((await op.post(`/v1/declarations/${third.body.mrn}/presentation`)).body.state).toBe('RELEASED');
    await writeOff(third.body.mrn, aeo);
    expect(await usedBy(i)).toBe(third.body.mrn);
  });
});

describe('guarantor exposure', () => {
  it('shows customs what each guarantee a guarantor backs has reserved and available, in the API and metrics', async () => {
    const g = await register(aeo, { referenceAmount: 2000, guarantor: TEST_GUARANTOR });
    const code = (await approve(g, aeo, { level: 100 })).accessCode;
    const [lrn] = lrns(aeo.tin, 1, 'EXPO');
    const lodged = await client(node, aeo.token).post(
      '/v1/declarations',
      domesticCtd({ lrn: lrn!, holderTin: aeo.tin, grn: g, accessCode: code }),
    );
    expect(lodged.status).toBe(201);

    const exposure = await client(node, officer.token).get(
      `/v1/guarantors/${TEST_GUARANTOR.identificationNumber}/exposure`,
    );
    expect(exposure.status).toBe(200);
    expect(exposure.body.guarantees).toEqual([
      {
        grn: g,
        holderTin: aeo.tin,
        type: '1',
        status: 'ACTIVE',
        currency: 'GEL',
        referenceAmount: 2000,
        reserved: DUE,
        available: 1440.1,
        openMovements: 1,
      },
    ]);
    expect(exposure.body.totals).toEqual([
      { currency: 'GEL', referenceAmount: 2000, reserved: DUE, available: 1440.1 },
    ]);
    // Operators see their own guarantees, not a guarantor's book.
    expect(
      (await client(node, aeo.token).get(`/v1/guarantors/${TEST_GUARANTOR.identificationNumber}/exposure`)).status,
    ).toBe(403);

    const metrics = String((await client(node).get('/metrics')).body);
    const line = (kind: string) =>
      metrics
        .split('\n')
        .find((l) =>
          l.startsWith(
            `cats_guarantor_exposure{guarantor="${TEST_GUARANTOR.identificationNumber}",currency="GEL",kind="${kind}"`,
          ),
        );
    expect(Number(line('reserved')?.split(' ')[1])).toBeCloseTo(DUE, 2);
    expect(Number(line('available')?.split(' ')[1])).toBeCloseTo(2000 - DUE, 2);
  });
});
