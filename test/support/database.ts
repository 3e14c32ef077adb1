// A fresh database per test file on the run's shared PostgreSQL.
import { inject } from 'vitest';
import { externalPostgres } from '../../reference/store/postgres.ts';

let counter = 0;

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(prefix = 't'): Promise<string> {
  const server = externalPostgres(inject('postgresAdminUrl'));
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  await server.ensureDatabase(name);
  return server.url(name);
}
