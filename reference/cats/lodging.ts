// Lodging a CTD at the office of departure: one round of validation in memory,
// then one database statement (store/movements.ts insertDeclaration) that
// allocates nothing twice, reserves the guarantee atomically and writes the
// C2C messages. Idempotent per operator + LRN.
import type { Ctd } from '../spec/ctd.ts';
import type { DeclarationAccepted } from '../spec/declarations.ts';
import { checkCtd } from '../domain/ctd-rules.ts';
import { amountDue, checkDeclaredAmount, referenceShares, type ReferenceShare } from '../domain/guarantee.ts';
import { applyEvent, submittedMovement, type MovementEvent, type MovementView } from '../domain/movement.ts';
import { mrnFromSequence } from '../domain/mrn.ts';
import { assessRisk } from '../domain/risk.ts';
import type { OperatorRecord } from '../store/parties.ts';
import { retryOnDeadlock } from '../store/database.ts';
import { findByLrn, insertDeclaration, type DeclaredShare, type MovementRecord } from '../store/movements.ts';
import { releaseMessages } from './c2c-messages.ts';
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
  const decision: MovementEvent[] = prelodged ? [{ type: 'accept' }] : [{ type: 'accept' }, { type: risk.decision }];
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

  let result;
  try {
    result = await retryOnDeadlock(() =>
      insertDeclaration(ctx.pool, {
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
        guarantees: declaredShares(ctd, shares),
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
    ctx.metrics.declarations.inc({ outcome: prelodged ? 'prelodged' : reserve ? 'released' : 'controlled' });
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
        decision:
          existing.riskReasons?.some((r) => r.startsWith('SAMPLING')) || existing.riskClass === 'high'
            ? 'control'
            : 'release',
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
