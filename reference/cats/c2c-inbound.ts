// Applying C2C messages received through ICE to this node's movements, each in
// one transaction with the record of its message id, so a redelivered message
// changes nothing. IE001/IE050 create the foreign movement this node is office
// of destination/transit for; IE118/IE006/IE018 advance a movement declared
// here (IE018 conform → write-off, guarantee given back, IE045 out);
// IE045 closes the foreign copy. IE142/IE150 record on a foreign copy the
// enquiry or recovery its officer answers (IE143/IE152), which departure
// applies to the movement declared there.
// A message is applied only when it comes from the office the movement designates
// for it (reference/spec/ice/designated-senders.ts); anything else is refused
// with a C2cRefusal and changes nothing.
import type { RecordedCtd } from '../spec/ctd.ts';
import { senderProblems, senderRules, type IceMessageType } from '../spec/ice/catalogue.ts';
import { mrnCountry } from '../spec/ice/designated-senders.ts';
import { officeByReference } from '../spec/reference-data/offices.ts';
import { transitions, type MovementState } from '../domain/movement.ts';
import type { MovementChange, MovementRecord } from '../store/movements.ts';
import { withTransaction } from '../store/database.ts';
import { insertForeignMovement, lockMovement, updateMovement } from '../store/movements.ts';
import { recordInbound } from '../store/outbox.ts';
import type { NodeContext } from './context.ts';
import { divertedRecord } from './c2c-messages.ts';
import { arrivalElsewhere, controlResultsAtDeparture, declaredDestination, runStep, type Step } from './lifecycle.ts';
import { incidentAtDeparture } from './incidents.ts';
import { settleRecovery } from './recovery.ts';
import { Rejection } from './rejection.ts';
import { droppedInboundTypes } from './test-drop-inbound.ts';
import type { IE203 } from '../spec/ice/ie203-guarantee-use.ts';
import type { IE205 } from '../spec/ice/ie205-guarantee-use-result.ts';
import { guaranteeCountriesAbroad, guaranteeOffice, guaranteeUseResult } from './c2c-messages.ts';
import { guaranteeAnswered } from './guarantee-abroad.ts';
import { endForeignUse, hasForeignUse, reserveForeignUse } from '../store/guarantee-uses.ts';
import { insertOutbox } from '../store/movements.ts';
import { guaranteeRefusal } from './guarantee-refusal.ts';

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
      | 'WRONG_RECIPIENT'
      | 'GRN_COUNTRY_MISMATCH'
      | 'DUPLICATE_GUARANTEE_USE',
    message: string,
  ) {
    super(message);
    this.name = 'C2cRefusal';
  }
}

const applied: readonly IceMessageType[] = [
  'IE001',
  'IE050',
  'IE118',
  'IE006',
  'IE018',
  'IE045',
  'IE010',
  'IE114',
  'IE115',
  'IE002',
  'IE003',
  'IE024',
  'IE180',
  'IE142',
  'IE143',
  'IE150',
  'IE152',
  'IE203',
  'IE205',
  'IE204',
  'IE209',
];

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
function checkDesignated(
  ctx: NodeContext,
  msg: InboundMessage,
  m: MovementRecord | undefined,
  role: 'departure' | 'foreign',
): void {
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
        : sender === 'recovery'
          ? m.recoveryOffice === office
          : sender === 'guarantee'
            ? // Only the office of guarantee of the country that registered the movement's guarantees answers for them.
              guaranteeCountriesAbroad(
                ctx,
                m.reservations.map((r) => r.grn),
              ).some((c) => guaranteeOffice(c) === office)
            : sender === 'actual'
              ? // Diversion: any office of the sender's country that can take the role asks for the record.
                msg.type === 'IE180' ||
                (officeByReference.get(office)?.roles ?? []).includes(msg.type === 'IE114' ? 'TRA' : 'DES')
              : m.departureOffice === office;
  if (!designated)
    throw new C2cRefusal('SENDER_NOT_DESIGNATED', `${office} is not the ${sender} office of movement ${msg.mrn}`);
}

