// A stored movement as the API shows it.
import type { Static } from '@sinclair/typebox';
import type { Ctd } from '../spec/ctd.ts';
import type { Declaration, DeclarationWithCtd } from '../spec/declarations.ts';
import type { MovementState } from '../domain/movement.ts';
import { guaranteeCountry } from '../domain/guarantee.ts';
import type { MovementRecord } from '../store/movements.ts';
import { reservationsView } from './lodging.ts';
import { recordedCtd } from './recorded-ctd.ts';

const major = (minor: number) => minor / 100;

export function declarationView(m: MovementRecord): Declaration {
  const ctd = m.ctd as Ctd;
  return {
    mrn: m.mrn,
    lrn: m.lrn,
    role: m.role,
    state: m.state as MovementState,
    holderTin: ctd.holder.identificationNumber,
    offices: { departure: m.departureOffice, transit: m.transitOffices, destination: m.destinationOffice },
    crossedOffices: m.crossedOffices,
    riskClass: (m.riskClass as Declaration['riskClass']) ?? null,
    riskReasons: m.riskReasons ?? [],
    amountToReserve: m.reservations[0] ? major(m.reservations[0].amount) : null,
    ...reservationsView(m),
    amendments: m.amendments,
    controlConform: m.controlConform,
    limitDate: m.limitDate?.toISOString() ?? null,
    enquiry:
      m.enquiryOpenedAt || m.enquiryMessageId
        ? {
            openedAt: m.enquiryOpenedAt?.toISOString() ?? null,
            replyBy: m.enquiryReplyBy?.toISOString() ?? null,
            answer: m.enquiryAnswer,
            holderInformation: m.holderInformation,
          }
        : null,
    recovery:
      m.recoveryStartedAt || m.recoveryMessageId
        ? { startedAt: m.recoveryStartedAt?.toISOString() ?? null, office: m.recoveryOffice }
        : null,
    incidents: m.incidents as NonNullable<Declaration['incidents']>,
    guaranteeAbroad: m.guaranteeReplyBy
      ? {
          country: m.reservations[0] ? guaranteeCountry(m.reservations[0].grn) : '',
          replyBy: m.guaranteeReplyBy.toISOString(),
          refusal: m.guaranteeRefusal,
        }
      : null,
    openIncidents: m.openIncidents,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function declarationWithCtd(m: MovementRecord): Static<typeof DeclarationWithCtd> {
  return { ...declarationView(m), ctd: recordedCtd(m.ctd as Ctd) };
}
