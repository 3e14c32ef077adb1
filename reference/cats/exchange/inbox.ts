// The receiving node's record of every ICE message it has taken in, written in
// the same transaction as applying the message: a redelivered message finds its
// id here and is acknowledged without being applied again.
import type pg from 'pg';
import type { IceMessage } from '../../spec/ice/catalogue.ts';
import { withTransaction } from '../../store/database.ts';

const INBOX_MIGRATION = `
CREATE TABLE IF NOT EXISTS ice_inbox (
  message_id uuid PRIMARY KEY,
  type text NOT NULL,
  sender_country text NOT NULL,
  mrn text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  outcome text NOT NULL CHECK (outcome IN ('applied', 'rejected')),
  error text
);
-- The code a rejection was acknowledged to ICE with, so a redelivery gets the same answer.
ALTER TABLE ice_inbox ADD COLUMN IF NOT EXISTS code text;
`;

export async function migrateInbox(pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('ice_inbox'))");
    await client.query(INBOX_MIGRATION);
  });
}

/** Claims a message for this transaction; false when it was taken in before. */
export async function claimInboxEntry(
  tx: pg.PoolClient | pg.Pool,
  m: IceMessage,
  outcome: 'applied' | 'rejected',
  rejected?: { code: string; message: string },
): Promise<boolean> {
  const res = await tx.query(
    `INSERT INTO ice_inbox (message_id, type, sender_country, mrn, outcome, code, error) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (message_id) DO NOTHING`,
    [m.id, m.type, m.sender.country, m.mrn, outcome, rejected?.code ?? null, rejected?.message ?? null],
  );
  return res.rowCount === 1;
}

/** How a message taken in before was dealt with, if it was. */
export async function inboxEntry(
  db: pg.PoolClient | pg.Pool,
  messageId: string,
): Promise<{ outcome: 'applied' | 'rejected'; code: string | null; error: string | null } | undefined> {
  const res = await db.query<{ outcome: 'applied' | 'rejected'; code: string | null; error: string | null }>(
    'SELECT outcome, code, error FROM ice_inbox WHERE message_id = $1',
    [messageId],
  );
  return res.rows[0];
}