/** The declaration a record (anticipated or diverted) carries, refused unless its MRN is of its office of departure's country. */
function recordedCtdOf(msg: InboundMessage): RecordedCtd {
  const ctd = msg.body.declaration as RecordedCtd;
  if (mrnCountry(msg.mrn) !== countryOfOffice(ctd.offices.departure))
    throw new C2cRefusal('MRN_COUNTRY_MISMATCH', `MRN ${msg.mrn} is not of the office of departure's country`);
  return ctd;
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
        const ctd = recordedCtdOf(msg);
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
        await atDeparture(ctx, msg, remember, (m) => ({
          events: [{ type: 'arrive', office: b.officeOfDestination }],
          messages: arrivalElsewhere(ctx, m, b.officeOfDestination),
        }));
        return 'applied';
      case 'IE180': {
        const { officeOfIncident, ...incident } = b;
        await atDeparture(ctx, msg, remember, (m) =>
          incidentAtDeparture(m, officeOfIncident, incident as Parameters<typeof incidentAtDeparture>[2]),
        );
        return 'applied';
      }
      case 'IE114':
        // An office of transit the declaration does not name: it becomes one, and gets the record (IE115).
        // Asked again (an officer notifying twice before the record came) it gets the record again, nothing else.
        await atDeparture(ctx, msg, remember, (m) =>
          askedAgain(m, 'divertTransit', b.officeOfTransit)
            ? {
                events: [],
                messages: divertedRecord(ctx, { ...m, ctd: m.ctd as RecordedCtd }, b.officeOfTransit, 'IE115'),
              }
            : {
                events: [{ type: 'divertTransit', office: b.officeOfTransit }],
                change: (v) => ({ transitOffices: v.transitOffices as string[] }),
                messages: divertedRecord(
                  ctx,
                  { ...m, ctd: m.ctd as RecordedCtd, transitOffices: [...m.transitOffices, b.officeOfTransit] },
                  b.officeOfTransit,
                  'IE115',
                ),
              },
        );
        return 'applied';
      case 'IE002':
        // The goods are at another office of destination: it becomes the one, and gets the record (IE003);
        // asked again, the record again.
        await atDeparture(ctx, msg, remember, (m) =>
          askedAgain(m, 'divertDestination', b.officeOfDestination)
            ? {
                events: [],
                messages: divertedRecord(ctx, { ...m, ctd: m.ctd as RecordedCtd }, b.officeOfDestination, 'IE003'),
              }
            : {
                events: [{ type: 'divertDestination', office: b.officeOfDestination }],
                change: (v) => ({ destinationOffice: v.destinationOffice }),
                messages: divertedRecord(
                  ctx,
                  { ...m, ctd: m.ctd as RecordedCtd, destinationOffice: b.officeOfDestination },
                  b.officeOfDestination,
                  'IE003',
                ),
              },
        );
        return 'applied';
      case 'IE115':
      case 'IE003': {
        const role = msg.type === 'IE003' ? 'destination' : 'transit';
        const ctd = recordedCtdOf(msg);
        const created = await withTransaction(ctx.pool, async (client) => {
          await remember(client);
          // A copy this node already holds (as another office of the movement) takes the offices as they now stand.
          if (await insertForeignMovement(client, { mrn: msg.mrn, role, ctd, state: 'RELEASED' })) return true;
          const m = await lockMovement(client, msg.mrn);
          if (m?.role === 'departure') throw new C2cRefusal('UNKNOWN_MOVEMENT', `${msg.mrn} is declared here`);
          await updateMovement(client, msg.mrn, {
            state: m!.state,
            transitOffices: ctd.offices.transit,
            destinationOffice: ctd.offices.destination,
          });
          return false;
        });
        if (created) ctx.metrics.movements.record(role, [{ from: 'none', to: 'RELEASED' }]);
        return 'applied';
      }
      case 'IE024':
        // The declared office of destination learns the goods arrived elsewhere (kept in the ledger of applied
        // messages); its copy, if it is not the actual destination's too, is closed by IE045 at write-off.
        await onForeignCopy(ctx, msg, remember, {});
        return 'applied';
      case 'IE018':
        await atDeparture(ctx, msg, remember, (m) =>
          controlResultsAtDeparture(ctx, m, { office: b.officeOfDestination, conform: b.conform }),
        );
        return 'applied';
      case 'IE045':
      case 'IE010': {
        // The office of departure has discharged the movement, closed it after recovery or invalidated it:
        // the copy here is closed as it is.
        const to: MovementState =
          msg.type === 'IE010' ? 'INVALIDATED' : b.outcome === 'recovered' ? 'RECOVERED' : 'WRITTEN_OFF';
        const closed = await withTransaction(ctx.pool, async (client) => {
          await remember(client);
          const m = await lockMovement(client, msg.mrn);
          checkDesignated(ctx, msg, m, 'foreign');
          if (!m) return undefined;
          await updateMovement(client, msg.mrn, { state: to });
          return m;
        });
        if (closed) ctx.metrics.movements.record(closed.role, [{ from: closed.state as MovementState, to }]);
        return 'applied';
      }
      case 'IE142':
        // An enquiry about a movement this node is office of destination for: its officer answers (IE143).
        await onForeignCopy(ctx, msg, remember, { enquiryMessageId: msg.id });
        return 'applied';
      case 'IE150':
        // A request to recover the debt here, at the office it is addressed to: its officer notifies the outcome (IE152).
        await onForeignCopy(ctx, msg, remember, { recoveryMessageId: msg.id, recoveryOffice: msg.recipient.office });
        return 'applied';
      case 'IE143':
        await atDeparture(ctx, msg, remember, () => ({
          events: [{ type: 'enquiryAnswer', arrived: b.goodsArrived }],
          change: () => ({ enquiryAnsweredAt: ctx.now() }),
        }));
        return 'applied';
      case 'IE152':
        await atDeparture(ctx, msg, remember, (m) => settleRecovery(ctx, m, b.recoveryAccepted));
        return 'applied';
      case 'IE203':
        await reserveForDeparture(ctx, msg as InboundMessage & { body: IE203['body'] }, remember);
        return 'applied';
      case 'IE204':
      case 'IE209':
        await endUseForDeparture(ctx, msg, remember);
        return 'applied';
      case 'IE205':
        await atDeparture(ctx, msg, remember, (m) => {
          const declared = new Set(m.reservations.map((r) => r.grn));
          const answered = (b as IE205['body']).reservations.map((r) => r.grn);
          if (b.accepted && (answered.length !== declared.size || answered.some((g) => !declared.has(g))))
            throw new C2cRefusal(
              'SENDER_NOT_DESIGNATED',
              `the answer reserves ${answered.join(', ')}; movement ${msg.mrn} declares ${[...declared].join(', ')}`,
            );
          return guaranteeAnswered(ctx, m, b as IE205['body']);
        });
        return 'applied';
      default:
        throw new Rejection(422, 'SCHEMA_VIOLATION', `message type ${msg.type} is not applied by a national node`);
    }
  } catch (err) {
    if (err instanceof Duplicate) return 'duplicate';
    throw err;
  }
}

