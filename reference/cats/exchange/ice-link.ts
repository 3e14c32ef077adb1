// Connects a national node to ICE: its outbox relayed out, and incoming
// messages applied through the node's own inbound handling (which records each
// message id in the same transaction as its change).
import { applyInboundMessage } from '../c2c-inbound.ts';
import type { NodeContext } from '../context.ts';
import { IceClient } from './ice-client.ts';
import { migrateInbox } from './inbox.ts';
import { OutboxRelay } from './outbox-relay.ts';

export interface IceLinkOptions {
  url: string;
  token: string;
  log?: (event: Record<string, unknown>) => void;
}

export interface IceLink {
  client: IceClient;
  close(): Promise<void>;
}

export async function linkNodeToIce(ctx: NodeContext, opts: IceLinkOptions): Promise<IceLink> {
  // Messages the node refuses are kept here (outcome 'rejected'), not retried,
  // and acknowledged to ICE as rejected with their code.
  await migrateInbox(ctx.pool);
  const client = new IceClient({
    url: opts.url,
    token: opts.token,
    log: opts.log,
    receiver: {
      pool: ctx.pool,
      handle: (m) =>
        applyInboundMessage(ctx, {
          id: m.id,
          type: m.type,
          mrn: m.mrn,
          sender: m.sender,
          recipient: m.recipient,
          body: m.body as Record<string, unknown>,
        }),
      committed: (m, _outcome, rejected) => {
        if (rejected) ctx.metrics.c2cRejected.inc({ type: m.type, code: rejected.code });
      },
    },
  });
  client.start();
  const relay = new OutboxRelay({ pool: ctx.pool, client, country: ctx.country, log: opts.log, now: () => ctx.now() });
  relay.start();
  return {
    client,
    async close() {
      const relayStopped = relay.stop();
      await client.close(); // gives back sends still waiting for ICE, so the relay can finish
      await relayStopped;
    },
  };
}
