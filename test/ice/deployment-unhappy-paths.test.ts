// The unhappy paths of a movement KZ → AZ → GE on the reference deployment as
// a user runs it: `cats-stress up --time-factor` (ICE and three node
// processes on one business clock running fast enough that the 17-day time
// limit of this itinerary passes in seconds), the C2C messages carried by ICE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../harness/deploy/deployment-file.ts';
import { call, journeyCtd } from './deployment-journey.ts';
import { deploymentWorkspace, type DeploymentWorkspace } from '../../harness/testing/deployment-cli.ts';
import { reconcile } from '../../harness/reconcile/reconcile.ts';

/** 17 business days in about 12 real seconds; the 28-day enquiry period in about 20. */
const TIME_FACTOR = 120_000;
const POLL = { timeout: 90_000, interval: 250 };

describe('unhappy paths across KZ → AZ → GE', () => {
  let w: DeploymentWorkspace;
  let d: Deployment;
  let n = 0;

  beforeAll(async () => {
    w = await deploymentWorkspace('cats-stress-unhappy');
    const up = await w.up([
      '--countries',
      'KZ,AZ,GE',
      '--ice-load-countries',
      '',
      '--time-factor',
      String(TIME_FACTOR),
    ]);
    expect(up.code, `${up.out}\n${await w.supervisorLog()}`).toBe(0);
    d = await w.deployment();
  }, 180_000);

  afterAll(() => w?.remove(), 60_000);

  const officer = (country: 'KZ' | 'AZ' | 'GE', id: string) =>
    d.nodes[country]!.officers.find((o) => o.id === id)!.token;
  const holder = () => d.nodes.KZ!.operators.find((o) => o.aeo)!;
  const guarantee = () => d.nodes.KZ!.guarantees.find((g) => g.holderTin === holder().tin)!;
  const atKz = (mrn: string) =>
    call(d.nodes.KZ!.url, holder().token, 'GET', `/v1/declarations/${mrn}`).then((r) => r.body);
  const atGe = (mrn: string) =>
    call(d.nodes.GE!.url, officer('GE', 'ge-all'), 'GET', `/v1/declarations/${mrn}`).then((r) => r.body);
  const ge = (mrn: string, step: string, body: unknown) =>
    call(d.nodes.GE!.url, officer('GE', 'ge-ge000010'), 'POST', `/v1/movements/${mrn}/${step}`, body);
  const kz = (mrn: string, step: string, body: unknown) =>
    call(d.nodes.KZ!.url, officer('KZ', 'kz-kz000010'), 'POST', `/v1/movements/${mrn}/${step}`, body);
  const balance = () =>
    call(d.nodes.KZ!.url, holder().token, 'GET', `/v1/guarantees/${guarantee().grn}`).then((r) => r.body);

  /** Lodged at KZ and released, its anticipated arrival record at GE. */
  async function released(): Promise<string> {
    const g = guarantee();
    const lodged = await call(
      d.nodes.KZ!.url,
      holder().token,
      'POST',
      '/v1/declarations',
      journeyCtd(`UNHAPPY-${n++}`, holder().tin, g.grn, g.accessCode),
    );
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    const mrn: string = lodged.body.mrn;
    if (lodged.body.state === 'UNDER_CONTROL')
      expect(
        (await call(d.nodes.KZ!.url, officer('KZ', 'kz-kz000010'), 'POST', `/v1/declarations/${mrn}/release`)).status,
      ).toBe(200);
    await expect.poll(() => atGe(mrn), POLL).toMatchObject({ role: 'destination' });
    return mrn;
  }

  async function arriveAtGe(mrn: string, conform: boolean): Promise<void> {
    expect((await ge(mrn, 'arrival', { office: 'GE000010' })).status).toBe(200);
    expect((await ge(mrn, 'control-results', { office: 'GE000010', conform })).status).toBe(200);
  }

  it('runs every part on the one business clock of the deployment file', async () => {
    expect(d.clock).toMatchObject({ factor: TIME_FACTOR });
    for (const url of [...Object.values(d.nodes).map((x) => x.url), d.ice.httpUrl]) {
      const clock = (await (await fetch(`${url}/v1/clock`)).json()) as { factor: number; epoch: string };
      expect(clock).toMatchObject({ factor: TIME_FACTOR, epoch: d.clock!.epoch, controllable: true });
    }
  });

  it('late arrival: the enquiry opened past the limit is closed by the arrival', async () => {
    const mrn = await released();
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('ENQUIRY');
    await arriveAtGe(mrn, true);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('WRITTEN_OFF');
  }, 180_000);

  it('enquiry answered by arrival: destination reports the goods arrived, then their arrival and results follow', async () => {
    const mrn = await released();
    await expect.poll(() => atGe(mrn).then((m) => m.enquiry), POLL).not.toBeNull();
    expect((await ge(mrn, 'enquiry-response', { office: 'GE000010', goodsArrived: true })).status).toBe(200);
    await expect.poll(() => atKz(mrn).then((m) => m.enquiry?.answer), POLL).toBe('arrived');
    expect((await kz(mrn, 'recovery', { reason: 'no arrival advice' })).status).toBe(409);
    await arriveAtGe(mrn, true);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('WRITTEN_OFF');
  }, 180_000);

  it('enquiry to recovery: not arrived, recovery after the enquiry period, the guarantee charged', async () => {
    const mrn = await released();
    await expect.poll(() => atGe(mrn).then((m) => m.enquiry), POLL).not.toBeNull();
    expect((await ge(mrn, 'enquiry-response', { office: 'GE000010', goodsArrived: false })).status).toBe(200);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('RECOVERY');
    const before = await balance();
    const settled = await kz(mrn, 'recovery-outcome', { office: 'KZ000010', recovered: true });
    expect(settled.body).toMatchObject({ state: 'RECOVERED', reservations: [{ held: false, charged: true }] });
    const after = await balance();
    expect(after.referenceAmount).toBeLessThan(before.referenceAmount);
    expect(after.reserved).toBeLessThan(before.reserved);
    await expect.poll(() => atGe(mrn).then((m) => m.state), POLL).toBe('RECOVERED');
  }, 180_000);

  it('invalidation after release; the holder amendment and cancellation refused out of sequence', async () => {
    const g = guarantee();
    const ctd = journeyCtd(`UNHAPPY-${n++}`, holder().tin, g.grn, g.accessCode);
    const lodged = await call(d.nodes.KZ!.url, holder().token, 'POST', '/v1/declarations', ctd);
    const mrn: string = lodged.body.mrn;
    if (lodged.body.state === 'UNDER_CONTROL')
      await call(d.nodes.KZ!.url, officer('KZ', 'kz-kz000010'), 'POST', `/v1/declarations/${mrn}/release`);
    await expect.poll(() => atGe(mrn), POLL).toMatchObject({ role: 'destination' });
    const amend = await call(d.nodes.KZ!.url, holder().token, 'POST', `/v1/declarations/${mrn}/amendment`, ctd);
    const cancel = await call(d.nodes.KZ!.url, holder().token, 'POST', `/v1/declarations/${mrn}/cancellation`, {});
    expect([amend.status, amend.body.code, cancel.status, cancel.body.code]).toEqual([
      409,
      'ILLEGAL_TRANSITION',
      409,
      'ILLEGAL_TRANSITION',
    ]);
    const invalidated = await kz(mrn, 'invalidation', { reason: 'declared seals never applied' });
    expect(invalidated.body).toMatchObject({ state: 'INVALIDATED', reservation: null });
    await expect.poll(() => atGe(mrn).then((m) => m.state), POLL).toBe('INVALIDATED');
  }, 180_000);

  it('diversion at transit: an office not declared gets the record from departure (IE114/IE115), then crosses', async () => {
    const mrn = await released();
    const az = (body: unknown) =>
      call(d.nodes.AZ!.url, officer('AZ', 'az-az000210'), 'POST', `/v1/movements/${mrn}/crossing`, body);
    const asked = await az({ office: 'AZ000210' });
    expect(asked.status).toBe(202);
    await expect.poll(() => az({ office: 'AZ000210' }).then((r) => r.status), POLL).toBe(200);
    await expect.poll(() => atKz(mrn).then((m) => m.crossedOffices), POLL).toEqual(['AZ000210']);
    await arriveAtGe(mrn, true);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('WRITTEN_OFF');
  }, 180_000);

  it('diversion at destination: the actual office gets the record (IE002/IE003), the declared one is told (IE024)', async () => {
    const mrn = await released();
    const other = (step: string, body: unknown) =>
      call(d.nodes.GE!.url, officer('GE', 'ge-ge000200'), 'POST', `/v1/movements/${mrn}/${step}`, body);
    expect((await other('arrival', { office: 'GE000200' })).status).toBe(202);
    await expect.poll(() => other('arrival', { office: 'GE000200' }).then((r) => r.status), POLL).toBe(200);
    expect((await other('control-results', { office: 'GE000200', conform: true })).status).toBe(200);
    await expect
      .poll(() => atKz(mrn), POLL)
      .toMatchObject({ state: 'WRITTEN_OFF', offices: { destination: 'GE000200' }, reservation: null });
  }, 180_000);

  it('incidents of each type recorded where they happen, forwarded to KZ (IE180), written off after the decision', async () => {
    const mrn = await released();
    const incident = (country: 'KZ' | 'AZ' | 'GE', id: string, office: string, kind: string) =>
      call(d.nodes[country]!.url, officer(country, id), 'POST', `/v1/movements/${mrn}/incidents`, {
        office,
        kind,
        occurredAt: new Date().toISOString(),
        description: `${kind} at ${office}`,
      });
    expect((await incident('KZ', 'kz-kz000010', 'KZ000010', 'transhipment')).status).toBe(200);
    expect((await incident('AZ', 'az-az000100', 'AZ000100', 'transport-change')).status).toBe(200);
    expect((await incident('AZ', 'az-az000100', 'AZ000100', 'seal-broken')).status).toBe(200);
    expect((await incident('GE', 'ge-ge000010', 'GE000010', 'accident')).status).toBe(200);
    await expect.poll(() => atKz(mrn).then((m) => m.openIncidents), POLL).toBe(4);
    await arriveAtGe(mrn, true);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('CONTROLLED');
    const decided = await kz(mrn, 'incident-decision', {});
    expect(decided.body).toMatchObject({ state: 'WRITTEN_OFF', openIncidents: 0 });
  }, 180_000);

  it('discrepancies resolved by customs at departure: written off', async () => {
    const mrn = await released();
    await arriveAtGe(mrn, false);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('DISCREPANCIES');
    const resolved = await kz(mrn, 'discrepancies-resolution', { information: 'counted again: conform' });
    expect(resolved.body).toMatchObject({ state: 'WRITTEN_OFF', reservation: null });
    await expect.poll(() => atGe(mrn).then((m) => m.state), POLL).toBe('WRITTEN_OFF');
  }, 180_000);

  it('discrepancies to recovery at the destination (IE150/IE152): the guarantee charged', async () => {
    const mrn = await released();
    await arriveAtGe(mrn, false);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('DISCREPANCIES');
    const started = await kz(mrn, 'recovery', { reason: 'two bales missing' });
    expect(started.body).toMatchObject({ state: 'RECOVERY', recovery: { office: 'GE000010' } });
    await expect.poll(() => atGe(mrn).then((m) => m.recovery), POLL).not.toBeNull();
    expect((await ge(mrn, 'recovery-outcome', { office: 'GE000010', recovered: true })).status).toBe(200);
    await expect.poll(() => atKz(mrn).then((m) => m.state), POLL).toBe('RECOVERED');
    await expect.poll(() => atGe(mrn).then((m) => m.state), POLL).toBe('RECOVERED');
  }, 180_000);

  it('the reconciliation audit finds every message of these paths applied once and every guarantee balanced', async () => {
    const verdict = await reconcile({ deployment: d, acceptedCount: n });
    const byId = Object.fromEntries(verdict.checks.map((c) => [c.id, c]));
    expect(verdict.passed, JSON.stringify(verdict.checks, null, 1)).toBe(true);
    // Enquiries, recoveries, diversions, incidents and invalidation all went through ICE and were judged.
    expect(byId['c2c-exactly-once']).toMatchObject({ status: 'pass' });
    expect(byId['c2c-exactly-once']!.checked).toBeGreaterThan(3 * n);
    expect(byId['guarantee-balances']).toMatchObject({ status: 'pass' });
    expect(byId['cross-border-copies']).toMatchObject({ status: 'pass', checked: n });
  }, 180_000);
});
