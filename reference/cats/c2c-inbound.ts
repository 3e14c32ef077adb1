// Applying C2C messages received through ICE to this node's movements, each in
// one transaction with the record of its message id, so a redelivered message
// changes nothing. IE001/IE050 create the foreign movement this node is office
// of destination/transit for; IE118/IE006/IE018 advance a movement declared
// here (IE018 conform → write-off, guarantee given back, IE045 out);
// IE045 closes the foreign copy.
import type { Ctd } from '../spec/ctd.ts';
import type { MovementState } from '../domain/movement.ts';
import { withTransaction } from '../store/database.ts';
import { insertForeignMovement, lockMovement, updateMovement } from '../store/movements.ts';
import { recordInbound } from '../store/outbox.ts';
import type { NodeContext } from './context.ts';
import { controlResultsAtDeparture, runStep, type Step } from './lifecycle.ts';
import { notFound, Rejection } from './rejection.ts';

export interface InboundMessage {
  /** Message id (the sender's outbox id); redeliveries carry the same one. */
  id: string;
  type: string;
  mrn: string;
  // Bodies were validated against their ICE message schema before they reach a node.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

export type InboundOutcome = 'applied' | 'duplicate';

class Duplicate extends Error {}

export async function applyInboundMessage(ctx: NodeContext, msg: InboundMessage): Promise<InboundOutcome> {
  const remember = async (client: Parameters<typeof recordInbound>[0]) => {
    if (!(await recordInbound(client, msg.id, msg.type, msg.mrn))) throw new Duplicate();
  };
  const b = msg.body;
  try {
    switch (msg.type) {
      case 'IE001':
      case 'IE050': {
        const role = msg.type === 'IE001' ? 'destination' : 'transit';
        const created = await withTransaction(ctx.pool, async (client) => {
          await remember(client);
          // A node that is both office of transit and destination keeps the first record it gets.
          return insertForeignMovement(client, { mrn: msg.mrn, role, ctd: b.declaration as Ctd, state: 'RELEASED' });
        });
        if (created) ctx.metrics.movements.record(role, [{ from: 'none', to: 'RELEASED' }]);
        return 'applied';
      }
      case 'IE118':
        await atDeparture(ctx, msg, remember, () => ({ events: [{ type: 'cross', office: b.officeOfTransit }] }));
        return 'applied';
      case 'IE006':
        await atDeparture(ctx, msg, remember, () => ({ events: [{ type: 'arrive', office: b.officeOfDestination }] }));
        return 'applied';
      case 'IE018':
        await atDeparture(ctx, msg, remember, (m) =>
          controlResultsAtDeparture(ctx, m, { office: b.officeOfDestination, conform: b.conform }),
        );
        return 'applied';
      case 'IE045': {
        // The office of departure has discharged the movement: the copy here is closed as it is.
        const closed = await withTransaction(ctx.pool, async (client) => {
          await remember(client);
          const m = await lockMovement(client, msg.mrn);
          if (!m || m.role === 'departure') return undefined;
          await updateMovement(client, msg.mrn, { state: 'WRITTEN_OFF' });
          return m;
        });
        if (closed)
          ctx.metrics.movements.record(closed.role, [{ from: closed.state as MovementState, to: 'WRITTEN_OFF' }]);
        return 'applied';
      }
      default:
        throw new Rejection(422, 'SCHEMA_VIOLATION', `message type ${msg.type} is not applied by a national node`);
    }
  } catch (err) {
    if (err instanceof Duplicate) return 'duplicate';
    throw err;
  }
}

function atDeparture(
  ctx: NodeContext,
  msg: InboundMessage,
  remember: (client: Parameters<typeof recordInbound>[0]) => Promise<void>,
  plan: (m: Parameters<typeof controlResultsAtDeparture>[1]) => Step,
) {
  return runStep(
    ctx,
    msg.mrn,
    (m) => {
      if (m.role !== 'departure') throw notFound(`movement ${msg.mrn} declared here`);
      return plan(m);
    },
    remember,
  );
}
