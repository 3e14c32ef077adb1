// ICE's stored and delivered totals are the store's: a restart of ICE does not
// reset them, so a dashboard or a run's summary never shows more messages
// delivered than stored.
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../reference/net/free-port.ts';
import { parseIceTraffic } from '../../harness/stress/ice-traffic.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnIce, type IceProcess } from './ice-process.ts';
import { crossing, movementMrn } from './messages.ts';
import { rawNode } from './raw-node.ts';

const tokens = { AZ: 'az-metrics-credential', KZ: 'kz-metrics-credential' };
let ice: IceProcess | undefined;
afterAll(() => ice?.stop());

/** The id of a delivered message, to acknowledge it. */
const idOf = (frame: Record<string, unknown>) => (frame.message as { id: string }).id;
const traffic = async (i: IceProcess) => parseIceTraffic(await (await fetch(`${i.httpUrl}/metrics`)).text());

it('keeps the stored and delivered totals across a restart', async () => {
  const databaseUrl = await createTestDatabase('ice_metrics_restart');
  const port = await freePort();
  ice = await spawnIce({ databaseUrl, port, tokens });
  const az = await rawNode(ice.url, tokens.AZ);
  const sent = [1, 2, 3].map((n) => crossing('AZ', 'KZ', movementMrn('KZ', n)));
  for (const m of sent) {
    az.sendText(JSON.stringify({ type: 'send', message: m }));
    await az.next((f) => f.type === 'stored' && f.ref === m.id);
  }
  const kz = await rawNode(ice.url, tokens.KZ);
  const first = await kz.next((f) => f.type === 'deliver');
  kz.sendText(JSON.stringify({ type: 'ack', ref: idOf(first) }));
  await expect.poll(async () => (await traffic(ice!)).delivered).toBe(1);
  await Promise.all([az.close(), kz.close()]);

  await ice.stop('SIGKILL');
  ice = await spawnIce({ databaseUrl, port, tokens });
  expect(await traffic(ice)).toMatchObject({ stored: 3, delivered: 1, queued: 2 });
  const again = await rawNode(ice.url, tokens.KZ);
  for (let i = 0; i < 2; i++) {
    const d = await again.next((f) => f.type === 'deliver');
    again.sendText(JSON.stringify({ type: 'ack', ref: idOf(d) }));
  }
  await expect.poll(async () => (await traffic(ice!)).delivered).toBe(3);
  expect(await traffic(ice)).toMatchObject({ stored: 3, queued: 0 });
  await again.close();
});
