// `cats-stress ice`: starts the ICE exchange hub as its own process.
import path from 'node:path';
import type { Command } from '../cli.ts';
import { clockFlag, numberFlag, parseFlags, portFlag, UsageError } from '../flags.ts';
import { parseNodeTokens } from '../../reference/ice/credentials.ts';
import { startIce } from '../../reference/ice/server.ts';
import { openPostgres } from '../../reference/store/postgres.ts';

const usage = `usage: cats-stress ice --node-token CC=TOKEN[,CC=TOKEN…] [options]

Starts the ICE customs-to-customs exchange (on 127.0.0.1 unless --host): nodes
connect to ws://HOST:PORT/v1/ice with their country's bearer token; /metrics,
/healthz and /readyz are served on the same port.

options:
  --node-token CC=TOKEN  credential of a country's node (repeatable, or comma-separated;
                         also ICE_NODE_TOKENS)
  --auditor-token T      bearer token of the deployment's auditor, who may read
                         GET /v1/audit/messages (default ICE_AUDITOR_TOKEN; none: no audit route)
  --host ADDR            address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --port N               listening port (default: a free one)
  --database-url URL     ICE's PostgreSQL database (default: DATABASE_URL, else an
                         embedded server in --data-dir)
  --data-dir DIR         embedded PostgreSQL data folder (default .cats-stress/ice-pg)
  --window N             most unacknowledged deliveries per node connection (default 256)
  --ack-timeout MS       redeliver a message not acknowledged within MS (default 10000)
  --heartbeat MS         ping every MS; close a connection that missed a ping (default 15000)
  --max-connections N    most open connections per country (default 4); more get HTTP 429
  --time-factor N        business seconds per real second: limit dates, enquiry and
                         recovery periods and business timestamps run N times faster
                         (default CATS_TIME_FACTOR, else 1: real time)
  --clock-epoch ISO      real instant at which business time equals real time; every part
                         of a deployment gets the same one (default CATS_CLOCK_EPOCH, else now)
                         (published on GET /v1/clock; ICE's own timers stay in real time)`;

export const command: Command = {
  name: 'ice',
  summary: 'start the ICE exchange hub (C2C messages between national nodes)',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: {
        'node-token': { type: 'string', multiple: true },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        'auditor-token': { type: 'string' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        window: { type: 'string' },
        'ack-timeout': { type: 'string' },
        heartbeat: { type: 'string' },
        'max-connections': { type: 'string' },
        'time-factor': { type: 'string' },
        'clock-epoch': { type: 'string' },
      },
    });
    const tokenItems = [
      ...(values['node-token'] ?? []),
      ...(process.env.ICE_NODE_TOKENS ? [process.env.ICE_NODE_TOKENS] : []),
    ];
    let nodeTokens: ReturnType<typeof parseNodeTokens>;
    try {
      nodeTokens = parseNodeTokens(tokenItems);
    } catch (err) {
      throw new UsageError((err as Error).message, { cause: err });
    }
    if (Object.keys(nodeTokens).length === 0) throw new UsageError('at least one --node-token CC=TOKEN is required');
    const port = portFlag(values.port);
    const window = numberFlag(values.window, '--window', { min: 1, integer: true });
    const ackTimeoutMs = numberFlag(values['ack-timeout'], '--ack-timeout', { min: 1, integer: true });
    const heartbeatMs = numberFlag(values.heartbeat, '--heartbeat', { min: 1, integer: true });
    const maxConnectionsPerCountry = numberFlag(values['max-connections'], '--max-connections', {
      min: 1,
      integer: true,
    });
    const clock = clockFlag(values['time-factor'], values['clock-epoch']);
    const log = (event: Record<string, unknown>) =>
      console.log(JSON.stringify({ time: new Date().toISOString(), ...event }));
    // DATABASE_URL names ICE's own database, as --database-url does (and keeps it off the command line).
    const givenUrl = values['database-url'] ?? process.env.DATABASE_URL;
    const pgServer = givenUrl
      ? undefined
      : await openPostgres({ dataDir: path.resolve(values['data-dir'] ?? '.cats-stress/ice-pg') });
    let databaseUrl = givenUrl;
    if (!databaseUrl && pgServer) {
      await pgServer.ensureDatabase('ice');
      databaseUrl = pgServer.url('ice');
    }
    const ice = await startIce({
      databaseUrl: databaseUrl as string,
      nodeTokens,
      auditorToken: values['auditor-token'] ?? process.env.ICE_AUDITOR_TOKEN,
      host: values.host,
      port,
      window,
      ackTimeoutMs,
      heartbeatMs,
      maxConnectionsPerCountry,
      log,
      clock,
    });
    console.log(
      `ICE listening on ${ice.url} (metrics ${ice.httpUrl}/metrics) for ${Object.keys(nodeTokens).join(', ')}`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await ice.close();
    await pgServer?.stop();
    return 0;
  },
};
