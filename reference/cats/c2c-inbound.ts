// Applying C2C messages received through ICE to this node's movements, each in
// one transaction with the record of its message id, so a redelivered message
// changes nothing. IE001/IE050 create the foreign movement this node is office
// of destination/transit for; IE118/IE006/IE018 advance a movement declared
// here (IE018 conform → write-off, guarantee given back, IE045 out);
// IE045 closes the foreign copy.
// A message is applied only when it comes from the office the movement designates
// for it (reference/spec/ice/designated-senders.ts); anything else is refused
// with a C2cRefusal and changes nothing.
import type { RecordedCtd } from '../spec/ctd.ts';
import { senderProblems, senderRules, type IceMessageType } from '../spec/ice/catalogue.ts';
import { mrnCountry } from '../spec/ice/designated-senders.ts';
import { officeByReference } from '../spec/reference-data/offices.ts';
import type { MovementState } from '../domain/movement.ts';
import type { MovementRecord } from '../store/movements.ts';
import { withTransaction } from '../store/database.ts';
import { insertForeignMovement, lockMovement, updateMovement } from '../store/movements.ts';
import { recordInbound } from '../store/outbox.ts';
import type { NodeContext } from './context.ts';
import { controlResultsAtDeparture, runStep, type Step } from './lifecycle.ts';
import { Rejection } from './rejection.ts';
import { droppedInboundTypes } from './test-drop-inbound.ts';

const countryOfOffice = (office: string) => officeByReference.get(office)?.country;

export interface InboundMessage {
  /** Message id (the sender's outbox id); redeliveries carry the same one. */
  id: string;
  type: string;
  mrn: string;
  /** The office that sent it; ICE vouches for its country (the sender's credential). */
  sender: { country: string; office: string };
  recipient: { country: string; office: string };
  // Bodies were validated against their ICE message schema before they reach a node.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

export type InboundOutcome = 'applied' | 'duplicate';

class Duplicate extends Error {}

/** A message refused by the sender rule: acknowledged to ICE as rejected with this code. */
export class C2cRefusal extends Error {
  constructor(
    readonly code:
      | 'SENDER_NOT_DESIGNATED'
      | 'MRN_COUNTRY_MISMATCH'
      | 'SENDER_NOT_IN_EXCHANGE'
      | 'UNKNOWN_MOVEMENT'
      | 'WRONG_RECIPIENT',
    message: string,
  ) {
    super(message);
    this.name = 'C2cRefusal';
  }
}

const applied: readonly IceMessageType[] = ['IE001', 'IE050', 'IE118', 'IE006', 'IE018', 'IE045'];

/** What the sender rule says without the movement: a country of the exchange, its own office, consistent offices and MRN. */
function checkSender(ctx: NodeContext, msg: InboundMessage): void {
  const { sender, recipient } = msg;
  // Addressed to another node: whatever routed it here, it is not this node's to apply.
  if (recipient.country !== ctx.country || countryOfOffice(recipient.office) !== ctx.country)
    throw new C2cRefusal(
      'WRONG_RECIPIENT',
      `addressed to ${recipient.office} (${recipient.country}), not to ${ctx.country}`,
    );
  if (sender.country === ctx.country || !ctx.countries.get(sender.country)?.pilot)
    throw new C2cRefusal('SENDER_NOT_IN_EXCHANGE', `${sender.country} runs no other node of the exchange`);
  if (officeByReference.get(sender.office)?.country !== sender.country)
    throw new C2cRefusal('SENDER_NOT_DESIGNATED', `${sender.office} is not an office of ${sender.country}`);
  const problem = senderProblems({ ...msg, type: msg.type as IceMessageType })[0];
  if (problem) throw new C2cRefusal(problem.code, problem.message);
}

/** The movement's own designation: the office it names for this message must be the sender. */
function checkDesignated(msg: InboundMessage, m: MovementRecord | undefined, role: 'departure' | 'foreign'): void {
  const here = role === 'departure' ? m?.role === 'departure' : m !== undefined && m.role !== 'departure';
  if (!m || !here)
    throw new C2cRefusal('UNKNOWN_MOVEMENT', `no movement ${msg.mrn} here that a ${msg.type} can apply to`);
  const office = msg.sender.office;
  const { sender } = senderRules[msg.type as IceMessageType];
  const designated =
    sender === 'transit'
      ? m.transitOffices.includes(office)
      : sender === 'destination'
        ? m.destinationOffice === office
        : m.departureOffice === office;
  if (!designated)
    throw new C2cRefusal('SENDER_NOT_DESIGNATED', `${office} is not the ${sender} office of movement ${msg.mrn}`);
}

export async function applyInboundMessage(ctx: NodeContext, msg: InboundMessage): Promise<InboundOutcome> {
  if (droppedInboundTypes().has(msg.type)) return 'applied';
  if ((applied as readonly string[]).includes(msg.type)) checkSender(ctx, msg);
  const remember = async (client: Parameters<typeof recordInbound>[0]) => {
    if (!(await recordInbound(client, msg.id, msg.type, msg.mrn))) throw new Duplicate();
  };
  const b = msg.body;
  try {
    switch (msg.type) {
      case 'IE001':
      case 'IE050': {
        const role = msg.type === 'IE001' ? 'destination' : 'transit';
        const ctd = b.declaration as RecordedCtd;
        if (mrnCountry(msg.mrn) !== countryOfOffice(ctd.offices.departure))
          throw new C2cRefusal('MRN_COUNTRY_MISMATCH', `MRN ${msg.mrn} is not of the office of departure's country`);
        const created = await withTransaction(ctx.pool, async (client) => {
          await remember(client);
          // A node that is both office of transit and destination keeps the first record it gets.
          return insertForeignMovement(client, { mrn: msg.mrn, role, ctd, state: 'RELEASED' });
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
          checkDesignated(msg, m, 'foreign');
          if (!m) return undefined;
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
      checkDesignated(msg, m, 'departure');
      return plan(m);
    },
    remember,
  ).catch((err: unknown) => {
    if (err instanceof Rejection && err.code === 'NOT_FOUND')
      throw new C2cRefusal('UNKNOWN_MOVEMENT', `no movement ${msg.mrn} declared here`);
    throw err;
  });
}
