// Lodging a CTD at the office of departure: one round of validation in memory,
// then one database statement (store/movements.ts insertDeclaration) that
// allocates nothing twice, reserves the guarantee atomically and writes the
// C2C messages. Idempotent per operator + LRN.
import type { Ctd } from '../spec/ctd.ts';
import type { DeclarationAccepted } from '../spec/declarations.ts';
import { checkCtd } from '../domain/ctd-rules.ts';
import {
  amountDue,
  checkDeclaredAmount,
  guaranteeLocation,
  referenceShares,
  type ReferenceShare,
} from '../domain/guarantee.ts';
import { applyEvent, submittedMovement, type MovementEvent, type MovementView } from '../domain/movement.ts';
import { mrnFromSequence } from '../domain/mrn.ts';
import { assessRisk } from '../domain/risk.ts';
import type { OperatorRecord } from '../store/parties.ts';
import { retryOnDeadlock, withTransaction } from '../store/database.ts';
import { insertAwaitingDeclaration } from '../store/guarantee-uses.ts';
import { guaranteeReplyBy } from '../domain/time-limit.ts';
import {
  findByLrn,
  insertDeclaration,
  type DeclaredShare,
  type MovementRecord,
  type NewDeclaration,
} from '../store/movements.ts';
import { guaranteeUseRequest, releaseMessages } from './c2c-messages.ts';
import { movementLimitDate } from './time-limits.ts';
import { contentHash } from './content-hash.ts';
import { recordedCtd } from './recorded-ctd.ts';
import type { NodeContext } from './context.ts';
import { guaranteeRefusal } from './guarantee-refusal.ts';
import { transitionsAlong } from './movement-metrics.ts';
import { notification } from './notifier.ts';
import { functionalRejection, Rejection } from './rejection.ts';

export interface Lodged {
  status: 200 | 201;
  body: DeclarationAccepted;
}

/** The functional checks shared by lodging and amendment; throws a 422 Rejection. */
export function checkContent(ctx: NodeContext, ctd: Ctd, operator: OperatorRecord): void {
  if (ctd.holder.identificationNumber !== operator.tin) {
    throw functionalRejection([
      {
        code: 'HOLDER_MISMATCH',
        pointer: '/holder/identificationNumber',
        message: `holder ${ctd.holder.identificationNumber} is not the authenticated operator ${operator.tin}`,
      },
    ]);
  }
  // Amounts are computed only on a CTD the rules accept: they bound every value, so the calculus cannot overflow.
  const errors = checkCtd(ctd, { nodeCountry: ctx.country, offices: ctx.offices, countries: ctx.countries });
  if (errors.length > 0) throw functionalRejection(errors);
  const understated = checkDeclaredAmount(ctd, ctx.countries);
  if (understated.length > 0) throw functionalRejection(understated);
  const location = guaranteeLocation(ctd, ctx.country, ctx.countries);
  if ('errors' in location) throw functionalRejection(location.errors);
}

/** The country of the exchange that registered the CTD's guarantees, when not this node's (checkContent passed). */
export function guaranteeCountryAbroad(ctx: NodeContext, ctd: Ctd): string | undefined {
  const location = guaranteeLocation(ctd, ctx.country, ctx.countries);
  return 'country' in location ? location.country : undefined;
}

/** What was decided at lodging (risk class, sampling), not what the rules would say today. */
export function decidedAtLodging(m: Pick<MovementRecord, 'riskClass' | 'riskReasons'>): 'release' | 'control' {
  return m.riskReasons?.some((r) => r.startsWith('SAMPLING')) || m.riskClass === 'high' ? 'control' : 'release';
}

/** Risk (which decides controls) and each guarantee's share of the amount due (its level applies when reserving). */
export function assess(ctx: NodeContext, ctd: Ctd, operator: OperatorRecord) {
  const risk = assessRisk(ctd, operator, ctx.countries);
  const shares = referenceShares(ctd, amountDue(ctd, ctx.countries), ctx.countries);
  return { risk, shares };
}

/** The shares with the access codes the holder presented for them. */
export function declaredShares(ctd: Ctd, shares: readonly ReferenceShare[]): DeclaredShare[] {
  const refs = ctd.guarantees.flatMap((g) => g.references);
  return shares.map((s) => ({
    grn: s.grn,
    accessCode: refs[s.index]!.accessCode,
    type: s.type,
    currency: s.currency,
    share: s.share,
  }));
}

/** The reservations of a departure movement as the API shows them. */
export function reservationsView(m: Pick<MovementRecord, 'reservations'>) {
  const reservations = m.reservations.map((r) => ({ ...r, amount: r.amount / 100 }));
  const held = reservations.find((r) => r.held);
  return {
    reservation: held ? { grn: held.grn, amount: held.amount, currency: held.currency } : null,
    reservations,
  };
}

