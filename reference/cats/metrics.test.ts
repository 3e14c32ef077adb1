// What /metrics tells about guarantees, movements and the outbox, read over real
// HTTP from a real node on its own database while movements go through their life.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../../test/support/database.ts';
import { intoAzerbaijan } from '../domain/testing/sample-ctd.ts';
import type { Ctd } from '../spec/ctd.ts';
import { applyInboundMessage } from './c2c-inbound.ts';
import type { RunningNode } from './start.ts';
import {
  client,
  domesticCtd,
  lrnsFor,
  RESERVED_PER_DOMESTIC_CTD,
  seed,
  startTestNode,
  testGrn,
} from './testing/node-harness.ts';

const trader = { tin: 'GE100000031', token: 'trader-token-metrics-00001' };
const departure = { id: 'dep-m', token: 'officer-token-metrics-dep-1', offices: ['GE000010'] };
const transit = { id: 'tra-m', token: 'officer-token-metrics-tra-1', offices: ['GE069002'] };
const destination = { id: 'des-m', token: 'officer-token-metrics-des-1', offices: ['GE000200'] };
const grn = testGrn();
const REFERENCE = 10_000;

let databaseUrl: string;
let node: RunningNode;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('metrics');
  node = await startTestNode(databaseUrl);
  await seed(node, {
    operators: [trader],
    officers: [departure, transit, destination],
    guarantees: [{ grn, holderTin: trader.tin, referenceAmount: REFERENCE }],
  });
});
afterAll(async () => node?.close());

type Samples = { name: string; labels: Record<string, string>; value: number }[];