/** Records on the foreign copy what a message from departure asks of this node; its state does not change. */
async function onForeignCopy(
  ctx: NodeContext,
  msg: InboundMessage,
  remember: (client: Parameters<typeof recordInbound>[0]) => Promise<void>,
  change: Omit<MovementChange, 'state'>,
): Promise<void> {
  await withTransaction(ctx.pool, async (client) => {
    await remember(client);
    const m = await lockMovement(client, msg.mrn);
    checkDesignated(ctx, msg, m, 'foreign');
    if (msg.type === 'IE142' && m!.destinationOffice !== msg.recipient.office)
      throw new C2cRefusal(
        'SENDER_NOT_DESIGNATED',
        `${msg.recipient.office} is not the office of destination of ${msg.mrn}`,
      );
    await updateMovement(client, msg.mrn, { state: m!.state, ...change });
  });
}

/** A diverted office asking again for the record it was already sent, while the movement can still be diverted. */
function askedAgain(m: MovementRecord, event: 'divertTransit' | 'divertDestination', office: string): boolean {
  if (!(m.state in transitions[event])) return false;
  return event === 'divertTransit'
    ? m.transitOffices.includes(office) && !(m.ctd as RecordedCtd).offices.transit.includes(office)
    : m.destinationOffice === office && declaredDestination(m) !== office;
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
      checkDesignated(ctx, msg, m, 'departure');
      return plan(m);
    },
    remember,
  ).catch((err: unknown) => {
    if (err instanceof Rejection && err.code === 'NOT_FOUND')
      throw new C2cRefusal('UNKNOWN_MOVEMENT', `no movement ${msg.mrn} declared here`);
    throw err;
  });
}

