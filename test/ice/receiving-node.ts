// A receiving node's database for tests: an inbox, and a table where every
// application of a message is counted and numbered in order of application.
import pg from 'pg';
import { IceClient } from '../../reference/cats/exchange/ice-client.ts';
import { migrateInbox } from '../../reference/cats/exchange/inbox.ts';

export interface ReceivingNode {
  pool: pg.Pool;
  client: IceClient;
  /** Applied messages: id, mrn, times applied, in order of application. */
  applied(): Promise<{ id: string; mrn: string; times: number }[]>;
  close(): Promise<void>;
}

export async function receivingNode(databaseUrl: string, iceUrl: string, token: string): Promise<ReceivingNode> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  await migrateInbox(pool);
  await pool.query(
    'CREATE TABLE IF NOT EXISTS applied (id uuid PRIMARY KEY, mrn text NOT NULL, times int NOT NULL DEFAULT 1, seq bigserial)',
  );
  const client = new IceClient({
    url: iceUrl,
    token,
    backoff: { minMs: 50, maxMs: 500 },
    receiver: {
      pool,
      apply: async (m, tx) => {
        await tx.query(
          'INSERT INTO applied (id, mrn) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET times = applied.times + 1',
          [m.id, m.mrn],
        );
      },
    },
  });
  client.start();
  return {
    pool,
    client,
    applied: async () => (await pool.query('SELECT id::text, mrn, times FROM applied ORDER BY seq')).rows,
    async close() {
      await client.close();
      await pool.end();
    },
  };
}
