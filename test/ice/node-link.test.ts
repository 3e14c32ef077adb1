// Nodes linked to ICE through their outbox: a state change made while ICE is
// down stays in the outbox, survives a restart of the node, and reaches the
// other country once ICE is back.
import { afterAll, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../reference/cats/start.ts';
import { client, domesticCtd, lrnsFor, seed, testGrn } from '../../reference/cats/testing/node-harness.ts';
import { intoAzerbaijan } from '../../reference/domain/testing/sample-ctd.ts';
import { freePort } from '../../reference/net/free-port.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnIce, type IceProcess } from './ice-process.ts';

const tokens = { GE: 'ge-node-credential', AZ: 'az-node-credential' };
const adminToken = 'admin-token-for-tests-0001';
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

it('relays a step taken while ICE is down once ICE is back, across a restart of the node', async () => {
  const iceDb = await createTestDatabase('link_ice');
  const port = await freePort();
  let ice: IceProcess = await spawnIce({ databaseUrl: iceDb, port, tokens });
  cleanups.push(() => ice.stop());
  const dbs = { GE: await createTestDatabase('link_ge'), AZ: await createTestDatabase('link_az') };
  const start = (country: 'GE' | 'AZ') =>
    startNode({ country, databaseUrl: dbs[country], adminToken, ice: { url: ice.url, token: tokens[country] } });
  const ge = await start('GE');
  let az: RunningNode = await start('AZ');
  cleanups.push(
    () => ge.close(),
    () => az.close(),
  );

  const trader = { tin: 'GE300000077', token: 'trader-token-link-000001' };
  const grn = testGrn();
  await seed(ge, { operators: [trader], guarantees: [{ grn, holderTin: trader.tin, referenceAmount: 10_000 }] });
  const officer = { id: 'az-border', token: 'officer-token-az-border-9', offices: ['AZ000210', 'AZ000100'] };
  await seed(az, { officers: [officer] });

  const [lrn] = lrnsFor(trader.tin, 'release', 1, 'LINK');
  const ctd = intoAzerbaijan(domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
  const lodged = await client(ge, trader.token).post('/v1/declarations', ctd);
  expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
  const mrn = lodged.body.mrn as string;
  const atAz = () =>
    client(az, officer.token)
      .get(`/v1/declarations/${mrn}`)
      .then((r) => r.body);
  await expect.poll(atAz, { timeout: 10_000 }).toMatchObject({ role: 'destination', state: 'RELEASED' });

  await ice.stop('SIGKILL');
  expect(
    (await client(az, officer.token).post(`/v1/movements/${mrn}/crossing`, { office: 'AZ000210' })).body.state,
  ).toBe('IN_TRANSIT');
  const unsent = async () =>
    (await az.context.pool.query('SELECT message_type FROM outbox WHERE sent_at IS NULL AND mrn = $1', [mrn])).rows;
  await new Promise((r) => setTimeout(r, 300));
  expect(await unsent()).toEqual([{ message_type: 'IE118' }]);

  await az.close();
  ice = await spawnIce({ databaseUrl: iceDb, port, tokens });
  az = await start('AZ');
  const atGe = () =>
    client(ge, trader.token)
      .get(`/v1/declarations/${mrn}`)
      .then((r) => r.body);
  await expect.poll(atGe, { timeout: 15_000 }).toMatchObject({ state: 'IN_TRANSIT', crossedOffices: ['AZ000210'] });
  // Marked sent when ICE's acknowledgement reaches AZ, which may come after GE has applied the message.
  await expect.poll(unsent, { timeout: 10_000 }).toEqual([]);
}, 60_000);

it('keeps a message ICE refuses for good as refused: not sent again, not counted as waiting', async () => {
  const iceDb = await createTestDatabase('link_refused_ice');
  const ice = await spawnIce({ databaseUrl: iceDb, port: await freePort(), tokens });
  cleanups.push(() => ice.stop());
  const databaseUrl = await createTestDatabase('link_refused_az');
  const start = () => startNode({ country: 'AZ', databaseUrl, adminToken, ice: { url: ice.url, token: tokens.AZ } });
  let az = await start();
  cleanups.push(() => az.close());
  // A crossing whose body breaks the message schema, as a faulty node release might write it.
  const { rows } = await az.context.pool.query<{ id: string }>(
    `INSERT INTO outbox (message_type, recipient_country, recipient_office, mrn, body)
     VALUES ('IE118', 'GE', 'GE000200', '26AZ00000000000017', '{"officeOfTransit": "AZ000210"}') RETURNING id`,
  );
  const id = rows[0]!.id;
  const row = async () =>
    (await az.context.pool.query('SELECT sent_at, refused_at, refusal FROM outbox WHERE id = $1', [id])).rows[0];
  await expect.poll(async () => (await row()).refused_at, { timeout: 10_000 }).not.toBeNull();
  const refused = await row();
  expect(refused).toMatchObject({ sent_at: null, refusal: { code: 'SCHEMA_VIOLATION' } });
  const gauge = async (name: string) =>
    Number(
      new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(String((await client(az).get('/metrics')).body))?.[1],
    );
  expect(await gauge('cats_outbox_pending_messages')).toBe(0);
  expect(await gauge('cats_outbox_refused_messages')).toBe(1);
  expect(await gauge('cats_outbox_oldest_pending_age_seconds')).toBe(0);

  // A restart does not send it again.
  await az.close();
  az = await start();
  await new Promise((r) => setTimeout(r, 500));
  expect((await row()).refused_at).toEqual(refused.refused_at);
  expect(await gauge('cats_outbox_refused_messages')).toBe(1);
}, 60_000);
