// Faults that must not lose or duplicate anything: ICE killed mid-burst and a
// receiver offline while its queue grows. Real ICE processes, real sockets.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { IceClient } from '../../reference/cats/exchange/ice-client.ts';
import type { IceMessage } from '../../reference/spec/ice/catalogue.ts';
import { freePort } from '../../reference/net/free-port.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnIce, type IceProcess } from './ice-process.ts';
import { crossing, movementMrn } from './messages.ts';
import { rawNode } from './raw-node.ts';
import { receivingNode, type ReceivingNode } from './receiving-node.ts';

const tokens = { AZ: 'az-node-credential', KZ: 'kz-node-credential' };

/** Per movement (sorted by MRN), the ids in the order given. */
function perMovement(messages: { id: string; mrn: string }[]): [string, string[]][] {
  const m = new Map<string, string[]>();
  for (const x of messages) m.set(x.mrn, [...(m.get(x.mrn) ?? []), x.id]);
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}

/** `movements` movements with `each` crossing notifications each, interleaved. */
function burst(movements: number, each: number, offset: number): IceMessage[] {
  const out: IceMessage[] = [];
  for (let i = 0; i < each; i++)
    for (let j = 0; j < movements; j++) out.push(crossing('AZ', 'KZ', movementMrn('KZ', offset + j)));
  return out;
}

describe('ICE under faults', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  it('loses nothing and applies each message once when ICE is SIGKILLed in the middle of a burst of 1,000', async () => {
    const iceDb = await createTestDatabase('ice_kill');
    const port = await freePort();
    let ice: IceProcess = await spawnIce({ databaseUrl: iceDb, port, tokens, extra: ['--ack-timeout', '2000'] });
    cleanups.push(() => ice.stop('SIGKILL'));
    const kz: ReceivingNode = await receivingNode(await createTestDatabase('kz_kill'), ice.url, tokens.KZ);
    cleanups.push(() => kz.close());
    const az = new IceClient({ url: ice.url, token: tokens.AZ, backoff: { minMs: 50, maxMs: 500 } });
    cleanups.push(() => az.close());
    az.start();
    await az.connectedOnce();

    const messages = burst(200, 5, 0);
    let stored = 0;
    const sends = messages.map((m) => az.send(m).then(() => stored++));
    await expect.poll(() => stored, { timeout: 20_000, interval: 5 }).toBeGreaterThanOrEqual(100);
    await ice.stop('SIGKILL');
    const storedBeforeKill = stored;
    expect(storedBeforeKill).toBeLessThan(messages.length);
    ice = await spawnIce({ databaseUrl: iceDb, port, tokens, extra: ['--ack-timeout', '2000'] });

    await Promise.all(sends);
    await expect
      .poll(async () => (await kz.applied()).length, { timeout: 30_000, interval: 100 })
      .toBe(messages.length);
    const applied = await kz.applied();
    expect(applied.filter((a) => a.times !== 1)).toEqual([]);
    expect(new Set(applied.map((a) => a.id))).toEqual(new Set(messages.map((m) => m.id)));
    expect(perMovement(applied)).toEqual(perMovement(messages));
    const ice_ = new pg.Client({ connectionString: iceDb });
    await ice_.connect();
    const rows = (await ice_.query('SELECT count(*)::int AS n, count(delivered_at)::int AS delivered FROM ice_message'))
      .rows[0];
    await ice_.end();
    expect(rows.n).toBe(messages.length);
    await expect
      .poll(
        async () =>
          (await (await fetch(`${ice.httpUrl}/metrics`)).text()).match(
            /ice_queue_depth\{recipient_country="KZ"\} (\d+)/,
          )?.[1],
      )
      .toBe('0');
  });

  it('keeps messages for an absent receiver on disk and delivers them all, in order per movement, when it comes back', async () => {
    const iceDb = await createTestDatabase('ice_offline');
    const ice = await spawnIce({ databaseUrl: iceDb, port: await freePort(), tokens, extra: ['--window', '16'] });
    cleanups.push(() => ice.stop());
    const az = new IceClient({ url: ice.url, token: tokens.AZ });
    cleanups.push(() => az.close());
    az.start();
    await az.connectedOnce();

    const messages = burst(30, 10, 1000);
    await Promise.all(messages.map((m) => az.send(m)));
    const metrics = await (await fetch(`${ice.httpUrl}/metrics`)).text();
    expect(metrics).toContain(`ice_queue_depth{recipient_country="KZ"} ${messages.length}`);
    expect(metrics).toContain('ice_in_flight{recipient_country="KZ"} 0');

    // A receiver that never acknowledges gets exactly one window of messages, no more.
    const stalled = await rawNode(ice.url, tokens.KZ);
    await new Promise((r) => setTimeout(r, 500));
    expect(stalled.frames.filter((f) => f.type === 'deliver')).toHaveLength(16);
    await stalled.close();

    const kz = await receivingNode(await createTestDatabase('kz_offline'), ice.url, tokens.KZ);
    cleanups.push(() => kz.close());
    await expect
      .poll(async () => (await kz.applied()).length, { timeout: 30_000, interval: 100 })
      .toBe(messages.length);
    const applied = await kz.applied();
    expect(applied.every((a) => a.times === 1)).toBe(true);
    expect(perMovement(applied)).toEqual(perMovement(messages));
  });
});
