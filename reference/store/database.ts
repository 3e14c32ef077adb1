// The node's connection pool and transactions.
import pg from 'pg';

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

const INT8 = 20;
// Amounts (minor units) and counters stay far below 2^53; numbers are simpler than strings.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function openPool(connectionString: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types });
  // An idle client losing its connection must not crash the node; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

const DEADLOCK = '40P01';

/**
 * Runs `fn` again when PostgreSQL broke a deadlock by aborting it (the work was
 * rolled back, so repeating it is safe); up to three attempts.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code !== DEADLOCK || attempt >= 3) throw err;
    }
  }
}

/** Runs `fn` in one transaction: COMMIT when it returns, ROLLBACK when it throws. */
export function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return retryOnDeadlock(async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });
}
