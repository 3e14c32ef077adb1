// The reference deployment as a user runs it: `cats-stress up` (ICE and three
// national node processes), a movement KZ → AZ → GE carried across them by ICE
// to write-off, then `cats-stress down`, after which nothing of it runs.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../harness/deploy/deployment-file.ts';
import { movementMrn } from './messages.ts';
import { groupMembers } from './process-group.ts';
import { call, journeyCtd } from './deployment-journey.ts';
import { cli, deploymentWorkspace, type DeploymentWorkspace } from '../../harness/testing/deployment-cli.ts';
import { recordedCtd } from '../../reference/cats/recorded-ctd.ts';

describe('cats-stress up / down', () => {
  let w: DeploymentWorkspace;
  let d: Deployment;

  beforeAll(async () => {
    w = await deploymentWorkspace('cats-stress-deploy');
    const up = await w.up(['--countries', 'KZ,AZ,GE']);
    expect(up.code, `${up.out}\n${await w.supervisorLog()}`).toBe(0);
    expect(up.out).toContain('node KZ  http://127.0.0.1:');
    d = await w.deployment();
  }, 180_000);

  afterAll(() => w?.remove(), 60_000);

  it('carries a movement KZ → AZ → GE through ICE to write-off, with the guarantee released and every step notified', async () => {
    const kz = d.nodes.KZ;
    const az = d.nodes.AZ;
    const ge = d.nodes.GE;
    const operator = kz.operators.find((o) => o.aeo)!;
    const guarantee = kz.guarantees.find((g) => g.holderTin === operator.tin)!;
    const officer = (n: typeof kz, id: string) => n.officers.find((o) => o.id === id)!.token;

    const notifications: { event: string; state: string; office: string | null }[] = [];
    const stream = new WebSocket(`${kz.url.replace('http', 'ws')}/v1/notifications`, {
      headers: { authorization: `Bearer ${operator.token}` },
    });
    stream.on('message', (data) => notifications.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));

    const lodged = await call(
      kz.url,
      operator.token,
      'POST',
      '/v1/declarations',
      journeyCtd('JOURNEY-1', operator.tin, guarantee.grn, guarantee.accessCode),
    );
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    const mrn: string = lodged.body.mrn;
    if (lodged.body.state === 'UNDER_CONTROL') {
      expect(
        (await call(kz.url, officer(kz, 'kz-kz000010'), 'POST', `/v1/declarations/${mrn}/release`)).body.state,
      ).toBe('RELEASED');
    }
    const atDeparture = () => call(kz.url, operator.token, 'GET', `/v1/declarations/${mrn}`).then((r) => r.body);
    expect(await atDeparture()).toMatchObject({ state: 'RELEASED' });
    const reserved = (await call(kz.url, operator.token, 'GET', `/v1/guarantees/${guarantee.grn}`)).body.reserved;
    expect(reserved).toBeGreaterThan(0);

    // IE050 to the office of transit in AZ, IE001 to the destination in GE.
    const atTransit = () => call(az.url, officer(az, 'az-all'), 'GET', `/v1/declarations/${mrn}`).then((r) => r.body);
    const atDestination = () =>
      call(ge.url, officer(ge, 'ge-all'), 'GET', `/v1/declarations/${mrn}`).then((r) => r.body);
    await expect.poll(atTransit, { timeout: 15_000 }).toMatchObject({ role: 'transit', state: 'RELEASED' });
    await expect.poll(atDestination, { timeout: 15_000 }).toMatchObject({ role: 'destination', state: 'RELEASED' });

    // Crossing at AZ → IE118 → KZ.
    const crossed = await call(az.url, officer(az, 'az-az000100'), 'POST', `/v1/movements/${mrn}/crossing`, {
      office: 'AZ000100',
    });
    expect(crossed.body.state).toBe('IN_TRANSIT');
    await expect
      .poll(atDeparture, { timeout: 15_000 })
      .toMatchObject({ state: 'IN_TRANSIT', crossedOffices: ['AZ000100'] });

    // Arrival and control results at GE → IE006, IE018 → KZ writes off, releases the guarantee, sends IE045.
    expect(
      (await call(ge.url, officer(ge, 'ge-ge000010'), 'POST', `/v1/movements/${mrn}/arrival`, { office: 'GE000010' }))
        .body.state,
    ).toBe('ARRIVED');
    await expect.poll(atDeparture, { timeout: 15_000 }).toMatchObject({ state: 'ARRIVED' });
    const controlled = await call(ge.url, officer(ge, 'ge-ge000010'), 'POST', `/v1/movements/${mrn}/control-results`, {
      office: 'GE000010',
      conform: true,
    });
    expect(controlled.body.state).toBe('CONTROLLED');
    await expect.poll(atDeparture, { timeout: 15_000 }).toMatchObject({ state: 'WRITTEN_OFF' });
    expect((await call(kz.url, operator.token, 'GET', `/v1/guarantees/${guarantee.grn}`)).body.reserved).toBe(0);
    await expect.poll(atTransit, { timeout: 15_000 }).toMatchObject({ state: 'WRITTEN_OFF' });
    await expect.poll(atDestination, { timeout: 15_000 }).toMatchObject({ state: 'WRITTEN_OFF' });

    await expect.poll(() => notifications.map((n) => n.state), { timeout: 5000 }).toContain('WRITTEN_OFF');
    stream.close();
    const steps = notifications
      .filter((n) => n.event !== 'accept' && n.event !== 'control')
      .map((n) => [n.event, n.state, n.office]);
    expect(steps).toEqual([
      ['release', 'RELEASED', null],
      ['cross', 'IN_TRANSIT', 'AZ000100'],
      ['arrive', 'ARRIVED', 'GE000010'],
      ['controlResults', 'CONTROLLED', 'GE000010'],
      ['writeOff', 'WRITTEN_OFF', null],
    ]);

    // Every C2C message went through ICE once: IE050 + IE045 to AZ, IE001 + IE045 to GE, IE118 + IE006 + IE018 to KZ.
    const metrics = await (await fetch(`${d.ice.httpUrl}/metrics`)).text();
    const stored = (type: string, to: string) =>
      Number(
        new RegExp(`ice_messages_stored_total\\{[^}]*recipient_country="${to}",type="${type}"\\} (\\d+)`).exec(
          metrics,
        )?.[1] ?? 0,
      );
    expect([stored('IE050', 'AZ'), stored('IE045', 'AZ'), stored('IE001', 'GE'), stored('IE045', 'GE')]).toEqual([
      1, 1, 1, 1,
    ]);
    expect([stored('IE118', 'KZ'), stored('IE006', 'KZ'), stored('IE018', 'KZ')]).toEqual([1, 1, 1]);
    for (const c of ['KZ', 'AZ', 'GE']) expect(metrics).toContain(`ice_queue_depth{recipient_country="${c}"} 0`);
  }, 120_000);

  it('refuses what the CN load identity forges about a KZ movement, and nothing changes at any node', async () => {
    const kz = d.nodes.KZ;
    const operator = kz.operators.find((o) => o.aeo)!;
    const guarantee = kz.guarantees.find((g) => g.holderTin === operator.tin)!;
    const lodged = await call(
      kz.url,
      operator.token,
      'POST',
      '/v1/declarations',
      journeyCtd('FORGED-1', operator.tin, guarantee.grn, guarantee.accessCode),
    );
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    const mrn: string = lodged.body.mrn;
    if (lodged.body.state === 'UNDER_CONTROL') {
      const officer = kz.officers.find((o) => o.id === 'kz-kz000010')!.token;
      expect((await call(kz.url, officer, 'POST', `/v1/declarations/${mrn}/release`)).body.state).toBe('RELEASED');
    }
    const officerOf = (country: 'AZ' | 'GE') =>
      d.nodes[country].officers.find((o) => o.id === `${country.toLowerCase()}-all`)!.token;
    const states = async () => ({
      kz: (await call(kz.url, operator.token, 'GET', `/v1/declarations/${mrn}`)).body.state,
      az: (await call(d.nodes.AZ.url, officerOf('AZ'), 'GET', `/v1/declarations/${mrn}`)).body.state,
      ge: (await call(d.nodes.GE.url, officerOf('GE'), 'GET', `/v1/declarations/${mrn}`)).body.state,
      reserved: (await call(kz.url, operator.token, 'GET', `/v1/guarantees/${guarantee.grn}`)).body.reserved,
    });
    await expect.poll(states, { timeout: 15_000 }).toMatchObject({ kz: 'RELEASED', az: 'RELEASED', ge: 'RELEASED' });
    const before = await states();

    const cn = d.ice.loadIdentities.find((i) => i.country === 'CN')!;
    const ws = new WebSocket(d.ice.url, { headers: { authorization: `Bearer ${cn.token}` } });
    const frames: any[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const at = new Date().toISOString();
    const send = (type: string, to: [string, string], m: string, body: Record<string, unknown>) => {
      const message = {
        id: randomUUID(),
        type,
        sender: { country: 'CN', office: cn.office },
        recipient: { country: to[0], office: to[1] },
        mrn: m,
        sentAt: at,
        body,
      };
      ws.send(JSON.stringify({ type: 'send', message }));
      return message.id;
    };
    const toKz: [string, string] = ['KZ', 'KZ000010'];
    const arrival = send('IE006', toKz, mrn, { officeOfDestination: cn.office, arrivedAt: at });
    const results = send('IE018', toKz, mrn, { officeOfDestination: cn.office, controlledAt: at, conform: true });
    const crossing = send('IE118', toKz, mrn, { officeOfTransit: cn.office, crossedAt: at });
    const writeOff = send('IE045', ['GE', 'GE000010'], mrn, { writtenOffAt: at, outcome: 'discharged' });
    const invented = movementMrn('CN', 777);
    const declaration = recordedCtd(journeyCtd('FORGED-2', operator.tin, guarantee.grn, guarantee.accessCode));
    declaration.offices = { departure: cn.office, transit: [], destination: 'AZ000100' };
    const record = send('IE001', ['AZ', 'AZ000100'], invented, {
      declaration,
      acceptedAt: at,
      releasedAt: at,
      officeOfDeparture: cn.office,
      officeOfDestination: 'AZ000100',
    });

    const verdict = (id: string) => frames.find((f) => f.ref === id && (f.type === 'returned' || f.type === 'error'));
    await expect
      .poll(
        () =>
          [arrival, results, crossing, writeOff, record].map((id) => verdict(id)?.rejected?.code ?? verdict(id)?.code),
        {
          timeout: 15_000,
        },
      )
      .toEqual([
        'SENDER_NOT_IN_EXCHANGE',
        'SENDER_NOT_IN_EXCHANGE',
        'SENDER_NOT_IN_EXCHANGE',
        'MRN_COUNTRY_MISMATCH',
        'SENDER_NOT_IN_EXCHANGE',
      ]);
    ws.close();
    expect(await states()).toEqual(before);
    expect((await call(d.nodes.AZ.url, officerOf('AZ'), 'GET', `/v1/declarations/${invented}`)).status).toBe(404);
    const metrics = await (await fetch(`${d.ice.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /ice_messages_rejected_total\{type="IE018",code="SENDER_NOT_IN_EXCHANGE",sender_country="CN",recipient_country="KZ"\} 1/,
    );
  }, 60_000);

  it('gives ICE credentials to load identities of every country outside the exchange with an office and no node', async () => {
    expect(d.ice.loadIdentities.map((i) => i.country).sort()).toEqual(['BG', 'CN', 'RO', 'TM', 'TR']);
    expect(d.ice.loadIdentities.find((i) => i.country === 'TR')?.office).toMatch(/^TR\d{6}$/);
    for (const identity of d.ice.loadIdentities.slice(0, 2)) {
      const ws = new WebSocket(d.ice.url, { headers: { authorization: `Bearer ${identity.token}` } });
      const first = await new Promise<any>((resolve, reject) =>
        ws.once('message', (data) => resolve(JSON.parse(data.toString()))).once('error', reject),
      );
      ws.close();
      expect(first).toMatchObject({ type: 'welcome', country: identity.country });
    }
  }, 30_000);

  it('down stops every process and removes the deployment file and the database folder', async () => {
    const members = await groupMembers(d.supervisor.pid);
    expect(members).toEqual(
      expect.arrayContaining([d.supervisor.pid, d.ice.pid, ...Object.values(d.nodes).map((n) => n.pid)]),
    );
    const down = await cli(['down', '--deployment', w.file]);
    expect(down.code, down.out).toBe(0);
    expect(await groupMembers(d.supervisor.pid)).toEqual([]);
    expect(existsSync(w.file)).toBe(false);
    expect(existsSync(d.postgres.dataDir!)).toBe(false);
    expect((await cli(['down', '--deployment', w.file])).out).toContain('nothing to stop');
  }, 60_000);
});
