// Non-arrival. Past its limit date (business time) a movement declared here
// goes to ENQUIRY: IE142 to the office of destination, and the holder is told
// (the IE140-like notification) and may answer (IE141-like information). The
// office enquired answers with IE143: goods arrived (their arrival advice and
// results follow, IE006/IE018) or not (recovery once the enquiry period ends).
import type { IE143 } from '../spec/ice/ie143-enquiry-response.ts';
import { enquiryReplyBy } from '../domain/time-limit.ts';
import { fromDeparture, toDeparture } from './c2c-messages.ts';
import { outOfSequence } from './conflict.ts';
import type { NodeContext } from './context.ts';
import { requireOfficerAt, requireOwner, runStep, servedHere } from './lifecycle.ts';
import type { Principal } from './principal.ts';
import { notFound } from './rejection.ts';

/** Opens the enquiry on a movement past its limit date (the scheduler; idempotent: a second call is refused). */
export const openEnquiry = (ctx: NodeContext, mrn: string) =>
  runStep(ctx, mrn, (m) => {
    if (m.role !== 'departure') throw notFound(`movement ${mrn}`);
    const now = ctx.now();
    if (!m.limitDate || m.limitDate > now)
      throw outOfSequence(`the time limit of ${mrn} is ${m.limitDate?.toISOString() ?? 'not set'}, not yet past`);
    const replyBy = enquiryReplyBy(now);
    return {
      events: [{ type: 'limitExpired' }],
      change: () => ({ enquiryOpenedAt: now, enquiryReplyBy: replyBy }),
      messages: fromDeparture(ctx, m.destinationOffice, {
        type: 'IE142',
        body: {
          requestedAt: now.toISOString(),
          officeConcerned: m.destinationOffice,
          replyBy: replyBy.toISOString(),
          information: `time limit ${m.limitDate.toISOString()} passed without arrival advice`,
        },
      }),
    };
  });

/** The office of destination answers the enquiry: on its own movement here, or on a foreign one with IE143. */
export const answerEnquiry = (
  ctx: NodeContext,
  p: Principal,
  mrn: string,
  r: { office: string; goodsArrived: boolean; information?: string },
) =>
  runStep(ctx, mrn, (m) => {
    requireOfficerAt(p, r.office);
    servedHere(ctx, r.office);
    if (r.office !== m.destinationOffice)
      throw outOfSequence(`${r.office} is not the declared office of destination of ${mrn}`, '/office');
    const now = ctx.now();
    if (m.role === 'departure')
      return {
        events: [{ type: 'enquiryAnswer', arrived: r.goodsArrived }],
        change: () => ({ enquiryAnsweredAt: now }),
      };
    if (!m.enquiryMessageId) throw outOfSequence(`no enquiry about ${mrn} was received here`);
    if (m.enquiryAnsweredAt) throw outOfSequence(`the enquiry about ${mrn} was already answered`);
    const body: IE143['body'] = {
      respondedAt: now.toISOString(),
      goodsArrived: r.goodsArrived,
      ...(r.goodsArrived && ['ARRIVED', 'CONTROLLED', 'DISCREPANCIES'].includes(m.state)
        ? { arrivedAt: m.updatedAt.toISOString() }
        : {}),
      ...(r.information ? { information: r.information } : {}),
    };
    return {
      events: [],
      change: () => ({ enquiryAnsweredAt: now }),
      messages: toDeparture(ctx, m.departureOffice, { type: 'IE143', body }, r.office),
    };
  });

/** The holder's answer to the request on the non-arrived movement (IE141-like). */
export const provideEnquiryInformation = (ctx: NodeContext, p: Principal, mrn: string, information: string) =>
  runStep(ctx, mrn, (m) => {
    requireOwner(p, m);
    return { events: [{ type: 'holderInformation' }], change: () => ({ holderInformation: information }) };
  });
