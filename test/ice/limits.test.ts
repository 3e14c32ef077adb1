// ICE's resource limits against a real ICE process: a frame over the size
// limit closes its connection (1009) and stores nothing; connections beyond a
// country's limit are refused at the upgrade (429) while the country's and other
// countries' connections go on delivering.
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../reference/net/free-port.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnIce, type IceProcess } from './ice-process.ts';
import { crossing, movementMrn } from './messages.ts';
import { rawNode } from './raw-node.ts';

const tokens = { AZ: 'az-node-credential', KZ: 'kz-node-credential', CN: 'cn-load-credential' };

/** Opens a connection and reports how the upgrade ended: open, or refused with its HTTP status and body. */
function attempt(url: string, token: string): Promise<{ ws?: WebSocket; status?: number; body?: any }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    ws.once('error', () => undefined);
  });
}

describe('ICE resource limits', () => {
  let ice: IceProcess;
  let db: pg.Pool;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('ice_limits');
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    ice = await spawnIce({ databaseUrl, port: await freePort(), tokens, extra: ['--max-connections', '3'] });
  });
  afterAll(async () => {
    await ice?.stop();
    await db?.end();
  });

  const stored = async (id: string) => (await db.query('SELECT 1 FROM ice_message WHERE id = $1', [id])).rowCount;

  it('closes a connection that sends a frame over 1 MiB with 1009, storing nothing; the others go on', async () => {
    const cn = await rawNode(ice.url, tokens.CN);
    const az = await rawNode(ice.url, tokens.AZ);
    const big = crossing('CN', 'AZ', movementMrn('AZ', 1));
    const frame = JSON.stringify({ type: 'send', message: { ...big, padding: 'x'.repeat(1024 * 1024) } });
    const closed = new Promise<number>((resolve) => cn.ws.once('close', (code) => resolve(code)));
    cn.sendText(frame);
    expect(await closed).toBe(1009);
    expect(await stored(big.id)).toBe(0);
    await expect.poll(() => ice.output()).toContain('"event":"frame-too-large","country":"CN"');

    // Just under the limit is read (and refused for its content, on an open connection).
    const near = await rawNode(ice.url, tokens.CN);
    const m = crossing('CN', 'AZ', movementMrn('AZ', 2));
    near.sendText(JSON.stringify({ type: 'send', message: { ...m, padding: 'x'.repeat(1000 * 1000) } }));
    expect(await near.next((f) => f.ref === m.id)).toMatchObject({ type: 'error', code: 'SCHEMA_VIOLATION' });
    expect(near.ws.readyState).toBe(WebSocket.OPEN);

    const honest = crossing('KZ', 'AZ', movementMrn('AZ', 3));
    const kz = await rawNode(ice.url, tokens.KZ);
    kz.sendText(JSON.stringify({ type: 'send', message: honest }));
    expect(await kz.next((f) => f.ref === honest.id)).toMatchObject({ type: 'stored' });
    expect(await az.next((f) => f.type === 'deliver')).toMatchObject({ message: { id: honest.id } });
    az.sendText(JSON.stringify({ type: 'ack', ref: honest.id }));
    await Promise.all([near.close(), az.close(), kz.close()]);
  });

  it("refuses a country's connections beyond its limit with 429, and its receiver and other countries still deliver", async () => {
    const az = await rawNode(ice.url, tokens.AZ);
    // Many attempts at once with one credential: at most the limit (3) open.
    const attempts = await Promise.all(Array.from({ length: 40 }, () => attempt(ice.url, tokens.CN)));
    const open = attempts.filter((a) => a.ws);
    const refused = attempts.filter((a) => a.status);
    expect(open.length).toBe(3);
    expect(refused.length).toBe(37);
    expect(refused[0]).toMatchObject({ status: 429, body: { code: 'TOO_MANY_CONNECTIONS' } });

    // The country's first connection receives; another country's node still sends and receives.
    const toCn = crossing('AZ', 'CN', movementMrn('CN', 4));
    az.sendText(JSON.stringify({ type: 'send', message: toCn }));
    const delivered = await new Promise<any>((resolve) => {
      for (const a of open)
        a.ws!.on('message', (d) => JSON.parse(d.toString()).type === 'deliver' && resolve(JSON.parse(d.toString())));
    });
    expect(delivered.message.id).toBe(toCn.id);
    const kz = await rawNode(ice.url, tokens.KZ);
    const toAz = crossing('KZ', 'AZ', movementMrn('AZ', 5));
    kz.sendText(JSON.stringify({ type: 'send', message: toAz }));
    expect(await az.next((f) => f.type === 'deliver')).toMatchObject({ message: { id: toAz.id } });

    // Closing one frees a place.
    await new Promise<void>((resolve) => (open[0]!.ws!.once('close', () => resolve()), open[0]!.ws!.close()));
    await expect.poll(async () => (await attempt(ice.url, tokens.CN)).ws !== undefined).toBe(true);
    const metrics = await (await fetch(`${ice.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/ice_connections_refused_total\{country="CN"\} 37/);
    for (const a of open) a.ws!.terminate();
    await Promise.all([az.close(), kz.close()]);
  });
});
