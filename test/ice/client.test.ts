// The node-side ICE client against a real hub: exactly-once application
// through the inbox, rejected messages, and sends that survive a reconnect.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { IceClient, IceRefusal } from '../../reference/cats/exchange/ice-client.ts';
import { migrateInbox } from '../../reference/cats/exchange/inbox.ts';
import { startIce, type IceServer } from '../../reference/ice/server.ts';
import type { IceMessage } from '../../reference/spec/ice/catalogue.ts';
import { createTestDatabase } from '../support/database.ts';
import { crossing, movementMrn } from './messages.ts';

const tokens = { AZ: 'az-node-credential', KZ: 'kz-node-credential' };

describe('ICE client', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  async function setup(ackTimeoutMs: number, apply: (m: IceMessage, tx: pg.PoolClient) => Promise<void>) {
    const ice: IceServer = await startIce({
      databaseUrl: await createTestDatabase('ice_client'),
      nodeTokens: tokens,
      ackTimeoutMs,
    });
    cleanups.push(() => ice.close());
    const pool = new pg.Pool({ connectionString: await createTestDatabase('kz_client'), max: 4 });
    cleanups.push(() => pool.end());
    await migrateInbox(pool);
    await pool.query('CREATE TABLE applied (id uuid PRIMARY KEY, times int NOT NULL DEFAULT 1)');
    const kz = new IceClient({ url: ice.url, token: tokens.KZ, receiver: { pool, apply } });
    const az = new IceClient({ url: ice.url, token: tokens.AZ });
    cleanups.push(
      () => kz.close(),
      () => az.close(),
    );
    kz.start();
    az.start();
    await Promise.all([kz.connectedOnce(), az.connectedOnce()]);
    return { ice, pool, kz, az };
  }

  const inbox = async (pool: pg.Pool) =>
    (await pool.query('SELECT message_id::text AS id, outcome, error FROM ice_inbox')).rows;

  it('applies a message once even when ICE delivers it again while it is still being applied', async () => {
    let calls = 0;
    const { ice, pool, az } = await setup(150, async (m, tx) => {
      calls++;
      await new Promise((r) => setTimeout(r, 500)); // longer than the acknowledgement timeout
      await tx.query('INSERT INTO applied (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET times = applied.times + 1', [
        m.id,
      ]);
    });
    const m = crossing('AZ', 'KZ', movementMrn('KZ', 1));
    await az.send(m);
    await expect.poll(() => inbox(pool), { timeout: 5000 }).toEqual([{ id: m.id, outcome: 'applied', error: null }]);
    await new Promise((r) => setTimeout(r, 800));
    const metrics = await (await fetch(`${ice.httpUrl}/metrics`)).text();
    expect(Number(/ice_redeliveries_total\{recipient_country="KZ"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    // The second delivery waits on the first one's inbox row, then finds it and is only acknowledged.
    expect(calls).toBe(1);
    expect((await pool.query('SELECT times FROM applied')).rows).toEqual([{ times: 1 }]);
  });

  it('records a message its handler rejects, applies none of it, and does not get it again', async () => {
    let calls = 0;
    const { ice, pool, az } = await setup(200, async (m, tx) => {
      calls++;
      await tx.query('INSERT INTO applied (id) VALUES ($1)', [m.id]);
      throw Object.assign(new Error('no such movement'), { code: 'ILLEGAL_TRANSITION' });
    });
    const m = crossing('AZ', 'KZ', movementMrn('KZ', 2));
    await az.send(m);
    await expect.poll(() => inbox(pool)).toEqual([{ id: m.id, outcome: 'rejected', error: 'no such movement' }]);
    await new Promise((r) => setTimeout(r, 600));
    expect(calls).toBe(1);
    expect((await pool.query('SELECT count(*)::int AS n FROM applied')).rows[0].n).toBe(0);
    expect(await (await fetch(`${ice.httpUrl}/metrics`)).text()).toContain('ice_queue_depth{recipient_country="KZ"} 0');
  });

  it('rejects a send that ICE refuses, with its code and pointers', async () => {
    const { az } = await setup(1000, async () => undefined);
    const m = crossing('AZ', 'KZ', movementMrn('KZ', 3));
    m.recipient.office = 'KZ999999';
    const err = await az.send(m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IceRefusal);
    expect(err).toMatchObject({ code: 'UNKNOWN_OFFICE', errors: [{ pointer: '/message/recipient/office' }] });
  });
});
