// Faults on links between parts of a real deployment (`cats-stress up
// --fault-links`: supervisor, ICE and nodes as processes, embedded PostgreSQL):
// one country's database paused while the others serve, and a node cut off from
// ICE during traffic, whose movements released meanwhile reach it once it heals.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../generators/write-dataset.ts';
import { readDeployment, type Deployment } from '../deploy/deployment-file.ts';
import { runScript } from '../engine/run.ts';
import { FaultInjector } from './injector.ts';
import { parseFaultSpec } from './schedule.ts';
import { deploymentWorkspace, type DeploymentWorkspace } from '../testing/deployment-cli.ts';

let w: DeploymentWorkspace;
let deploymentFile: string;
let dataDir: string;
let deployment: Deployment;

beforeAll(async () => {
  w = await deploymentWorkspace('cats-link-faults');
  dataDir = path.join(w.dir, 'data');
  deploymentFile = w.file;
  await writeDataset(
    { seed: 'link-faults', movements: 300, profile: 'peak-day', defects: 0, countries: ['KZ', 'AZ', 'GE'], year: 2026 },
    dataDir,
  );
  const up = await w.up([
    '--countries',
    'KZ,AZ,GE',
    '--ice-load-countries',
    '',
    '--fault-links',
    'GE-ice,KZ-db',
    '--data-set',
    dataDir,
  ]);
  expect(up.code, up.out).toBe(0);
  deployment = (await readDeployment(deploymentFile))!;
}, 180_000);

afterAll(() => w?.remove(), 60_000);

const officerOf = (country: string, office?: string) => {
  const officers = deployment.nodes[country]!.officers;
  return (office ? officers.find((o) => o.offices.includes(office)) : officers[0])!.token;
};

