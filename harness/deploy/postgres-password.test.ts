// The embedded PostgreSQL of a deployment has a password of its own, kept in a
// 0600 file, and no part of the deployment shows it on its command line.
import { readdir, readFile, rm, stat, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../reference/net/free-port.ts';
import { startEmbeddedPostgres, type PostgresServer } from '../../reference/store/postgres.ts';
import { icePart, nodePart, type Part } from './part.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

/** The command lines of every process this user can see, as one string each. */
async function commandLines(): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const line = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    out.set(Number(entry), line.replace(/\0/g, ' '));
  }
  return out;
}

const passwordOf = (server: PostgresServer) => decodeURIComponent(new URL(server.url('postgres')).password);

it('draws a password per data folder, keeps it 0600 and out of every command line of the parts', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cats-pg-password-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'pg');
  let server = await startEmbeddedPostgres({ dataDir });
  cleanup.push(() => server.stop());
  const password = passwordOf(server);
  expect(password).not.toBe('cats-stress');
  expect(password.length).toBeGreaterThanOrEqual(24);
  expect((await stat(server.passwordFile!)).mode & 0o777).toBe(0o600);
  expect((await readFile(server.passwordFile!, 'utf8')).trim()).toBe(password);

  const other = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg2') });
  cleanup.push(() => other.stop());
  expect(passwordOf(other)).not.toBe(password);
  await other.stop();

  await server.ensureDatabase('cats_ice');
  const parts: Part[] = [];
  cleanup.push(() => Promise.all(parts.map((p) => p.stop())));
  const icePort = await freePort();
  const ice = icePart({
    port: icePort,
    databaseUrl: server.url('cats_ice'),
    nodeTokens: { GE: 'ice-ge-token-for-the-password-test' },
    log: path.join(dir, 'ice.log'),
  });
  parts.push(ice);
  const nodePort = await freePort();
  const node = nodePart({
    country: 'GE',
    port: nodePort,
    serverUrl: server.url('postgres'),
    adminToken: 'admin-token-for-the-password-test',
    ice: { url: `ws://127.0.0.1:${icePort}/v1/ice`, token: 'ice-ge-token-for-the-password-test' },
    log: path.join(dir, 'node-GE.log'),
  });
  parts.push(node);
  await ice.ready(`http://127.0.0.1:${icePort}/readyz`, 60_000);
  await node.ready(`http://127.0.0.1:${nodePort}/readyz`, 60_000);

  const lines = await commandLines();
  expect(lines.get(ice.pid)).toContain(' ice ');
  expect(lines.get(node.pid)).toContain('--country GE');
  const showing = [...lines].filter(([, line]) => line.includes(password));
  expect(showing).toEqual([]);

  // The node made its own database on that server: the password reached it through its environment.
  const client = new pg.Client({ connectionString: server.url('cats_ge') });
  await client.connect();
  expect((await client.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBeGreaterThan(0);
  await client.end();

  await Promise.all(parts.map((p) => p.stop()));
  await server.stop();
  // Started again on its data folder, the server keeps its password.
  server = await startEmbeddedPostgres({ dataDir });
  expect(passwordOf(server)).toBe(password);
  await server.ensureDatabase('still_reachable');
});