async function scrape(n: RunningNode = node): Promise<{ text: string; samples: Samples }> {
  const res = await fetch(`${n.url}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  const samples: Samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { text, samples };
}

/** The value of the one sample of `name` carrying `labels` (others may be there too); undefined when absent. */
function value(samples: Samples, name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(hits.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return hits[0]?.value;
}

const guarantee = (kind: 'reserved' | 'reference') => ({ type: '1', currency: 'GEL', kind });
const transition = (from: string, to: string) => ({ from, to, role: 'departure' });
const open = (state: string) => ({ role: 'departure', state });

describe('node metrics', () => {
  it('shows the reservation while a movement is released and transitions up to its write-off', async () => {
    const op = client(node, trader.token);
    let { samples } = await scrape();
    expect(value(samples, 'cats_guarantee_amount', guarantee('reference'))).toBe(REFERENCE);
    expect(value(samples, 'cats_guarantee_amount', guarantee('reserved'))).toBe(0);
    expect(value(samples, 'cats_movement_transitions_total', transition('ACCEPTED', 'RELEASED'))).toBeUndefined();

    const [lrn] = lrnsFor(trader.tin, 'release', 1, 'MET');
    const lodged = await op.post('/v1/declarations', domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
    expect(lodged.status).toBe(201);
    const mrn: string = lodged.body.mrn;

    ({ samples } = await scrape());
    expect(value(samples, 'cats_guarantee_amount', guarantee('reserved'))).toBe(RESERVED_PER_DOMESTIC_CTD);
    expect(value(samples, 'cats_guarantee_amount', guarantee('reference'))).toBe(REFERENCE);
    expect(value(samples, 'cats_movement_transitions_total', transition('none', 'SUBMITTED'))).toBe(1);
    expect(value(samples, 'cats_movement_transitions_total', transition('SUBMITTED', 'ACCEPTED'))).toBe(1);
    expect(value(samples, 'cats_movement_transitions_total', transition('ACCEPTED', 'RELEASED'))).toBe(1);
    expect(value(samples, 'cats_movements_open', open('RELEASED'))).toBe(1);
    expect(value(samples, 'cats_movements_open', open('SUBMITTED'))).toBe(0);

    expect(
      (await client(node, transit.token).post(`/v1/movements/${mrn}/crossing`, { office: 'GE069002' })).status,
    ).toBe(200);
    expect((await op.post(`/v1/movements/${mrn}/arrival`, { office: 'GE000200' })).status).toBe(200);
    const written = await client(node, destination.token).post(`/v1/movements/${mrn}/control-results`, {
      office: 'GE000200',
      conform: true,
    });
    expect(written.body.state).toBe('WRITTEN_OFF');

    const scraped = await scrape();
    samples = scraped.samples;
    expect(value(samples, 'cats_guarantee_amount', guarantee('reserved'))).toBe(0);
    for (const [from, to] of [
      ['RELEASED', 'IN_TRANSIT'],
      ['IN_TRANSIT', 'ARRIVED'],
      ['ARRIVED', 'CONTROLLED'],
      ['CONTROLLED', 'WRITTEN_OFF'],
    ])
      expect(value(samples, 'cats_movement_transitions_total', transition(from!, to!)), `${from} → ${to}`).toBe(1);
    for (const state of ['RELEASED', 'IN_TRANSIT', 'ARRIVED', 'CONTROLLED'])
      expect(value(samples, 'cats_movements_open', open(state)), state).toBe(0);
    // Final states are counted as transitions, never as open movements.
    expect(value(samples, 'cats_movements_open', open('WRITTEN_OFF'))).toBeUndefined();
    // Labels stay bounded: no movement's identifiers.
    expect(scraped.text).not.toContain(mrn);
    expect(scraped.text).not.toContain(lrn);
  });

  it('counts a refused step as no transition and a release after control as one', async () => {
    const [lrn] = lrnsFor(trader.tin, 'control', 1, 'MCT');
    const lodged = await client(node, trader.token).post(
      '/v1/declarations',
      domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }),
    );
    expect(lodged.body.state).toBe('UNDER_CONTROL');
    const mrn: string = lodged.body.mrn;
    let { samples } = await scrape();
    expect(value(samples, 'cats_movements_open', open('UNDER_CONTROL'))).toBe(1);
    expect(value(samples, 'cats_guarantee_amount', guarantee('reserved'))).toBe(0);
    const releasedBefore =
      value(samples, 'cats_movement_transitions_total', transition('UNDER_CONTROL', 'RELEASED')) ?? 0;

    // Crossing before release is illegal: nothing committed, nothing counted.
    expect(
      (await client(node, transit.token).post(`/v1/movements/${mrn}/crossing`, { office: 'GE069002' })).status,
    ).toBe(409);
    expect((await client(node, departure.token).post(`/v1/declarations/${mrn}/release`)).status).toBe(200);

    ({ samples } = await scrape());
    expect(value(samples, 'cats_movement_transitions_total', transition('UNDER_CONTROL', 'RELEASED'))).toBe(
      releasedBefore + 1,
    );
    expect(
      value(samples, 'cats_movement_transitions_total', transition('UNDER_CONTROL', 'IN_TRANSIT')),
    ).toBeUndefined();
    expect(value(samples, 'cats_movements_open', open('UNDER_CONTROL'))).toBe(0);
    expect(value(samples, 'cats_movements_open', open('RELEASED'))).toBe(1);
    expect(value(samples, 'cats_guarantee_amount', guarantee('reserved'))).toBe(RESERVED_PER_DOMESTIC_CTD);
  });

  it('shows how long the oldest unsent C2C message has waited', async () => {
    let { samples } = await scrape();
    expect(value(samples, 'cats_outbox_oldest_pending_age_seconds')).toBe(0);

    // Across the border, with no ICE linked: the IE001/IE050 stay in the outbox.
    const [lrn] = lrnsFor(trader.tin, 'release', 1, 'MOB');
    const ctd: Ctd = intoAzerbaijan(domesticCtd({ lrn: lrn!, holderTin: trader.tin, grn }));
    const before = Date.now();
    const lodged = await client(node, trader.token).post('/v1/declarations', ctd);
    expect(lodged.body.state).toBe('RELEASED');

    ({ samples } = await scrape());
    const first = value(samples, 'cats_outbox_oldest_pending_age_seconds')!;
    expect(value(samples, 'cats_outbox_pending_messages')).toBe(2);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual((Date.now() - before) / 1000 + 0.05);
    await new Promise((r) => setTimeout(r, 300));
    ({ samples } = await scrape());
    expect(value(samples, 'cats_outbox_oldest_pending_age_seconds')!).toBeGreaterThanOrEqual(first + 0.29);
  });

  it('counts the open movements of the database when a node starts', async () => {
    const before = await scrape();
    const released = value(before.samples, 'cats_movements_open', open('RELEASED'))!;
    expect(released).toBe(2);
    const again = await startTestNode(databaseUrl);
    try {
      const { samples } = await scrape(again);
      expect(value(samples, 'cats_movements_open', open('RELEASED'))).toBe(released);
      expect(value(samples, 'cats_movements_open', open('UNDER_CONTROL'))).toBeUndefined();
      expect(value(samples, 'cats_movement_transitions_total', transition('ACCEPTED', 'RELEASED'))).toBeUndefined();
      // Read from the database, so every node on it shows the same.
      expect(value(samples, 'cats_guarantee_amount', guarantee('reserved'))).toBe(
        value(before.samples, 'cats_guarantee_amount', guarantee('reserved')),
      );
    } finally {
      await again.close();
    }
  });

  it('counts a movement announced from abroad once, and its closing, under the role this node has in it', async () => {
    const az = await startTestNode(await createTestDatabase('metrics_az'), 'AZ');
    try {
      // The IE001 and IE050 the GE node holds for its cross-border movement, delivered twice each as ICE may.
      const { rows } = await node.context.pool.query<{
        id: string;
        message_type: string;
        mrn: string;
        body: Record<string, unknown>;
      }>(
        `SELECT id, message_type, mrn, body, recipient_office FROM outbox WHERE sent_at IS NULL AND recipient_country = 'AZ' ORDER BY seq`,
      );
      expect(rows.map((r) => r.message_type)).toEqual(['IE001', 'IE050']);
      const departure = { country: 'GE', office: rows[0]!.body.officeOfDeparture as string };
      for (const r of [...rows, ...rows])
        await applyInboundMessage(az.context, {
          id: r.id,
          type: r.message_type,
          mrn: r.mrn,
          sender: departure,
          recipient: { country: 'AZ', office: (r as unknown as { recipient_office: string }).recipient_office },
          body: r.body,
        });
      const mrn = rows[0]!.mrn;

      let { samples } = await scrape(az);
      // AZ is both office of transit and destination: one movement, recorded from the IE001.
      expect(
        value(samples, 'cats_movement_transitions_total', { from: 'none', to: 'RELEASED', role: 'destination' }),
      ).toBe(1);
      expect(
        value(samples, 'cats_movement_transitions_total', { from: 'none', to: 'RELEASED', role: 'transit' }),
      ).toBeUndefined();
      expect(value(samples, 'cats_movements_open', { role: 'destination', state: 'RELEASED' })).toBe(1);
      // No guarantee is held here.
      expect(value(samples, 'cats_guarantee_amount', guarantee('reserved'))).toBeUndefined();

      const close = {
        id: randomUUID(),
        type: 'IE045',
        mrn,
        sender: departure,
        recipient: { country: 'AZ', office: 'AZ000100' },
        body: { writtenOffAt: new Date().toISOString(), outcome: 'discharged' },
      };
      expect(await applyInboundMessage(az.context, close)).toBe('applied');
      expect(await applyInboundMessage(az.context, close)).toBe('duplicate');
      ({ samples } = await scrape(az));
      expect(
        value(samples, 'cats_movement_transitions_total', { from: 'RELEASED', to: 'WRITTEN_OFF', role: 'destination' }),
      ).toBe(1);
      expect(value(samples, 'cats_movements_open', { role: 'destination', state: 'RELEASED' })).toBe(0);
    } finally {
      await az.close();
    }
  });
});