/** A GET as an officer; the status, or 0 when no answer came within `waitMs`. */
async function statusOf(country: string, route: string, token: string, waitMs = 3000): Promise<number> {
  try {
    const res = await fetch(`${deployment.nodes[country]!.url}${route}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(waitMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function until(fn: () => Promise<boolean>, what: string | (() => string), tries = 120): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`never happened: ${typeof what === 'string' ? what : what()}`);
}

describe('faults on links between parts of a deployment started by up --fault-links', () => {
  it('records the proxies in the deployment file and routes only the links asked for', () => {
    expect(Object.keys(deployment.faultLinks!.links).sort()).toEqual(['GE-ice', 'KZ-db']);
    const supervisorLog = readFileSync(path.join(w.dir, 'logs', 'supervisor.log'), 'utf8');
    expect(supervisorLog).toMatch(/fault proxies on GE-ice \(port \d+\), KZ-db \(port \d+\)/);
  });

  it("pause:db/KZ holds KZ's database while AZ and GE go on serving, and KZ serves again after it", async () => {
    const list = '/v1/declarations?state=RELEASED&limit=1';
    expect(await statusOf('KZ', list, officerOf('KZ'))).toBe(200);
    const injector = await FaultInjector.prepare({
      events: parseFaultSpec('pause:db/KZ@0+8s'),
      deploymentFile,
    });
    injector.start();
    try {
      await until(async () => injector.records.length > 0, 'the pause starts');
      const [kz, az, ge] = await Promise.all([
        statusOf('KZ', list, officerOf('KZ')),
        statusOf('AZ', list, officerOf('AZ')),
        statusOf('GE', list, officerOf('GE')),
      ]);
      expect(kz).not.toBe(200);
      expect([az, ge]).toEqual([200, 200]);
    } finally {
      const records = await injector.stop();
      expect(records.map((r) => [r.fault, r.target, r.phase, r.ok])).toEqual([
        ['pause', 'db/KZ', 'start', true],
        ['pause', 'db/KZ', 'end', true],
      ]);
    }
    await until(async () => (await statusOf('KZ', list, officerOf('KZ'))) === 200, 'KZ serves again');
  }, 60_000);

  it('a 20 s partition of GE from ICE during traffic: what is released meanwhile reaches GE after it heals', async () => {
    // One movement of the spine KZ → AZ → GE (AZ and GE transit, GE destination), lodged and
    // released by hand during the partition.
    const record = readFileSync(path.join(dataDir, 'ctds.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            route: string;
            defect?: unknown;
            token: string;
            ctd: { lrn: string; offices: { departure: string; transit: string[]; destination: string } };
          },
      )
      .filter((e) => e.route === 'R1-KZ-POTI' && !e.defect)
      // The last of its route: the traffic takes them from the first, each with its own guarantee.
      .pop()!;
    const ctd = { ...record.ctd, lrn: `LF${Date.now().toString(36).toUpperCase()}` };
    const destination = ctd.offices.destination as string;
    const geOfficer = officerOf('GE', destination);

    const injector = await FaultInjector.prepare({ events: parseFaultSpec('cut:GE-ice@0+20s'), deploymentFile });
    injector.start();
    // Traffic through the whole journey meanwhile, on the same routes.
    const traffic = runScript(fileURLToPath(new URL('../../scenarios/resilience.js', import.meta.url)), {
      env: {
        DEPLOYMENT: deploymentFile,
        DATASET: dataDir,
        ROUTES: 'R1-KZ-POTI',
        RATE: '0.5',
        DURATION: '6s',
        STEP_TIMEOUT_MS: '45000',
      },
      workers: 1,
      quiet: true,
      stdout: new Writable({ write: (_c, _e, done) => done() }),
      stderr: new Writable({ write: (_c, _e, done) => done() }),
    });
    try {
      await until(async () => injector.records.length > 0, 'the cut starts');
      const kz = deployment.nodes.KZ!.url;
      const lodged = await fetch(`${kz}/v1/declarations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${record.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(ctd),
      });
      const body = (await lodged.json()) as { mrn: string; state: string };
      expect(lodged.status, JSON.stringify(body)).toBe(201);
      if (body.state === 'ACCEPTED') {
        // Pre-lodged: customs decides once the goods are presented.
        const presented = await fetch(`${kz}/v1/declarations/${body.mrn}/presentation`, {
          method: 'POST',
          headers: { authorization: `Bearer ${record.token}`, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(presented.status).toBe(200);
        body.state = ((await presented.json()) as { state: string }).state;
      }
      if (body.state === 'UNDER_CONTROL') {
        const released = await fetch(`${kz}/v1/declarations/${body.mrn}/release`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${officerOf('KZ', ctd.offices.departure as string)}`,
            'content-type': 'application/json',
          },
          body: '{}',
        });
        expect(released.status).toBe(200);
      }
      // Released at KZ; AZ hears of it through ICE, GE cannot while cut off.
      let azStatus = 0;
      await until(
        async () =>
          (azStatus = await statusOf('AZ', `/v1/declarations/${body.mrn}`, officerOf('AZ', ctd.offices.transit[0]))) ===
          200,
        () => `AZ has the anticipated record (state at KZ ${body.state}, AZ answers ${azStatus})`,
      );
      expect(injector.records.some((r) => r.phase === 'end')).toBe(false);
      expect(await statusOf('GE', `/v1/declarations/${body.mrn}`, geOfficer)).toBe(404);
      // Once the link heals, GE receives it.
      await until(async () => injector.records.some((r) => r.phase === 'end'), 'the cut ends', 80);
      await until(
        async () => (await statusOf('GE', `/v1/declarations/${body.mrn}`, geOfficer)) === 200,
        'GE has the movement after the partition healed',
      );
    } finally {
      await injector.stop();
    }
    const r = await traffic;
    const m = r.summaryData!.metrics;
    expect(r.exitCode).toBe(0);
    expect(m.movement_completed!.values.passes).toBeGreaterThan(0);
    expect(m.movements_lost!.values.count).toBe(0);
  }, 300_000);
});
