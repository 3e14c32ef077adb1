// Test support: relays a node's unsent outbox to another node the way ICE
// does (envelope as the outbox relay builds it, schema-checked, applied once,
// a redelivery recognised), without ICE in between.
import { expect } from 'vitest';
import { validateIceMessage } from '../../spec/ice/validate.ts';
import { applyInboundMessage } from '../c2c-inbound.ts';
import type { RunningNode } from '../start.ts';

/** Relays every unsent outbox message of `from` to `to`; returns the types relayed, in order. */
export async function relay(from: RunningNode, to: RunningNode): Promise<string[]> {
  const { rows } = await from.context.pool.query(
    `UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL AND recipient_country = $1
     RETURNING id, message_type, mrn, recipient_office, sender_office, body, seq`,
    [to.country],
  );
  rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  for (const r of rows) {
    const office =
      r.sender_office ??
      r.body.officeOfDeparture ??
      r.body.officeOfTransit ??
      r.body.officeOfDestination ??
      (await from.context.pool.query('SELECT departure_office FROM movements WHERE mrn = $1', [r.mrn])).rows[0]
        .departure_office;
    const envelope = {
      id: r.id,
      type: r.message_type,
      mrn: r.mrn,
      sentAt: new Date().toISOString(),
      sender: { country: from.country, office },
      recipient: { country: to.country, office: r.recipient_office },
      body: r.body,
    };
    expect(validateIceMessage(envelope)).not.toHaveProperty('errors');
    expect(await applyInboundMessage(to.context, envelope)).toBe('applied');
    expect(await applyInboundMessage(to.context, envelope)).toBe('duplicate');
  }
  return rows.map((r) => r.message_type);
}
