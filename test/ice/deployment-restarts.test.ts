// A deployment heals as one run by a service manager: ICE, a node or the
// PostgreSQL server killed with SIGKILL is started again on the same port and
// data, and nothing acknowledged is lost; a part that dies on every start is
// reported failed; `down` afterwards leaves no process of any incarnation.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../harness/deploy/deployment-file.ts';
import { isAlive } from '../../harness/deploy/stop.ts';
import { call, journeyCtd } from './deployment-journey.ts';
import { cli, deploymentWorkspace, type DeploymentWorkspace } from '../../harness/testing/deployment-cli.ts';
import { groupMembers } from './process-group.ts';

const LONG = { timeout: 90_000, interval: 250 };

describe('a deployment that heals', () => {
  let w: DeploymentWorkspace;
  let d: Deployment;
  /** Every pid any part ever had: none may run after `down`. */
  const seen = new Set<number>();

  const current = async (): Promise<Deployment> => {
    const now: Deployment = JSON.parse(await readFile(w.file, 'utf8'));
    for (const pid of [now.ice.pid, now.postgres.pid, ...Object.values(now.nodes).map((n) => n.pid)])
      if (pid) seen.add(pid);
    return now;
  };
  const officer = (country: 'KZ' | 'AZ' | 'GE', id: string) =>
    d.nodes[country].officers.find((o) => o.id === id)!.token;
  const operator = () => d.nodes.KZ.operators.find((o) => o.aeo)!;
  const declaration = (country: 'KZ' | 'AZ' | 'GE', mrn: string) =>
    call(d.nodes[country].url, officer(country, `${country.toLowerCase()}-all`), 'GET', `/v1/declarations/${mrn}`).then(
      (r) => r.body,
    );

  /** Lodges a movement KZ → AZ → GE and releases it at departure; its MRN. */
  async function released(lrn: string): Promise<string> {
    const op = operator();
    const guarantee = d.nodes.KZ.guarantees.find((g) => g.holderTin === op.tin)!;
    const lodged = await call(
      d.nodes.KZ.url,
      op.token,
      'POST',
      '/v1/declarations',
      journeyCtd(lrn, op.tin, guarantee.grn, guarantee.accessCode),
    );
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    const mrn: string = lodged.body.mrn;
    if (lodged.body.state === 'UNDER_CONTROL') {
      const r = await call(d.nodes.KZ.url, officer('KZ', 'kz-kz000010'), 'POST', `/v1/declarations/${mrn}/release`);
      expect(r.body.state).toBe('RELEASED');
    }
    return mrn;
  }

  beforeAll(async () => {
    w = await deploymentWorkspace('cats-stress-heal');
    const up = await w.up([
      '--countries',
      'KZ,AZ,GE',
      '--ice-load-countries',
      '',
      // Starts are slow on a busy machine: count restarts over a window no run of this test reaches.
      '--restart-limit',
      '3/10m',
    ]);
    expect(up.code, up.out).toBe(0);
    d = await current();
  }, 180_000);

  afterAll(() => w?.remove(), 60_000);

  it('restarts ICE killed with SIGKILL on its port, and a movement released before reaches its destination', async () => {
    const mrn = await released('HEAL-ICE-1');
    process.kill(d.ice.pid, 'SIGKILL');
    await expect.poll(() => current().then((n) => n.ice), LONG).toMatchObject({ status: 'running', restarts: 1 });
    const now = await current();
    expect(now.ice.pid).not.toBe(d.ice.pid);
    expect(now.ice.url).toBe(d.ice.url);
    expect((await fetch(`${d.ice.httpUrl}/readyz`)).status).toBe(200);
    await expect.poll(() => declaration('GE', mrn), LONG).toMatchObject({ role: 'destination', state: 'RELEASED' });
    await expect.poll(() => declaration('AZ', mrn), LONG).toMatchObject({ role: 'transit', state: 'RELEASED' });
    // And the exchange goes on after the restart.
    const after = await released('HEAL-ICE-2');
    await expect.poll(() => declaration('GE', after), LONG).toMatchObject({ role: 'destination' });
  }, 180_000);

  it('restarts a node killed with SIGKILL with its data, and ICE delivers to it again', async () => {
    const mrn = await released('HEAL-NODE-1');
    const before = await current();
    process.kill(before.nodes.KZ.pid, 'SIGKILL');
    await expect
      .poll(() => current().then((n) => n.nodes.KZ), LONG)
      .toMatchObject({ status: 'running', restarts: 1, url: d.nodes.KZ.url });
    expect((await current()).nodes.KZ.pid).not.toBe(before.nodes.KZ.pid);
    await expect.poll(() => declaration('KZ', mrn), LONG).toMatchObject({ mrn, state: 'RELEASED' });
    // IE118 from the office of transit reaches the restarted node.
    await expect.poll(() => declaration('AZ', mrn), LONG).toMatchObject({ state: 'RELEASED' });
    const crossed = await call(d.nodes.AZ.url, officer('AZ', 'az-az000100'), 'POST', `/v1/movements/${mrn}/crossing`, {
      office: 'AZ000100',
    });
    expect(crossed.body.state).toBe('IN_TRANSIT');
    await expect.poll(() => declaration('KZ', mrn), LONG).toMatchObject({ state: 'IN_TRANSIT' });
  }, 180_000);

  it('restarts the PostgreSQL server killed with SIGKILL, and every part serves again', async () => {
    const mrn = await released('HEAL-PG-1');
    const before = await current();
    process.kill(before.postgres.pid!, 'SIGKILL');
    await expect.poll(() => current().then((n) => n.postgres), LONG).toMatchObject({ status: 'running', restarts: 1 });
    expect((await current()).postgres.pid).not.toBe(before.postgres.pid);
    for (const url of [d.ice.httpUrl, ...Object.values(d.nodes).map((n) => n.url)]) {
      await expect.poll(() => fetch(`${url}/readyz`).then((r) => r.status), LONG).toBe(200);
    }
    await expect.poll(() => declaration('KZ', mrn), LONG).toMatchObject({ state: 'RELEASED' });
    // Lodging works again (a pooled connection may fail once) and its copy reaches the destination.
    let attempt = 0;
    let after: string | undefined;
    await expect
      .poll(async () => (after = await released(`HEAL-PG-2-${attempt++}`).catch(() => undefined)), LONG)
      .toBeTypeOf('string');
    await expect.poll(() => declaration('GE', after!), LONG).toMatchObject({ role: 'destination' });
    await expect.poll(() => declaration('GE', mrn), LONG).toMatchObject({ role: 'destination' });
  }, 180_000);

  it('reports a part that dies at once on every start as failed, and stops restarting it', async () => {
    const before = await current();
    const port = Number(new URL(d.nodes.GE.url).port);
    process.kill(before.nodes.GE.pid, 'SIGKILL');
    // The port taken by someone else: every start of the node fails at once.
    const squatter = net.createServer((socket) => socket.destroy());
    await expect
      .poll(
        () =>
          new Promise<boolean>((resolve) => {
            squatter.once('error', () => resolve(false));
            squatter.listen(port, '127.0.0.1', () => resolve(true));
          }),
        { timeout: 5000, interval: 10 },
      )
      .toBe(true);
    try {
      await expect
        .poll(() => current().then((n) => n.nodes.GE.status), { timeout: 150_000, interval: 500 })
        .toBe('failed');
      expect((await current()).nodes.GE.restarts).toBe(3);
      const log = await readFile(d.supervisor.log, 'utf8');
      expect(log).toContain('node GE failed: died after 3 restarts within 600 s; not restarted');
      const metrics = await (await fetch(d.supervisor.metricsUrl!)).text();
      expect(metrics).toContain('cats_deploy_part_status{part="node",country="GE",status="failed"} 1');
      expect(metrics).toContain('cats_deploy_part_restarts_total{part="node",country="GE"} 3');
      // The rest of the deployment runs on.
      expect((await fetch(`${d.nodes.KZ.url}/readyz`)).status).toBe(200);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 180_000);

  it('down after restarts leaves no process of any incarnation, no file and no database folder', async () => {
    await current();
    const down = await cli(['down', '--deployment', w.file]);
    expect(down.code, down.out).toBe(0);
    expect(await groupMembers(d.supervisor.pid)).toEqual([]);
    expect([...seen].filter((pid) => isAlive(pid))).toEqual([]);
    expect(existsSync(w.file)).toBe(false);
    expect(existsSync(d.postgres.dataDir!)).toBe(false);
  }, 90_000);
});
