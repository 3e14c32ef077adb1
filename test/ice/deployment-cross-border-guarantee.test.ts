// A guarantee registered in Kazakhstan secures a movement departing from
// Georgia, on the reference deployment as a user runs it (`cats-stress up`:
// ICE and KZ, AZ, GE node processes, the KZ node's link to ICE behind a fault
// proxy). The lodging answers at once with the movement waiting for its
// guarantee; KZ reserves or refuses through ICE (IE203/IE205); the amount goes
// back at write-off (IE209) or when the movement ends unreleased (IE204).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../harness/deploy/deployment-file.ts';
import { grnFromSequence } from '../../reference/domain/grn.ts';
import { call, journeyCtd } from './deployment-journey.ts';
import { deploymentWorkspace, type DeploymentWorkspace } from '../../harness/testing/deployment-cli.ts';

/** The 4 business hours KZ has to answer pass in about 4 real seconds. */
const TIME_FACTOR = 3600;
const POLL = { timeout: 90_000, interval: 250 };
const HOLDER_TOKEN = 'cross-border-holder-token-0001';

describe('a KZ guarantee securing a movement departing from GE', () => {
  let w: DeploymentWorkspace;
  let d: Deployment;
  let n = 0;

  beforeAll(async () => {
    w = await deploymentWorkspace('cats-stress-xguarantee');
    const up = await w.up([
      '--countries',
      'KZ,AZ,GE',
      '--ice-load-countries',
      '',
      '--time-factor',
      String(TIME_FACTOR),
      '--fault-links',
      'KZ-ice',
    ]);
    expect(up.code, `${up.out}\n${await w.supervisorLog()}`).toBe(0);
    d = await w.deployment();
    // The KZ holder also trades through Georgia: an operator account there, under the same TIN.
    const h = holder();
    const seeded = await call(d.nodes.GE!.url, d.nodes.GE!.adminToken, 'POST', '/v1/admin/fixtures', {
      operators: [{ tin: h.tin, name: h.name, country: 'KZ', aeo: h.aeo, token: HOLDER_TOKEN }],
    });
    expect(seeded.status, JSON.stringify(seeded.body)).toBe(200);
  }, 400_000);

  afterAll(() => w?.remove(), 60_000);

  const holder = () => d.nodes.KZ!.operators.find((o) => o.aeo)!;
  const guarantee = () => d.nodes.KZ!.guarantees.find((g) => g.holderTin === holder().tin && g.type === '1')!;
  const officer = (country: 'KZ' | 'AZ' | 'GE', id: string) =>
    d.nodes[country]!.officers.find((o) => o.id === id)!.token;
  const atGe = (mrn: string) =>
    call(d.nodes.GE!.url, HOLDER_TOKEN, 'GET', `/v1/declarations/${mrn}`).then((r) => r.body);
  const balance = () =>
    call(d.nodes.KZ!.url, holder().token, 'GET', `/v1/guarantees/${guarantee().grn}`).then((r) => r.body);
  const kzUses = async () => {
    const { body } = await call(d.nodes.KZ!.url, d.nodes.KZ!.adminToken, 'GET', '/v1/audit/guarantees?limit=1000');
    return (body.items as { grn: string; uses: { mrn: string }[] }[]).find((g) => g.grn === guarantee().grn)!;
  };
  const link = (action: 'disable' | 'enable') =>
    fetch(`${d.faultLinks!.url}/links/KZ-ice/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${d.faultLinks!.token}` },
    });

  /** A CTD lodged at Tbilisi for Baku, secured by the KZ guarantee. */
  function ctd(over: { accessCode?: string; grns?: string[] } = {}) {
    const g = guarantee();
    const c = journeyCtd(`XGUAR-${n++}`, holder().tin, g.grn, over.accessCode ?? g.accessCode);
    c.offices = { departure: 'GE000010', transit: [], destination: 'AZ000100' };
    c.consignment.countriesOfRouting = ['GE', 'AZ'];
    c.consignment.countryOfDispatch = 'GE';
    c.consignment.countryOfDestination = 'AZ';
    if (over.grns) c.guarantees[0]!.references = over.grns.map((grn) => ({ ...c.guarantees[0]!.references[0]!, grn }));
    return c;
  }
  const lodge = (body: unknown) => call(d.nodes.GE!.url, HOLDER_TOKEN, 'POST', '/v1/declarations', body);

  it('answers at once with the movement waiting; KZ reserves, GE releases; write-off gives the amount back', async () => {
    const before = await balance();
    const lodged = await lodge(ctd());
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    expect(lodged.body).toMatchObject({ state: 'AWAITING_GUARANTEE', reservation: null });
    const mrn: string = lodged.body.mrn;
    await expect.poll(() => atGe(mrn).then((m) => m.state), POLL).not.toBe('AWAITING_GUARANTEE');
    let m = await atGe(mrn);
    if (m.state === 'UNDER_CONTROL') {
      const r = await call(d.nodes.GE!.url, officer('GE', 'ge-ge000010'), 'POST', `/v1/declarations/${mrn}/release`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      m = await atGe(mrn);
    }
    expect(m).toMatchObject({ state: 'RELEASED', reservations: [{ grn: guarantee().grn, held: true }] });
    // The access code is nowhere in what departure shows of the movement.
    expect(JSON.stringify(m)).not.toContain(guarantee().accessCode);
    const reserved = Math.round(m.reservations[0].amount * 100);
    expect(reserved).toBeGreaterThan(0);
    const during = await balance();
    expect(Math.round((during.reserved - before.reserved) * 100)).toBe(reserved);
    expect((await kzUses()).uses.map((u) => u.mrn)).toContain(mrn);

    const az = officer('AZ', 'az-az000100');
    const at = (step: string, body: unknown) => call(d.nodes.AZ!.url, az, 'POST', `/v1/movements/${mrn}/${step}`, body);
    await expect.poll(() => at('arrival', { office: 'AZ000100' }).then((r) => r.status), POLL).toBe(200);
    expect((await at('control-results', { office: 'AZ000100', conform: true })).status).toBe(200);
    await expect.poll(() => atGe(mrn).then((x) => x.state), POLL).toBe('WRITTEN_OFF');
    await expect.poll(() => balance().then((b) => b.reserved), POLL).toBe(before.reserved);
    expect((await kzUses()).uses.map((u) => u.mrn)).not.toContain(mrn);
  }, 180_000);

  it('a refusal by KZ (wrong access code) refuses the movement with the reason; nothing reserved', async () => {
    const before = await balance();
    const lodged = await lodge(ctd({ accessCode: guarantee().accessCode === 'ZZZZ' ? 'YYYY' : 'ZZZZ' }));
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    expect(lodged.body.state).toBe('AWAITING_GUARANTEE');
    const mrn: string = lodged.body.mrn;
    await expect.poll(() => atGe(mrn).then((m) => m.state), POLL).toBe('NOT_RELEASED');
    expect((await atGe(mrn)).guaranteeAbroad).toMatchObject({
      country: 'KZ',
      refusal: { code: 'GUARANTEE_ACCESS_CODE', grn: guarantee().grn },
    });
    expect((await balance()).reserved).toBe(before.reserved);
  }, 120_000);

  it('KZ unreachable: the movement waits, is refused at the limit, and nothing stays reserved once KZ is back', async () => {
    const before = await balance();
    expect((await link('disable')).status).toBe(204);
    try {
      const lodged = await lodge(ctd());
      expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
      const mrn: string = lodged.body.mrn;
      expect((await atGe(mrn)).guaranteeAbroad).toMatchObject({ country: 'KZ', refusal: null });
      await expect.poll(() => atGe(mrn).then((m) => m.state), POLL).toBe('NOT_RELEASED');
      expect((await atGe(mrn)).guaranteeAbroad.refusal).toMatchObject({ code: 'GUARANTEE_UNANSWERED' });
      expect((await atGe(mrn)).reservations).toEqual([expect.objectContaining({ held: false })]);
      expect((await link('enable')).status).toBe(204);
      // KZ now receives the request and its cancellation, in that order: it reserves and gives back.
      await expect
        .poll(async () => {
          const { body } = await call(
            d.nodes.KZ!.url,
            d.nodes.KZ!.adminToken,
            'GET',
            '/v1/audit/applied-messages?limit=1000',
          );
          return (body.items as { type: string; mrn: string }[])
            .filter((x) => x.mrn === mrn)
            .map((x) => x.type)
            .sort();
        }, POLL)
        .toEqual(['IE203', 'IE204']);
      expect((await balance()).reserved).toBe(before.reserved);
      expect((await kzUses()).uses.map((u) => u.mrn)).not.toContain(mrn);
    } finally {
      await link('enable');
    }
  }, 180_000);

  it('bad guarantee references are refused at lodging with a pointer, and nothing is lodged', async () => {
    const count = async () =>
      (await call(d.nodes.GE!.url, HOLDER_TOKEN, 'GET', '/v1/declarations?limit=100')).body.items.length;
    const before = await count();
    const az = grnFromSequence({ year: 2026, country: 'AZ', sequence: 7n });
    const tr = grnFromSequence({ year: 2026, country: 'TR', sequence: 7n });
    const mixed = await lodge(ctd({ grns: [guarantee().grn, az] }));
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors).toEqual([
      expect.objectContaining({ code: 'GUARANTEE_COUNTRIES_MIXED', pointer: '/guarantees/0/references/1/grn' }),
    ]);
    const outside = await lodge(ctd({ grns: [tr] }));
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([
      expect.objectContaining({ code: 'GUARANTEE_COUNTRY_NOT_IN_EXCHANGE', pointer: '/guarantees/0/references/0/grn' }),
    ]);
    expect(await count()).toBe(before);
  }, 60_000);
});
