// bench/ice-abuse: honest nodes' delivery latency through ICE, quiet and while
// one credential abuses it (a stream of connection attempts beyond its limit and
// frames over the size limit), printed as the ratio quiet/abused.
//
//   npx tsx bench/ice-abuse.ts [--messages 3000] [--outstanding 100] [--attackers 50]
//
// ICE runs as its own process (`cats-stress ice`, default limits: 1 MiB frames,
// 4 connections per country). AZ sends crossing notifications to KZ through ICE
// clients in this process; KZ applies each through its inbox in its own database.
// The abuser (CN, its own process) keeps --attackers connection attempts in
// flight, and on every connection that opens sends a frame over 1 MiB.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';
import { IceClient } from '../reference/cats/exchange/ice-client.ts';
import { migrateInbox } from '../reference/cats/exchange/inbox.ts';
import { freePort } from '../reference/net/free-port.ts';
import { openPostgres } from '../reference/store/postgres.ts';
import { crossing, movementMrn } from '../test/ice/messages.ts';
import { startIceProcess } from './support/ice-process.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '3000' },
    outstanding: { type: 'string', default: '100' },
    attackers: { type: 'string', default: '50' },
  },
});
const total = Number(values.messages);
const outstanding = Number(values.outstanding);
const attackers = Number(values.attackers);
const tokens: Record<string, string> = { AZ: 'az-bench-credential', KZ: 'kz-bench-credential', CN: 'cn-bench-abuser' };

// The abuser runs as its own process, so its work (masking oversize frames) is not
// counted against the honest clients' event loop. It keeps `attackers` attempts in
// flight; each connection that opens sends a frame just over 1 MiB.
const abuserScript = `
import WebSocket from 'ws';
const [url, token, n] = process.argv.slice(1);
let running = true, attempts = 0, refused = 0, closedTooBig = 0;
const oversize = JSON.stringify({ type: 'send', message: { padding: 'x'.repeat(1024 * 1024 + 1024) } });
const one = () => new Promise((resolve) => {
  attempts++;
  const ws = new WebSocket(url, { headers: { authorization: 'Bearer ' + token } });
  ws.on('unexpected-response', (_q, res) => { refused++; res.resume(); ws.terminate(); resolve(); });
  ws.on('open', () => ws.send(oversize));
  ws.on('close', (code) => { if (code === 1009) closedTooBig++; resolve(); });
  ws.on('error', () => resolve());
});
const loops = Array.from({ length: Number(n) }, async () => { while (running) await one(); });
process.on('SIGTERM', async () => {
  running = false;
  await Promise.all(loops);
  process.stdout.write(JSON.stringify({ attempts, refused, closedTooBig }));
  process.exit(0);
});
`;

function abuse(url: string) {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', abuserScript, url, tokens.CN, String(attackers)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop(): Promise<{ attempts: number; refused: number; closedTooBig: number }> {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out || '{"attempts":0,"refused":0,"closedTooBig":0}');
    },
  };
}

async function phase(url: string, kzPool: pg.Pool, offset: number) {
  const latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000 });
  const sentAt = new Map<string, number>();
  let applied = 0;
  let slotFreed: () => void = () => undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const kz = new IceClient({
    url,
    token: tokens.KZ,
    receiver: {
      pool: kzPool,
      async apply(m, tx) {
        await tx.query('INSERT INTO crossings (mrn) VALUES ($1)', [m.mrn]);
      },
      committed(m, outcome) {
        const t = sentAt.get(m.id);
        if (outcome !== 'applied' || t === undefined) return;
        latency.recordValue(Math.round((performance.now() - t) * 1000));
        slotFreed();
        if (++applied === total) finish();
      },
    },
  });
  const az = new IceClient({ url, token: tokens.AZ });
  kz.start();
  az.start();
  await Promise.all([kz.connectedOnce(), az.connectedOnce()]);
  for (let i = 0; i < total; i++) {
    while (i - applied >= outstanding) await new Promise<void>((resolve) => (slotFreed = resolve));
    const m = crossing('AZ', 'KZ', movementMrn('KZ', offset + (i % 500)));
    sentAt.set(m.id, performance.now());
    az.send(m).catch((err: Error) => console.error(`refused: ${err.message}`));
  }
  await done;
  await Promise.all([kz.close(), az.close()]);
  return { p50: latency.getValueAtPercentile(50) / 1000, p99: latency.getValueAtPercentile(99) / 1000 };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-bench-ice-abuse-'));
const server = await openPostgres({ dataDir: path.join(dir, 'pg') });
try {
  for (const db of ['ice', 'node_kz']) {
    await server.dropDatabase(db);
    await server.ensureDatabase(db);
  }
  const port = await freePort();
  const ice = await startIceProcess(server.url('ice'), port, tokens);
  const url = `ws://127.0.0.1:${port}/v1/ice`;
  const kzPool = new pg.Pool({ connectionString: server.url('node_kz'), max: 8 });
  await migrateInbox(kzPool);
  await kzPool.query('CREATE TABLE IF NOT EXISTS crossings (mrn text NOT NULL)');
  console.log(
    `bench/ice-abuse: ${total} messages AZ → KZ, ${outstanding} outstanding; abuser: ${attackers} attempts in flight`,
  );
  const quiet = await phase(url, kzPool, 0);
  const abuser = abuse(url);
  await new Promise((r) => setTimeout(r, 500)); // the abuse under way before the honest traffic starts
  const abused = await phase(url, kzPool, 1000);
  const attack = await abuser.stop();
  await kzPool.end();
  await ice.stop();
  console.log(`  quiet   : p50 ${quiet.p50.toFixed(1)} ms, p99 ${quiet.p99.toFixed(1)} ms`);
  console.log(
    `  abused  : p50 ${abused.p50.toFixed(1)} ms, p99 ${abused.p99.toFixed(1)} ms (${attack.attempts} attempts: ${attack.refused} refused with 429, ${attack.closedTooBig} closed with 1009)`,
  );
  console.log(
    `  ratio   : p50 ${(quiet.p50 / abused.p50).toFixed(2)}, p99 ${(quiet.p99 / abused.p99).toFixed(2)} (quiet / abused; 1 = unaffected)`,
  );
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
