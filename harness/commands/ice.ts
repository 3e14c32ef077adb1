// `cats-stress ice`: starts the ICE exchange hub as its own process.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../cli.ts';
import { parseNodeTokens } from '../../reference/ice/credentials.ts';
import { startIce } from '../../reference/ice/server.ts';
import { openPostgres } from '../../reference/store/postgres.ts';

const usage = `usage: cats-stress ice --node-token CC=TOKEN[,CC=TOKEN…] [options]

Starts the ICE customs-to-customs exchange on 127.0.0.1: nodes connect to
ws://127.0.0.1:PORT/v1/ice with their country's bearer token; /metrics,
/healthz and /readyz are served on the same port.

options:
  --node-token CC=TOKEN  credential of a country's node (repeatable, or comma-separated;
                         also ICE_NODE_TOKENS)
  --port N               listening port (default: a free one)
  --database-url URL     ICE's PostgreSQL database (default: DATABASE_URL, else an
                         embedded server in --data-dir)
  --data-dir DIR         embedded PostgreSQL data folder (default .cats-stress/ice-pg)
  --window N             most unacknowledged deliveries per node connection (default 256)
  --ack-timeout MS       redeliver a message not acknowledged within MS (default 10000)
  --heartbeat MS         ping every MS; close a connection that missed a ping (default 15000)
  --max-connections N    most open connections per country (default 4); more get HTTP 429`;

export const command: Command = {
  name: 'ice',
  summary: 'start the ICE exchange hub (C2C messages between national nodes)',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        'node-token': { type: 'string', multiple: true },
        port: { type: 'string' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        window: { type: 'string' },
        'ack-timeout': { type: 'string' },
        heartbeat: { type: 'string' },
        'max-connections': { type: 'string' },
      },
    });
    const tokenItems = [
      ...(values['node-token'] ?? []),
      ...(process.env.ICE_NODE_TOKENS ? [process.env.ICE_NODE_TOKENS] : []),
    ];
    const nodeTokens = parseNodeTokens(tokenItems);
    if (Object.keys(nodeTokens).length === 0) {
      console.error(`cats-stress ice: at least one --node-token CC=TOKEN is required\n\n${usage}`);
      return 2;
    }
    const int = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got '${v}'`);
      return n;
    };
    const log = (event: Record<string, unknown>) =>
      console.log(JSON.stringify({ time: new Date().toISOString(), ...event }));
    const pgServer = values['database-url']
      ? undefined
      : await openPostgres({ dataDir: path.resolve(values['data-dir'] ?? '.cats-stress/ice-pg') });
    let databaseUrl = values['database-url'];
    if (!databaseUrl && pgServer) {
      await pgServer.ensureDatabase('ice');
      databaseUrl = pgServer.url('ice');
    }
    const ice = await startIce({
      databaseUrl: databaseUrl as string,
      nodeTokens,
      port: int('port', values.port),
      window: int('window', values.window),
      ackTimeoutMs: int('ack-timeout', values['ack-timeout']),
      heartbeatMs: int('heartbeat', values.heartbeat),
      maxConnectionsPerCountry: int('max-connections', values['max-connections']),
      log,
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