/**
 * IE203 at the guarantee's node: reserve every guarantee the movement declared in another country
 * asks for, or none, exactly as a local lodging would (one locked statement), and answer IE205 in
 * the same transaction. The access codes are compared with the digests here and kept nowhere.
 */
async function reserveForDeparture(
  ctx: NodeContext,
  msg: InboundMessage & { body: IE203['body'] },
  remember: (client: Parameters<typeof recordInbound>[0]) => Promise<void>,
): Promise<void> {
  const b = msg.body;
  if (msg.recipient.office !== guaranteeOffice(ctx.country))
    throw new C2cRefusal('WRONG_RECIPIENT', `${msg.recipient.office} is not the office of guarantee of ${ctx.country}`);
  const outcome = await withTransaction(ctx.pool, async (client) => {
    await remember(client);
    if (await hasForeignUse(client, msg.mrn))
      throw new C2cRefusal('DUPLICATE_GUARANTEE_USE', `movement ${msg.mrn} already asked for its guarantees here`);
    const r = await reserveForeignUse(client, {
      mrn: msg.mrn,
      holderTin: b.holder,
      departureCountry: msg.sender.country,
      shares: b.references.map((ref) => ({
        grn: ref.grn,
        accessCode: ref.accessCode,
        type: ref.type,
        currency: ref.share.currency,
        share: ref.share.amount,
      })),
    });
    const answeredAt = ctx.now().toISOString();
    let body: IE205['body'];
    if (r.accepted) body = { answeredAt, accepted: true, reservations: r.reservations };
    else {
      const refusal = guaranteeRefusal(r.guarantee, b.holder, '');
      body = {
        answeredAt,
        accepted: false,
        reservations: [],
        refusal: {
          grn: r.guarantee.grn,
          code: refusal.code as NonNullable<IE205['body']['refusal']>['code'],
          message: refusal.message,
        },
      };
    }
    await insertOutbox(client, msg.mrn, guaranteeUseResult(ctx, b.officeOfDeparture, body));
    return r.accepted;
  });
  ctx.metrics.guaranteeUses.inc({ outcome: outcome ? 'reserved' : 'refused', departure_country: msg.sender.country });
}

/** IE204/IE209 at the guarantee's node: the departure country that reserved gives its uses back, or they paid a debt. */
async function endUseForDeparture(
  ctx: NodeContext,
  msg: InboundMessage,
  remember: (client: Parameters<typeof recordInbound>[0]) => Promise<void>,
): Promise<void> {
  if (msg.recipient.office !== guaranteeOffice(ctx.country))
    throw new C2cRefusal('WRONG_RECIPIENT', `${msg.recipient.office} is not the office of guarantee of ${ctx.country}`);
  const how = msg.type === 'IE204' ? 'cancel' : msg.body.outcome === 'recovered' ? 'charge' : 'give-back';
  await withTransaction(ctx.pool, async (client) => {
    await remember(client);
    // Only the country that reserved can end its uses (the key includes it); none held is no error:
    // an IE204 also follows a request refused, or one that never got an answer in time.
    await endForeignUse(client, msg.mrn, msg.sender.country, how);
  });
}
