// ICE's audit route: every stored message with its delivery status, paged in
// storage order, for the deployment's auditor only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIce, type IceServer } from '../../reference/ice/server.ts';
import { IceStore } from '../../reference/ice/store.ts';
import type { StoredMessage } from '../../reference/spec/ice/audit.ts';
import { createTestDatabase } from '../support/database.ts';
import { crossing, movementMrn } from './messages.ts';

const AUDITOR = 'auditor-credential-for-ice';
let ice: IceServer;
let store: IceStore;
const sent = Array.from({ length: 250 }, (_, i) => crossing('AZ', 'KZ', movementMrn('KZ', i + 1)));

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('ice_audit');
  ice = await startIce({
    databaseUrl,
    nodeTokens: { AZ: 'az-node-credential', KZ: 'kz-node-credential' },
    auditorToken: AUDITOR,
  });
  store = new IceStore(databaseUrl, 2);
  await store.insert(sent);
  await store.markDelivered([
    { id: sent[0]!.id },
    { id: sent[1]!.id, rejected: { code: 'UNKNOWN_MOVEMENT', message: 'no such movement' } },
  ]);
});
afterAll(async () => {
  await store?.close();
  await ice?.close();
});

const get = (query: string, token?: string) =>
  fetch(`${ice.httpUrl}/v1/audit/messages${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("ICE's audit route", () => {
  it('lists every stored message once, in storage order, over pages, with its delivery status', async () => {
    const items: StoredMessage[] = [];
    let after = '';
    for (let pages = 1; ; pages++) {
      const res = await get(`?limit=100${after}`, AUDITOR);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: StoredMessage[]; next: string | null };
      items.push(...body.items);
      if (!body.next) {
        expect(pages).toBe(3);
        break;
      }
      after = `&after=${body.next}`;
    }
    expect(items.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    expect(items[0]).toMatchObject({
      type: 'IE118',
      sender: 'AZ',
      recipient: 'KZ',
      status: 'applied',
      rejection: null,
    });
    expect(items[1]).toMatchObject({ status: 'rejected', rejection: { code: 'UNKNOWN_MOVEMENT' } });
    expect(items[2]).toMatchObject({ status: 'pending', deliveredAt: null, mrn: sent[2]!.mrn });
  });

  it('answers only the auditor, and refuses a bad query with the structured error', async () => {
    expect((await get('')).status).toBe(401);
    expect((await get('', 'az-node-credential')).status).toBe(401);
    const bad = await get('?limit=5000', AUDITOR);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      errors: [expect.objectContaining({ pointer: '/limit' })],
    });
  });
});
