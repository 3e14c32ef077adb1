// `cats-stress node`: one national CATS node on loopback, until SIGINT/SIGTERM.
import path from 'node:path';
import { startNode } from '../../reference/cats/start.ts';
import { openPostgres } from '../../reference/store/postgres.ts';
import type { Command } from '../cli.ts';
import { clockFlag, numberFlag, parseFlags, portFlag, UsageError } from '../flags.ts';
import { formatAnchor } from '../../reference/domain/business-clock.ts';

const usage = `usage: cats-stress node --country CC [options]

Starts one national CATS node (reference implementation of spec v0) and prints its URL.

options:
  --country CC          ISO code of the node's country (GE, AZ, KZ, UZ, KG, PK, ...)   (required)
  --host ADDR           address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --port N              HTTP port (default: a free port)
  --database-url URL    PostgreSQL server to use (default: DATABASE_URL, else an embedded
                        PostgreSQL in <data-dir>/pg)
  --database NAME       the node's database on that server (default cats_<cc>)
  --pool-size N         database connections (default 20)
  --data-dir DIR        folder for the embedded PostgreSQL (default .cats-stress)
  --admin-token T       admin bearer token (default: CATS_ADMIN_TOKEN, else generated and printed)
  --auditor-token T     bearer token of the deployment's auditor, who may read the /v1/audit
                        routes only (default: CATS_AUDITOR_TOKEN; none: admin only)
  --log                 log every request (JSON lines on stdout; errors are always logged)
  --request-timeout MS  longest a client may take to send a request, headers and body;
                        slower ones get 408 (default 10000)
  --ice-url URL         ICE to exchange customs-to-customs messages with
                        (ws://127.0.0.1:PORT/v1/ice; default CATS_ICE_URL; none: no exchange)
  --ice-token T         this node's ICE credential (default CATS_ICE_TOKEN)
  --time-factor N       business seconds per real second: limit dates, enquiry and
                        recovery periods and business timestamps run N times faster
                        (default CATS_TIME_FACTOR, else 1: real time)
  --clock-epoch ISO     real instant at which business time equals real time; every part
                        of a deployment gets the same one (default CATS_CLOCK_EPOCH, else now)`;

export const command: Command = {
  name: 'node',
  summary: 'start one national CATS node (embedded PostgreSQL unless --database-url)',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: {
        country: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        'database-url': { type: 'string' },
        database: { type: 'string' },
        'pool-size': { type: 'string', default: '20' },
        'data-dir': { type: 'string', default: '.cats-stress' },
        'admin-token': { type: 'string' },
        'auditor-token': { type: 'string' },
        log: { type: 'boolean', default: false },
        'request-timeout': { type: 'string', default: '10000' },
        'ice-url': { type: 'string' },
        'ice-token': { type: 'string' },
        'time-factor': { type: 'string' },
        'clock-epoch': { type: 'string' },
      },
    });
    const clock = clockFlag(values['time-factor'], values['clock-epoch']);
    const country = values.country?.toUpperCase();
    if (!country || !/^[A-Z]{2}$/.test(country)) throw new UsageError('--country CC is required');
    const port = portFlag(values.port) ?? 0;
    const poolSize = numberFlag(values['pool-size'], '--pool-size', { min: 1, max: 500, integer: true })!;
    const requestTimeoutMs = numberFlag(values['request-timeout'], '--request-timeout', { min: 100, integer: true })!;
    const database = values.database ?? `cats_${country.toLowerCase()}`;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database))
      throw new UsageError(`--database must be a lower-case identifier, got ${database}`);
    const adminToken = values['admin-token'] ?? process.env.CATS_ADMIN_TOKEN;
    const iceUrl = values['ice-url'] ?? process.env.CATS_ICE_URL;
    const iceToken = values['ice-token'] ?? process.env.CATS_ICE_TOKEN;
    if (Boolean(iceUrl) !== Boolean(iceToken)) throw new UsageError('--ice-url and --ice-token go together');
    const ice =
      iceUrl && iceToken
        ? {
            url: iceUrl,
            token: iceToken,
            log: (e: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), ...e })),
          }
        : undefined;
    const dataDir = path.resolve(values['data-dir']!);
    const server = await openPostgres({ dataDir: path.join(dataDir, 'pg'), databaseUrl: values['database-url'] });
    let node;
    try {
      await server.ensureDatabase(database);
      node = await startNode({
        country,
        host: values.host,
        port,
        databaseUrl: server.url(database),
        adminToken,
        auditorToken: values['auditor-token'] ?? process.env.CATS_AUDITOR_TOKEN,
        poolSize,
        logger: values.log,
        requestTimeoutMs,
        ice,
        clock,
      });
    } catch (err) {
      await server.stop();
      throw err;
    }
    console.log(`CATS node ${country} listening on ${node.url}`);
    console.log(
      `database: ${server.embedded ? `embedded PostgreSQL in ${path.join(dataDir, 'pg')}` : 'external'}, ${database}`,
    );
    if (!adminToken) console.log(`admin token: ${node.adminToken}`);
    console.log(`OpenAPI: ${node.url}/openapi.json · metrics: ${node.url}/metrics · Ctrl-C stops`);
    if (ice) console.log(`ICE: ${ice.url}`);
    if (clock.factor !== 1) console.log(`business clock: ${formatAnchor(clock)} (factor@epoch)`);

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    console.log('stopping…');
    await node.close();
    await server.stop();
    console.log('stopped');
    return 0;
  },
};
