// The ICE frame protocol against a real ICE process: store before ack,
// credentials, forged senders, malformed frames, replays and redelivery.
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../reference/net/free-port.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnIce, type IceProcess } from './ice-process.ts';
import { crossing, movementMrn } from './messages.ts';
import { rawNode } from './raw-node.ts';

const tokens = { AZ: 'az-node-credential', KZ: 'kz-node-credential', GE: 'ge-node-credential' };

describe('ICE frame protocol', () => {
  let ice: IceProcess;
  let db: pg.Pool;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('ice_protocol');
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    ice = await spawnIce({
      databaseUrl,
      port: await freePort(),
      tokens,
      extra: ['--ack-timeout', '400', '--heartbeat', '300'],
    });
  });
  afterAll(async () => {
    await ice?.stop();
    await db?.end();
  });

  const storedRow = async (id: string) =>
    (await db.query('SELECT type, sender_country, recipient_country, mrn FROM ice_message WHERE id = $1', [id]))
      .rows[0];

  it('acknowledges a message only once it is in the store, and routes it to the recipient country', async () => {
    const az = await rawNode(ice.url, tokens.AZ);
    const m = crossing('AZ', 'KZ', movementMrn('KZ', 1));
    az.sendText(JSON.stringify({ type: 'send', message: m }));
    const stored = await az.next((f) => f.type === 'stored');
    expect(stored).toEqual({ type: 'stored', ref: m.id, duplicate: false });
    expect(await storedRow(m.id)).toEqual({ type: 'IE118', sender_country: 'AZ', recipient_country: 'KZ', mrn: m.mrn });

    const kz = await rawNode(ice.url, tokens.KZ);
    const delivered = await kz.next((f) => f.type === 'deliver');
    expect(delivered).toEqual({ type: 'deliver', redelivery: false, message: m });
    kz.sendText(JSON.stringify({ type: 'ack', ref: m.id }));
    await expect
      .poll(
        async () => (await db.query('SELECT delivered_at FROM ice_message WHERE id = $1', [m.id])).rows[0].delivered_at,
      )
      .not.toBeNull();
    await Promise.all([az.close(), kz.close()]);
  });

  it('refuses a connection without a valid node credential', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-node' }]) {
      const ws = new WebSocket(ice.url, { headers });
      ws.on('error', () => undefined);
      const status = await new Promise<number>((resolve) =>
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
      );
      expect(status).toBe(401);
      ws.terminate();
    }
  });

  it('refuses and logs a message claiming another sender, and stores nothing', async () => {
    const az = await rawNode(ice.url, tokens.AZ);
    const forged = crossing('KZ', 'GE', movementMrn('KZ', 2)); // AZ's connection claiming to be KZ
    az.sendText(JSON.stringify({ type: 'send', message: forged }));
    const err = await az.next((f) => f.type === 'error');
    expect(err).toMatchObject({
      code: 'FORGED_SENDER',
      ref: forged.id,
      errors: [{ code: 'FORGED_SENDER', pointer: '/message/sender/country' }],
    });
    expect(await storedRow(forged.id)).toBeUndefined();
    await expect.poll(() => ice.output()).toContain('"event":"forged-sender","connection":"AZ","claimed":"KZ"');
    await az.close();
  });

  it('refuses malformed frames one by one while the same connection keeps working', async () => {
    const az = await rawNode(ice.url, tokens.AZ);
    const good = [0, 1, 2].map((i) => crossing('AZ', 'GE', movementMrn('GE', 10 + i)));
    const badSchema = {
      ...crossing('AZ', 'GE', movementMrn('GE', 20)),
      body: { officeOfTransit: 'nowhere', crossedAt: 42 },
    };
    const unknownOffice = crossing('AZ', 'GE', movementMrn('GE', 21));
    unknownOffice.recipient.office = 'GE999999';
    const unknownRecipient = {
      ...crossing('AZ', 'GE', movementMrn('GE', 22)),
      recipient: { country: 'CN', office: 'GE000010' },
    };
    const wrongCheckDigit = crossing('AZ', 'GE', movementMrn('GE', 23));
    wrongCheckDigit.mrn = wrongCheckDigit.mrn.slice(0, 17) + String((Number(wrongCheckDigit.mrn[17]) + 1) % 10);

    az.sendText(JSON.stringify({ type: 'send', message: good[0] }));
    az.sendText('{"type":"send", "message": {');
    az.sendText(JSON.stringify({ type: 'send', message: badSchema }));
    az.sendText(JSON.stringify({ type: 'send', message: good[1] }));
    az.sendText(JSON.stringify({ type: 'gossip' }));
    az.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    az.sendText(JSON.stringify({ type: 'send', message: unknownOffice }));
    az.sendText(JSON.stringify({ type: 'send', message: unknownRecipient }));
    az.sendText(JSON.stringify({ type: 'send', message: wrongCheckDigit }));
    az.sendText(JSON.stringify({ type: 'send', message: { ...good[2], type: 'IE999' } }));
    az.sendText(JSON.stringify({ type: 'send', message: good[2] }));

    expect(await az.next((f) => f.code === 'MALFORMED_JSON')).toMatchObject({ type: 'error', ref: null, errors: [] });
    const schema = await az.next((f) => f.code === 'SCHEMA_VIOLATION' && f.ref === badSchema.id);
    expect((schema.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/message/body/officeOfTransit', '/message/body/crossedAt']),
    );
    expect(await az.next((f) => f.code === 'UNKNOWN_FRAME' && (f.errors as unknown[]).length === 1)).toMatchObject({
      errors: [{ pointer: '/type' }],
    });
    expect(await az.next((f) => f.code === 'UNKNOWN_FRAME')).toMatchObject({ message: 'frames are JSON text' });
    expect(await az.next((f) => f.code === 'UNKNOWN_OFFICE')).toMatchObject({
      ref: unknownOffice.id,
      errors: [{ pointer: '/message/recipient/office' }],
    });
    expect(await az.next((f) => f.ref === unknownRecipient.id)).toMatchObject({ code: 'UNKNOWN_OFFICE' });
    expect(await az.next((f) => f.ref === wrongCheckDigit.id)).toMatchObject({
      code: 'INVALID_MRN',
      errors: [{ pointer: '/message/mrn' }],
    });
    expect(await az.next((f) => f.ref === good[2].id && f.type === 'error')).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      errors: [{ pointer: '/message/type' }],
    });
    for (const m of good)
      expect(await az.next((f) => f.type === 'stored' && f.ref === m.id)).toMatchObject({ duplicate: false });
    for (const m of good) expect(await storedRow(m.id)).toMatchObject({ recipient_country: 'GE' });
    for (const m of [badSchema, unknownOffice, unknownRecipient, wrongCheckDigit])
      expect(await storedRow(m.id)).toBeUndefined();
    expect(az.ws.readyState).toBe(WebSocket.OPEN);
    await az.close();
  });

  it('refuses a message for a country that has no node', async () => {
    const az = await rawNode(ice.url, tokens.AZ);
    const m = crossing('AZ', 'GE', movementMrn('UZ', 30));
    m.recipient = { country: 'UZ', office: 'UZ000110' };
    az.sendText(JSON.stringify({ type: 'send', message: m }));
    expect(await az.next((f) => f.ref === m.id)).toMatchObject({
      code: 'UNKNOWN_RECIPIENT',
      errors: [{ pointer: '/message/recipient/country' }],
    });
    await az.close();
  });

  it('treats a replay as a duplicate and a reused id with other content as a conflict', async () => {
    const az = await rawNode(ice.url, tokens.AZ);
    const m = crossing('AZ', 'GE', movementMrn('GE', 40));
    az.sendText(JSON.stringify({ type: 'send', message: m }));
    expect(await az.next((f) => f.ref === m.id)).toMatchObject({ type: 'stored', duplicate: false });
    az.sendText(JSON.stringify({ type: 'send', message: m }));
    expect(await az.next((f) => f.ref === m.id)).toMatchObject({ type: 'stored', duplicate: true });
    az.sendText(
      JSON.stringify({ type: 'send', message: { ...m, body: { ...m.body, crossedAt: '2026-01-01T00:00:00Z' } } }),
    );
    expect(await az.next((f) => f.ref === m.id)).toMatchObject({ type: 'error', code: 'CONFLICT' });
    expect((await db.query('SELECT count(*)::int AS n FROM ice_message WHERE id = $1', [m.id])).rows[0].n).toBe(1);
    await az.close();
  });

  it('delivers again a message the receiver does not acknowledge in time, and after a reconnect', async () => {
    const az = await rawNode(ice.url, tokens.AZ);
    const ge = await rawNode(ice.url, tokens.GE);
    // Drain what earlier tests routed to GE.
    while (
      await ge
        .next((f) => f.type === 'deliver', 300)
        .then(
          (f) => (ge.sendText(JSON.stringify({ type: 'ack', ref: (f.message as { id: string }).id })), true),
          () => false,
        )
    );
    const m = crossing('AZ', 'GE', movementMrn('GE', 50));
    az.sendText(JSON.stringify({ type: 'send', message: m }));
    expect(await ge.next((f) => f.type === 'deliver')).toMatchObject({ redelivery: false, message: { id: m.id } });
    expect(await ge.next((f) => f.type === 'deliver')).toMatchObject({ redelivery: true, message: { id: m.id } });
    await ge.close();
    const again = await rawNode(ice.url, tokens.GE);
    expect(await again.next((f) => f.type === 'deliver')).toMatchObject({ redelivery: true, message: { id: m.id } });
    again.sendText(JSON.stringify({ type: 'ack', ref: m.id }));
    await expect
      .poll(
        async () => (await db.query('SELECT delivered_at FROM ice_message WHERE id = $1', [m.id])).rows[0].delivered_at,
      )
      .not.toBeNull();
    const metrics = await (await fetch(`${ice.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/ice_redeliveries_total\{recipient_country="GE"\} [1-9]/);
    expect(metrics).toMatch(/ice_queue_depth\{recipient_country="GE"\} 0/);
    await Promise.all([az.close(), again.close()]);
  });

  it('closes a connection that stops answering pings, and keeps the ones that answer', async () => {
    const silent = await rawNode(ice.url, tokens.KZ, { answerPings: false });
    const alive = await rawNode(ice.url, tokens.KZ);
    const closed = await new Promise<boolean>((resolve) => {
      silent.ws.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    expect(closed).toBe(true);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    await expect.poll(() => ice.output()).toContain('"event":"heartbeat-lost","country":"KZ"');
    await alive.close();
  });

  it('serves health and readiness', async () => {
    expect((await fetch(`${ice.httpUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${ice.httpUrl}/readyz`)).json()).toEqual({ status: 'ready' });
  });
});