export async function lodgeDeclaration(ctx: NodeContext, operator: OperatorRecord, ctd: Ctd): Promise<Lodged> {
  if (operator.status !== 'ACTIVE')
    throw new Rejection(403, 'OPERATOR_NOT_ACTIVE', `operator ${operator.tin} is ${operator.status.toLowerCase()}`);
  checkContent(ctx, ctd, operator);
  const { risk, shares } = assess(ctx, ctd, operator);
  const prelodged = ctd.additionalDeclarationType === 'D';
  // A guarantee of another country: the MRN now, release or control once that country has reserved (IE203/IE205).
  const abroad = guaranteeCountryAbroad(ctx, ctd);
  const decision: MovementEvent[] = abroad
    ? [{ type: 'accept' }, { type: 'awaitGuarantee' }]
    : prelodged
      ? [{ type: 'accept' }]
      : [{ type: 'accept' }, { type: risk.decision }];
  const views: MovementView[] = [];
  let view = submittedMovement(ctd.offices);
  for (const event of decision) views.push((view = applyEvent(view, event)));
  const reserve = view.state === 'RELEASED';

  const now = ctx.now();
  const mrn = mrnFromSequence({
    year: now.getUTCFullYear(),
    country: ctx.country,
    security: ctd.security,
    sequence: await ctx.mrnSequence.take(),
  });
  const hash = contentHash(ctd);

  const declared = declaredShares(ctd, shares);
  const declaration = {
    mrn,
    operatorTin: operator.tin,
    lrn: ctd.lrn,
    contentHash: hash,
    state: view.state,
    ctd: recordedCtd(ctd),
    departureOffice: ctd.offices.departure,
    transitOffices: ctd.offices.transit,
    destinationOffice: ctd.offices.destination,
    riskClass: risk.riskClass,
    riskReasons: risk.reasons,
    guarantees: declared,
  };
  let result;
  try {
    result = abroad
      ? await lodgeAwaiting(ctx, declaration, abroad, now)
      : await retryOnDeadlock(() =>
          insertDeclaration(ctx.pool, {
            ...declaration,
            reserve,
            messages: reserve ? releaseMessages(ctx, ctd, now, now) : [],
            limitDate: reserve ? movementLimitDate(ctd.offices, now) : null,
          }),
        );
  } catch (err) {
    // The same LRN lodged concurrently: the unique index refused this one, which changed nothing.
    if ((err as { code?: string }).code !== '23505') throw err;
    result = { outcome: 'lrn-taken' as const };
  }

  if (result.outcome === 'inserted') {
    ctx.metrics.declarations.inc({
      outcome: abroad ? 'awaiting-guarantee' : prelodged ? 'prelodged' : reserve ? 'released' : 'controlled',
    });
    for (const e of decision) ctx.metrics.transitions.inc({ event: e.type });
    ctx.metrics.movements.record('departure', transitionsAlong('none', ['SUBMITTED', ...views.map((v) => v.state)]));
    ctx.notifier.publish(
      operator.tin,
      decision.map((e, i) => notification({ mrn, lrn: ctd.lrn }, e, views[i]!, now)),
    );
    return {
      status: 201,
      body: {
        mrn,
        lrn: ctd.lrn,
        state: view.state as DeclarationAccepted['state'],
        riskClass: risk.riskClass,
        decision: risk.decision,
        ...reservationsView(result),
        replayed: false,
      },
    };
  }
  if (result.outcome === 'lrn-taken') {
    const existing = await findByLrn(ctx.pool, operator.tin, ctd.lrn);
    if (!existing || !existing.contentHash?.equals(hash)) {
      ctx.metrics.declarations.inc({ outcome: 'DUPLICATE_LRN' });
      throw functionalRejection(
        [
          {
            code: 'DUPLICATE_LRN',
            pointer: '/lrn',
            message: `LRN ${ctd.lrn} was already lodged${existing ? ` as ${existing.mrn}` : ''} with different content`,
          },
        ],
        409,
      );
    }
    ctx.metrics.declarations.inc({ outcome: 'replayed' });
    return {
      status: 200,
      body: {
        mrn: existing.mrn,
        lrn: ctd.lrn,
        state: existing.state as DeclarationAccepted['state'],
        riskClass: (existing.riskClass ?? risk.riskClass) as DeclarationAccepted['riskClass'],
        // What was decided at lodging, not what the rules would say today.
        decision: decidedAtLodging(existing),
        ...reservationsView(existing),
        replayed: true,
      },
    };
  }
  const refused = shares[result.guarantee.position]!;
  const refusal = guaranteeRefusal(result.guarantee, operator.tin, refused.pointer);
  ctx.metrics.declarations.inc({ outcome: refusal.code });
  throw refusal;
}

/**
 * A declaration whose guarantees `country` registered: the movement waits for
 * its answer, with the IE203 asking it to reserve written in the same
 * transaction; nothing is reserved here.
 */
async function lodgeAwaiting(
  ctx: NodeContext,
  d: Omit<NewDeclaration, 'reserve' | 'messages' | 'limitDate'>,
  country: string,
  now: Date,
) {
  const request = guaranteeUseRequest(ctx, country, {
    officeOfDeparture: d.departureOffice,
    holder: d.operatorTin,
    shares: d.guarantees,
    at: now,
  });
  await withTransaction(ctx.pool, (client) =>
    insertAwaitingDeclaration(client, { ...d, replyBy: guaranteeReplyBy(now), messages: [request] }),
  );
  const reservations = d.guarantees.map((g) => ({ grn: g.grn, currency: g.currency, amount: g.share, held: false }));
  return { outcome: 'inserted' as const, reserved: false, reservations };
}
