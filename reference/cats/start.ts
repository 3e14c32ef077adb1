// Starts one national node: its database (created and migrated), its pool and
// its HTTP server on loopback. Tests, `cats-stress node` and deployments use it.
import { randomBytes } from 'node:crypto';
import type { BusinessClock, ClockAnchor } from '../domain/business-clock.ts';
import { countryByCode } from '../spec/reference-data/countries.ts';
import { openPool } from '../store/database.ts';
import { migrate } from '../store/migrate.ts';
import { buildApp, type App } from './app.ts';
import { createContext, type NodeContext } from './context.ts';
import { linkNodeToIce, type IceLinkOptions } from './exchange/ice-link.ts';
import { TimeLimitScheduler } from './time-limit-scheduler.ts';

export interface NodeOptions {
  /** ISO code of the node's country. */
  country: string;
  /** URL of the node's own database (created when missing). */
  databaseUrl: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Generated when absent; read it from the result. */
  adminToken?: string;
  /** Bearer token of the deployment's auditor (the audit routes only); none when absent. */
  auditorToken?: string;
  /** Database pool size (default 20). */
  poolSize?: number;
  /** Log every request; warnings and errors are logged regardless. */
  logger?: boolean;
  /** Where log lines (JSON) go; standard output by default. */
  logStream?: NodeJS.WritableStream;
  /** Longest a client may take to send a whole request (ms; default 10 000); slower ones get 408. */
  requestTimeoutMs?: number;
  /** ICE to exchange C2C messages with (outbox relayed out, inbound applied); none when absent. */
  ice?: IceLinkOptions;
  /** The deployment's business time (limit dates, enquiries, recoveries); real time when absent. */
  clock?: ClockAnchor | BusinessClock;
  /** Real milliseconds between checks of the time limits (default 1000); 0: no checks (a test drives them). */
  timeLimitCheckMs?: number;
}

export interface RunningNode {
  url: string;
  country: string;
  adminToken: string;
  app: App;
  context: NodeContext;
  /** Opens enquiries and starts recoveries that are due (business time). */
  timeLimits: TimeLimitScheduler;
  close(): Promise<void>;
}

export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const country = opts.country.toUpperCase();
  if (!countryByCode.has(country)) throw new Error(`unknown country ${opts.country}: not in the reference data`);
  const adminToken = opts.adminToken ?? randomBytes(24).toString('base64url');
  const pool = openPool(opts.databaseUrl, opts.poolSize ?? 20);
  try {
    await migrate(pool);
    const context = createContext({ country, pool, adminToken, auditorToken: opts.auditorToken, clock: opts.clock });
    // Before anything is served, so no transition is counted twice.
    await context.metrics.movements.load(pool);
    const app = await buildApp(context, {
      logger: opts.logger,
      logStream: opts.logStream,
      requestTimeoutMs: opts.requestTimeoutMs,
    });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const ice = opts.ice ? await linkNodeToIce(context, opts.ice) : undefined;
    const timeLimits = new TimeLimitScheduler(context, opts.timeLimitCheckMs || 1000, (e) =>
      app.log.warn({ ...e, country }, 'time limits'),
    );
    if (opts.timeLimitCheckMs !== 0) timeLimits.start();
    return {
      url: `http://${host}:${port}`,
      country,
      adminToken,
      app,
      context,
      timeLimits,
      async close() {
        await timeLimits.stop();
        await ice?.close();
        await app.close();
        await pool.end();
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
