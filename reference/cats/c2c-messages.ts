// Customs-to-customs messages a node writes to its outbox with the state change
// that causes them, with the bodies of the ICE catalogue (reference/spec/ice).
// Offices in the node's own country need no message: the node holds the movement itself.
// Only countries in the exchange (the pilot flag of the reference data: they run a
// CATS node reachable through ICE) get one; an office in a country outside CATS is
// reached by other means (paper, a future NCTS gateway), not through this outbox.
import type { Ctd, RecordedCtd } from '../spec/ctd.ts';
import type { IE001 } from '../spec/ice/ie001-anticipated-arrival-record.ts';
import type { IE006 } from '../spec/ice/ie006-arrival-advice.ts';
import type { IE010 } from '../spec/ice/ie010-invalidation-notification.ts';
import type { IE018 } from '../spec/ice/ie018-destination-control-results.ts';
import type { IE045 } from '../spec/ice/ie045-write-off-notification.ts';
import type { IE050 } from '../spec/ice/ie050-anticipated-transit-record.ts';
import type { IE003 } from '../spec/ice/ie003-aar-response.ts';
import type { IE024 } from '../spec/ice/ie024-forwarded-arrival-advice.ts';
import type { IE115 } from '../spec/ice/ie115-atr-response.ts';
import type { IE180 } from '../spec/ice/ie180-incident-notification.ts';
import type { IE118 } from '../spec/ice/ie118-notification-crossing-frontier.ts';
import type { IE142 } from '../spec/ice/ie142-enquiry-request.ts';
import type { IE143 } from '../spec/ice/ie143-enquiry-response.ts';
import type { IE150 } from '../spec/ice/ie150-recovery-request.ts';
import type { IE152 } from '../spec/ice/ie152-recovery-notification.ts';
import type { IE203 } from '../spec/ice/ie203-guarantee-use.ts';
import type { IE204 } from '../spec/ice/ie204-guarantee-use-cancellation.ts';
import type { IE205 } from '../spec/ice/ie205-guarantee-use-result.ts';
import type { IE209 } from '../spec/ice/ie209-credit-reference-amount.ts';
import { offices } from '../spec/reference-data/offices.ts';
import { guaranteeCountry } from '../domain/guarantee.ts';
import type { Country } from '../spec/reference-data/countries.ts';
import type { DeclaredShare, OutboxMessage } from '../store/movements.ts';
import { recordedCtd } from './recorded-ctd.ts';

/** The node writing the messages: its own country and the reference data saying which countries are in the exchange. */
export interface Sender {
  country: string;
  countries: ReadonlyMap<string, Country>;
}

const countryOf = (office: string) => office.slice(0, 2);

/** The country an office's message goes to over ICE, or undefined when it needs none. */
export function recipient(node: Sender, office: string): string | undefined {
  const country = countryOf(office);
  return country !== node.country && node.countries.get(country)?.pilot ? country : undefined;
}

/** On release: IE001 anticipated arrival record to the destination, IE050 anticipated transit record to each office of transit. */
export function releaseMessages(
  node: Sender,
  ctd: Ctd | RecordedCtd,
  acceptedAt: Date,
  releasedAt: Date,
): OutboxMessage[] {
  const released = {
    declaration: recordedCtd(ctd),
    acceptedAt: acceptedAt.toISOString(),
    releasedAt: releasedAt.toISOString(),
    officeOfDeparture: ctd.offices.departure,
  };
  const out: OutboxMessage[] = [];
  const destination = ctd.offices.destination;
  const destinationCountry = recipient(node, destination);
  if (destinationCountry) {
    const body: IE001['body'] = { ...released, officeOfDestination: destination };
    out.push({ type: 'IE001', country: destinationCountry, office: destination, body });
  }
  for (const office of ctd.offices.transit) {
    const country = recipient(node, office);
    if (!country) continue;
    const body: IE050['body'] = { ...released, officeOfTransit: office };
    out.push({ type: 'IE050', country, office, body });
  }
  return out;
}

/** On write-off at departure: IE045 to every foreign office that was sent IE001 or IE050. */
export function writeOffMessages(
  node: Sender,
  offices: { transit: readonly string[]; destination: string },
  at: Date,
  outcome: IE045['body']['outcome'] = 'discharged',
): OutboxMessage[] {
  const body: IE045['body'] = { writtenOffAt: at.toISOString(), outcome };
  return [...offices.transit, offices.destination].flatMap((office) => {
    const country = recipient(node, office);
    return country ? [{ type: 'IE045', country, office, body }] : [];
  });
}

/** On invalidation after release: IE010 to every foreign office that was sent IE001 or IE050. */
export function invalidationMessages(
  node: Sender,
  offices: { transit: readonly string[]; destination: string },
  at: Date,
  reason: string,
): OutboxMessage[] {
  const body: IE010['body'] = { invalidatedAt: at.toISOString(), reason };
  return [...offices.transit, offices.destination].flatMap((office) => {
    const country = recipient(node, office);
    return country ? [{ type: 'IE010', country, office, body }] : [];
  });
}

/**
 * The record departure sends an office the declaration does not name, which asked for it (diversion):
 * IE115 to an office of transit, IE003 to an office of destination, with the offices as they now stand.
 */
