// bench/ice: durable deliveries per second through ICE across three national
// nodes, with p50/p99 delivery latency, against the raw insert+select rate of
// the same PostgreSQL measured in the same run.
//
//   npx tsx bench/ice.ts [--messages 30000] [--movements 5000] [--outstanding 600] [--raw-concurrency 16]
//
// ICE runs as its own process (`cats-stress ice`); the three nodes are ICE
// clients in this process, each applying what it receives through its inbox in
// its own database. At most --outstanding messages are sent and not yet applied
// (closed loop), so latency (sender's send() to receiver's commit) is not just
// the wait behind a burst.
// Raw: the same server, ICE's database, one INSERT then one SELECT per message
// (each its own durable transaction), at --raw-concurrency connections.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';
import { IceClient } from '../reference/cats/exchange/ice-client.ts';
import { migrateInbox } from '../reference/cats/exchange/inbox.ts';
import type { IceMessage } from '../reference/spec/ice/catalogue.ts';
import { freePort } from '../reference/net/free-port.ts';
import { openPostgres } from '../reference/store/postgres.ts';
import { crossing, movementMrn } from '../test/ice/messages.ts';
import { startIceProcess } from './support/ice-process.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '30000' },
    movements: { type: 'string', default: '5000' },
    outstanding: { type: 'string', default: '600' },
    'raw-concurrency': { type: 'string', default: '16' },
  },
});
const total = Number(values.messages);
const movements = Number(values.movements);
const rawConcurrency = Number(values['raw-concurrency']);
const outstanding = Number(values.outstanding);
const countries = ['GE', 'AZ', 'KZ'] as const;
const tokens: Record<string, string> = Object.fromEntries(
  countries.map((c) => [c, `${c.toLowerCase()}-bench-credential`]),
);
const histogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

async function throughIce(server: Awaited<ReturnType<typeof openPostgres>>) {
  const port = await freePort();
  const ice = await startIceProcess(server.url('ice'), port, tokens);
  const url = `ws://127.0.0.1:${port}/v1/ice`;
  const latency = histogram();
  const sentAt = new Map<string, number>();
  let applied = 0;
  let finish: () => void = () => undefined;
  let slotFreed: () => void = () => undefined;
  const allApplied = new Promise<void>((resolve) => (finish = resolve));
  const nodes = await Promise.all(
    countries.map(async (country) => {
      const pool = new pg.Pool({ connectionString: server.url(`node_${country.toLowerCase()}`), max: 8 });
      pool.on('error', () => undefined);
      await migrateInbox(pool);
      await pool.query(
        'CREATE TABLE IF NOT EXISTS crossings (mrn text NOT NULL, office text NOT NULL, crossed_at timestamptz NOT NULL)',
      );
      const client = new IceClient({
        url,
        token: tokens[country],
        receiver: {
          pool,
          async apply(m, tx) {
            if (m.type !== 'IE118') throw new Error(`unexpected ${m.type}`);
            await tx.query('INSERT INTO crossings (mrn, office, crossed_at) VALUES ($1, $2, $3)', [
              m.mrn,
              m.body.officeOfTransit,
              m.body.crossedAt,
            ]);
          },
          committed(m, outcome) {
            if (outcome !== 'applied') return;
            latency.recordValue(Math.round((performance.now() - (sentAt.get(m.id) as number)) * 1000));
            slotFreed();
            if (++applied === total) finish();
          },
        },
      });
      client.start();
      await client.connectedOnce();
      return { country, pool, client };
    }),
  );
  // Movements spread over all six ordered pairs of countries; each movement has total/movements messages.
  const messages: IceMessage[] = [];
  for (let i = 0; i < total; i++) {
    const k = i % movements;
    const from = countries[k % 3];
    const to = countries[((k % 3) + 1 + (Math.floor(k / 3) % 2)) % 3];
    messages.push(crossing(from, to, movementMrn(to, k)));
  }
  const clients = new Map(nodes.map((n) => [n.country as string, n.client]));
  // A redrawn line on a terminal; a line every 5 s when the output is a file.
  const tty = process.stdout.isTTY;
  const progress = setInterval(
    () =>
      process.stdout.write(
        tty ? `\r  through ICE: ${applied}/${total} applied` : `  through ICE: ${applied}/${total} applied\n`,
      ),
    tty ? 500 : 5000,
  );
  const t0 = performance.now();
  for (const [i, m] of messages.entries()) {
    while (i - applied >= outstanding) await new Promise<void>((resolve) => (slotFreed = resolve));
    sentAt.set(m.id, performance.now());
    (clients.get(m.sender.country) as IceClient)
      .send(m)
      .catch((err: Error) => console.error(`\nrefused: ${err.message}`));
  }
  await allApplied;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(progress);
  if (tty) process.stdout.write('\n');
  for (const n of nodes) {
    await n.client.close();
    await n.pool.end();
  }
  await ice.stop();
  return {
    rate: total / seconds,
    seconds,
    p50: latency.getValueAtPercentile(50) / 1000,
    p99: latency.getValueAtPercentile(99) / 1000,
  };
}

async function rawStore(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: rawConcurrency });
  pool.on('error', () => undefined);
  await pool.query('DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (LIKE ice_message INCLUDING ALL)');
  const sample = crossing('AZ', 'KZ', movementMrn('KZ', 1));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: rawConcurrency }, async () => {
      while (next < total) {
        const i = next++;
        const id = randomUUID();
        const m = { ...sample, id };
        await pool.query(
          'INSERT INTO bench_raw (id, type, sender_country, recipient_country, mrn, envelope) VALUES ($1, $2, $3, $4, $5, $6)',
          [id, m.type, m.sender.country, m.recipient.country, movementMrn('KZ', i % movements), JSON.stringify(m)],
        );
        await pool.query('SELECT envelope::text FROM bench_raw WHERE id = $1', [id]);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await pool.query('DROP TABLE bench_raw');
  await pool.end();
  return { rate: total / seconds, seconds };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-bench-ice-'));
const server = await openPostgres({ dataDir: path.join(dir, 'pg') });
try {
  for (const db of ['ice', ...countries.map((c) => `node_${c.toLowerCase()}`)]) {
    await server.dropDatabase(db);
    await server.ensureDatabase(db);
  }
  console.log(
    `bench/ice: ${total} messages over ${movements} movements between GE, AZ and KZ, ${outstanding} outstanding`,
  );
  const ice = await throughIce(server);
  const raw = await rawStore(server.url('ice'));
  console.log(
    `  through ICE : ${ice.rate.toFixed(0)} durable deliveries/s (${ice.seconds.toFixed(1)} s), latency p50 ${ice.p50.toFixed(1)} ms, p99 ${ice.p99.toFixed(1)} ms`,
  );
  console.log(
    `  raw store   : ${raw.rate.toFixed(0)} insert+select/s at ${rawConcurrency} connections (${raw.seconds.toFixed(1)} s)`,
  );
  console.log(`  ratio       : ${(ice.rate / raw.rate).toFixed(2)} (ICE deliveries / raw insert+select)`);
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
