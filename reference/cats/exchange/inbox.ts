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
  error?: string,
): Promise<boolean> {
  const res = await tx.query(
    `INSERT INTO ice_inbox (message_id, type, sender_country, mrn, outcome, error) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (message_id) DO NOTHING`,
    [m.id, m.type, m.sender.country, m.mrn, outcome, error ?? null],
  );
  return res.rowCount === 1;
}