export function divertedRecord(
  node: Sender,
  m: { ctd: Ctd | RecordedCtd; createdAt: Date; transitOffices: readonly string[]; destinationOffice: string },
  office: string,
  type: 'IE115' | 'IE003',
): OutboxMessage[] {
  const country = recipient(node, office);
  if (!country) return [];
  const offices = {
    departure: m.ctd.offices.departure,
    transit: [...m.transitOffices],
    destination: m.destinationOffice,
  };
  const released = {
    declaration: recordedCtd({ ...m.ctd, offices } as Ctd),
    // The node keeps no separate release time: lodging and release are one step for most movements.
    acceptedAt: m.createdAt.toISOString(),
    releasedAt: m.createdAt.toISOString(),
    officeOfDeparture: m.ctd.offices.departure,
  };
  const body: IE115['body'] | IE003['body'] =
    type === 'IE115' ? { ...released, officeOfTransit: office } : { ...released, officeOfDestination: office };
  return [{ type, country, office, body }];
}

/** To the declared office of destination when the goods arrived at another (IE024). */
export function forwardedArrivalAdvice(node: Sender, declared: string, actual: string, at: Date): OutboxMessage[] {
  const country = recipient(node, declared);
  const body: IE024['body'] = { actualOfficeOfDestination: actual, arrivedAt: at.toISOString() };
  return country ? [{ type: 'IE024', country, office: declared, body }] : [];
}

type ToDeparture =
  | { type: 'IE118'; body: IE118['body'] }
  | { type: 'IE006'; body: IE006['body'] }
  | { type: 'IE018'; body: IE018['body'] }
  | { type: 'IE143'; body: IE143['body'] }
  | { type: 'IE114'; body: { officeOfTransit: string; requestedAt: string } }
  | { type: 'IE180'; body: IE180['body'] }
  | { type: 'IE002'; body: { officeOfDestination: string; requestedAt: string } }
  | { type: 'IE152'; body: IE152['body'] }
  | { type: 'IE205'; body: IE205['body'] };

/** From an office of transit, destination or recovery of a foreign movement back to its office of departure. */
export function toDeparture(
  node: Sender,
  departureOffice: string,
  m: ToDeparture,
  senderOffice?: string,
): OutboxMessage[] {
  const country = recipient(node, departureOffice);
  return country
    ? [{ type: m.type, country, office: departureOffice, body: m.body, ...(senderOffice ? { senderOffice } : {}) }]
    : [];
}

/** From departure to an office of another country about a movement declared here: IE142 enquiry, IE150 recovery. */
export function fromDeparture(
  node: Sender,
  office: string,
  m: { type: 'IE142'; body: IE142['body'] } | { type: 'IE150'; body: IE150['body'] },
): OutboxMessage[] {
  const country = recipient(node, office);
  return country ? [{ type: m.type, country, office, body: m.body }] : [];
}

/**
 * A country's office of guarantee, which speaks for its guarantees in IE203/IE205: its first office of
 * departure in reference order (the same for every node, from the shared office list).
 */
export function guaranteeOffice(country: string): string | undefined {
  return offices
    .filter((o) => o.country === country && o.roles.includes('DEP'))
    .map((o) => o.referenceNumber)
    .sort()[0];
}

/** The countries other than this node's that registered a movement's guarantees (at most one: guaranteeLocation). */
export function guaranteeCountriesAbroad(node: Sender, grns: readonly string[]): string[] {
  return [...new Set(grns.map(guaranteeCountry))].filter((c) => c !== node.country && node.countries.get(c)?.pilot);
}

/** IE203 to the office of guarantee of `country`: check and reserve these shares (the access codes travel only here). */
export function guaranteeUseRequest(
  node: Sender,
  country: string,
  d: { officeOfDeparture: string; holder: string; shares: readonly DeclaredShare[]; at: Date },
): OutboxMessage {
  const body: IE203['body'] = {
    requestedAt: d.at.toISOString(),
    officeOfDeparture: d.officeOfDeparture,
    holder: d.holder,
    references: d.shares.map((s) => ({
      grn: s.grn,
      accessCode: s.accessCode,
      type: s.type as IE203['body']['references'][number]['type'],
      share: { amount: s.share, currency: s.currency },
    })),
  };
  return { type: 'IE203', country, office: guaranteeOffice(country)!, body };
}

/** IE205 from this node's office of guarantee back to the office of departure that asked. */
export function guaranteeUseResult(node: Sender, departureOffice: string, body: IE205['body']): OutboxMessage[] {
  return toDeparture(node, departureOffice, { type: 'IE205', body }, guaranteeOffice(node.country));
}

/**
 * To the office of guarantee of each country that holds (or may by now hold) a reservation of the
 * movement: IE204 when it ends before release, IE209 after (given back, or charged after recovery).
 */
export function guaranteeUseEnd(
  node: Sender,
  grns: readonly string[],
  at: Date,
  end: { type: 'IE204'; reason: string } | { type: 'IE209'; outcome: IE209['body']['outcome'] },
): OutboxMessage[] {
  return guaranteeCountriesAbroad(node, grns).map((country) => {
    const body: IE204['body'] | IE209['body'] =
      end.type === 'IE204'
        ? { cancelledAt: at.toISOString(), reason: end.reason }
        : { creditedAt: at.toISOString(), outcome: end.outcome };
    return { type: end.type, country, office: guaranteeOffice(country)!, body };
  });
}
