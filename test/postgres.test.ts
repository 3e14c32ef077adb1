import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from './support/database.ts';

describe('test PostgreSQL', () => {
  it('gives each test file its own writable database', async () => {
    const url = await createTestDatabase('smoke');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE t (n int)');
    await client.query('INSERT INTO t VALUES (1), (2)');
    const { rows } = await client.query('SELECT sum(n)::int AS s FROM t');
    await client.end();
    expect(rows[0].s).toBe(3);
  });
});
