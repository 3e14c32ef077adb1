// ICE's own PostgreSQL: every accepted message is a row before its sender is
// acknowledged; the row is marked delivered when the recipient acknowledges it.
// Pending messages are read from here in pages, so a queue grows on disk.
import pg from 'pg';
import type { IceMessage } from '../spec/ice/catalogue.ts';
import type { StoredMessage } from '../spec/ice/audit.ts';
import { withTransaction } from '../store/database.ts';

export interface PendingMessage {
  seq: string;
  id: string;
  mrn: string;
  /** The message as JSON text, sent on as is. */
  json: string;
  storedAtMs: number;
  type: string;
  senderCountry: string;
}

/** A recipient's acknowledgement: applied, or rejected with its reason. */
export interface Acknowledgement {
  id: string;
  rejected?: { code: string; message: string };
}

export type StoreOutcome = 'stored' | 'duplicate' | 'conflict';

const MIGRATION = `
CREATE TABLE IF NOT EXISTS ice_message (
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  sender_country text NOT NULL,
  recipient_country text NOT NULL,
  mrn text NOT NULL,
  envelope jsonb NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  delivered_at timestamptz
);
-- Acknowledged messages: applied by the recipient, or rejected (the recipient's code and message kept).
ALTER TABLE ice_message ADD COLUMN IF NOT EXISTS outcome text CHECK (outcome IN ('applied', 'rejected'));
ALTER TABLE ice_message ADD COLUMN IF NOT EXISTS rejection jsonb;
CREATE INDEX IF NOT EXISTS ice_message_pending ON ice_message (recipient_country, seq) WHERE delivered_at IS NULL;
`;

export class IceStore {
  readonly pool: pg.Pool;

  constructor(databaseUrl: string, poolSize = 8) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
    // An idle client losing its server must not crash ICE; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('ice_message'))");
      await client.query(MIGRATION);
    });
  }

  /**
   * Stores messages in one statement, in the given order (their delivery order).
   * An id already stored with the same content is a duplicate (a replay);
   * with different content a conflict.
   */
  async insert(messages: IceMessage[]): Promise<StoreOutcome[]> {
    const json = messages.map((m) => JSON.stringify(m));
    const inserted = await this.pool.query<{ id: string }>(
      `INSERT INTO ice_message (id, type, sender_country, recipient_country, mrn, envelope)
       SELECT id, type, s, r, mrn, env
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) WITH ORDINALITY AS m(id, type, s, r, mrn, env, n)
       ORDER BY n
       ON CONFLICT (id) DO NOTHING RETURNING id::text`,
      [
        messages.map((m) => m.id),
        messages.map((m) => m.type),
        messages.map((m) => m.sender.country),
        messages.map((m) => m.recipient.country),
        messages.map((m) => m.mrn),
        json,
      ],
    );
    const fresh = new Set(inserted.rows.map((r) => r.id));
    const replayed = messages.map((m, i) => ({ id: m.id, json: json[i] })).filter((m) => !fresh.has(m.id));
    const same = new Set<string>();
    if (replayed.length > 0) {
      const res = await this.pool.query<{ id: string }>(
        `SELECT m.id FROM ice_message m JOIN unnest($1::uuid[], $2::jsonb[]) AS d(id, env) ON m.id = d.id WHERE m.envelope = d.env`,
        [replayed.map((r) => r.id), replayed.map((r) => r.json)],
      );
      for (const r of res.rows) same.add(r.id);
    }
    return messages.map((m) => (fresh.has(m.id) ? 'stored' : same.has(m.id) ? 'duplicate' : 'conflict'));
  }

  /** Undelivered messages for a country after `afterSeq`, oldest first. */
  async pending(recipientCountry: string, afterSeq: string, limit: number): Promise<PendingMessage[]> {
    const res = await this.pool.query<{
      seq_text: string;
      id: string;
      mrn: string;
      json: string;
      stored_ms: string;
      type: string;
      sender_country: string;
    }>(
      `SELECT seq::text AS seq_text, id::text, mrn, envelope::text AS json, (extract(epoch FROM stored_at) * 1000)::float8::text AS stored_ms,
              type, sender_country
       FROM ice_message WHERE recipient_country = $1 AND delivered_at IS NULL AND seq > $2 ORDER BY ice_message.seq LIMIT $3`,
      [recipientCountry, afterSeq, limit],
    );
    return res.rows.map((r) => ({
      seq: r.seq_text,
      id: r.id,
      mrn: r.mrn,
      json: r.json,
      storedAtMs: Number(r.stored_ms),
      type: r.type,
      senderCountry: r.sender_country,
    }));
  }

  async markDelivered(acks: Acknowledgement[]): Promise<void> {
    await this.pool.query(
      `UPDATE ice_message m SET delivered_at = clock_timestamp(), outcome = a.outcome, rejection = a.rejection
         FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS a(id, outcome, rejection)
        WHERE m.id = a.id AND m.delivered_at IS NULL`,
      [
        acks.map((a) => a.id),
        acks.map((a) => (a.rejected ? 'rejected' : 'applied')),
        acks.map((a) => (a.rejected ? JSON.stringify(a.rejected) : null)),
      ],
    );
  }

  /** Every stored message after `afterSeq` with its delivery status, in storage order (the audit route). */
  async auditPage(afterSeq: string, limit: number): Promise<{ seq: string; message: StoredMessage }[]> {
    const res = await this.pool.query<{
      seq: string;
      id: string;
      type: string;
      mrn: string;
      sender_country: string;
      recipient_country: string;
      stored_at: Date;
      delivered_at: Date | null;
      outcome: 'applied' | 'rejected' | null;
      rejection: { code: string; message: string } | null;
    }>(
      // ORDER BY the column, not the text alias of the same name ('10' < '9').
      `SELECT seq::text AS seq, id::text, type, mrn, sender_country, recipient_country, stored_at, delivered_at, outcome, rejection
         FROM ice_message WHERE seq > $1 ORDER BY ice_message.seq LIMIT $2`,
      [afterSeq, limit],
    );
    return res.rows.map((r) => ({
      seq: r.seq,
      message: {
        id: r.id,
        type: r.type,
        mrn: r.mrn,
        sender: r.sender_country,
        recipient: r.recipient_country,
        storedAt: r.stored_at.toISOString(),
        status: r.delivered_at === null ? 'pending' : (r.outcome ?? 'applied'),
        deliveredAt: r.delivered_at?.toISOString() ?? null,
        rejection: r.rejection,
      },
    }));
  }

  /** Messages stored and acknowledged per sender, recipient and type, over the whole store (a scan: for startup). */
  async totals(): Promise<{ sender: string; recipient: string; type: string; stored: number; delivered: number }[]> {
    const res = await this.pool.query<{
      sender: string;
      recipient: string;
      type: string;
      stored: number;
      delivered: number;
    }>(
      `SELECT sender_country AS sender, recipient_country AS recipient, type,
              count(*)::int AS stored, count(delivered_at)::int AS delivered
         FROM ice_message GROUP BY 1, 2, 3`,
    );
    return res.rows;
  }

  async queueDepths(): Promise<Map<string, number>> {
    const res = await this.pool.query<{ c: string; n: string }>(
      'SELECT recipient_country AS c, count(*)::text AS n FROM ice_message WHERE delivered_at IS NULL GROUP BY 1',
    );
    return new Map(res.rows.map((r) => [r.c, Number(r.n)]));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
