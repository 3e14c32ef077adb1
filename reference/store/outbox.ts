// Reading the transactional outbox for relay to ICE, and recording inbound messages.
import type { Queryable } from './database.ts';

export interface OutboxRow {
  id: string;
  seq: number;
  messageType: string;
  recipientCountry: string;
  recipientOffice: string | null;
  /** The sending office when the body does not name it. */
  senderOffice: string | null;
  mrn: string;
  body: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Messages waiting to be sent, in outbox order (refused ones left out).
 * No cursor: a transaction that took a lower seq may commit after a higher one was read.
 */
export async function unsentOutbox(db: Queryable, limit: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<OutboxRow>(
    `SELECT id, seq, message_type AS "messageType", recipient_country AS "recipientCountry", recipient_office AS "recipientOffice",
            sender_office AS "senderOffice", mrn, body, created_at AS "createdAt"
       FROM outbox WHERE sent_at IS NULL AND refused_at IS NULL ORDER BY seq LIMIT $1`,
    [limit],
  );
  return rows;
}

/**
 * Seconds since the first unsent message (in relay order) was written; 0 when
 * none is waiting. Reads one entry of the partial index outbox_unsent.
 */
export async function oldestPendingAge(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ age: number }>(
    'SELECT extract(epoch FROM now() - created_at)::float8 AS age FROM outbox WHERE sent_at IS NULL AND refused_at IS NULL ORDER BY seq LIMIT 1',
  );
  return Math.max(0, rows[0]?.age ?? 0);
}

export async function markSent(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  // ICE has stored them: an IE203's access codes have nothing more to do here (they travel only inside the request).
  await db.query(
    `UPDATE outbox SET sent_at = now(),
            body = CASE WHEN message_type = 'IE203' THEN jsonb_set(body, '{references}',
                     (SELECT coalesce(jsonb_agg(r - 'accessCode'), '[]'::jsonb) FROM jsonb_array_elements(body->'references') r))
                   ELSE body END
      WHERE id = ANY($1::uuid[]) AND sent_at IS NULL`,
    [ids],
  );
}

/** ICE's refusal of a message, for good: kept with the message, which is not sent again. */
export interface OutboxRefusal {
  id: string;
  code: string;
  message: string;
  errors?: unknown[];
}

export async function markRefused(db: Queryable, refusals: readonly OutboxRefusal[]): Promise<void> {
  if (refusals.length === 0) return;
  await db.query(
    `UPDATE outbox o SET refused_at = now(), refusal = r.refusal
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, refusal jsonb)
      WHERE o.id = r.id AND o.sent_at IS NULL AND o.refused_at IS NULL`,
    [JSON.stringify(refusals.map(({ id, ...refusal }) => ({ id, refusal })))],
  );
}

/** Records an inbound message id; false when it was recorded before (a redelivery). */
export async function recordInbound(db: Queryable, messageId: string, type: string, mrn: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO inbound_messages (message_id, message_type, mrn) VALUES ($1, $2, $3) ON CONFLICT (message_id) DO NOTHING',
    [messageId, type, mrn],
  );
  return rowCount === 1;
}
